/**
 * What the on-policy actor-critic algorithms (REINFORCE, A2C, PPO) share, as SB3's
 * `OnPolicyAlgorithm`: vector-env setup, seeding, rollout collection on the Float32 forward
 * path with same-step autoreset and truncation bootstrapping, observation/reward normalization,
 * `predict`, and checkpoint save/restore. Each algorithm adds only its `train` step.
 *
 * Two learners compute the same gradient step: `'fast'` (the default) runs the policy's host
 * training pass and backward ({@link HostTrainablePolicy}) with analytic loss derivatives and a
 * host optimizer, `'tfjs'` builds the loss in TensorFlow.js and differentiates it. Their
 * optimizer state has the same checkpoint keys, so a run saved with one continues with the other.
 */

import type { Env } from '../core/env.js';
import { clipToBox } from '../core/clip-to-box.js';
import { ArbiterError } from '../core/errors.js';
import { Rng, type RngState } from '../core/rng.js';
import type { Box, Space } from '../core/spaces.js';
import type { VectorEnv } from '../core/vector-env.js';
import { SyncVectorEnv, type SyncVectorEnvState } from '../core/vector/sync-vector-env.js';
import { ActorCriticPolicy, type ActorCriticConfig } from '../nn/actor-critic-policy.js';
import { assertTfCanTrainCnn, Cnn } from '../nn/cnn.js';
import type { HostOptimizer } from '../nn/host-optimizer.js';
import { clipGlobalNorm, firstNonFiniteArray } from '../nn/host-params.js';
import type { Optimizer } from '../nn/optimizer.js';
import {
  isHostTrainable,
  type ActOutput,
  type HostTrainablePolicy,
  type Policy,
  type PolicyEvaluationHost,
} from '../nn/policy.js';
import { clipGradNorm } from '../nn/clip-grad-norm.js';
import { firstNonFiniteVariable } from '../nn/first-non-finite.js';
import { assertTfReady, tf } from '../nn/tf-backend.js';
import {
  assertFiniteUpdate,
  TrainingSession,
  zeroCounters,
  type LearnOptions,
  type PredictOptions,
} from './base-algorithm.js';
import { DeepAlgorithm } from './deep-algorithm.js';
import { checkpointSpaces, type CheckpointSpaces } from './checkpoint-spaces.js';
import { checkpointTensor, saveCheckpoint, type Checkpoint, type CheckpointCounters } from './checkpoint.js';
import { EpisodeTracker, type EpisodeTrackerState } from './episode-tracker.js';
import { computeGae } from './gae.js';
import { RolloutBuffer } from './rollout-buffer.js';
import { skipActionDraws, type CollectedRollout, type RolloutSource } from './rollout-source.js';
import { VecNormalizer, type VecNormalizerState } from './vec-normalizer.js';
import type { OnPolicyConfig } from './on-policy-config.js';

export {
  ON_POLICY_SHAPE,
  onPolicyConfigResolver,
  resolveOnPolicyConfig,
  type Learner,
  type OnPolicyConfig,
} from './on-policy-config.js';

/** The optimizer of an algorithm, built for either learner (same kind, same hyper-parameters). */
export interface OnPolicyOptimizers {
  /** On the policy's TensorFlow.js variables. */
  tfjs(variables: readonly tf.Variable[]): Optimizer;
  /** On the policy's host parameter arrays. */
  fast(params: readonly Float32Array[]): HostOptimizer;
}

/** Rows of a batch the policy evaluates in a {@link OnPolicyAlgorithm.gradientStepHost}. */
export interface HostBatch {
  /** Observations (rows × obsDim). */
  obs: Float32Array;
  /** Stored actions. */
  actions: Int32Array | Float32Array;
  /** Action masks (rows × actionDim), when the envs give them. */
  masks: Uint8Array | undefined;
}

/** Per-row loss derivatives an algorithm's host objective writes (entries 0 … n−1). */
export interface HostLossGrads {
  /** ∂L/∂log π(a|s). */
  dLogProb: Float32Array;
  /** ∂L/∂H[π(·|s)]. */
  dEntropy: Float32Array;
  /** ∂L/∂V(s). */
  dValues: Float32Array;
}

