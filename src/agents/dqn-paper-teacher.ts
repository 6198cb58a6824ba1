/**
 * The DQN teacher of the OD3 paper (its CLOUD model), as a {@link DqnConfig}: the Nature-DQN
 * "largenet" CNN, ε from 1 to 0.1, Adam with the learning rate decayed linearly from 2.5e-4 to
 * 5e-5, a replay memory, minibatch 32, one update every 4 steps, γ = 0.99; evaluated with
 * ε = 0.05. The network is scaled to the small grids of the pixel envs (`CNN_LARGENET`); the
 * memory and target interval are scaled to their shorter runs (the paper's Atari runs used 1M
 * transitions and 10k steps).
 */
import { CNN_LARGENET, CNN_SMALLNET } from '../nn/cnn-architecture.js';
import type { DqnConfig } from './dqn.js';

/** ε of the paper's evaluation episodes (pass it to an ε-greedy evaluation of the teacher). */
export const DQN_PAPER_EVAL_EPSILON = 0.05;

/** The paper's DQN teacher (CLOUD) hyper-parameters (see the module comment). */
export const DQN_PAPER_TEACHER: Readonly<DqnConfig> = {
  net: CNN_LARGENET,
  learningRate: 2.5e-4,
  learningRateFinal: 5e-5,
  explorationInitialEps: 1,
  explorationFinalEps: 0.1,
  explorationFraction: 0.1,
  bufferSize: 100_000,
  learningStarts: 1_000,
  batchSize: 32,
  trainFreq: 4,
  gamma: 0.99,
  targetUpdateInterval: 1_000,
};

/** The same hyper-parameters with the paper's edge network ("smallnet"): EDGE trained from scratch. */
export const DQN_PAPER_EDGE: Readonly<DqnConfig> = { ...DQN_PAPER_TEACHER, net: CNN_SMALLNET };
