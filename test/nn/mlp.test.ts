import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Mlp } from '../../src/nn/mlp.js';
import { orthogonalMatrix } from '../../src/nn/orthogonal-init.js';
import { initTf, tf } from '../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

function randomInput(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, 2));
}

describe('orthogonalMatrix', () => {
  it('has orthonormal columns (tall) or rows (wide), times the gain', () => {
    const rng = new Rng(3);
    for (const [r, c] of [
      [8, 5],
      [5, 8],
      [6, 6],
    ] as const) {
      const m = orthogonalMatrix(r, c, 2, rng);
      const tall = r >= c;
      const k = tall ? c : r;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < (tall ? r : c); i++)
            dot += tall ? m[i * c + a]! * m[i * c + b]! : m[a * c + i]! * m[b * c + i]!;
          expect(dot).toBeCloseTo(a === b ? 4 : 0, 4);
        }
    }
  });
});

describe('Mlp', () => {
  it('forwardF32 matches the TensorFlow forward pass within 1e-5 (tanh and relu)', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const rng = new Rng(11);
      const mlp = new Mlp(
        { inputDim: 7, hiddenSizes: [64, 32], outputDim: 3, activation, outputGain: 1 },
        rng,
      );
      const batch = 9;
      const x = randomInput(rng, batch * 7);
      const viaTf = tf.tidy(() => mlp.apply(tf.tensor2d(x, [batch, 7])).dataSync() as Float32Array);
      const viaF32 = mlp.forwardF32(x, batch);
      expect(viaF32.length).toBe(batch * 3);
      for (let i = 0; i < viaF32.length; i++) expect(Math.abs(viaF32[i]! - viaTf[i]!)).toBeLessThan(1e-5);
      mlp.dispose();
    }
  });

  it('forwardF32 follows weight updates (setWeights and optimizer-style assign)', () => {
    const rng = new Rng(5);
    const a = new Mlp({ inputDim: 4, hiddenSizes: [8], outputDim: 2 }, rng);
    const x = randomInput(rng, 4);
    const before = Float32Array.from(a.forwardF32(x, 1));
    const w = a.getWeights();
    w[3]![0]! += 1; // output bias 0
    a.setWeights(w);
    const after = a.forwardF32(x, 1);
    expect(after[0]).toBeCloseTo(before[0]! + 1, 5);
    tf.tidy(() => a.variables[3]!.assign(tf.zeros([2]).add(5)));
    expect(a.forwardF32(x, 1)[1]).toBeCloseTo(before[1]! + 5, 5);
    a.dispose();
  });

  it('forwardTrainKernel is forwardF32 on the training kernel, below and above the WebAssembly threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('tanh' as const, 'relu' as const),
        (seed, inputDim, hidden, batch, activation) => {
          const rng = new Rng(seed);
          const mlp = new Mlp({ inputDim, hiddenSizes: [hidden], outputDim: 3, activation }, rng);
          const x = randomInput(rng, batch * inputDim);
          const ref = Float32Array.from(mlp.forwardF32(x, batch));
          const out = new Float32Array(batch * 3 + 2).fill(7);
          const got = mlp.forwardTrainKernel(x, batch, out);
          expect(got).toBe(out);
          expect(out[batch * 3]).toBe(7); // writes batch × outputDim values only
          let scale = 1;
          for (const v of ref) scale = Math.max(scale, Math.abs(v));
          for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(2e-5 * scale);
          // The same rows through the training pass give the same values bit for bit.
          expect(Array.from(mlp.forwardTrain(x, batch))).toEqual(Array.from(got.subarray(0, batch * 3)));
          mlp.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('forwardTrainKernel between forwardTrain and backward leaves the gradients unchanged, and follows host changes', () => {
    const rng = new Rng(8);
    const mlp = new Mlp({ inputDim: 64, hiddenSizes: [48], outputDim: 4, activation: 'relu' }, rng);
    const B = 6;
    const x = randomInput(rng, B * 64);
    const other = randomInput(rng, 64);
    const dOut = randomInput(rng, B * 4);
    const grads = (interleave: boolean): number[][] => {
      for (const g of mlp.hostGrads()) g.fill(0);
      mlp.forwardTrain(x, B);
      if (interleave) mlp.forwardTrainKernel(other, 1);
      mlp.backward(dOut);
      return mlp.hostGrads().map((g) => Array.from(g));
    };
    expect(grads(true)).toEqual(grads(false));
    const before = Float32Array.from(mlp.forwardTrainKernel(other, 1));
    mlp.hostParams()[3]![2]! += 1; // output bias 2, changed in place
    mlp.markHostChanged();
    const after = mlp.forwardTrainKernel(other, 1);
    expect(after[2]).toBeCloseTo(before[2]! + 1, 5);
    expect(after[0]).toBe(before[0]);
    mlp.dispose();
  });

  it('same seed gives the same weights; different seeds differ', () => {
    const cfg = { inputDim: 4, hiddenSizes: [16, 16], outputDim: 2, outputGain: 0.01 };
    const a = new Mlp(cfg, new Rng(1));
    const b = new Mlp(cfg, new Rng(1));
    const c = new Mlp(cfg, new Rng(2));
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(a.getWeights()[0]).not.toEqual(c.getWeights()[0]);
    expect(a.numParams()).toBe(4 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2);
    // Zero biases, small output gain.
    expect([...a.getWeights()[1]!].every((v) => v === 0)).toBe(true);
    const out = a.getWeights()[4]!;
    expect(Math.max(...out.map(Math.abs))).toBeLessThan(0.02);
    c.copyFrom(a);
    expect(c.getWeights()).toEqual(a.getWeights());
    for (const m of [a, b, c]) m.dispose();
  });

  it('rejects bad configs and wrong weight shapes with typed errors', () => {
    expect(() => new Mlp({ inputDim: 0, hiddenSizes: [], outputDim: 1 }, new Rng(0))).toThrow(/inputDim/);
    const m = new Mlp({ inputDim: 2, hiddenSizes: [], outputDim: 1 }, new Rng(0));
    expect(() => m.setWeights([new Float32Array(3)])).toThrow(/expected 2 arrays/);
    m.dispose();
    expect(() => m.forwardF32(new Float32Array(2), 1)).toThrow(/disposed/);
  });
});
