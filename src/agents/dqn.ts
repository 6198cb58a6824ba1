/**
 * Deep Q-Network (Mnih et al. 2015), as Stable-Baselines3 and CleanRL implement it: ε-greedy
 * acting, a replay memory, a target network updated every `targetUpdateInterval` steps (hard or
 * Polyak), the Huber loss on `Q(s, a) − y`, gradient clipping, and optionally Double DQN (van
 * Hasselt et al. 2016). With action masks, random actions are uniform among the allowed ones,
 * greedy actions are the best allowed one, and targets maximise over the allowed next actions.
 *
 * The target of a transition `(s, a, r, s', terminated)` is
 *   y = r + γ (1 − terminated) Q_target(s', a*),
 *   a* = argmax_{a' allowed in s'} Q_target(s', a')   (DQN)
 *   a* = argmax_{a' allowed in s'} Q_online(s', a')   (Double DQN)
 * A truncated transition (time limit) is not terminal: it bootstraps from its last observation.
 *
 * Two learners take the same gradient step: `'fast'` (the default) computes the loss, its
 * derivative and Adam on the host weight arrays of the Q-network ({@link Mlp.forwardTrain},
 * {@link Mlp.backward}, {@link AdamF32}); `'tfjs'` is the TensorFlow.js reference. Both keep the
 * same checkpoint keys, so a run saved with one continues with the other.
 *
 * Reads top to bottom: config and defaults → target computation and the TD-loss derivative → the
 * agent (acting, the training loop `learn`, one gradient step) → `save`/`load`.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Env } from '../core/env.js';

import { ArbiterError } from '../core/errors.js';
import { ActionLog, type ActionLogState } from '../core/vector/action-log.js';
import { Rng, type RngState } from '../core/rng.js';
import { Adam } from '../nn/adam.js';
import { AdamF32 } from '../nn/adam-f32.js';
import { clipGradNorm } from '../nn/clip-grad-norm.js';
import { firstNonFiniteVariable } from '../nn/first-non-finite.js';
import { clipGlobalNorm, firstNonFiniteArray, zeroArrays } from '../nn/host-params.js';
import { imageShape } from '../nn/cnn-architecture.js';
import { assertTfCanTrainCnn, Cnn } from '../nn/cnn.js';
import type { FeedForwardNet } from '../nn/feed-forward-net.js';
import { Mlp } from '../nn/mlp.js';
import { tf } from '../nn/tf-backend.js';
import {
  assertFiniteUpdate,
  TrainingSession,
  zeroCounters,
  type LearnOptions,
  type PredictOptions,
} from './base-algorithm.js';
import {
  assertFiniteTensors,
  checkpointTensor,
  readCheckpointPart,
  saveCheckpoint,
  type Checkpoint,
  type CheckpointCounters,
} from './checkpoint.js';
import { DeepAlgorithm } from './deep-algorithm.js';
import { checkpointSpaces, type CheckpointSpaces } from './checkpoint-spaces.js';
import type { EpisodeTrackerState } from './episode-tracker.js';
import { OffPolicyCollector, type TransitionSink } from './off-policy-collector.js';
import { ReplayBuffer, type ReplayBatch } from './replay-buffer.js';
import { maskedArgmax, maskedArgmaxOrNone } from '../nn/masked-categorical.js';
import { makeDirs } from '../core/make-dirs.js';
import { resolveDqnConfig } from './dqn-config.js';
import type { DqnConfig, ResolvedDqnConfig } from './dqn-config.js';

// ───────────────────────────── configuration ─────────────────────────────

export {
  DQN_DEFAULTS,
  DQN_SCHEMA,
  resolveDqnConfig,
  type DqnConfig,
  type ResolvedDqnConfig,
} from './dqn-config.js';

// ───────────────────────────── targets ─────────────────────────────

/** Inputs of {@link dqnTargets}, for a batch of `batchSize` transitions. */
export interface DqnTargetInput {
  /** Reward of each transition. */
  rewards: ArrayLike<number>;
  /** 1 where the next state is terminal (no bootstrap). */
  terminated: ArrayLike<number>;
  /** batchSize × numActions target-network Q-values of the next states. */
  nextQTarget: ArrayLike<number>;
  /** batchSize × numActions online-network Q-values of the next states (Double DQN), else undefined. */
  nextQOnline?: ArrayLike<number>;
  /** batchSize × numActions allowed next actions (1 = allowed), or undefined for no masks. */
  nextMasks?: ArrayLike<number>;
  /** Number of actions. */
  numActions: number;
  /** Discount factor. */
  gamma: number;
}

