/**
 * On-policy rollout storage (SB3's `RolloutBuffer`, CleanRL's `obs`/`actions`/… tensors):
 * preallocated typed arrays of `numSteps × numEnvs` entries, step-major (`t · numEnvs + e`), plus
 * per-step views so the rollout loop writes without allocating, and minibatch gathering.
 */
import { ArbiterError } from '../core/errors.js';
import type { PolicyActionKind } from '../nn/policy.js';

/** Shape of a {@link RolloutBuffer}. */
export interface RolloutBufferConfig {
  /** Vector steps per rollout T. */
  numSteps: number;
  /** Copies E. */
  numEnvs: number;
  /** Flat observation length. */
  obsDim: number;
  /** Discrete (one Int32 per entry) or Box (actionDim Float32 per entry). */
  actionKind: PolicyActionKind;
  /** Number of actions (Discrete) or action dimension (Box). */
  actionDim: number;
  /** Store action masks (Discrete only). */
  masked: boolean;
}

/** A minibatch gathered from a {@link RolloutBuffer} (preallocated, reused). */
export interface Minibatch {
  /** Rows in this minibatch. */
  size: number;
  obs: Float32Array;
  actions: Int32Array | Float32Array;
  logProbs: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  values: Float32Array;
  masks: Uint8Array | undefined;
}

/** Preallocated rollout storage; see module doc. */
export class RolloutBuffer {
  /** Number of entries T × E. */
  readonly size: number;
  /** Observations s_t (size × obsDim). */
  readonly obs: Float32Array;
  /** Actions a_t (Discrete: size; Box: size × actionDim, unclipped). */
  readonly actions: Int32Array | Float32Array;
  /** log π_old(a_t | s_t). */
  readonly logProbs: Float32Array;
  /** Rewards r_t (possibly normalized). */
  readonly rewards: Float32Array;
  /** V_old(s_t). */
  readonly values: Float32Array;
  /** 1 where the transition terminated its episode. */
  readonly terminated: Uint8Array;
  /** 1 where the transition truncated its episode. */
  readonly truncated: Uint8Array;
  /** V(final observation) at truncated entries. */
  readonly finalValues: Float32Array;
  /** Action masks of s_t (size × actionDim), when masked. */
  readonly masks: Uint8Array | undefined;
  /** GAE advantages (filled by computeGae). */
  readonly advantages: Float32Array;
  /** Value targets A + V (filled by computeGae). */
  readonly returns: Float32Array;
  /** Per-step views of `obs` (numEnvs × obsDim each). */
  readonly obsRows: Float32Array[];
  /** Per-step views of `actions`. */
  readonly actionRows: (Int32Array | Float32Array)[];
  /** Per-step views of `logProbs`, `values`, `rewards`. */
  readonly logProbRows: Float32Array[];
  readonly valueRows: Float32Array[];
  readonly rewardRows: Float32Array[];
  /** Per-step views of `masks`, when masked. */
  readonly maskRows: Uint8Array[] | undefined;
  private readonly actionWidth: number;

  constructor(readonly config: RolloutBufferConfig) {
    const { numSteps: T, numEnvs: E, obsDim, actionKind, actionDim, masked } = config;
    for (const [k, v] of Object.entries({ numSteps: T, numEnvs: E, obsDim, actionDim }))
      if (!Number.isInteger(v) || v < 1)
        throw new ArbiterError('invalid-config', `RolloutBuffer: ${k} must be an integer ≥ 1, got ${v}`);
    if (masked && actionKind !== 'discrete')
      throw new ArbiterError('invalid-config', 'RolloutBuffer: action masks need a Discrete action space');
    this.size = T * E;
    this.actionWidth = actionKind === 'discrete' ? 1 : actionDim;
    this.obs = new Float32Array(this.size * obsDim);
    this.actions =
      actionKind === 'discrete' ? new Int32Array(this.size) : new Float32Array(this.size * actionDim);
    this.logProbs = new Float32Array(this.size);
    this.rewards = new Float32Array(this.size);
    this.values = new Float32Array(this.size);
    this.terminated = new Uint8Array(this.size);
    this.truncated = new Uint8Array(this.size);
    this.finalValues = new Float32Array(this.size);
    this.masks = masked ? new Uint8Array(this.size * actionDim) : undefined;
    this.advantages = new Float32Array(this.size);
    this.returns = new Float32Array(this.size);
    const rows = <A extends Float32Array | Int32Array | Uint8Array>(a: A, w: number): A[] =>
      Array.from({ length: T }, (_, t) => a.subarray(t * E * w, (t + 1) * E * w) as A);
    this.obsRows = rows(this.obs, obsDim);
    this.actionRows = rows(this.actions, this.actionWidth);
    this.logProbRows = rows(this.logProbs, 1);
    this.valueRows = rows(this.values, 1);
    this.rewardRows = rows(this.rewards, 1);
    this.maskRows = this.masks ? rows(this.masks, actionDim) : undefined;
  }

  /** Clears the per-step end flags and truncation values (call before each rollout). */
  resetFlags(): void {
    this.terminated.fill(0);
    this.truncated.fill(0);
    this.finalValues.fill(0);
  }

  /** Allocates a minibatch of up to `capacity` rows for {@link RolloutBuffer.gather}. */
  createMinibatch(capacity: number): Minibatch {
    const { obsDim, actionKind, actionDim } = this.config;
    return {
      size: 0,
      obs: new Float32Array(capacity * obsDim),
      actions: actionKind === 'discrete' ? new Int32Array(capacity) : new Float32Array(capacity * actionDim),
      logProbs: new Float32Array(capacity),
      advantages: new Float32Array(capacity),
      returns: new Float32Array(capacity),
      values: new Float32Array(capacity),
      masks: this.masks ? new Uint8Array(capacity * actionDim) : undefined,
    };
  }

  /** Copies entries `indices[start … end)` into `mb` (which must hold end − start rows). */
  gather(indices: ArrayLike<number>, start: number, end: number, mb: Minibatch): Minibatch {
    const { obsDim, actionDim } = this.config;
    const w = this.actionWidth;
    mb.size = end - start;
    for (let k = 0; k < mb.size; k++) {
      const i = indices[start + k]!;
      mb.obs.set(this.obs.subarray(i * obsDim, (i + 1) * obsDim), k * obsDim);
      if (w === 1) mb.actions[k] = this.actions[i]!;
      else for (let j = 0; j < w; j++) mb.actions[k * w + j] = this.actions[i * w + j]!;
      mb.logProbs[k] = this.logProbs[i]!;
      mb.advantages[k] = this.advantages[i]!;
      mb.returns[k] = this.returns[i]!;
      mb.values[k] = this.values[i]!;
      if (this.masks && mb.masks)
        mb.masks.set(this.masks.subarray(i * actionDim, (i + 1) * actionDim), k * actionDim);
    }
    return mb;
  }
}
