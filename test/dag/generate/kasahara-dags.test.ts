import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { DagTaskSpec } from '../../../src/dag/dag-task.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { generateSamePredecessorsDag } from '../../../src/dag/generate/same-predecessors-dag.js';
import {
  generateSameProbabilityDag,
  sameProbabilityEdgeProbability,
} from '../../../src/dag/generate/same-probability-dag.js';

const generators = {
  'same-probability': generateSameProbabilityDag,
  'same-predecessors': generateSamePredecessorsDag,
} as const;

const arbOptions = fc.record({
  nodes: fc.integer({ min: 1, max: 80 }),
  meanPredecessors: fc.double({ min: 0, max: 8, noNaN: true }),
  wcetMin: fc.integer({ min: 1, max: 4 }),
  wcetMax: fc.integer({ min: 4, max: 12 }),
});

const index = (id: unknown): number => Number(String(id).slice(1));

describe.each(Object.entries(generators))('%s DAGs', (name, generate) => {
  it('invariant: n nodes v0…v{n−1}, acyclic with every edge i → j for i < j, WCET integers in range', () => {
    fc.assert(
      fc.property(arbOptions, fc.integer(), (options, seed) => {
        const spec: DagTaskSpec = generate(options, new Rng(seed));
        expect(spec.nodes.map((v) => v.id)).toEqual(Array.from({ length: options.nodes }, (_, i) => `v${i}`));
        const dag = buildDag(spec); // throws on a cycle, a dangling edge, a bad WCET
        expect(dag.n).toBe(options.nodes);
        expect(dag.warnings).toEqual([]); // no duplicate edges
        for (const [u, v] of spec.edges) expect(index(u)).toBeLessThan(index(v));
        for (const c of dag.wcet) {
          expect(Number.isInteger(c)).toBe(true);
          expect(c).toBeGreaterThanOrEqual(options.wcetMin);
          expect(c).toBeLessThanOrEqual(options.wcetMax);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic by seed: same seed → the same spec, another seed → another', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = generate({ nodes: 40 }, new Rng(seed));
        expect(generate({ nodes: 40 }, new Rng(seed))).toEqual(a);
        expect(generate({ nodes: 40 }, new Rng(seed + 1))).not.toEqual(a);
      }),
      { numRuns: 30 },
    );
  });

  it('defaults to WCETs 1–10 and a mean near meanPredecessors (E/n within 20 % at 400 nodes)', () => {
    for (const mean of [2, 4]) {
      const spec = generate({ nodes: 400, meanPredecessors: mean }, new Rng(mean));
      const w = spec.nodes.map((v) => v.wcet);
      expect(Math.min(...w)).toBe(1);
      expect(Math.max(...w)).toBe(10);
      expect(spec.edges.length / 400).toBeGreaterThan(0.8 * mean);
      expect(spec.edges.length / 400).toBeLessThan(1.2 * mean);
    }
  });

  it(`refuses bad options with bad-option (${name})`, () => {
    expect(() => generate({ nodes: 0 }, new Rng(1))).toThrow(ArbiterError);
    expect(() => generate({ nodes: 5, wcetMin: 3, wcetMax: 2 }, new Rng(1))).toThrow(/WCET range/);
    expect(() => generate({ nodes: 5, meanPredecessors: -1 }, new Rng(1))).toThrow(/meanPredecessors/);
  });
});

describe('Kasahara-style kinds of generateDag', () => {
  it('same probability: p = 2·mean/(n − 1), capped at 1; an explicit edgeProbability wins', () => {
    expect(sameProbabilityEdgeProbability({ nodes: 101, meanPredecessors: 3 })).toBeCloseTo(0.06, 12);
    expect(sameProbabilityEdgeProbability({ nodes: 3, meanPredecessors: 5 })).toBe(1);
    expect(sameProbabilityEdgeProbability({ nodes: 50, edgeProbability: 0.2 })).toBe(0.2);
    expect(sameProbabilityEdgeProbability({ nodes: 1 })).toBe(0);
  });

  it('same predecessors: no node has more than ⌊2·mean⌋ predecessors', () => {
    const dag = buildDag(generateSamePredecessorsDag({ nodes: 200, meanPredecessors: 1.5 }, new Rng(3)));
    expect(Math.max(...dag.pred.map((p) => p.length))).toBe(3);
  });

  it('generateDag makes them by kind, seeded, WCETs 1–10 by default', () => {
    for (const kind of ['same-probability', 'same-predecessors'] as const) {
      const a = generateDag({ kind, nodes: 60, seed: 11, slack: 0 });
      expect(a.n).toBe(60);
      expect(Math.max(...a.wcet)).toBeLessThanOrEqual(10);
      expect(generateDag({ kind, nodes: 60, seed: 11, slack: 0 })).toEqual(a);
      expect(a.name).toBe(`${kind}-n60-s11`);
    }
  });
});