/**
 * Writes the TD targets `y_i = r_i + γ (1 − terminated_i) Q_target(s'_i, a*_i)` into `out`
 * (length batchSize) and returns it. `a*` is the allowed argmax of the target net, or of the
 * online net when `nextQOnline` is given (Double DQN). A next state with no allowed action
 * contributes no bootstrap (treated as terminal).
 */
export function dqnTargets(input: DqnTargetInput, out: Float32Array): Float32Array {
  const { rewards, terminated, nextQTarget, nextQOnline, nextMasks, numActions: n, gamma } = input;
  for (let i = 0; i < out.length; i++) {
    let bootstrap = 0;
    if (!terminated[i]) {
      // Double DQN decouples selection (online net) from evaluation (target net).
      const best = maskedArgmaxOrNone(nextQOnline ?? nextQTarget, i * n, n, nextMasks);
      if (best >= 0) bootstrap = nextQTarget[i * n + best]!;
    }
    out[i] = rewards[i]! + gamma * bootstrap;
  }
  return out;
}

/** Inputs of {@link tdLossGrad}, for a batch of `batchSize` transitions. */
export interface TdLossInput {
  /** batchSize × numActions online Q-values `Q(s, ·)`. */
  q: ArrayLike<number>;
  /** Action taken in each transition. */
  actions: ArrayLike<number>;
  /** TD target of each transition (see {@link dqnTargets}). */
  targets: ArrayLike<number>;
  /** Number of actions. */
  numActions: number;
  /** `'huber'` (δ = 1) or `'mse'`. */
  loss: 'huber' | 'mse';
}

/**
 * The batch-mean regression loss between `Q(s_i, a_i)` and `y_i`, as TensorFlow.js's `huberLoss`
 * (δ = 1) and `meanSquaredError` reduce it. Writes `∂L/∂Q(s, ·)` into `dQ` (batchSize ×
 * numActions; non-zero only at the taken actions) and returns the loss.
 */
export function tdLossGrad(input: TdLossInput, dQ: Float32Array): number {
  const { q, actions, targets, numActions: n, loss } = input;
  const B = targets.length;
  dQ.fill(0, 0, B * n);
  let sum = 0;
  for (let i = 0; i < B; i++) {
    const k = i * n + actions[i]!;
    const err = q[k]! - targets[i]!;
    let d: number;
    if (loss === 'mse') {
      sum += err * err;
      d = 2 * err;
    } else {
      const abs = Math.abs(err);
      // Quadratic up to |δ| ≤ 1 (inclusive, as TF's minimum), linear beyond.
      if (abs <= 1) {
        sum += 0.5 * err * err;
        d = err;
      } else {
        sum += abs - 0.5;
        d = Math.sign(err);
      }
    }
    dQ[k] = d / B;
  }
  return sum / B;
}

// ───────────────────────────── the agent ─────────────────────────────

/** Checkpoint file of the replay memory inside a save directory. */
export const DQN_REPLAY_FILE = 'replay-buffer.bin';

/** What {@link DQN.save} keeps besides tensors, counters and the RNG state. */
interface DqnExtra {
  obsDim: number;
  numActions: number;
  /** The env's spaces (absent in older checkpoints, which then load only with an env). */
  spaces?: CheckpointSpaces;
  numGradientSteps: number;
  explorationRate: number;
  /** Schedule horizon of the last `learn` call (pass it as `horizon` to resume ε exactly). */
  horizon: number;
  episodes: EpisodeTrackerState;
  predictRngState: RngState;
  replayBuffer: { file: string; size: number; pos: number; maskDim: number } | null;
  /** The env's actions since its seeded reset, when an episode is running (exact resume). */
  envLog?: Omit<ActionLogState, 'actions'>;
}

