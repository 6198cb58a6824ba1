/**
 * On-device DRL with distillation (OD3; Jang et al., IEEE Access 2020, Algorithm 1) and plain
 * policy distillation (Rusu et al., ICLR 2016).
 *
 * A small student policy learns from a large trained teacher in one process on the device. The
 * algorithm's home is this folder (`src/agents/od3/`); read its steps against the paper in this
 * order:
 *
 *   0. budget → student architecture (Alg. 1 line 1, `PolicyNetGenerator`): `generatePolicyNet`
 *      in `src/deploy/policy-net-generator.ts`. It stays in deploy/ because it measures decision
 *      latency on the deploy inference runtime (agents/ sits below deploy/ and cannot import it)
 *      and because the EGS graph generator (`deploy/graph-policy-net-generator.ts`) shares its
 *      `ResourceBudget`. The distiller only takes the chosen `hiddenSizes`.
 *   1. the teacher: a trained DQN (Q-values) or PPO/A2C/REINFORCE (actor logits) seen through
 *      {@link DistillationTeacher} (`distillation-teacher.ts`);
 *   2. the collector acts ε-greedily in the environment (OD3: the student itself; plain policy
 *      distillation: the teacher) and every visited state goes into the replay memory
 *      ({@link StateReplayMemory}, `state-replay-memory.ts`): {@link Od3Distiller.learn};
 *   3. every `updateFreq` environment steps a minibatch of `minibatchSize` states is drawn and
 *      labeled by the teacher, its outputs `z_T` sharpened with temperature τ:
 *      `p_T = softmax(z_T / τ)` (τ < 1 sharpens; τ = 0.01 by default): {@link sharpenedSoftmax};
 *   4. the student's logits `z_S` take one Adam step on
 *      `KL(p_T ‖ softmax(z_S)) = Σ_a p_T(a) (log p_T(a) − log softmax(z_S)(a))`, averaged over the
 *      minibatch (masked actions have p = 0 on both sides and drop out):
 *      {@link Od3Distiller.distillStep}. Its gradient `∂L/∂z_S = (softmax(z_S) − p_T) / batch`
 *      is {@link distillationLossGrad}; the default `learner: 'fast'` takes the step on the
 *      student's host weights, `'tfjs'` with TensorFlow.js gradients (same step, same state).
 *
 * The run around it (load the teacher, call the generator, distil, evaluate, write the run
 * folder) is `src/experiments/distill-run.ts`; the ε-greedy loop is the one DQN uses
 * (`../off-policy-collector.ts`).
 *
 * The student is an ordinary {@link PPO} model whose actor is the distilled network (its critic
 * is a linear head nobody trains), so it is saved, loaded, evaluated and exported by the
 * existing code: a checkpoint written by {@link Od3Distiller.save} is a valid PPO checkpoint,
 * with the distiller's own state (its Adam moments, the replay memory, RNG and schedule) stored
 * alongside under `od3/` keys so that {@link Od3Distiller.load} resumes the same run.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../../core/config-schema.js';
import type { Env } from '../../core/env.js';
import { ArbiterError } from '../../core/errors.js';
import { Rng, type RngState } from '../../core/rng.js';
import { ActorCriticPolicy } from '../../nn/actor-critic-policy.js';
import { CNN_NET_SCHEMA, type CnnNetConfig } from '../../nn/cnn-architecture.js';
import { assertTfCanTrainCnn } from '../../nn/cnn.js';
import { Adam } from '../../nn/adam.js';
import { AdamF32 } from '../../nn/adam-f32.js';
import { clipGradNorm } from '../../nn/clip-grad-norm.js';
import { firstNonFiniteVariable } from '../../nn/first-non-finite.js';
import { clipGlobalNorm, firstNonFiniteArray } from '../../nn/host-params.js';
import { maskedArgmax, maskedLogSoftmax } from '../../nn/masked-categorical.js';
import { assertTfReady, initTf, tf } from '../../nn/tf-backend.js';
import {
  assertFiniteUpdate,
  TrainingSession,
  type Algorithm,
  type LearnOptions,
  type PredictOptions,
} from '../base-algorithm.js';
import {
  loadCheckpoint,
  readCheckpointPart,
  saveCheckpoint,
  type CheckpointCounters,
} from '../checkpoint.js';
import { EpisodeTracker, type EpisodeTrackerState } from '../episode-tracker.js';
import { EXPLORATION_SHAPE, OffPolicyCollector } from '../off-policy-collector.js';
import { PPO } from '../ppo.js';
import type { DistillationTeacher } from './distillation-teacher.js';
import { StateReplayMemory } from './state-replay-memory.js';

/** Hyper-parameters of {@link Od3Distiller}; every field but the student's architecture has a default. */
export interface Od3Config {
  /** Hidden widths of an MLP student (e.g. from `generatePolicyNet`); needed unless `net` is given. */
  hiddenSizes?: number[];
  /**
   * A CNN student for image observations (e.g. from `generateCnnPolicyNet`): its trunk and logit
   * head are distilled together. Default: none (the MLP of `hiddenSizes`).
   */
  net?: CnnNetConfig | null;
  /** Student hidden nonlinearity. Default `'tanh'`. */
  activation?: 'tanh' | 'relu';
  /** Temperature τ of the teacher's softmax (τ < 1 sharpens). Default 0.01 (the seed's). */
  tau?: number;
  /** States per minibatch (the seed varies 32, 16, 8, 4). Default 32. */
  minibatchSize?: number;
  /** Environment steps between updates (the seed varies 4, 8, 16, 32). Default 4. */
  updateFreq?: number;
  /** Gradient steps per update. Default 1. */
  gradientSteps?: number;
  /** Adam learning rate. Default 1e-3. */
  learningRate?: number;
  /** Clip of the global gradient norm. Default 10. */
  maxGradNorm?: number;
  /** Replay memory capacity in states. Default 50 000. */
  memorySize?: number;
  /** Who acts: `'student'` (OD3) or `'teacher'` (plain policy distillation). Default `'student'`. */
  collector?: 'student' | 'teacher';
  /** ε at the start of the schedule. Default 1 (the seed's). */
  explorationInitialEps?: number;
  /** ε after the decay. Default 0.05. */
  explorationFinalEps?: number;
  /** Fraction of the horizon over which ε decays. Default 0.1. */
  explorationFraction?: number;
  /** Seed of the student's weights, exploration, sampling and env resets. Default 1. */
  seed?: number;
  /** Write metrics every this many updates. Default 100. */
  logInterval?: number;
  /**
   * Who computes the student's gradient step: `'fast'` (host Float32 arithmetic) or `'tfjs'`
   * (the TensorFlow.js reference). Same update, same checkpoint. Default `'fast'`.
   */
  learner?: 'fast' | 'tfjs';
}

