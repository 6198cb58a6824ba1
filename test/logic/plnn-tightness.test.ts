import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { solveLp } from '../../src/dag/optimal/highs-solver.js';
import { buildLogicGraph } from '../../src/logic/build-logic-graph.js';
import { exactBoundsLp } from '../../src/logic/exact-bounds-lp.js';
import { infer } from '../../src/logic/infer.js';
import { knowledgeBase } from '../../src/logic/logic-builder.js';
import type { LogicGraph } from '../../src/logic/logic-graph.js';
import { randomProbabilityModel, withTrueFacts } from '../../src/logic/random-probability-model.js';

async function exact(graph: LogicGraph, k: number): Promise<[number, number]> {
  const lp = exactBoundsLp(graph, k);
  const lo = await solveLp(lp.min);
  const hi = await solveLp(lp.max);
  expect(lo.status).toBe('optimal');
  expect(hi.status).toBe('optimal');
  return [lo.objective!, hi.objective!];
}

describe('PLNN tightness against the exact LP over the 2^n atoms (HiGHS)', () => {
  it('is exact where local Fréchet reasoning is complete (two marginals → A ∧ B, A ∨ B, A → B)', async () => {
    const g = knowledgeBase('plnn')
      .propositions('A', 'B')
      .and('AB', ['A', 'B'])
      .or('AoB', ['A', 'B'])
      .implies('AiB', 'A', 'B')
      .fact('A', [0.3, 0.4])
      .fact('B', 0.8)
      .build();
    const r = infer(g);
    for (const id of ['AB', 'AoB', 'AiB']) {
      const k = g.index.get(id)!;
      const [lo, hi] = await exact(g, k);
      expect(r.lower[k]).toBeCloseTo(lo, 6);
      expect(r.upper[k]).toBeCloseTo(hi, 6);
    }
  });

  it('contains the exact bounds on random graphs (soundness) and reports how much wider it is', async () => {
    const rng = new Rng(7);
    let excess = 0;
    let count = 0;
    for (let t = 0; t < 12; t++) {
      const model = randomProbabilityModel(rng, { variables: 2 + rng.int(3), operators: 3 + rng.int(3) });
      const graph = buildLogicGraph(
        withTrueFacts(rng, model, buildLogicGraph(model.spec), { factShare: 0.5 }),
      );
      const r = infer(graph, { log: false });
      for (let k = 0; k < graph.nodes.length; k++) {
        if (graph.nodes[k]!.hidden) continue;
        const [lo, hi] = await exact(graph, k);
        expect(r.lower[k]!).toBeLessThanOrEqual(lo + 1e-6);
        expect(r.upper[k]!).toBeGreaterThanOrEqual(hi - 1e-6);
        excess += r.upper[k]! - r.lower[k]! - (hi - lo);
        count++;
      }
    }
    expect(count).toBeGreaterThan(40);
    const mean = excess / count;
    expect(mean).toBeGreaterThanOrEqual(0);
    expect(mean).toBeLessThan(0.5); // local bounds are looser, but not vacuous
  });

  it('refuses graphs with a fixed J (not a linear constraint)', () => {
    const g = knowledgeBase('plnn').propositions('A', 'B').and('AB', ['A', 'B'], { j: 0 }).build();
    expect(() => exactBoundsLp(g, 2)).toThrow(/J unconstrained/);
  });
});
