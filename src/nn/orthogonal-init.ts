/**
 * Orthogonal weight initialisation (Saxe et al., 2014), the default of PPO implementations:
 * a Gaussian matrix orthonormalised, scaled by a gain. Drawn from a seeded {@link Rng} rather
 * than TensorFlow's RNG so that the same seed gives the same network on every backend.
 */
import type { Rng } from '../core/rng.js';

/**
 * A `rows × cols` row-major matrix whose columns (if rows ≥ cols) or rows (otherwise) are
 * orthonormal, times `gain`. Same convention as `torch.nn.init.orthogonal_`: Q of the QR
 * factorisation of a standard normal matrix, with signs fixed so that diag(R) > 0.
 */
export function orthogonalMatrix(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  // Columns of an m × n Gaussian matrix, orthonormalised by modified Gram–Schmidt (float64).
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
      for (let i = 0; i < m; i++) v[i]! -= dot * u[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    // A zero column has probability 0; guard anyway so the matrix stays finite.
    const inv = norm > 1e-12 ? 1 / norm : 0;
    for (let i = 0; i < m; i++) v[i]! *= inv;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: out = Q (m × n); otherwise out = Qᵀ.
      out[r * cols + c] = gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
    }
  return out;
}