/**
 * DQN for environments with a flat (Box / Discrete / …) observation space, or an image Box with a
 * CNN `net`, and a Discrete action space, SB3-style: `DQN.create(env, config)` (or `new DQN(env, config)` after `await initTf()`),
 * `learn`, `predict`, `save`, `DQN.load(dir, env)` (or `DQN.load(dir)` to predict only).
 */
export class DQN extends DeepAlgorithm {
  /** Checkpoint tag. */
  static readonly algoName = 'dqn';
  /** Resolved hyper-parameters. */
  readonly config: ResolvedDqnConfig;
  /** Training environment. */
  readonly env: Env;
  /** Flat observation length. */
  readonly obsDim: number;
  /** Number of discrete actions. */
  readonly numActions: number;
  /** Online Q-network `obs → Q(obs, ·)`: an {@link Mlp}, or a {@link Cnn} with `net`. */
  readonly qNet: FeedForwardNet;
  /** Target Q-network (same architecture), lagging behind {@link DQN.qNet}. */
  readonly qNetTarget: FeedForwardNet;
  /** Step counters (numUpdates counts training phases; see {@link DQN.numGradientSteps}). */
  readonly counters: CheckpointCounters = zeroCounters();
  /** Gradient steps taken (SB3's `n_updates`). */
  numGradientSteps = 0;
  /** The replay memory, allocated at the first `learn` (or restored by `load`). */
  replayBuffer: ReplayBuffer | undefined;

  /** The TF.js reference optimizer (`learner: 'tfjs'`), or the host one (`'fast'`); same state keys. */
  private readonly optimizer: Adam | AdamF32;
  /** Exploration and minibatch sampling during `learn`. */
  private readonly rng: Rng;
  /** Random actions of non-deterministic `predict` calls, apart so that evaluation never perturbs training. */
  private readonly predictRng: Rng;
  /**
   * ε-greedy acting on the env; its running observation, mask and episode are carried across
   * `learn` calls like SB3's `_last_obs`, and its action log replays the env on load.
   */
  private readonly collector: OffPolicyCollector;
  private horizon = 0;
  // Reused scratch memory, so an env step allocates nothing here.
  private readonly qRow: Float32Array;
  private readonly allAllowed: Uint8Array;
  private readonly store: TransitionSink = (obs, action, reward, nextObs, terminated, nextMask) =>
    this.replayBuffer!.add(obs, action, reward, nextObs, terminated, nextMask ?? this.allAllowed);
  private batch: ReplayBatch | undefined;
  private targets: Float32Array;
  /** ∂L/∂Q(s, ·) of the fast learner, sized to the batch once. */
  private readonly dQ: Float32Array;

  /**
   * @param env - training environment (or a factory called once) with a Discrete action space and
   *   a flat observation space; one copy, since DQN steps one environment
   * @param config - hyper-parameters (see {@link DqnConfig})
   */
  constructor(envOrFactory: Env | (() => Env), config: DqnConfig = {}) {
    super();
    const c = (this.config = resolveDqnConfig(config));
    this.rng = new Rng(c.seed);
    this.collector = new OffPolicyCollector(envOrFactory, {
      who: 'DQN',
      config: c,
      rng: this.rng,
      greedy: (obs, mask) => maskedArgmax(this.qNet.forwardF32(obs, 1, this.qRow), 0, this.numActions, mask),
      logActions: true,
    });
    this.env = this.collector.env;
    this.numActions = this.collector.numActions;
    this.obsDim = this.collector.obsDim;
    const makeNet = this.netFactory();
    this.qNet = makeNet(this.rng.fork());
    this.qNetTarget = makeNet(this.rng.fork());
    this.qNetTarget.copyFrom(this.qNet);
    this.predictRng = this.rng.fork();
    this.optimizer =
      c.learner === 'fast' ? new AdamF32(this.qNet.hostParams()) : new Adam(this.qNet.variables);
    this.qRow = new Float32Array(this.numActions);
    this.allAllowed = new Uint8Array(this.numActions).fill(1);
    this.targets = new Float32Array(c.batchSize);
    this.dQ = new Float32Array(c.learner === 'fast' ? c.batchSize * this.numActions : 0);
  }

