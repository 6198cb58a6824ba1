/**
 * Post-training int8 weight quantization of a policy artifact: symmetric, one scale per output
 * channel (`scale_j = max_i |W_ij| / 127`, `q_ij = round(W_ij / scale_j)`), biases kept in Float32.
 * A convolution kernel `[k][k][inC][filters]` is the same (k²·inC) × filters matrix, so each
 * filter gets its scale. Weights shrink 4×; the decision (argmax) is what must survive, not every
 * output digit.
 */
import {
  assertArtifactFinite,
  type FloatPolicyArtifact,
  type Int8ArtifactLayer,
  type Int8ConvArtifactLayer,
  type Int8PolicyArtifact,
} from './policy-artifact.js';

/** A row-major n × m matrix quantized per column (see module doc). */
function quantizeColumns(
  weights: Float32Array,
  n: number,
  m: number,
): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(m);
  const q = new Int8Array(n * m);
  for (let j = 0; j < m; j++) {
    let maxAbs = 0;
    for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i * m + j]!));
    // An all-zero channel keeps scale 0 and zero weights (its output is the bias).
    scales[j] = maxAbs / 127;
    const s = scales[j]!;
    if (s === 0) continue;
    for (let i = 0; i < n; i++) {
      const v = Math.round(weights[i * m + j]! / s);
      q[i * m + j] = v > 127 ? 127 : v < -127 ? -127 : v;
    }
  }
  return { q, scales };
}

/** Quantizes every kernel of a Float32 artifact, convolutions included (see module doc). */
export function quantizeInt8(artifact: FloatPolicyArtifact): Int8PolicyArtifact {
  assertArtifactFinite(artifact); // a NaN would quantize silently to 0 or ±127
  const layers: Int8ArtifactLayer[] = artifact.layers.map((l) => {
    const { q, scales } = quantizeColumns(l.weights, l.inputDim, l.outputDim);
    return {
      inputDim: l.inputDim,
      outputDim: l.outputDim,
      activation: l.activation,
      weights: q,
      scales,
      bias: Float32Array.from(l.bias),
    };
  });
  if (!artifact.conv) {
    const { conv: _conv, ...rest } = artifact;
    return { ...rest, kind: 'mlp-int8', layers };
  }
  const conv: Int8ConvArtifactLayer[] = artifact.conv.map((l) => {
    const { q, scales } = quantizeColumns(l.weights, l.kernel * l.kernel * l.inputShape[2], l.filters);
    return { ...l, inputShape: [...l.inputShape], weights: q, scales, bias: Float32Array.from(l.bias) };
  });
  return { ...artifact, kind: 'cnn-int8', conv, layers };
}