/** {@link Od3Config} with defaults filled in. */
export type ResolvedOd3Config = Required<Od3Config>;

/** Defaults of {@link Od3Config}. */
export const OD3_DEFAULTS: Readonly<Omit<ResolvedOd3Config, 'hiddenSizes'>> = {
  net: null,
  activation: 'tanh',
  tau: 0.01,
  minibatchSize: 32,
  updateFreq: 4,
  gradientSteps: 1,
  learningRate: 1e-3,
  maxGradNorm: 10,
  memorySize: 50_000,
  collector: 'student',
  explorationInitialEps: 1,
  explorationFinalEps: 0.05,
  explorationFraction: 0.1,
  seed: 1,
  logInterval: 100,
  learner: 'fast',
};

/** Rules of every {@link Od3Config} key (strict: unknown keys are refused). */
export const OD3_SCHEMA = z
  .object({
    hiddenSizes: zc.layerSizes().optional(),
    net: CNN_NET_SCHEMA.nullable().optional(),
    activation: z.enum(['tanh', 'relu']).optional(),
    tau: zc.positive().optional(),
    minibatchSize: zc.int(1).optional(),
    updateFreq: zc.int(1).optional(),
    gradientSteps: zc.int(1).optional(),
    learningRate: zc.positive().optional(),
    maxGradNorm: zc.positiveOrInfinity().optional(),
    memorySize: zc.int(1).optional(),
    collector: z.enum(['student', 'teacher']).optional(),
    ...EXPLORATION_SHAPE,
    logInterval: zc.int(1).optional(),
    learner: z.enum(['fast', 'tfjs']).optional(),
  } satisfies ConfigShape<Od3Config>)
  .strict();

/**
 * Validates `config` with {@link OD3_SCHEMA} (a `ValidationError` naming `source`, the key and the
 * rule) and fills in {@link OD3_DEFAULTS}.
 */
