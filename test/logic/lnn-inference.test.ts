import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { boundsOf, infer } from '../../src/logic/infer.js';
import { knowledgeBase } from '../../src/logic/logic-builder.js';
import { lnnNodeRule } from '../../src/logic/rule-text.js';
import { buildLogicGraph } from '../../src/logic/build-logic-graph.js';
import { randomProbabilityModel, withTrueFacts } from '../../src/logic/random-probability-model.js';

describe('LNN inference (weighted Łukasiewicz)', () => {
  it('upward: AND = clamp(β − Σ w(1 − x)), OR = clamp(1 − β + Σ w x), lower from lower inputs', () => {
    const g = knowledgeBase('lnn')
      .propositions('A', 'B')
      .and('AB', ['A', 'B'], { weights: [1, 0.5], beta: 1 })
      .or('AoB', ['A', 'B'], { weights: [0.5, 1], beta: 1 })
      .not('nA', 'A')
      .fact('A', [0.6, 0.8])
      .fact('B', [0.2, 0.4])
      .build();
    const r = infer(g);
    expect(boundsOf(r, 'AB').lower).toBeCloseTo(1 - 0.4 - 0.5 * 0.8, 12);
    expect(boundsOf(r, 'AB').upper).toBeCloseTo(1 - 0.2 - 0.5 * 0.6, 12);
    expect(boundsOf(r, 'AoB').lower).toBeCloseTo(0.3 + 0.2, 12);
    expect(boundsOf(r, 'AoB').upper).toBeCloseTo(0.4 + 0.4, 12);
    expect(boundsOf(r, 'nA')).toEqual({ lower: expect.closeTo(0.2, 12), upper: expect.closeTo(0.4, 12) });
  });

  it('downward: modus ponens and modus tollens through an implication', () => {
    const g = knowledgeBase('lnn')
      .propositions('Rain', 'Wet', 'Sun', 'Dry')
      .implies('r1', 'Rain', 'Wet')
      .implies('r2', 'Sun', 'Dry')
      .fact('r1', 1)
      .fact('r2', 1)
      .fact('Rain', 1)
      .fact('Dry', 0)
      .build();
    const r = infer(g);
    expect(boundsOf(r, 'Wet').lower).toBe(1); // ponens
    expect(boundsOf(r, 'Sun').upper).toBe(0); // tollens
    expect(r.converged).toBe(true);
    expect(lnnNodeRule(g, g.index.get('r1')!)!.text).toBe('Wet ← Rain');
  });

  it('downward through AND: a true conjunction makes every input true', () => {
    const g = knowledgeBase('lnn')
      .propositions('A', 'B', 'C')
      .and('ABC', ['A', 'B', 'C'])
      .fact('ABC', [0.9, 1])
      .build();
    const r = infer(g);
    for (const id of ['A', 'B', 'C']) expect(boundsOf(r, id).lower).toBeCloseTo(0.9, 12);
  });

  it('detects a contradiction, reports the nodes involved, and does not propagate it', () => {
    const g = knowledgeBase('lnn')
      .propositions('A', 'B', 'C', 'D')
      .and('AB', ['A', 'B'])
      .or('ABorC', ['AB', 'C'])
      .implies('CD', 'C', 'D')
      .fact('A', 1)
      .fact('B', 0)
      .fact('AB', [0.7, 1])
      .fact('C', [0.8, 1])
      .fact('CD', 1)
      .build();
    const r = infer(g);
    expect(r.contradictions).toHaveLength(1);
    const c = r.contradictions[0]!;
    expect(c.node).toBe('AB');
    expect(c.lower).toBeGreaterThan(c.upper);
    expect(c.nodes.sort()).toEqual(['A', 'AB', 'B']);
    // The crossed node is quarantined: its parent keeps what C alone gives, the far subgraph still infers.
    expect(r.contradicted[g.index.get('AB')!]).toBe(1);
    expect(boundsOf(r, 'ABorC')).toEqual({ lower: 0, upper: 1 });
    expect(boundsOf(r, 'D').lower).toBeCloseTo(0.8, 12);
    expect(r.contradicted.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('stops at ε / max iterations', () => {
    const g = knowledgeBase('lnn')
      .propositions('A', 'B')
      .implies('i', 'A', 'B')
      .fact('A', 1)
      .fact('i', 1)
      .build();
    const r = infer(g, { maxIterations: 1 });
    expect(r.iterations).toBe(1);
    expect(infer(g).converged).toBe(true);
  });

  it('property: every logged step only tightens, and the final bounds match the last logged values (moves below 1e-9 go unlogged)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (seed, plnn) => {
        const rng = new Rng(seed);
        const model = randomProbabilityModel(rng, { variables: 3, operators: 4 });
        const spec = withTrueFacts(rng, model, buildLogicGraph(model.spec));
        const ops = (spec.operators ?? []).filter((o) => plnn || o.op !== 'given');
        const graph = buildLogicGraph({
          ...spec,
          operators: ops,
          logic: plnn ? 'plnn' : 'lnn',
          facts: plnn ? spec.facts : {},
        });
        const r = infer(graph);
        const last = new Map<string, number>();
        for (const s of r.steps) {
          if (s.bound === 'lower') expect(s.to).toBeGreaterThan(s.from);
          else expect(s.to).toBeLessThan(s.from);
          last.set(`${s.node}/${s.bound}`, s.to);
        }
        for (const [key, v] of last) {
          const [id, bound] = key.split('/') as [string, 'lower' | 'upper'];
          expect(boundsOf(r, id)[bound]).toBeCloseTo(v, 7);
        }
      }),
      { numRuns: 100 },
    );
  });
});
