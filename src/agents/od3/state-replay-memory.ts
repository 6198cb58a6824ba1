/**
 * The replay memory of policy distillation (OD3): a circular buffer of visited states and their
 * action masks only — the teacher labels a state when it is sampled, so no action, reward or
 * next state is kept. Typed arrays allocated once; adding and sampling allocate nothing.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

/** Saved contents of a {@link StateReplayMemory} (the filled part, oldest slot first is not kept). */
export interface StateReplayMemoryState {
  /** Capacity it was built with. */
  capacity: number;
  /** Slots filled. */
  size: number;
  /** Next slot to write. */
  position: number;
  /** `size × obsDim` observations, slot order. */
  obs: Float32Array;
  /** `size × maskDim` masks (0/1), slot order; empty without masks. */
  masks: Float32Array;
}

/** Circular buffer of `(state, mask)` pairs (see module doc). */
export class StateReplayMemory {
  /** Maximum number of states kept. */
  readonly capacity: number;
  /** Length of one observation. */
  readonly obsDim: number;
  /** Length of one mask (0 = no masks stored). */
  readonly maskDim: number;
  private readonly obs: Float32Array;
  private readonly masks: Uint8Array;
  private pos = 0;
  private filled = 0;

  constructor(capacity: number, obsDim: number, maskDim = 0) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new ArbiterError(
        'invalid-config',
        `StateReplayMemory: capacity must be an integer ≥ 1, got ${capacity}`,
      );
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.maskDim = maskDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.masks = new Uint8Array(capacity * maskDim);
  }

  /** States stored (≤ capacity). */
  get size(): number {
    return this.filled;
  }

  /** Stores one state (and its mask; all allowed when absent), overwriting the oldest when full. */
  add(obs: Float32Array, mask?: Uint8Array): void {
    this.obs.set(obs.subarray(0, this.obsDim), this.pos * this.obsDim);
    if (this.maskDim > 0) {
      if (mask) this.masks.set(mask.subarray(0, this.maskDim), this.pos * this.maskDim);
      else this.masks.fill(1, this.pos * this.maskDim, (this.pos + 1) * this.maskDim);
    }
    this.pos = (this.pos + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /**
   * Draws `batch` states uniformly with replacement into `obsOut` (batch × obsDim) and, with
   * masks, `maskOut` (batch × maskDim).
   */
  sample(rng: Rng, batch: number, obsOut: Float32Array, maskOut?: Uint8Array): void {
    if (this.filled === 0)
      throw new ArbiterError('empty-buffer', 'StateReplayMemory: sample from an empty memory');
    const d = this.obsDim;
    const m = this.maskDim;
    for (let b = 0; b < batch; b++) {
      const i = rng.int(this.filled);
      obsOut.set(this.obs.subarray(i * d, (i + 1) * d), b * d);
      if (maskOut && m > 0) maskOut.set(this.masks.subarray(i * m, (i + 1) * m), b * m);
    }
  }

  /** A copy of the filled part (for checkpoints). */
  getState(): StateReplayMemoryState {
    return {
      capacity: this.capacity,
      size: this.filled,
      position: this.pos,
      obs: this.obs.slice(0, this.filled * this.obsDim),
      masks: Float32Array.from(this.masks.subarray(0, this.filled * this.maskDim)),
    };
  }

  /** Restores {@link StateReplayMemory.getState}; throws `checkpoint-mismatch` on other sizes. */
  setState(s: StateReplayMemoryState): void {
    if (
      s.capacity !== this.capacity ||
      s.size > this.capacity ||
      s.obs.length !== s.size * this.obsDim ||
      s.masks.length !== s.size * this.maskDim
    )
      throw new ArbiterError(
        'checkpoint-mismatch',
        `StateReplayMemory.setState: saved memory (capacity ${s.capacity}, ${s.size} states) does not fit capacity ${this.capacity}, obsDim ${this.obsDim}, maskDim ${this.maskDim}`,
      );
    this.obs.set(s.obs);
    for (let i = 0; i < s.masks.length; i++) this.masks[i] = s.masks[i]!;
    this.filled = s.size;
    this.pos = s.position % this.capacity;
  }
}