export function resolveOd3Config(config: Od3Config, source = 'OD3 config'): ResolvedOd3Config {
  const given = parseConfig(OD3_SCHEMA, config, { source, what: 'OD3' });
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  if (given.hiddenSizes === undefined && !given.net)
    throw new ArbiterError(
      'invalid-config',
      `${source}: give the student's architecture: hiddenSizes (an MLP) or net (a CNN)`,
    );
  return { ...OD3_DEFAULTS, ...defined, hiddenSizes: [...(given.hiddenSizes ?? [])] } as ResolvedOd3Config;
}

/**
 * `p = softmax(z / τ)` over the allowed actions of one row (masked actions get 0), in doubles.
 * Returns `Σ p log p` (minus the entropy), the constant part of the KL divergence.
 */
export function sharpenedSoftmax(
  z: ArrayLike<number>,
  offset: number,
  n: number,
  tau: number,
  mask: ArrayLike<number> | undefined,
  out: Float32Array,
): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < n; a++) if ((!mask || mask[offset + a]) && z[offset + a]! > max) max = z[offset + a]!;
  if (max === Number.NEGATIVE_INFINITY)
    throw new ArbiterError('empty-mask', 'OD3: a stored state has an action mask that allows nothing');
  let sum = 0;
  for (let a = 0; a < n; a++) sum += !mask || mask[offset + a] ? Math.exp((z[offset + a]! - max) / tau) : 0;
  let negEntropy = 0;
  for (let a = 0; a < n; a++) {
    const p = !mask || mask[offset + a] ? Math.exp((z[offset + a]! - max) / tau) / sum : 0;
    out[offset + a] = p;
    if (p > 0) negEntropy += p * Math.log(p);
  }
  return negEntropy;
}

/**
 * The minibatch-mean cross-entropy `−(1/B) Σ_b Σ_a p_T(b, a) log softmax(z_S)(b, a)` over the
 * allowed actions of `batch` rows of student logits `z` (masked entries take no part), and its
 * gradient `∂L/∂z = (softmax(z) · Σ_a p_T − p_T) / B` written into `dz` (0 where masked). The
 * KL divergence adds the constant `Σ p_T log p_T`, which has no gradient.
 */
export function distillationLossGrad(
  z: ArrayLike<number>,
  pT: ArrayLike<number>,
  mask: ArrayLike<number> | undefined,
  batch: number,
  n: number,
  dz: Float32Array,
): number {
  let ce = 0;
  for (let b = 0; b < batch; b++) {
    const o = b * n;
    let max = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < n; a++) if ((!mask || mask[o + a]) && z[o + a]! > max) max = z[o + a]!;
    let sum = 0;
    let pSum = 0;
    for (let a = 0; a < n; a++)
      if (!mask || mask[o + a]) {
        sum += Math.exp(z[o + a]! - max);
        pSum += pT[o + a]!;
      }
    const logSum = Math.log(sum);
    for (let a = 0; a < n; a++) {
      if (mask && !mask[o + a]) {
        dz[o + a] = 0;
        continue;
      }
      const logp = z[o + a]! - max - logSum;
      const p = pT[o + a]!;
      if (p > 0) ce -= p * logp;
      dz[o + a] = (Math.exp(logp) * pSum - p) / batch;
    }
  }
  return ce / batch;
}

/** The distiller's own state in a checkpoint's `extra.od3`. */
interface Od3Extra {
  config: ResolvedOd3Config;
  rng: RngState;
  horizon: number;
  episodes: EpisodeTrackerState;
  memory: { capacity: number; size: number; position: number };
  teacher: { algo: string; decisionParams: number };
}

/**
 * OD3 / policy distillation trainer (see module doc).
 *
 * Not a `DeepAlgorithm`, so it keeps its own static `create` and `load`: the shared
 * `load(dir, env?, ...extras)` rebuilds a model from its checkpoint and env alone, while a
 * distiller also needs its teacher, which no checkpoint holds (it is another model, loaded on
 * its own), and its checkpoint's algorithm tag is the student's (`'ppo'`), not a tag of its own.
 * What the distiller produces is the student, and that part of its checkpoint is an ordinary
 * PPO checkpoint: `PPO.load(dir)` (with or without an env) loads the distilled policy for
 * prediction and export, no teacher needed.
 */