/**
 * The host side of an algorithm's loss: given the policy's evaluation of `n` rows, writes the
 * analytic ∂L/∂(log π, H, V) per row into `d` and returns the named diagnostics.
 */
export type HostObjective<K extends string> = (
  ev: PolicyEvaluationHost,
  n: number,
  d: HostLossGrads,
) => Record<K, number>;

/**
 * Builds a custom policy (e.g. `GraphPolicy.factory(...)`) for an observation length and action
 * space from the algorithm's seeded RNG; without one the MLP actor-critic is used.
 */
export type PolicyFactory = (obsDim: number, actionSpace: Space, rng: Rng) => Policy<Float32Array>;

/** The named diagnostics of one {@link OnPolicyAlgorithm.gradientStep}, plus the pre-clip gradient norm. */
export type GradientStats<K extends string> = Record<K, number> & { gradNorm: number };

/** What the algorithms accept as environment: a vector env, one env, or a factory for numEnvs copies. */
export type EnvInput = VectorEnv | Env | (() => Env);

/** A vector env whose full state can be saved (enables bit-exact resume). */
interface StatefulVectorEnv extends VectorEnv {
  getState(): SyncVectorEnvState | undefined;
  setState(state: SyncVectorEnvState): void;
}

function isVectorEnv(x: EnvInput): x is VectorEnv {
  return typeof x === 'object' && 'numEnvs' in x && 'singleActionSpace' in x;
}

function isStateful(x: VectorEnv): x is StatefulVectorEnv {
  const s = x as Partial<StatefulVectorEnv>;
  return typeof s.getState === 'function' && typeof s.setState === 'function';
}

/** Builds the vector env of an {@link EnvInput}: a factory gives `numEnvs` SyncVectorEnv copies. */
export function toVectorEnv(env: EnvInput, numEnvs: number): VectorEnv {
  // The rollout loop copies every result at once, so the vector env may reuse its arrays.
  if (typeof env === 'function')
    return new SyncVectorEnv(
      Array.from({ length: numEnvs }, () => env),
      { reuseBuffers: true, resumable: true },
    );
  if (isVectorEnv(env)) return env;
  return new SyncVectorEnv([() => env], { reuseBuffers: true });
}

/** Shared base of REINFORCE, A2C and PPO (see module doc). */
export abstract class OnPolicyAlgorithm<C extends OnPolicyConfig> extends DeepAlgorithm {
  /** Full configuration (defaults filled in). */
  readonly config: C;
  /** The training envs. */
  readonly envs: VectorEnv;
  /** Policy and value networks. */
  readonly policy: Policy<Float32Array>;
  /** Optimizer over the policy's variables (`'tfjs'`) or host parameter arrays (`'fast'`). */
  readonly optimizer: Optimizer | HostOptimizer;
  /** The policy, when the fast learner trains it on the host; undefined on the TensorFlow.js path. */
  protected readonly hostPolicy: (Policy<Float32Array> & HostTrainablePolicy) | undefined;
  /** Rollout storage. */
  readonly buffer: RolloutBuffer;
  /** Step, update and episode counters. */
  readonly counters: CheckpointCounters = zeroCounters();
  /** Recent episode returns and lengths of the training envs. */
  readonly episodes: EpisodeTracker;
  /** Observation/reward normalization (identity unless enabled). */
  readonly normalizer: VecNormalizer;
  /** Samples rollout actions. */
  protected readonly actionRng: Rng;
  /** Shuffles minibatches. */
  protected readonly shuffleRng: Rng;
  /** Samples stochastic `predict` actions (kept apart so evaluation does not perturb training). */
  protected readonly predictRng: Rng;
  /** Whether the envs give action masks (known after the first reset). */
  protected masked = false;
  /** Flat observation length. */
  protected readonly obsDim: number;
  private readonly actionSpace: Space;
  private readonly nextObs: Float32Array;
  private readonly nextMasks: Uint8Array;
  private started = false;
  private readonly clippedActions: Float32Array | undefined;
  private readonly predictObs: Float32Array;
  private readonly predictOut: ActOutput;
  private readonly oneObs: Float32Array;
  private readonly oneValue = new Float32Array(1);
  private readonly rolloutRewards: Float32Array;
  private readonly stepOutputs: ActOutput[];
  private hostParamArrays: Float32Array[] = [];
  private hostGradArrays: Float32Array[] | undefined;
  private rolloutSource: RolloutSource | undefined;
  private lossGrads: HostLossGrads = {
    dLogProb: new Float32Array(0),
    dEntropy: new Float32Array(0),
    dValues: new Float32Array(0),
  };

