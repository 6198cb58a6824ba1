/**
 * Supervised rule learning for an {@link LnnRuleLayer}: full-batch gradient descent (Adam) on the
 * supervised + contradiction + logical-constraint losses, each step followed by the projection
 * onto w ≥ 0, β ≥ 0. Plain Float64Array code, no TensorFlow: the model is a few dozen numbers.
 */
import { contradictionLoss, logicalConstraintLoss, supervisedLoss } from './lnn-losses.js';
import type { LnnRuleLayer } from './lnn-rule-layer.js';

/** One training example. */
export interface LnnSample {
  /** Predicate truths in [0, 1], in the layer's predicate order. */
  truths: ArrayLike<number>;
  /** Target truth per head (NaN = unknown); drives the supervised loss. */
  targets?: ArrayLike<number>;
  /** Known lower bound per head; with `upper`, drives the contradiction loss. */
  lower?: ArrayLike<number>;
  /** Known upper bound per head. */
  upper?: ArrayLike<number>;
}

/** Settings of {@link trainLnnRules}. */
export interface TrainLnnOptions {
  /** Full-batch steps. Default 400. */
  epochs?: number;
  /** Adam step size. Default 0.05. */
  learningRate?: number;
  /** α of the logical constraints. Default 0.75. */
  alpha?: number;
  /** Weight of the logical-constraint loss. Default 0.1. */
  constraintWeight?: number;
  /** Weight of the contradiction loss. Default 1. */
  contradictionWeight?: number;
  /** L1 penalty on the input weights: drives unused inputs to 0 rather than just below the threshold. Default 1e-3. */
  sparsity?: number;
}

/** What {@link trainLnnRules} returns. */
export interface TrainLnnResult {
  /** Total loss per epoch (mean over samples plus penalties). */
  losses: number[];
}

/** Trains `layer` in place on `samples`; deterministic for a given initial layer. */
export function trainLnnRules(
  layer: LnnRuleLayer,
  samples: readonly LnnSample[],
  options: TrainLnnOptions = {},
): TrainLnnResult {
  const epochs = options.epochs ?? 400;
  const lr = options.learningRate ?? 0.05;
  const alpha = options.alpha ?? 0.75;
  const constraintWeight = options.constraintWeight ?? 0.1;
  const contradictionWeight = options.contradictionWeight ?? 1;
  const sparsity = options.sparsity ?? 1e-3;
  const heads = layer.heads.length;
  const P = layer.paramCount;
  const grad = new Float64Array(P);
  const sampleGrad = new Float64Array(P);
  const out = new Float64Array(heads);
  const dOut = new Float64Array(heads);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const losses: number[] = [];
  const invN = 1 / Math.max(1, samples.length);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    grad.fill(0);
    let loss = 0;
    for (const s of samples) {
      layer.forward(s.truths, out);
      dOut.fill(0);
      if (s.targets) loss += supervisedLoss(out, s.targets, dOut) * invN;
      if (s.lower && s.upper && contradictionWeight > 0) {
        const before = Float64Array.from(dOut);
        loss += contradictionWeight * contradictionLoss(out, s.lower, s.upper, dOut) * invN;
        for (let h = 0; h < heads; h++) dOut[h] = before[h]! + contradictionWeight * (dOut[h]! - before[h]!);
      }
      for (let h = 0; h < heads; h++) dOut[h] = dOut[h]! * invN;
      sampleGrad.fill(0);
      layer.backward(s.truths, dOut, sampleGrad);
      for (let k = 0; k < P; k++) grad[k] = grad[k]! + sampleGrad[k]!;
    }
    if (constraintWeight > 0) {
      sampleGrad.fill(0);
      loss += constraintWeight * logicalConstraintLoss(layer, alpha, sampleGrad);
      for (let k = 0; k < P; k++) grad[k] = grad[k]! + constraintWeight * sampleGrad[k]!;
    }
    if (sparsity > 0)
      for (let h = 0; h < heads; h++)
        for (let i = 0; i < layer.literalCount; i++) {
          const k = h * layer.stride + 1 + i;
          loss += sparsity * layer.params[k]!; // w ≥ 0, so |w| = w
          grad[k] = grad[k]! + sparsity;
        }
    losses.push(loss);
    // Adam (bias-corrected), then projection onto the constraints.
    const c1 = 1 - beta1 ** epoch;
    const c2 = 1 - beta2 ** epoch;
    for (let k = 0; k < P; k++) {
      m[k] = beta1 * m[k]! + (1 - beta1) * grad[k]!;
      v[k] = beta2 * v[k]! + (1 - beta2) * grad[k]! * grad[k]!;
      layer.params[k] = layer.params[k]! - (lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-8);
    }
    layer.project();
  }
  return { losses };
}