export class Od3Distiller implements Algorithm {
  /** Resolved hyper-parameters. */
  readonly config: ResolvedOd3Config;
  /** The teacher (fixed). */
  readonly teacher: DistillationTeacher;
  /** The student: a PPO model whose actor is trained here. */
  readonly student: PPO;
  /** Replay memory of visited states. */
  readonly memory: StateReplayMemory;
  /** Training environment (one copy). */
  readonly env: Env;

  private readonly policy: ActorCriticPolicy;
  /** The TF.js reference optimizer (`learner: 'tfjs'`), or the host one (`'fast'`); same state keys. */
  private readonly optimizer: Adam | AdamF32;
  private readonly rng: Rng;
  private readonly numActions: number;
  private readonly obsDim: number;
  /** ε-greedy acting of the collector (the student, or the teacher) on the env. */
  private readonly collector: OffPolicyCollector;
  private horizon = 0;
  private readonly outRow: Float32Array;
  private readonly batchObs: Float32Array;
  private readonly batchMasks: Uint8Array;
  private readonly teacherOut: Float32Array;
  private readonly targets: Float32Array;
  private readonly dLogits: Float32Array;

  /**
   * Requires `await initTf()` first (or use {@link Od3Distiller.create}).
   *
   * @param teacher - the trained teacher (see `teacherFromAlgorithm`)
   * @param makeEnv - environment factory (Discrete actions, flat observations); called for the
   *   training env and once for the student model
   * @param config - hyper-parameters (see {@link Od3Config})
   */
  constructor(teacher: DistillationTeacher, makeEnv: () => Env, config: Od3Config) {
    assertTfReady('Od3Distiller');
    this.config = resolveOd3Config(config);
    this.teacher = teacher;
    const c = this.config;
    this.rng = new Rng(c.seed).fork();
    this.collector = new OffPolicyCollector(makeEnv, {
      who: 'OD3',
      config: c,
      rng: this.rng,
      greedy: (obs, mask) => this.greedyAction(obs, mask),
    });
    this.env = this.collector.env;
    this.numActions = this.collector.numActions;
    this.obsDim = this.collector.obsDim;
    if (teacher.obsDim !== this.obsDim || teacher.numActions !== this.numActions)
      throw new ArbiterError(
        'shape-mismatch',
        `OD3: the teacher maps ${teacher.obsDim} → ${teacher.numActions}, the environment ${this.obsDim} → ${this.numActions}`,
      );
    this.student = new PPO(makeEnv, {
      seed: c.seed,
      numEnvs: 1,
      policy: c.net
        ? { net: c.net }
        : { hiddenSizes: c.hiddenSizes, activation: c.activation, shareTrunk: false, valueHiddenSizes: [] },
    });
    this.policy = this.student.policy as ActorCriticPolicy;
    if (c.net && c.learner === 'tfjs') assertTfCanTrainCnn('OD3');
    this.optimizer =
      c.learner === 'fast'
        ? new AdamF32(this.policy.decisionHostParams())
        : new Adam(this.policy.decisionVariables());
    this.memory = new StateReplayMemory(c.memorySize, this.obsDim, this.numActions);
    this.outRow = new Float32Array(this.numActions);
    this.batchObs = new Float32Array(c.minibatchSize * this.obsDim);
    this.batchMasks = new Uint8Array(c.minibatchSize * this.numActions).fill(1);
    this.teacherOut = new Float32Array(c.minibatchSize * this.numActions);
    this.targets = new Float32Array(c.minibatchSize * this.numActions);
    this.dLogits = new Float32Array(c.minibatchSize * this.numActions);
  }

  /**
   * Initialises TensorFlow.js, then constructs (the shared `DeepAlgorithm.create`, written out
   * because this class is no `DeepAlgorithm`; see the class doc).
   */
  static async create(
    teacher: DistillationTeacher,
    makeEnv: () => Env,
    config: Od3Config,
  ): Promise<Od3Distiller> {
    await initTf();
    return new Od3Distiller(teacher, makeEnv, config);
  }

  /** Recent training-episode returns (of the collector's behaviour, ε included). */
  get episodes(): EpisodeTracker {
    return this.collector.episodes;
  }

  /** Latest ε. */
  get explorationRate(): number {
    return this.collector.explorationRate;
  }

  set explorationRate(eps: number) {
    this.collector.explorationRate = eps;
  }