  /** Builds the Q-network of the config: the MLP of `hiddenSizes`, or the CNN of `net`. */
  private netFactory(): (rng: Rng) => FeedForwardNet {
    const c = this.config;
    const net = c.net;
    if (!net) {
      const netConfig = {
        inputDim: this.obsDim,
        hiddenSizes: c.hiddenSizes,
        outputDim: this.numActions,
        activation: c.activation,
      };
      return (rng) => new Mlp(netConfig, rng);
    }
    const inputShape = imageShape(this.env.observationSpace, 'DQN (net: cnn)');
    if (c.learner === 'tfjs') assertTfCanTrainCnn('DQN');
    return (rng) =>
      new Cnn({ inputShape, conv: net.conv, fc: net.fc ?? [], outputDim: this.numActions }, rng);
  }

  /**
   * The action for one flat observation: with probability ε (when not deterministic) a uniform
   * allowed action, else the allowed action of largest Q-value. Default `deterministic: false`
   * (SB3); pass `true` for evaluation. Throws `empty-mask` when the mask allows nothing.
   */
  predict(obs: Float32Array, opts: PredictOptions = {}): number {
    const col = this.collector;
    return (
      col.actionSpace.start + col.action(obs, opts.mask, !(opts.deterministic ?? false), this.predictRng)
    );
  }

  /** Current ε, used by `learn` and by non-deterministic `predict`. */
  get explorationRate(): number {
    return this.collector.explorationRate;
  }

  set explorationRate(eps: number) {
    this.collector.explorationRate = eps;
  }

  /**
   * Trains for `totalTimesteps` more environment steps: act ε-greedily, store transitions, and
   * every `trainFreq` steps (after `learningStarts`) take `gradientSteps` gradient steps; update
   * the target network every `targetUpdateInterval` steps. ε follows the schedule over
   * `opts.horizon` (default: the end of this call). Callbacks' `onUpdateEnd` runs after each
   * training phase. The first call resets the env with `config.seed`; later calls continue the
   * running episode; a loaded agent continues the saved episode (its env is replayed to the same
   * state), or starts a new one when the checkpoint holds no running episode.
   */
  async learn(opts: LearnOptions<this>): Promise<this> {
    this.assertHasEnv();
    const c = this.config;
    const session = new TrainingSession(this, opts, this.counters, {
      episodes: this.collector.episodes,
      logInterval: c.logInterval,
    });
    this.horizon = session.horizon;
    await session.start();
    const col = this.collector;
    if (!col.episodeRunning) col.beginEpisode(this.counters);
    this.ensureReplayBuffer(); // a loaded agent saved without its memory continues with an empty one
    const buffer = this.replayBuffer!;

    collect: while (!session.done()) {
      // 1. Collect trainFreq transitions with the ε-greedy policy.
      for (let k = 0; k < c.trainFreq && !session.done(); k++) {
        col.updateExploration(this.counters.numTimesteps, session.horizon);
        const action =
          this.counters.numTimesteps < c.learningStarts
            ? col.randomAction(col.mask, this.rng)
            : col.action(col.obs, col.mask, true, this.rng);
        col.step(action, this.counters, this.store);

        if (this.counters.numTimesteps % c.targetUpdateInterval === 0) this.updateTarget();
        if (!(await session.step())) break collect;
      }

      // 2. Train on minibatches from the replay memory.
      if (this.counters.numTimesteps > c.learningStarts && buffer.size >= 1) {
        const metrics = this.train(c.gradientSteps);
        this.counters.numUpdates++;
        const bad =
          c.learner === 'fast'
            ? firstNonFiniteArray(this.qNet.hostParams())
            : firstNonFiniteVariable(this.qNet.variables);
        assertFiniteUpdate('dqn', this.counters, metrics, bad === undefined ? undefined : `q_net/${bad}`);
        await session.updateEnd(metrics);
      }
    }
    await session.end();
    return this;
  }