  protected constructor(
    env: EnvInput,
    config: C,
    optimizers: OnPolicyOptimizers,
    makePolicy?: (obsDim: number, actionSpace: Space, rng: Rng) => Policy<Float32Array>,
  ) {
    super();
    assertTfReady(new.target.name);
    this.envs = toVectorEnv(env, config.numEnvs);
    this.config = { ...config, numEnvs: this.envs.numEnvs };
    const E = this.envs.numEnvs;
    this.obsDim = this.envs.obsDim;
    this.actionSpace = this.envs.singleActionSpace;
    if (this.actionSpace.kind !== 'discrete' && this.actionSpace.kind !== 'box')
      throw new ArbiterError(
        'unsupported-space',
        `${new.target.name} supports Discrete and Box action spaces, not ${this.actionSpace.kind}`,
      );
    const root = new Rng(config.seed);
    const initRng = root.fork();
    this.actionRng = root.fork();
    this.shuffleRng = root.fork();
    this.predictRng = root.fork();
    this.policy = makePolicy
      ? makePolicy(this.obsDim, this.actionSpace, initRng)
      : new ActorCriticPolicy(this.obsDim, this.actionSpace, config.policy, initRng, obsShape(this.envs));
    this.hostPolicy = config.learner === 'fast' && isHostTrainable(this.policy) ? this.policy : undefined;
    if (!this.hostPolicy && this.policy instanceof ActorCriticPolicy && this.policy.trunk instanceof Cnn)
      assertTfCanTrainCnn(new.target.name);
    if (this.hostPolicy) {
      this.hostParamArrays = this.hostPolicy.hostParams();
      this.optimizer = optimizers.fast(this.hostParamArrays);
    } else this.optimizer = optimizers.tfjs(this.policy.variables);
    const actionDim = this.policy.actionDim;
    this.buffer = new RolloutBuffer({
      numSteps: config.numSteps,
      numEnvs: E,
      obsDim: this.obsDim,
      actionKind: this.policy.actionKind,
      actionDim,
      masked: this.policy.actionKind === 'discrete',
    });
    this.episodes = new EpisodeTracker(E);
    this.normalizer = new VecNormalizer(E, this.obsDim, {
      observations: config.normalizeObservation,
      rewards: config.normalizeReward,
      gamma: config.gamma,
    });
    this.nextObs = new Float32Array(E * this.obsDim);
    this.nextMasks = new Uint8Array(E * actionDim);
    this.clippedActions = this.actionSpace.kind === 'box' ? new Float32Array(E * actionDim) : undefined;
    this.rolloutRewards = new Float32Array(E);
    // One ActOutput per rollout step, viewing the buffer rows (no allocation in the loop).
    this.stepOutputs = Array.from({ length: config.numSteps }, (_, t) => ({
      actions: this.buffer.actionRows[t]!,
      logProbs: this.buffer.logProbRows[t]!,
      values: this.buffer.valueRows[t]!,
    }));
    this.predictObs = new Float32Array(this.obsDim);
    this.oneObs = new Float32Array(this.obsDim);
    this.predictOut = {
      actions: this.policy.actionKind === 'discrete' ? new Int32Array(1) : new Float32Array(actionDim),
      logProbs: new Float32Array(1),
      values: new Float32Array(1),
    };
  }