  /** Step counters (shared with the student, so its checkpoint and artifact carry them). */
  get counters(): CheckpointCounters {
    return this.student.counters;
  }

  /** Parameters of the student's decision network (its actor, and its CNN trunk when it has one). */
  studentDecisionParams(): number {
    return this.policy.actor.numParams() + (this.policy.trunk?.numParams() ?? 0);
  }

  /**
   * Runs `totalTimesteps` more environment steps of Algorithm 1 (see module doc). ε follows its
   * schedule over `opts.horizon` (default: the end of this call). Callbacks see this distiller
   * as `ctx.algo`, so `EvalCallback` evaluates the student's greedy policy.
   */
  async learn(opts: LearnOptions<this>): Promise<this> {
    const c = this.config;
    const session = new TrainingSession(this, opts, this.counters, {
      episodes: this.episodes,
      logInterval: c.logInterval,
    });
    this.horizon = session.horizon;
    await session.start();
    const col = this.collector;
    if (!col.episodeRunning) col.beginEpisode(this.counters);
    while (!session.done()) {
      col.updateExploration(this.counters.numTimesteps, session.horizon);
      const action = col.action(col.obs, col.mask, true, this.rng);
      this.memory.add(col.obs, col.mask);
      col.step(action, this.counters);
      if (this.counters.numTimesteps % c.updateFreq === 0 && this.memory.size >= c.minibatchSize) {
        let loss = 0;
        let gradNorm = 0;
        for (let g = 0; g < c.gradientSteps; g++) {
          const m = this.distillStep();
          loss += m.kl;
          gradNorm += m.gradNorm;
        }
        this.counters.numUpdates++;
        const metrics = {
          'train/kl_loss': loss / c.gradientSteps,
          'train/grad_norm': gradNorm / c.gradientSteps,
          'train/exploration_rate': this.explorationRate,
        };
        const bad =
          c.learner === 'fast'
            ? firstNonFiniteArray(this.policy.decisionHostParams())
            : firstNonFiniteVariable(this.policy.decisionVariables());
        assertFiniteUpdate(
          'od3',
          this.counters,
          metrics,
          bad === undefined ? undefined : `decision variable ${bad}`,
        );
        await session.updateEnd(metrics);
      }
      if (!(await session.step())) break;
    }
    await session.end();
    return this;
  }

  /**
   * One minibatch: sample states, label them with the sharpened teacher, one Adam step on the
   * KL divergence. Returns the minibatch's mean KL (before the step) and gradient norm.
   */
  distillStep(): { kl: number; gradNorm: number } {
    const c = this.config;
    const B = c.minibatchSize;
    const n = this.numActions;
    this.memory.sample(this.rng, B, this.batchObs, this.batchMasks);
    this.teacher.forward(this.batchObs, B, this.teacherOut);
    let negEntropy = 0;
    for (let b = 0; b < B; b++)
      negEntropy += sharpenedSoftmax(this.teacherOut, b * n, n, c.tau, this.batchMasks, this.targets);
    const policy = this.policy;
    if (c.learner === 'fast') {
      const z = policy.logitsTrain(this.batchObs, B);
      const ce = distillationLossGrad(z, this.targets, this.batchMasks, B, n, this.dLogits);
      policy.backwardLogits(this.dLogits);
      const grads = policy.decisionHostGrads();
      const gradNorm = clipGlobalNorm(grads, c.maxGradNorm);
      (this.optimizer as AdamF32).applyGradients(grads, c.learningRate);
      policy.markHostChanged();
      return { kl: ce + negEntropy / B, gradNorm };
    }
    const variables = policy.decisionVariables();
    const out = tf.tidy(() => {
      const x = tf.tensor2d(this.batchObs, [B, this.obsDim]);
      const pT = tf.tensor2d(this.targets, [B, n]);
      const maskT = tf.tensor2d(this.batchMasks, [B, n], 'int32');
      const { value, grads } = tf.variableGrads(() => {
        const logpS = maskedLogSoftmax(policy.logitsTensor(x), maskT);
        // Cross-entropy −Σ p_T log p_S; KL adds the constant Σ p_T log p_T (computed on the host).
        return tf.neg(tf.mean(tf.sum(tf.mul(pT, logpS), 1))) as tf.Scalar;
      }, variables);
      const clipped = clipGradNorm(
        variables.map((v) => grads[v.name]!),
        c.maxGradNorm,
      );
      (this.optimizer as Adam).applyGradients(clipped.grads, c.learningRate);
      return tf.stack([value, clipped.norm]).dataSync() as Float32Array;
    });
    return { kl: out[0]! + negEntropy / B, gradNorm: out[1]! };
  }

