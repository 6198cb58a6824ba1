/**
 * Observation and reward normalization over a vector of envs, as SB3's `VecNormalize`, owned by
 * the algorithm so that its statistics are saved in the algorithm's checkpoint and applied by
 * `predict`. Observations: `clip((x − μ) / √(σ² + ε))` with running per-component statistics.
 * Rewards: divided by the running standard deviation of each copy's discounted return (the mean
 * is not subtracted, which would change the optimal policy).
 */
import { RunningMeanStd, type RunningMeanStdState } from '../core/running-mean-std.js';

/** Options of {@link VecNormalizer}. */
export interface VecNormalizerOptions {
  /** Normalize observations. */
  observations: boolean;
  /** Scale rewards. */
  rewards: boolean;
  /** Discount of the tracked return (use the agent's γ). */
  gamma: number;
  /** Clip of normalized observations. Default 10. */
  clipObs?: number;
  /** Clip of scaled rewards. Default 10. */
  clipReward?: number;
  /** Variance offset. Default 1e-8. */
  epsilon?: number;
}

/** Plain-JSON state of a {@link VecNormalizer}. */
export interface VecNormalizerState {
  obsRms: RunningMeanStdState | null;
  returnRms: RunningMeanStdState | null;
  returns: number[];
}

/** Vector-level running normalizer (see module doc). */
export class VecNormalizer {
  /** Statistics of raw observations (when normalizing them). */
  readonly obsRms: RunningMeanStd | undefined;
  /** Statistics of discounted returns (when scaling rewards). */
  readonly returnRms: RunningMeanStd | undefined;
  private readonly returns: Float64Array;
  private readonly clipObs: number;
  private readonly clipReward: number;
  private readonly epsilon: number;

  constructor(
    readonly numEnvs: number,
    readonly obsDim: number,
    readonly options: VecNormalizerOptions,
  ) {
    this.obsRms = options.observations ? new RunningMeanStd(obsDim) : undefined;
    this.returnRms = options.rewards ? new RunningMeanStd(1) : undefined;
    this.returns = new Float64Array(numEnvs);
    this.clipObs = options.clipObs ?? 10;
    this.clipReward = options.clipReward ?? 10;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /**
   * Normalizes `rows` row-major observations from `raw` into `out` (may be the same array);
   * first absorbs them into the statistics when `update`. Copies when observations are not normalized.
   */
  normalizeObs(raw: Float32Array, rows: number, out: Float32Array, update: boolean): Float32Array {
    const d = this.obsDim;
    const rms = this.obsRms;
    if (!rms) {
      if (out !== raw) out.set(raw.subarray(0, rows * d));
      return out;
    }
    if (update) rms.update(raw, rows);
    const c = this.clipObs;
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < d; j++) {
        const z = (raw[r * d + j]! - rms.mean[j]!) / Math.sqrt(rms.var[j]! + this.epsilon);
        out[r * d + j] = z > c ? c : z < -c ? -c : z;
      }
    return out;
  }

  /**
   * Scales one vector step's rewards into `out`; `ended[i]` (terminated or truncated) resets copy
   * i's discounted return after it is used. Copies when rewards are not scaled.
   */
  normalizeRewards(
    rewards: Float32Array,
    terminated: Uint8Array,
    truncated: Uint8Array,
    out: Float32Array,
    update: boolean,
  ): Float32Array {
    const rms = this.returnRms;
    if (!rms) {
      out.set(rewards.subarray(0, this.numEnvs));
      return out;
    }
    if (update)
      for (let i = 0; i < this.numEnvs; i++) {
        this.returns[i] = this.options.gamma * this.returns[i]! + rewards[i]!;
        rms.updateScalar(this.returns[i]!);
      }
    const std = Math.sqrt(rms.var[0]! + this.epsilon);
    const c = this.clipReward;
    for (let i = 0; i < this.numEnvs; i++) {
      const z = rewards[i]! / std;
      out[i] = z > c ? c : z < -c ? -c : z;
      if (terminated[i] || truncated[i]) this.returns[i] = 0;
    }
    return out;
  }

  /** Forgets the running discounted returns (after the envs were reset). */
  resetReturns(): void {
    this.returns.fill(0);
  }

  /** Serializable state. */
  getState(): VecNormalizerState {
    return {
      obsRms: this.obsRms?.getState() ?? null,
      returnRms: this.returnRms?.getState() ?? null,
      returns: [...this.returns],
    };
  }

  /** Restores {@link VecNormalizer.getState}. */
  setState(s: VecNormalizerState): void {
    if (this.obsRms && s.obsRms) this.obsRms.setState(s.obsRms);
    if (this.returnRms && s.returnRms) this.returnRms.setState(s.returnRms);
    if (s.returns.length === this.numEnvs) this.returns.set(s.returns);
  }
}
