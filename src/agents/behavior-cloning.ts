/**
 * Behaviour cloning: supervised training of an actor-critic policy on demonstrations (state,
 * mask, expert action, return). The loss per minibatch is
 *
 *   −mean log π(a_expert | s)  +  vfCoef · mean (V(s) − G)²  −  entCoef · mean H(π(· | s))
 *
 * with the same masks as at decision time, so the policy only learns among allowed actions. The
 * value term (when returns are given) gives PPO a critic that already knows the task when
 * fine-tuning starts from the cloned policy. Used to warm-start the EGS graph policy from the
 * non-learned expert.
 *
 * Set-valued targets: when the expert accepts several actions equally (a timetable teacher
 * accepts every edge its target graph implies), `step` can take per row the set T of acceptable
 * actions ({@link ActionSets}) and the first term becomes −mean log Σ_{a∈T} π(a | s) (see
 * `action-sets.ts`); the policy must evaluate sets ({@link ActionSetEvaluator}). Without sets the
 * step is the single-action one, unchanged.
 *
 * Two learners compute the same step: `'fast'` (the default, for a policy that implements
 * {@link HostTrainablePolicy}) runs the policy's host pass and {@link AdamF32} on its host arrays;
 * `'tfjs'` (and any policy without a host pass) takes TF.js gradients and the TF.js {@link Adam}.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import { ArbiterError } from '../core/errors.js';
import { evaluatesActionSets, type ActionSetEvaluator, type ActionSets } from '../nn/action-sets.js';
import { AdamF32 } from '../nn/adam-f32.js';
import { Adam } from '../nn/adam.js';
import { clipGradNorm } from '../nn/clip-grad-norm.js';
import type { HostOptimizer } from '../nn/host-optimizer.js';
import { clipGlobalNorm } from '../nn/host-params.js';
import type { Optimizer } from '../nn/optimizer.js';
import { isHostTrainable, type HostTrainablePolicy, type Policy } from '../nn/policy.js';
import { tf } from '../nn/tf-backend.js';

/** Settings of {@link BehaviorCloning}; every field has a default. */
export interface BehaviorCloningConfig {
  /** Adam learning rate (default 1e-3). */
  learningRate: number;
  /** Global gradient-norm clip (default 0.5). */
  maxGradNorm: number;
  /** Weight of the value regression (default 0.5; ignored without returns). */
  vfCoef: number;
  /** Entropy bonus (default 0). */
  entCoef: number;
  /**
   * Gradient path (default `'fast'`): the policy's host pass when it has one
   * ({@link HostTrainablePolicy}), else TF.js; `'tfjs'` always takes TF.js gradients.
   */
  learner: 'fast' | 'tfjs';
}

/** Defaults of {@link BehaviorCloningConfig}. */
export const BEHAVIOR_CLONING_DEFAULTS: Readonly<BehaviorCloningConfig> = Object.freeze({
  learningRate: 1e-3,
  maxGradNorm: 0.5,
  vfCoef: 0.5,
  entCoef: 0,
  learner: 'fast',
});

/** Rules of every {@link BehaviorCloningConfig} key (strict: unknown keys are refused). */
export const BEHAVIOR_CLONING_SCHEMA = z
  .object({
    learningRate: zc.positive().optional(),
    maxGradNorm: zc.positiveOrInfinity().optional(),
    vfCoef: zc.nonNegative().optional(),
    entCoef: zc.nonNegative().optional(),
    learner: z.enum(['fast', 'tfjs']).optional(),
  } satisfies ConfigShape<BehaviorCloningConfig>)
  .strict();

/** Losses of one {@link BehaviorCloning.step}. */
export interface BehaviorCloningMetrics {
  /** Mean negative log-likelihood of the expert actions (of the target sets when given). */
  nll: number;
  /** Mean squared value error (0 without returns). */
  valueLoss: number;
  /** Mean policy entropy. */
  entropy: number;
  /** Gradient norm before clipping. */
  gradNorm: number;
}

/** Supervised trainer of a {@link Policy} on expert actions (see the file comment). */
export class BehaviorCloning<Obs> {
  /** Resolved settings. */
  readonly config: BehaviorCloningConfig;
  /**
   * Optimizer over the policy's weights (Adam unless one is given): a TF.js {@link Optimizer} on
   * the variables, or on the fast learner a {@link HostOptimizer} on the policy's host arrays.
   */
  readonly optimizer: Optimizer | HostOptimizer;
  // The policy's host pass when the fast learner trains it.
  private readonly host: HostTrainablePolicy | undefined;
  private dLogProb = new Float32Array(0);
  private dEntropy = new Float32Array(0);
  private dValues = new Float32Array(0);

  /**
   * @param policy - the policy to train (its weights are updated in place)
   * @param config - overrides of {@link BEHAVIOR_CLONING_DEFAULTS}
   * @param optimizer - e.g. the optimizer of the algorithm that fine-tunes afterwards: a TF.js
   *   optimizer selects the TF.js path, a host optimizer (on `policy.hostParams()`) the fast one
   */
  constructor(
    readonly policy: Policy<Obs>,
    config: Partial<BehaviorCloningConfig> = {},
    optimizer?: Optimizer | HostOptimizer,
  ) {
    const given = parseConfig(BEHAVIOR_CLONING_SCHEMA, config, {
      source: 'behaviour cloning config',
      what: 'BehaviorCloning',
    });
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    this.config = { ...BEHAVIOR_CLONING_DEFAULTS, ...defined };
    const hostOptimizer = optimizer !== undefined && !('variables' in optimizer);
    const fast =
      isHostTrainable(policy) &&
      (hostOptimizer || (optimizer === undefined && this.config.learner === 'fast'));
    if (hostOptimizer && !fast)
      throw new ArbiterError(
        'invalid-config',
        'behaviour cloning: a host optimizer needs a policy with a host pass (HostTrainablePolicy)',
      );
    this.host = fast ? policy : undefined;
    this.optimizer =
      optimizer ??
      (fast ? new AdamF32(policy.hostParams(), { eps: 1e-5 }) : new Adam(policy.variables, { eps: 1e-5 }));
  }

