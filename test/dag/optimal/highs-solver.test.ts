import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { loadHighs, solveLp } from '../../../src/dag/optimal/highs-solver.js';

const KNAPSACK = `Maximize
 value: 5 a + 4 b + 3 c
Subject To
 weight: 2 a + 3 b + c <= 4
Binaries
 a b c
End`;

describe('solveLp (HiGHS wrapper)', () => {
  it('loads the module once and caches it', async () => {
    expect(await loadHighs()).toBe(await loadHighs());
  });

  it('solves a small MILP: status, objective, values by name, dual bound', async () => {
    const sol = await solveLp(KNAPSACK, { timeLimitS: 5 });
    expect(sol.status).toBe('optimal');
    expect(sol.hasSolution).toBe(true);
    expect(sol.objective).toBeCloseTo(8);
    expect(sol.values.get('a')).toBeCloseTo(1);
    expect(sol.values.get('b')).toBeCloseTo(0);
    expect(sol.values.get('c')).toBeCloseTo(1);
    expect(sol.dualBound).toBeCloseTo(8);
    expect(sol.timeMs).toBeGreaterThanOrEqual(0);
  });

  it('reports infeasibility as a status, not an error', async () => {
    const sol = await solveLp('Minimize\n obj: x\nSubject To\n c1: x >= 2\n c2: x <= 1\nGenerals\n x\nEnd');
    expect(sol.status).toBe('infeasible');
    expect(sol.hasSolution).toBe(false);
    expect(sol.values.size).toBe(0);
  });

  it('throws an ArbiterError (solver-failed) on unreadable input, and recovers for the next call', async () => {
    await expect(solveLp('this is ::: not an LP file')).rejects.toMatchObject({ code: 'solver-failed' });
    await expect(solveLp('this is ::: not an LP file')).rejects.toBeInstanceOf(ArbiterError);
    const sol = await solveLp(KNAPSACK);
    expect(sol.status).toBe('optimal');
  });
});