  /**
   * One gradient phase on the filled rollout buffer. `lr` is the scheduled learning rate,
   * `progressRemaining` goes 1 → 0. Returns `train/*` metrics.
   */
  protected abstract train(lr: number, progressRemaining: number): Record<string, number>;

  /**
   * Fills `buffer.advantages` and `buffer.returns` after a rollout: GAE(λ) (A2C, PPO; n-step
   * returns for λ = 1). REINFORCE overrides it with Monte-Carlo returns.
   */
  protected computeTargets(lastValues: Float32Array): void {
    const b = this.buffer;
    computeGae(
      {
        numSteps: this.config.numSteps,
        numEnvs: this.config.numEnvs,
        rewards: b.rewards,
        values: b.values,
        terminated: b.terminated,
        truncated: b.truncated,
        finalValues: b.finalValues,
        lastValues,
        gamma: this.config.gamma,
        gaeLambda: this.config.gaeLambda,
      },
      b.advantages,
      b.returns,
    );
  }

  /**
   * One gradient step on the policy: `objective` builds the scalar loss and the named diagnostics
   * to report (it runs inside `tf.variableGrads`); the gradients are clipped to `maxGradNorm`
   * (global norm) and applied at learning rate `lr`. Returns the diagnostics' values by name, and
   * the pre-clip gradient norm as `gradNorm`.
   */
  protected gradientStep<K extends string>(
    objective: () => { loss: tf.Scalar; diagnostics: Record<K, tf.Tensor> },
    lr: number,
  ): GradientStats<K> {
    return tf.tidy(() => {
      let names: K[] = [];
      let kept: tf.Tensor[] = [];
      const { grads } = tf.variableGrads(() => {
        const { loss, diagnostics } = objective();
        names = Object.keys(diagnostics) as K[];
        kept = names.map((k) => tf.keep(diagnostics[k]));
        return loss;
      }, this.policy.variables);
      const clipped = clipGradNorm(
        this.policy.variables.map((v) => grads[v.name]!),
        this.config.maxGradNorm,
      );
      (this.optimizer as Optimizer).applyGradients(clipped.grads, lr);
      // One device read for all of them.
      const values = tf.stack([...kept, clipped.norm]).dataSync();
      for (const t of kept) t.dispose();
      const stats = { gradNorm: values[names.length]! } as GradientStats<K>;
      names.forEach((k, i) => ((stats as Record<K, number>)[k] = values[i]!));
      return stats;
    });
  }

  /**
   * The fast learner's gradient step (same step as {@link OnPolicyAlgorithm.gradientStep}): the
   * policy evaluates the `n` rows of `batch` on the host, `objective` writes the analytic
   * ∂L/∂(log π, H, V) per row, the policy's backward pass gives ∂L/∂parameters, clipped to
   * `maxGradNorm` (global norm) and applied at learning rate `lr`. Needs {@link hostPolicy}.
   */
  protected gradientStepHost<K extends string>(
    batch: HostBatch,
    n: number,
    objective: HostObjective<K>,
    lr: number,
  ): GradientStats<K> {
    const policy = this.hostPolicy;
    if (!policy)
      throw new ArbiterError('invalid-state', 'gradientStepHost: the policy is not trained on the host');
    const d = this.lossGradBuffers(n);
    const ev = policy.evaluateActionsHost(batch.obs, n, batch.actions, batch.masks);
    const diagnostics = objective(ev, n, d);
    policy.backwardHost(d.dLogProb, d.dEntropy, d.dValues);
    // The gradient arrays keep their identity once the policy has made them.
    const grads = (this.hostGradArrays ??= policy.hostGrads());
    const gradNorm = clipGlobalNorm(grads, this.config.maxGradNorm);
    (this.optimizer as HostOptimizer).applyGradients(grads, lr);
    policy.markHostChanged();
    return { ...diagnostics, gradNorm };
  }