  /** The learning rate at the current step: constant, or linear to `learningRateFinal` over the horizon. */
  learningRateNow(): number {
    const { learningRate, learningRateFinal } = this.config;
    if (learningRateFinal === null || this.horizon <= 0) return learningRate;
    const progress = Math.min(1, this.counters.numTimesteps / this.horizon);
    return learningRate + (learningRateFinal - learningRate) * progress;
  }

  /** Takes `gradientSteps` gradient steps on sampled minibatches; returns the mean metrics. */
  private train(gradientSteps: number): Record<string, number> {
    const c = this.config;
    const buffer = this.replayBuffer!;
    this.batch ??= buffer.createBatch(c.batchSize);
    let lossSum = 0;
    let gradNormSum = 0;
    for (let g = 0; g < gradientSteps; g++) {
      const batch = buffer.sample(this.rng, this.batch);
      const { loss, gradNorm } =
        c.learner === 'fast' ? this.fastGradientStep(batch) : this.gradientStep(batch);
      lossSum += loss;
      gradNormSum += gradNorm;
      this.numGradientSteps++;
    }
    return {
      'train/loss': lossSum / gradientSteps,
      'train/grad_norm': gradNormSum / gradientSteps,
      'train/n_updates': this.numGradientSteps,
      'train/learning_rate': this.learningRateNow(),
      'rollout/exploration_rate': this.explorationRate,
    };
  }

  /** The TD targets of `batch` into `this.targets`, outside the gradient (the target is a constant). */
  private computeTargets(batch: ReplayBatch): void {
    const c = this.config;
    dqnTargets(
      {
        rewards: batch.rewards,
        terminated: batch.terminated,
        nextQTarget: this.nextQValues(this.qNetTarget, batch),
        ...(c.doubleDqn ? { nextQOnline: this.nextQValues(this.qNet, batch) } : {}),
        ...(batch.nextMasks ? { nextMasks: batch.nextMasks } : {}),
        numActions: this.numActions,
        gamma: c.gamma,
      },
      this.targets,
    );
  }

  /** Q-values of the next states of `batch` through `net`, on the learner's side. */
  private nextQValues(net: FeedForwardNet, batch: ReplayBatch): ArrayLike<number> {
    const B = batch.batchSize;
    // The host training pass serves as the minibatch forward (forwardF32's function, the training
    // kernel); the online net's next-state view is read before its pass on `obs`.
    return this.config.learner === 'fast'
      ? net.forwardTrain(batch.nextObs, B)
      : this.qValues(net, batch.nextObs, B);
  }

  /**
   * The fast learner's gradient step, the same update as {@link DQN.gradientStep} on the host:
   * targets, ∂L/∂Q from {@link tdLossGrad}, backward, gradient clipping, Adam.
   */
  private fastGradientStep(batch: ReplayBatch): { loss: number; gradNorm: number } {
    const c = this.config;
    const B = batch.batchSize;
    const nA = this.numActions;
    this.computeTargets(batch);
    const q = this.qNet.forwardTrain(batch.obs, B);
    const loss = tdLossGrad(
      { q, actions: batch.actions, targets: this.targets, numActions: nA, loss: c.loss },
      this.dQ,
    );
    const grads = this.qNet.hostGrads();
    zeroArrays(grads);
    this.qNet.backward(this.dQ);
    const gradNorm = clipGlobalNorm(grads, c.maxGradNorm);
    (this.optimizer as AdamF32).applyGradients(grads, this.learningRateNow());
    this.qNet.markHostChanged();
    return { loss, gradNorm };
  }

