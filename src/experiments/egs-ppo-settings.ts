/**
 * The PPO settings of EGS training runs (CleanRL's defaults changed where EGS needs them), one
 * source for the documented training run (`bench/egs-train.ts`), the speed bench and the EGS
 * learning ablation's PPO from scratch.
 */
import type { PpoConfig } from '../agents/ppo.js';

/** PPO settings of EGS runs: 8 envs × 64 steps, 4 minibatches, 3 epochs, γ 0.995, lr 1e-3 annealed. */
export const EGS_PPO: Partial<PpoConfig> = {
  numEnvs: 8,
  numSteps: 64,
  numMinibatches: 4,
  updateEpochs: 3,
  learningRate: 1e-3,
  gamma: 0.995,
  gaeLambda: 0.95,
  entCoef: 0.01,
  vfCoef: 0.5,
  clipVloss: false,
  maxGradNorm: 0.5,
  annealLr: true,
  logInterval: 1,
};