  /**
   * The student's action for one flat observation: its largest allowed logit when
   * `deterministic` (the deployed decision), else a sample of its softmax. Default
   * deterministic false, as SB3.
   */
  predict(obs: Float32Array, opts: PredictOptions = {}): number {
    return this.student.predict(obs, opts) as number;
  }

  /**
   * Writes a checkpoint into `dir`: the student's PPO checkpoint (loadable by `PPO.load` and
   * `loadAlgorithm`), plus the distiller's Adam moments, replay memory, RNG, ε horizon and
   * episode statistics under `od3/` keys.
   */
  async save(dir: string): Promise<void> {
    const ckpt = this.student.toCheckpoint();
    for (const [k, v] of Object.entries(this.optimizer.getState())) ckpt.tensors[`od3/${k}`] = v;
    const mem = this.memory.getState();
    ckpt.tensors['od3/memory/obs'] = mem.obs;
    ckpt.tensors['od3/memory/masks'] = mem.masks;
    const extra: Od3Extra = {
      config: this.config,
      rng: this.rng.getState(),
      horizon: this.horizon,
      episodes: this.episodes.getState(),
      memory: { capacity: mem.capacity, size: mem.size, position: mem.position },
      teacher: { algo: this.teacher.algo, decisionParams: this.teacher.decisionParams },
    };
    ckpt.extra = { ...ckpt.extra, od3: extra };
    await saveCheckpoint(dir, ckpt);
  }

  /**
   * Restores a distiller saved by {@link Od3Distiller.save} with the same teacher. The
   * environment restarts with a seed drawn from the restored RNG (its running episode is not
   * part of the checkpoint), so a resumed run is reproducible but not bit-identical to an
   * uninterrupted one. Takes the teacher besides the env, which is why it is not the shared
   * `DeepAlgorithm.load` (see the class doc); to use only the distilled student, `PPO.load(dir)`.
   * `overrides.learner` continues on the other learner (the Adam state keys are the same on both).
   */
  static async load(
    dir: string,
    teacher: DistillationTeacher,
    makeEnv: () => Env,
    overrides: { learner?: 'fast' | 'tfjs' } = {},
  ): Promise<Od3Distiller> {
    await initTf();
    const ckpt = await loadCheckpoint(dir);
    const extra = ckpt.extra?.['od3'] as Od3Extra | undefined;
    if (!extra)
      throw new ArbiterError(
        'checkpoint-mismatch',
        `${dir}: not an OD3 distillation checkpoint (no extra.od3)`,
      );
    const d = new Od3Distiller(teacher, makeEnv, { ...extra.config, ...overrides });
    d.student.restoreCheckpoint(ckpt);
    const adam: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(ckpt.tensors)) if (k.startsWith('od3/adam/')) adam[k.slice(4)] = v;
    d.optimizer.setState(adam);
    // The memory's sizes come from the saved config: a disagreement is a torn checkpoint.
    readCheckpointPart(`${dir}: od3 replay memory`, () =>
      d.memory.setState({
        ...extra.memory,
        obs: ckpt.tensors['od3/memory/obs'] ?? new Float32Array(0),
        masks: ckpt.tensors['od3/memory/masks'] ?? new Float32Array(0),
      }),
    );
    d.rng.setState(extra.rng);
    d.horizon = extra.horizon;
    d.episodes.setState(extra.episodes);
    d.episodes.resetRunning();
    return d;
  }

  /** Releases the environments and networks. */
  async close(): Promise<void> {
    if (this.optimizer instanceof Adam) this.optimizer.dispose();
    await this.student.close();
    this.env.close?.();
  }

  // The collector's greedy decision: the largest allowed teacher output or student logit.
  private greedyAction(obs: Float32Array, mask: Uint8Array | undefined): number {
    if (this.config.collector === 'teacher') this.teacher.forward(obs, 1, this.outRow);
    else this.outRow.set(this.policy.forwardActorF32(obs, 1).subarray(0, this.numActions));
    return maskedArgmax(this.outRow, 0, this.numActions, mask);
  }
}