  /**
   * Trains for `totalTimesteps` more steps: rollout → targets → train, repeated (see
   * {@link LearnOptions}). Stops early when a callback returns false.
   */
  async learn(opts: LearnOptions<this>): Promise<this> {
    this.assertHasEnv();
    const session = new TrainingSession(this, opts, this.counters, {
      episodes: this.episodes,
      logInterval: this.config.logInterval,
    });
    if (!this.started && !this.rolloutSource) await this.resetEnvs();
    await session.start();
    while (!session.done()) {
      const progress = session.progressRemaining();
      const lr = this.config.annealLr ? this.config.learningRate * progress : this.config.learningRate;
      const finished = await this.collectRollout(session);
      if (!finished) break;
      const metrics = this.train(lr, progress);
      this.counters.numUpdates++;
      // A NaN loss or weight would be trained on and checkpointed silently: stop here instead.
      const bad = this.hostPolicy
        ? firstNonFiniteArray(this.hostParamArrays)
        : firstNonFiniteVariable(this.policy.variables);
      assertFiniteUpdate(
        this.algoName,
        this.counters,
        metrics,
        bad === undefined ? undefined : `policy variable ${bad}`,
      );
      await session.updateEnd({ ...metrics, 'train/learning_rate': lr });
    }
    await session.end();
    return this;
  }

  /**
   * Collects `numSteps` vector steps into the buffer with the current policy (Float32 path).
   * Returns false when a callback stopped training mid-rollout (the partial rollout is dropped).
   */
  protected async collectRollout(session: TrainingSession): Promise<boolean> {
    if (this.rolloutSource) return this.collectFromSource(this.rolloutSource, session);
    const { numSteps } = this.config;
    const E = this.envs.numEnvs;
    const buf = this.buffer;
    buf.resetFlags();
    for (let step = 0; step < numSteps; step++) {
      // Decision in the current observation s_t.
      const obsRow = buf.obsRows[step]!;
      obsRow.set(this.nextObs);
      const masks = this.masked ? buf.maskRows![step]! : undefined;
      if (masks) masks.set(this.nextMasks);
      this.policy.act(obsRow, E, masks, this.actionRng, false, this.stepOutputs[step]!);
      const res = await this.envs.step(this.envActions(buf.actionRows[step]!));
      this.counters.numTimesteps += E;
      this.counters.numEpisodes += this.episodes.record(res.rewards, res.terminated, res.truncated);
      this.normalizer.normalizeRewards(res.rewards, res.terminated, res.truncated, this.rolloutRewards, true);
      buf.rewardRows[step]!.set(this.rolloutRewards);
      for (let e = 0; e < E; e++) {
        const i = step * E + e;
        buf.terminated[i] = res.terminated[e]!;
        buf.truncated[i] = res.truncated[e]!;
        // Truncated (not terminated): bootstrap from the value of the observation where it was cut.
        if (res.truncated[e] && !res.terminated[e]) {
          const finalObs = res.finalObs[e];
          if (!finalObs)
            throw new ArbiterError('vector-env', `vector env gave no finalObs for truncated copy ${e}`);
          this.normalizer.normalizeObs(finalObs, 1, this.oneObs, false);
          buf.finalValues[i] = this.policy.value(this.oneObs, 1, this.oneValue)[0]!;
        }
      }
      this.normalizer.normalizeObs(res.obs, E, this.nextObs, true);
      if (this.masked) this.nextMasks.set(res.actionMasks!.subarray(0, E * this.policy.actionDim));
      if (!(await session.step())) return false;
    }
    const lastValues = this.policy.value(this.nextObs, E);
    this.computeTargets(lastValues);
    return true;
  }

  /**
   * Collects rollouts from `source` (env runners) instead of this algorithm's own envs, from the
   * next rollout on; `undefined` switches back. The source's runners start from a fresh reset
   * (seeded as the first reset here would be) and keep their envs between rollouts; checkpoints
   * then hold no env state, so a resumed run restarts its envs. Observation normalization is
   * refused: its statistics change within a rollout, which runners cannot follow step by step.
   */
  useRolloutSource(source: RolloutSource | undefined): void {
    if (source !== undefined) {
      if (source.numEnvs !== this.envs.numEnvs)
        throw new ArbiterError(
          'invalid-config',
          `the rollout source has ${source.numEnvs} env copies, the algorithm ${this.envs.numEnvs} (numEnvs)`,
        );
      if (this.config.normalizeObservation)
        throw new ArbiterError(
          'invalid-config',
          'env runners do not support normalizeObservation (its statistics change within a rollout); turn it off or train without env runners',
        );
    }
    this.rolloutSource = source;
  }

