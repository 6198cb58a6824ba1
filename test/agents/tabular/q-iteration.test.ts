import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bellmanResidual, optimalActions, qIteration } from '../../../src/agents/tabular/q-iteration.js';
import { GRID_ACTIONS, GridWorldModel } from '../../../src/envs/gridworld.js';

const { up, right, down, left } = GRID_ACTIONS;

describe('qIteration', () => {
  it('1×3 corridor, γ = 0.9: exact hand-computed values', () => {
    // s0 · s1 · G. Right from s1 reaches the goal (+1): Q(s1,→) = 1, V(s1) = 1;
    // Q(s0,→) = γ·V(s1) = 0.9 = V(s0); bumping or going back: Q = γ·V(s0) = 0.81 (from s0) and
    // Q(s1,←) = γ·V(s0) = 0.81, Q(s1,↑) = Q(s1,↓) = γ·V(s1) = 0.9.
    const m = new GridWorldModel({ rows: 1, cols: 3, start: [0, 0], goals: [[0, 2]] });
    const { Q, V, policy, converged } = qIteration(m, { gamma: 0.9, tol: 1e-12 });
    expect(converged).toBe(true);
    expect(V[0]).toBeCloseTo(0.9, 12);
    expect(V[1]).toBeCloseTo(1, 12);
    expect(V[2]).toBe(0);
    const q = (s: number, a: number): number => Q[s * 4 + a]!;
    expect(q(0, right)).toBeCloseTo(0.9, 12);
    expect(q(0, left)).toBeCloseTo(0.81, 12);
    expect(q(0, up)).toBeCloseTo(0.81, 12);
    expect(q(1, right)).toBeCloseTo(1, 12);
    expect(q(1, left)).toBeCloseTo(0.81, 12);
    expect(q(1, down)).toBeCloseTo(0.9, 12);
    expect(Array.from(policy.slice(0, 2))).toEqual([right, right]);
  });

  it('step cost and slip: V(s1) solves V = 0.8·1 + 0.2·(−0.1 + γV) (hand-derived)', () => {
    // From s1 pushing right: 0.8 reach the goal (+1), 0.2 slip up/down into the border and stay
    // (step reward −0.1). So V1 = 0.8 + 0.2(−0.1 + 0.9 V1) → V1 = 0.78 / 0.82.
    const m = new GridWorldModel({ rows: 1, cols: 3, goals: [[0, 2]], slip: 0.2, stepReward: -0.1 });
    const { V } = qIteration(m, { gamma: 0.9, tol: 1e-13 });
    const v1 = 0.78 / 0.82;
    expect(V[1]).toBeCloseTo(v1, 10);
    // s0 pushing right: 0.8 → s1, 0.2 stay: V0 = −0.1 + 0.9(0.8 V1 + 0.2 V0).
    expect(V[0]).toBeCloseTo((-0.1 + 0.72 * v1) / (1 - 0.18), 10);
  });

  it('default grid: Bellman residual < tol and V(start) = γ^5 (six moves, reward on the last)', () => {
    const m = new GridWorldModel();
    const tol = 1e-10;
    const gamma = 0.95;
    const res = qIteration(m, { gamma, tol });
    expect(res.converged).toBe(true);
    expect(bellmanResidual(m, res.Q, gamma)).toBeLessThan(tol);
    expect(res.V[0]).toBeCloseTo(gamma ** 5, 10);
    // Deterministic grid: V(r, c) = γ^(distance to goal − 1).
    for (let s = 0; s < 15; s++) {
      const [r, c] = m.cell(s);
      expect(res.V[s]).toBeCloseTo(gamma ** (6 - r - c - 1), 10);
    }
    expect(optimalActions(res.Q, 0, 4)).toEqual([right, down]);
    expect(optimalActions(res.Q, 12, 4)).toEqual([right]);
  });

  it('property: on random grids with slip, the result is a fixed point within tol', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.double({ min: -1, max: 0, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (size, slip, stepReward, gamma) => {
          const m = new GridWorldModel({ size, slip, stepReward, holes: size > 2 ? [[1, 1]] : [] });
          const res = qIteration(m, { gamma, tol: 1e-9 });
          expect(res.converged).toBe(true);
          expect(bellmanResidual(m, res.Q, gamma)).toBeLessThan(1e-9);
          for (let s = 0; s < m.numStates; s++) expect(res.V[s]).toBe(res.Q[s * 4 + res.policy[s]!]);
        },
      ),
      { numRuns: 30, seed: 42 },
    );
  });

  it('rejects invalid settings', () => {
    const m = new GridWorldModel();
    expect(() => qIteration(m, { gamma: 1.5 })).toThrow(/gamma/);
    expect(() => qIteration(m, { tol: 0 })).toThrow(/tol/);
    expect(qIteration(m, { gamma: 0.9, maxIters: 2 }).converged).toBe(false);
  });
});