  /** Frees the TF.js optimizer state (a host optimizer holds none). */
  dispose(): void {
    if ('dispose' in this.optimizer) this.optimizer.dispose();
  }

  /**
   * One gradient step on a minibatch of `batch` demonstrations: `actions` are the expert's,
   * `masks` (batch × actionDim) the allowed actions in each state, `returns` optional value
   * targets. `lr` overrides the configured learning rate (for schedules). `sets`, when given, are
   * the acceptable actions of each row (the expert's own among them): the likelihood term is then
   * that of the sets (see the file comment).
   */
  step(
    obs: Obs,
    batch: number,
    actions: Int32Array | Float32Array,
    masks?: Uint8Array,
    returns?: Float32Array,
    lr = this.config.learningRate,
    sets?: ActionSets,
  ): BehaviorCloningMetrics {
    if (returns && returns.length < batch)
      throw new ArbiterError(
        'invalid-input',
        `behaviour cloning: ${returns.length} returns for ${batch} rows`,
      );
    if (sets && !evaluatesActionSets(this.policy))
      throw new ArbiterError(
        'invalid-config',
        'behaviour cloning: target sets need a policy that evaluates them (ActionSetEvaluator)',
      );
    if (this.host) return this.stepHost(this.host, obs, batch, actions, masks, returns, lr, sets);
    const { vfCoef, entCoef, maxGradNorm } = this.config;
    const variables = this.policy.variables;
    const out = tf.tidy(() => {
      let kept: tf.Tensor[] = [];
      const { grads } = tf.variableGrads(() => {
        const ev = sets
          ? (this.policy as Policy<Obs> & ActionSetEvaluator<Obs>).evaluateActions(
              obs,
              batch,
              actions,
              masks,
              sets,
            )
          : this.policy.evaluateActions(obs, batch, actions, masks);
        const nll = tf.neg(tf.mean(ev.logProb));
        const entropy = tf.mean(ev.entropy);
        const valueLoss = returns
          ? tf.mean(tf.square(tf.sub(ev.values, tf.tensor1d(returns.subarray(0, batch)))))
          : tf.scalar(0);
        kept = [nll, valueLoss, entropy].map((t) => tf.keep(t));
        return tf.addN([nll, tf.mul(valueLoss, vfCoef), tf.mul(entropy, -entCoef)]) as tf.Scalar;
      }, variables);
      const clipped = clipGradNorm(
        variables.map((v) => grads[v.name]!),
        maxGradNorm,
      );
      (this.optimizer as Optimizer).applyGradients(clipped.grads, lr);
      const values = tf.stack([...kept, clipped.norm]).dataSync() as Float32Array;
      for (const t of kept) t.dispose();
      return values;
    });
    return { nll: out[0]!, valueLoss: out[1]!, entropy: out[2]!, gradNorm: out[3]! };
  }

  // The same step on the policy's host pass: ∂loss/∂(logProb, entropy, value) per row, then its
  // backward pass, the same clipping rule and the host optimizer.
  private stepHost(
    host: HostTrainablePolicy,
    obs: Obs,
    batch: number,
    actions: Int32Array | Float32Array,
    masks: Uint8Array | undefined,
    returns: Float32Array | undefined,
    lr: number,
    sets: ActionSets | undefined,
  ): BehaviorCloningMetrics {
    if (!(obs instanceof Float32Array))
      throw new ArbiterError(
        'invalid-input',
        'behaviour cloning: the fast learner needs Float32Array observations',
      );
    const { vfCoef, entCoef, maxGradNorm } = this.config;
    const ev = sets
      ? (host as HostTrainablePolicy & Required<ActionSetEvaluator>).evaluateActionsHost(
          obs,
          batch,
          actions,
          masks,
          sets,
        )
      : host.evaluateActionsHost(obs, batch, actions, masks);
    if (this.dLogProb.length < batch) {
      this.dLogProb = new Float32Array(batch);
      this.dEntropy = new Float32Array(batch);
      this.dValues = new Float32Array(batch);
    }
    let nll = 0;
    let entropy = 0;
    let valueLoss = 0;
    for (let b = 0; b < batch; b++) {
      nll -= ev.logProb[b]!;
      entropy += ev.entropy[b]!;
      this.dLogProb[b] = -1 / batch;
      this.dEntropy[b] = -entCoef / batch;
      const err = returns ? ev.values[b]! - returns[b]! : 0;
      valueLoss += err * err;
      this.dValues[b] = (2 * vfCoef * err) / batch;
    }
    host.backwardHost(this.dLogProb, this.dEntropy, this.dValues);
    const grads = host.hostGrads();
    const gradNorm = clipGlobalNorm(grads, maxGradNorm);
    (this.optimizer as HostOptimizer).applyGradients(grads, lr);
    host.markHostChanged();
    return { nll: nll / batch, valueLoss: valueLoss / batch, entropy: entropy / batch, gradNorm };
  }
}