  /**
   * {@link OnPolicyAlgorithm.collectRollout} from a {@link RolloutSource}: the runners step and
   * act; here the rollout goes into the buffer step by step with the same bookkeeping as the own
   * envs' loop (counters, episodes, reward normalization, callbacks), and the action stream
   * advances past the draws the runners made.
   */
  private async collectFromSource(source: RolloutSource, session: TrainingSession): Promise<boolean> {
    const { numSteps } = this.config;
    const E = this.envs.numEnvs;
    const buf = this.buffer;
    const rollout = await source.collect({
      policy: this.policy,
      obsDim: this.obsDim,
      numSteps,
      actionRngState: this.actionRng.getState(),
      resetSeed: (this.config.seed + this.counters.numTimesteps) | 0,
    });
    skipActionDraws(this.actionRng, this.policy.actionKind, numSteps * E, this.policy.actionDim);
    assertSameRngState(this.actionRng.getState(), rollout);
    this.masked = this.policy.actionKind === 'discrete' && rollout.masks !== undefined;
    buf.resetFlags();
    buf.obs.set(rollout.obs);
    if (this.masked) buf.masks!.set(rollout.masks!);
    buf.actions.set(rollout.actions);
    buf.logProbs.set(rollout.logProbs);
    buf.values.set(rollout.values);
    buf.terminated.set(rollout.terminated);
    buf.truncated.set(rollout.truncated);
    buf.finalValues.set(rollout.finalValues);
    for (let step = 0; step < numSteps; step++) {
      const rows = step * E;
      const rewards = rollout.rewards.subarray(rows, rows + E);
      const terminated = rollout.terminated.subarray(rows, rows + E);
      const truncated = rollout.truncated.subarray(rows, rows + E);
      this.counters.numTimesteps += E;
      this.counters.numEpisodes += this.episodes.record(rewards, terminated, truncated);
      this.normalizer.normalizeRewards(rewards, terminated, truncated, this.rolloutRewards, true);
      buf.rewardRows[step]!.set(this.rolloutRewards);
      if (!(await session.step())) return false;
    }
    this.nextObs.set(rollout.lastObs);
    if (this.masked) this.nextMasks.set(rollout.lastMasks!);
    this.computeTargets(this.policy.value(this.nextObs, E));
    return true;
  }

  /**
   * The action for one flat observation: an integer for Discrete spaces, a Float32Array (clipped
   * to the Box) otherwise. Applies the observation normalization without updating it.
   */
  predict(obs: Float32Array, opts: PredictOptions = {}): number | Float32Array {
    if (obs.length !== this.obsDim)
      throw new ArbiterError(
        'invalid-input',
        `predict: observation has ${obs.length} values, expected ${this.obsDim}`,
      );
    if (opts.mask && opts.mask.length !== this.policy.actionDim)
      throw new ArbiterError(
        'invalid-input',
        `predict: mask has ${opts.mask.length} entries, expected ${this.policy.actionDim}`,
      );
    this.normalizer.normalizeObs(obs, 1, this.predictObs, false);
    this.policy.act(
      this.predictObs,
      1,
      opts.mask,
      this.predictRng,
      opts.deterministic ?? false,
      this.predictOut,
    );
    if (this.policy.actionKind === 'discrete') return this.predictOut.actions[0]!;
    const a = Float32Array.from(this.predictOut.actions);
    const box = this.actionSpace as Box;
    for (let j = 0; j < a.length; j++) a[j] = Math.min(box.high[j]!, Math.max(box.low[j]!, a[j]!));
    return a;
  }

  /** V(obs) of one flat observation (normalized like rollouts). */
  predictValue(obs: Float32Array): number {
    this.normalizer.normalizeObs(obs, 1, this.predictObs, false);
    return this.policy.value(this.predictObs, 1, this.oneValue)[0]!;
  }

