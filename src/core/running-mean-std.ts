/**
 * Running mean and variance of vectors (per component), for observation and reward normalization.
 * Batches are merged with the parallel algorithm of Chan, Golub and LeVeque, which is exact in
 * arithmetic and numerically stable (each batch's own moments are computed in two passes).
 */
import { ArbiterError } from './errors.js';

/** Plain-JSON state of a {@link RunningMeanStd} (doubles survive a JSON round trip exactly). */
export interface RunningMeanStdState {
  /** Per-component mean. */
  mean: number[];
  /** Per-component population variance. */
  var: number[];
  /** Number of samples seen (fractional when started from a pseudo-count). */
  count: number;
}

/**
 * Per-component running mean and population variance of `dim`-vectors. As Gymnasium/SB3, it starts
 * from mean 0, variance 1 and a small pseudo-count `initialCount`, so the first normalizations are
 * well defined; with `initialCount = 0` the statistics equal the exact two-pass ones.
 */
export class RunningMeanStd {
  /** Per-component mean. */
  readonly mean: Float64Array;
  /** Per-component population variance. */
  readonly var: Float64Array;
  /** Number of samples seen, plus the initial pseudo-count. */
  count: number;

  /**
   * @param dim - vector length (1 for scalars such as returns)
   * @param initialCount - pseudo-count of the prior (mean 0, variance 1); default 1e-4 as Gymnasium
   */
  constructor(
    readonly dim: number,
    initialCount = 1e-4,
  ) {
    if (!Number.isInteger(dim) || dim < 1)
      throw new RangeError(`RunningMeanStd: dim must be ≥ 1, got ${dim}`);
    if (!(initialCount >= 0)) throw new RangeError('RunningMeanStd: initialCount must be ≥ 0');
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
    this.count = initialCount;
  }

  /**
   * Adds a batch of `batchSize` vectors stored row-major in `batch` (length `batchSize × dim`;
   * default `batchSize = batch.length / dim`). Allocation-free.
   */
  update(batch: ArrayLike<number>, batchSize = batch.length / this.dim): void {
    if (!Number.isInteger(batchSize) || batchSize * this.dim > batch.length)
      throw new RangeError(
        `RunningMeanStd.update: batch of length ${batch.length} does not hold ${batchSize} × ${this.dim}`,
      );
    if (batchSize === 0) return;
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < batchSize; i++) s += batch[i * d + j]!;
      const bMean = s / batchSize;
      let m2 = 0;
      for (let i = 0; i < batchSize; i++) {
        const e = batch[i * d + j]! - bMean;
        m2 += e * e;
      }
      this.mergeComponent(j, bMean, m2 / batchSize, batchSize);
    }
    this.count += batchSize;
  }

  /** Adds one scalar sample (for `dim = 1`, e.g. discounted returns). */
  updateScalar(x: number): void {
    if (this.dim !== 1) throw new RangeError('RunningMeanStd.updateScalar: dim must be 1');
    this.mergeComponent(0, x, 0, 1);
    this.count += 1;
  }

  /** Merges another statistic of the same dim into this one (e.g. from another worker). */
  merge(other: RunningMeanStd): void {
    if (other.dim !== this.dim) throw new RangeError('RunningMeanStd.merge: dims differ');
    if (other.count === 0) return;
    for (let j = 0; j < this.dim; j++) this.mergeComponent(j, other.mean[j]!, other.var[j]!, other.count);
    this.count += other.count;
  }

  /** Standard deviation of component j, `sqrt(var + epsilon)`. */
  std(j: number, epsilon = 0): number {
    return Math.sqrt(this.var[j]! + epsilon);
  }

  /** Plain-JSON copy of the statistics. */
  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /** Restores statistics saved by {@link getState}; throws `normalizer-state` on a shape mismatch. */
  setState(state: RunningMeanStdState): void {
    if (state.mean.length !== this.dim || state.var.length !== this.dim || !(state.count >= 0))
      throw new ArbiterError(
        'normalizer-state',
        `RunningMeanStd.setState: expected ${this.dim} components, got mean ${state.mean.length}, var ${state.var.length}`,
      );
    this.mean.set(state.mean);
    this.var.set(state.var);
    this.count = state.count;
  }

  // Chan et al.: combine (mean, var, count) with a batch's (bMean, bVar, n); `count` is updated by the caller.
  private mergeComponent(j: number, bMean: number, bVar: number, n: number): void {
    const total = this.count + n;
    const delta = bMean - this.mean[j]!;
    this.mean[j] = this.mean[j]! + (delta * n) / total;
    const m2 = this.var[j]! * this.count + bVar * n + (delta * delta * this.count * n) / total;
    this.var[j] = m2 / total;
  }
}