  /** One gradient step of the loss between Q(s, a) and the TD targets on `batch` (TF.js). */
  private gradientStep(batch: ReplayBatch): { loss: number; gradNorm: number } {
    const c = this.config;
    const B = batch.batchSize;
    const nA = this.numActions;
    this.computeTargets(batch);
    const [lossT, normT] = tf.tidy(() => {
      const obs = tf.tensor2d(batch.obs, [B, this.obsDim]);
      const actions = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), nA);
      const y = tf.tensor1d(this.targets);
      const { value, grads } = tf.variableGrads(() => {
        const qa = tf.sum(tf.mul(this.qNet.apply(obs), actions), 1); // Q(s, a)
        return (
          c.loss === 'huber' ? tf.losses.huberLoss(y, qa, undefined, 1) : tf.losses.meanSquaredError(y, qa)
        ) as tf.Scalar;
      }, this.qNet.variables);
      const clipped = clipGradNorm(
        this.qNet.variables.map((v) => grads[v.name]!),
        c.maxGradNorm,
      );
      (this.optimizer as Adam).applyGradients(clipped.grads, this.learningRateNow());
      return [value, clipped.norm];
    });
    const loss = lossT.dataSync()[0]!;
    const gradNorm = normT.dataSync()[0]!;
    lossT.dispose();
    normT.dispose();
    return { loss, gradNorm };
  }

  /** Q-values of `batch` rows of `x` through `net` (a TF forward pass), as a new Float32Array. */
  private qValues(net: FeedForwardNet, x: Float32Array, batch: number): Float32Array {
    const q = tf.tidy(() => net.apply(tf.tensor2d(x, [batch, this.obsDim])));
    const out = q.dataSync() as Float32Array;
    q.dispose();
    return out;
  }

  /** θ_target ← τ θ + (1 − τ) θ_target (a copy when τ = 1). */
  private updateTarget(): void {
    const tau = this.config.tau;
    if (tau === 1) {
      this.qNetTarget.copyFrom(this.qNet);
      return;
    }
    if (this.config.learner === 'fast') {
      const online = this.qNet.hostParams();
      this.qNetTarget.hostParams().forEach((t, k) => {
        const o = online[k]!;
        for (let j = 0; j < t.length; j++) t[j] = tau * o[j]! + (1 - tau) * t[j]!;
      });
      this.qNetTarget.markHostChanged();
      return;
    }
    tf.tidy(() => {
      this.qNetTarget.variables.forEach((vt, i) => {
        vt.assign(tf.add(tf.mul(this.qNet.variables[i]!, tau), tf.mul(vt, 1 - tau)));
      });
    });
  }

  private ensureReplayBuffer(): void {
    this.replayBuffer ??= new ReplayBuffer({
      capacity: this.config.bufferSize,
      obsDim: this.obsDim,
      maskDim: this.collector.mask ? this.numActions : 0,
    });
  }

  // ───────────────────────────── persistence ─────────────────────────────

  /**
   * Writes a checkpoint into `dir`: online and target weights, Adam state, RNG state, counters,
   * ε-schedule horizon, episode statistics and (when `saveReplayBuffer`) the replay memory.
   */
  async save(dir: string): Promise<void> {
    await makeDirs(dir);
    const tensors: Record<string, Float32Array> = {};
    this.qNet.getWeights().forEach((w, i) => (tensors[`q_net/${i}`] = w));
    this.qNetTarget.getWeights().forEach((w, i) => (tensors[`q_net_target/${i}`] = w));
    Object.assign(tensors, this.optimizer.getState());
    assertFiniteTensors(dir, tensors); // before the replay file, which must pair with the JSON
    let replay: DqnExtra['replayBuffer'] = null;
    const buffer = this.replayBuffer;
    if (this.config.saveReplayBuffer && buffer) {
      // Written before checkpoint.json, which records its size: a torn pair is detected on load.
      const tmp = path.join(dir, `${DQN_REPLAY_FILE}.tmp-${process.pid}`);
      buffer.writeFile(tmp);
      await rename(tmp, path.join(dir, DQN_REPLAY_FILE));
      replay = { file: DQN_REPLAY_FILE, size: buffer.size, pos: buffer.position, maskDim: buffer.maskDim };
    }
    const extra: DqnExtra = {
      obsDim: this.obsDim,
      numActions: this.numActions,
      spaces: { ...checkpointSpaces(this.env.observationSpace, this.env.actionSpace), obsDim: this.obsDim },
      numGradientSteps: this.numGradientSteps,
      explorationRate: this.explorationRate,
      horizon: this.horizon,
      episodes: this.collector.episodes.getState(),
      predictRngState: this.predictRng.getState(),
      replayBuffer: replay,
    };
    const col = this.collector;
    if (col.episodeRunning && col.envLog) {
      const { seed, width, actions } = col.envLog.getState();
      extra.envLog = { seed, width };
      tensors['env/actions'] = actions;
      tensors['rollout/obs'] = Float32Array.from(col.obs);
      if (col.mask) tensors['rollout/mask'] = Float32Array.from(col.mask);
    }
    await saveCheckpoint(dir, {
      algo: this.algoName,
      config: this.config,
      counters: { ...this.counters },
      rngState: this.rng.getState(),
      tensors,
      extra: extra as unknown as Record<string, unknown>,
    });
  }

  /**
   * Restores a checkpoint read from `dir` (see {@link DeepAlgorithm.load}: `DQN.load(dir, env)`),
   * bound to this agent's env (same spaces). Training continues with the same weights, target
   * weights, optimizer state, RNG, counters and replay memory, in the saved episode (the env is
   * replayed from its seeded reset through the logged actions). Pass the saved
   * {@link DQN.scheduleHorizon} as `learn`'s `horizon` to continue ε. A model loaded without an
   * env neither replays the env nor reads the replay memory: it only predicts.
   */
  restoreCheckpoint(ckpt: Checkpoint, dir = '.'): void {
    const extra = ckpt.extra as unknown as DqnExtra;
    if (extra.obsDim !== this.obsDim || extra.numActions !== this.numActions)
      throw new ArbiterError(
        'checkpoint-mismatch',
        `${dir}: the checkpoint was trained with ${extra.obsDim} observation values and ${extra.numActions} actions; this environment has ${this.obsDim} and ${this.numActions} (load it with the env it was trained on)`,
      );
    const weights = (prefix: string, net: FeedForwardNet): Float32Array[] =>
      net.hostParams().map((w, i) => checkpointTensor(ckpt, `${prefix}/${i}`, w.length));
    this.qNet.setWeights(weights('q_net', this.qNet));
    this.qNetTarget.setWeights(weights('q_net_target', this.qNetTarget));
    this.optimizer.setState(ckpt.tensors);
    this.rng.setState(ckpt.rngState);
    this.predictRng.setState(extra.predictRngState);
    Object.assign(this.counters, ckpt.counters);
    this.numGradientSteps = extra.numGradientSteps;
    this.explorationRate = extra.explorationRate;
    this.horizon = extra.horizon;
    const col = this.collector;
    col.episodes.setState(extra.episodes);
    const withEnv = this.loadedWithoutEnvFrom === undefined;
    if (extra.envLog && withEnv) {
      // Replay the env to where it was: the running episode continues as if never interrupted.
      const log = ActionLog.fromState({ ...extra.envLog, actions: checkpointTensor(ckpt, 'env/actions') });
      log.replay(this.env, (row) => row[0]);
      col.envLog = log;
      col.obs.set(checkpointTensor(ckpt, 'rollout/obs', this.obsDim));
      const m = ckpt.tensors['rollout/mask'];
      col.mask = m ? Uint8Array.from(m) : undefined;
      col.episodeRunning = true;
    } else col.episodes.resetRunning();
    if (extra.replayBuffer && withEnv) {
      const file = path.join(dir, extra.replayBuffer.file);
      const buffer = readCheckpointPart(file, () => ReplayBuffer.readFile(file));
      if (
        buffer.size !== extra.replayBuffer.size ||
        buffer.position !== extra.replayBuffer.pos ||
        buffer.capacity !== this.config.bufferSize ||
        buffer.obsDim !== this.obsDim
      )
        throw new ArbiterError(
          'checkpoint-corrupt',
          `${file}: does not match ${dir}/checkpoint.json (torn checkpoint)`,
        );
      this.replayBuffer = buffer;
    }
  }

  /** Schedule horizon (env steps) of the last `learn` call, saved with the agent. */
  get scheduleHorizon(): number {
    return this.horizon;
  }

  /** Frees the networks and optimizer state. */
  dispose(): void {
    this.qNet.dispose();
    this.qNetTarget.dispose();
    if (this.optimizer instanceof Adam) this.optimizer.dispose();
  }

  /** Frees the networks and closes the environment (as the on-policy algorithms' `close`). */
  async close(): Promise<void> {
    this.dispose();
    this.env.close?.();
  }
}