  /** Writes a checkpoint (weights, optimizer, RNGs, counters, normalizer, episode stats) into `dir`. */
  async save(dir: string): Promise<void> {
    await saveCheckpoint(dir, this.toCheckpoint());
  }

  /** The checkpoint contents (see {@link OnPolicyAlgorithm.save}). */
  toCheckpoint(): Checkpoint {
    const tensors: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(this.policy.getWeights())) tensors[`policy/${k}`] = v;
    Object.assign(tensors, this.optimizer.getState());
    const extra: Record<string, unknown> = {
      rngs: { shuffle: this.shuffleRng.getState(), predict: this.predictRng.getState() },
      episodes: this.episodes.getState(),
      normalizer: this.normalizer.getState(),
      masked: this.masked,
      spaces: this.spaceSummary(),
    };
    // With a vector env that can save its state, the next rollout continues bit-exactly.
    const envState = this.started && isStateful(this.envs) ? this.envs.getState() : undefined;
    if (envState !== undefined) {
      // The action logs go to the binary tensor file; seeds and widths stay in the JSON.
      extra.envState = {
        hasMasks: envState.hasMasks,
        copies: envState.copies.map(({ seed, width }) => ({ seed, width })),
      };
      envState.copies.forEach((c, i) => (tensors[`env/actions/${i}`] = Float32Array.from(c.actions)));
      tensors['rollout/next_obs'] = Float32Array.from(this.nextObs);
      tensors['rollout/next_masks'] = Float32Array.from(this.nextMasks);
    }
    return {
      algo: this.algoName,
      config: this.config,
      counters: { ...this.counters },
      rngState: this.actionRng.getState(),
      tensors,
      extra,
    };
  }

  /** Restores a checkpoint into this (freshly constructed, same-config) algorithm. */
  restoreCheckpoint(ckpt: Checkpoint): void {
    if (ckpt.algo !== this.algoName)
      throw new ArbiterError(
        'checkpoint-mismatch',
        `checkpoint is for '${ckpt.algo}', not '${this.algoName}'`,
      );
    const weights: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(ckpt.tensors)) if (k.startsWith('policy/')) weights[k.slice(7)] = v;
    this.assertCompatible(ckpt, weights);
    this.policy.setWeights(weights);
    this.optimizer.setState(ckpt.tensors);
    Object.assign(this.counters, ckpt.counters);
    this.actionRng.setState(ckpt.rngState);
    const extra = (ckpt.extra ?? {}) as {
      rngs?: { shuffle: RngState; predict: RngState };
      episodes?: EpisodeTrackerState;
      normalizer?: VecNormalizerState;
      masked?: boolean;
      envState?: unknown;
    };
    if (extra.rngs) {
      this.shuffleRng.setState(extra.rngs.shuffle);
      this.predictRng.setState(extra.rngs.predict);
    }
    if (extra.episodes) this.episodes.setState(extra.episodes);
    if (extra.normalizer) this.normalizer.setState(extra.normalizer);
    // Without an env there is nothing to replay: the model only predicts.
    if (extra.envState !== undefined && isStateful(this.envs) && this.loadedWithoutEnvFrom === undefined) {
      const saved = extra.envState as { hasMasks: boolean; copies: { seed: number; width: number }[] };
      this.envs.setState({
        hasMasks: saved.hasMasks,
        copies: saved.copies.map((c, i) => ({ ...c, actions: checkpointTensor(ckpt, `env/actions/${i}`) })),
      });
      this.nextObs.set(checkpointTensor(ckpt, 'rollout/next_obs', this.nextObs.length));
      const m = checkpointTensor(ckpt, 'rollout/next_masks', this.nextMasks.length);
      for (let i = 0; i < m.length; i++) this.nextMasks[i] = m[i]!;
      this.masked = extra.masked ?? false;
      this.started = true;
    } else {
      // The envs restart; their running episodes are lost, so are the partial episode sums.
      this.started = false;
      this.episodes.resetRunning();
      this.normalizer.resetReturns();
    }
  }

  /** The envs' spaces, as recorded in checkpoints. */
  private spaceSummary(): CheckpointSpaces {
    return { ...checkpointSpaces(this.envs.singleObservationSpace, this.actionSpace), obsDim: this.obsDim };
  }

  /**
   * Throws `checkpoint-mismatch` naming what differs (spaces, then the first layer of another
   * size) and what the checkpoint was trained with, before any weight is assigned.
   */
  private assertCompatible(ckpt: Checkpoint, weights: Record<string, Float32Array>): void {
    const here = this.spaceSummary();
    const saved = (ckpt.extra as { spaces?: CheckpointSpaces } | undefined)?.spaces;
    const hidden = JSON.stringify(
      (ckpt.config as { policy?: ActorCriticConfig } | undefined)?.policy?.hiddenSizes,
    );
    const trained = saved
      ? `${saved.obsDim} observation values, actions ${saved.actions}, hidden sizes ${hidden}`
      : `hidden sizes ${hidden}`;
    const fail = (what: string): never => {
      throw new ArbiterError(
        'checkpoint-mismatch',
        `${what}: the checkpoint was trained with ${trained}; this environment has ${here.obsDim} observation values and actions ${here.actions} (load it with the env and config it was trained with)`,
      );
    };
    if (saved && (saved.obsDim !== here.obsDim || saved.actions !== here.actions))
      fail('the checkpoint does not fit this environment');
    for (const [name, w] of Object.entries(this.policy.getWeights())) {
      const got = weights[name];
      if (!got) fail(`the checkpoint has no layer '${name}'`);
      else if (got.length !== w.length)
        fail(`layer '${name}' has ${got.length} values in the checkpoint, this model's has ${w.length}`);
    }
  }

  /** Releases the envs and the networks. */
  async close(): Promise<void> {
    await this.envs.close();
    this.policy.dispose();
    if (!this.hostPolicy) (this.optimizer as Optimizer).dispose();
  }

  /** Per-row loss-derivative buffers for `n` rows (grown when needed, never per step). */
  private lossGradBuffers(n: number): HostLossGrads {
    if (this.lossGrads.dLogProb.length < n)
      this.lossGrads = {
        dLogProb: new Float32Array(n),
        dEntropy: new Float32Array(n),
        dValues: new Float32Array(n),
      };
    return this.lossGrads;
  }

  // Resets every copy; a resumed run reseeds from the step count so resets stay reproducible.
  private async resetEnvs(): Promise<void> {
    const seed = (this.config.seed + this.counters.numTimesteps) | 0;
    const res = await this.envs.reset(seed);
    this.normalizer.normalizeObs(res.obs, this.envs.numEnvs, this.nextObs, true);
    this.masked = this.policy.actionKind === 'discrete' && res.actionMasks !== undefined;
    if (this.masked) this.nextMasks.set(res.actionMasks!.subarray(0, this.nextMasks.length));
    this.started = true;
  }

  private envActions(actions: Int32Array | Float32Array): Int32Array | Float32Array {
    if (!this.clippedActions) return actions;
    // Box: the env gets actions clipped to its bounds; the buffer keeps the sampled ones.
    return clipToBox(actions as Float32Array, this.actionSpace as Box, this.clippedActions);
  }
}

/** Throws when a runner's action stream ended elsewhere than the learner's (a runner diverged). */
function assertSameRngState(expected: RngState, rollout: CollectedRollout): void {
  const got = rollout.actionRngState;
  if (
    got.s.some((v, i) => v !== expected.s[i]) ||
    (got.spareNormal ?? null) !== (expected.spareNormal ?? null)
  )
    throw new ArbiterError(
      'rollout-mismatch',
      'an env runner ended its rollout with another action-sampling state than the learner (it drew a different number of values)',
    );
}

/** Shape of the envs' observation Box (for a CNN policy), or undefined for other spaces. */
function obsShape(envs: VectorEnv): readonly number[] | undefined {
  const space = envs.singleObservationSpace;
  return space.kind === 'box' ? space.shape : undefined;
}
