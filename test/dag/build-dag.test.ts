import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { buildDag, dagToSpec } from '../../src/dag/build-dag.js';
import type { DagTaskSpec } from '../../src/dag/dag-task.js';

const ok = (): DagTaskSpec => ({
  name: 't',
  deadline: 10,
  nodes: [
    { id: 'a', wcet: 1 },
    { id: 'b', wcet: 2 },
    { id: 'c', wcet: 3 },
  ],
  edges: [
    ['a', 'b'],
    ['b', 'c'],
  ],
});

function errorOf(spec: unknown, source = 'task.json'): ValidationError {
  try {
    buildDag(spec as DagTaskSpec, { source });
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('buildDag validation (SPEC §1)', () => {
  it('accepts a valid task and indexes it', () => {
    const dag = buildDag(ok());
    expect(dag.n).toBe(3);
    expect([...dag.topoOrder]).toEqual([0, 1, 2]);
    expect(dag.succ[0]).toEqual([1]);
    expect(dag.warnings).toEqual([]);
  });

  it('names a cycle with file, node and rule', () => {
    const spec = ok();
    spec.edges.push(['c', 'a']);
    const e = errorOf(spec);
    expect(e.rule).toBe('cycle');
    expect(e.message).toContain('task.json');
    expect(e.message).toMatch(/a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/);
  });

  it('rejects an unknown edge endpoint', () => {
    const spec = ok();
    spec.edges.push(['a', 'zz']);
    const e = errorOf(spec);
    expect(e.rule).toBe('dangling-edge');
    expect(e.message).toContain('edge a -> zz');
    expect(e.message).toContain('"zz"');
  });

  it('rejects self-loops, duplicate ids, an empty graph', () => {
    const loop = ok();
    loop.edges.push(['b', 'b']);
    expect(errorOf(loop).rule).toBe('self-loop');
    const dup = ok();
    dup.nodes.push({ id: 'a', wcet: 1 });
    expect(errorOf(dup).rule).toBe('duplicate-id');
    expect(errorOf({ nodes: [], edges: [] }).rule).toBe('empty-graph');
  });

  it('rejects negative, NaN and infinite WCETs, and 0 on an inner node', () => {
    for (const bad of [-1, NaN, Infinity, '3']) {
      const spec = ok();
      spec.nodes[1] = { id: 'b', wcet: bad as number };
      const e = errorOf(spec);
      expect(e.rule).toBe('wcet');
      expect(e.message).toContain("node 'b'");
    }
    const inner = ok();
    inner.nodes[1] = { id: 'b', wcet: 0 };
    expect(errorOf(inner).rule).toBe('wcet');
    const source = ok();
    source.nodes[0] = { id: 'a', wcet: 0 };
    expect(() => buildDag(source)).not.toThrow();
  });

  it('rejects a non-positive deadline', () => {
    for (const d of [0, -3, NaN]) expect(errorOf({ ...ok(), deadline: d }).rule).toBe('deadline');
  });

  it('merges duplicate edges with a warning', () => {
    const spec = ok();
    spec.edges.push(['a', 'b']);
    const dag = buildDag(spec, { source: 'x.json' });
    expect(dag.edges).toHaveLength(2);
    expect(dag.warnings).toHaveLength(1);
    expect(dag.warnings[0]).toContain('duplicate-edge');
  });

  it('preserves unknown keys through dagToSpec', () => {
    const spec = { ...ok(), period: 20, nodes: [{ id: 1, wcet: 2, type: 'gpu', core: 'big' }], edges: [] };
    const back = dagToSpec(buildDag(spec));
    expect(back).toEqual({
      name: 't',
      deadline: 10,
      period: 20,
      nodes: [{ id: 1, wcet: 2, type: 'gpu', core: 'big' }],
      edges: [],
    });
  });
});
