import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { dagToSpec } from '../../../src/dag/build-dag.js';
import { deadlineBySlack } from '../../../src/dag/generate/deadline.js';
import { generateDag, generateDagSet, type DagKind } from '../../../src/dag/generate/generate-dag.js';

const KINDS: DagKind[] = ['layered', 'fork-join'];

describe('generateDag', () => {
  it('names the task by kind, size and seed and sets D by the default slack 0.5', () => {
    const dag = generateDag({ kind: 'layered', nodes: 20, seed: 1 });
    expect(dag.name).toBe('layered-n20-s1');
    expect(dag.n).toBe(20);
    const { volume, criticalPath } = computeTiming(dag);
    expect(dag.deadline).toBe(Math.ceil(criticalPath + 0.5 * (volume - criticalPath)));
    expect(generateDag({ kind: 'fork-join', nodes: 20, seed: 3 }).name).toBe('fork-join-n20-s3');
    expect(generateDag({ nodes: 5, seed: 2 }).name).toBe('layered-n5-s2');
    expect(generateDag({ nodes: 5, seed: 2, name: 'mine' }).name).toBe('mine');
  });

  it('is deterministic by seed for both kinds; different seeds give different tasks', () => {
    for (const kind of KINDS) {
      const a = dagToSpec(generateDag({ kind, nodes: 25, seed: 42 }));
      const b = dagToSpec(generateDag({ kind, nodes: 25, seed: 42 }));
      const c = dagToSpec(generateDag({ kind, nodes: 25, seed: 43 }));
      expect(a).toEqual(b);
      expect({ ...c, name: a.name }).not.toEqual(a);
    }
  });

  it('meets the node count for both kinds, and D is L at slack 0 and vol at slack 1', () => {
    for (const kind of KINDS)
      for (const nodes of [1, 2, 5, 17, 64, 200]) {
        const dag = generateDag({ kind, nodes, seed: nodes, slack: 0 });
        expect(dag.n).toBe(nodes);
        const { volume, criticalPath } = computeTiming(dag);
        expect(dag.deadline).toBe(criticalPath);
        expect(generateDag({ kind, nodes, seed: nodes, slack: 1 }).deadline).toBe(volume);
        expect(deadlineBySlack(dag, 0.25)).toBe(
          generateDag({ kind, nodes, seed: nodes, slack: 0.25 }).deadline,
        );
      }
  });

  it('passes the family options through (layers, edge probability, WCET range)', () => {
    const dag = generateDag({ nodes: 30, seed: 5, layers: 30, edgeProbability: 0, wcetMin: 7, wcetMax: 7 });
    expect([...dag.wcet].every((c) => c === 7)).toBe(true);
    expect(dag.edges).toHaveLength(29); // 30 layers of one node: a chain
    expect(computeTiming(dag).criticalPath).toBe(210);
  });

  it('rejects an unknown kind, a bad seed, a bad slack', () => {
    expect(() => generateDag({ kind: 'tree' as DagKind, nodes: 5, seed: 1 })).toThrow(ArbiterError);
    expect(() => generateDag({ nodes: 5, seed: NaN })).toThrow(ArbiterError);
    expect(() => generateDag({ nodes: 5, seed: 1, slack: 2 })).toThrow(ArbiterError);
  });
});

describe('generateDagSet', () => {
  it('task i equals generateDag with seed + i, so it can be reproduced alone; names are unique', () => {
    for (const kind of KINDS) {
      const set = generateDagSet({ kind, count: 5, nodes: 15, seed: 100, slack: 0.3 });
      expect(set).toHaveLength(5);
      set.forEach((dag, i) => {
        expect(dagToSpec(dag)).toEqual(
          dagToSpec(generateDag({ kind, nodes: 15, seed: 100 + i, slack: 0.3 })),
        );
      });
      expect(new Set(set.map((d) => d.name)).size).toBe(5);
    }
    const named = generateDagSet({ count: 3, nodes: 8, seed: 1, name: 'batch' });
    expect(named.map((d) => d.name)).toEqual(['batch-0', 'batch-1', 'batch-2']);
    expect(generateDagSet({ count: 0, nodes: 8, seed: 1 })).toEqual([]);
    expect(() => generateDagSet({ count: -1, nodes: 8, seed: 1 })).toThrow(ArbiterError);
  });
});
