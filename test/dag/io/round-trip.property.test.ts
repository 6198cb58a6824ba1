import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDag, dagToSpec } from '../../../src/dag/build-dag.js';
import { formatDotDag, parseDotDag } from '../../../src/dag/io/dot-format.js';
import { formatJsonDag, parseJsonDag } from '../../../src/dag/io/json-format.js';
import { formatStgDag, isStgShaped, parseStgDag } from '../../../src/dag/io/stg-format.js';
import { arbIoDag, stgNumbers, unorderedSpec } from './io-test-helpers.js';

const RUNS = { numRuns: 200 };

describe('round trips over random small DAGs', () => {
  it('JSON: parse(format(G)) = G, order and unknown keys included', () => {
    fc.assert(
      fc.property(arbIoDag({ types: true, labels: true }), (dag) => {
        expect(dagToSpec(parseJsonDag(formatJsonDag(dag), 'p.json'))).toEqual(dagToSpec(dag));
      }),
      RUNS,
    );
  });

  it('DOT: parse(format(G)) = G, order, types and labels included', () => {
    fc.assert(
      fc.property(arbIoDag({ types: true, labels: true }), (dag) => {
        expect(dagToSpec(parseDotDag(formatDotDag(dag), 'p.dot'))).toEqual(dagToSpec(dag));
      }),
      RUNS,
    );
  });

  it('STG: parse(format(G)) = G plus at most two zero-WCET dummies', () => {
    fc.assert(
      fc.property(arbIoDag(), (dag) => {
        const back = parseStgDag(formatStgDag(dag), 'p.stg');
        const original = new Set(dag.ids.map(String));
        const added = back.ids.filter((id) => !original.has(String(id)));
        expect(added.length).toBeLessThanOrEqual(2);
        for (const id of added) expect(back.wcet[back.indexOf.get(String(id))!]).toBe(0);
        if (isStgShaped(dag)) {
          // Written as it is: same ids in the same order; edges come back grouped by task.
          expect(back.ids).toEqual(dag.ids);
          expect(unorderedSpec(back)).toEqual(unorderedSpec(dag));
        }
        const spec = dagToSpec(back);
        const kept = buildDag({
          ...spec,
          nodes: spec.nodes.filter((node) => original.has(String(node.id))),
          edges: spec.edges.filter(([a, b]) => original.has(String(a)) && original.has(String(b))),
        });
        expect(unorderedSpec(kept)).toEqual(unorderedSpec(dag));
      }),
      RUNS,
    );
  });

  it('STG: format(parse(format(G))) has the same numbers as format(G)', () => {
    fc.assert(
      fc.property(arbIoDag(), (dag) => {
        const first = formatStgDag(dag);
        const again = formatStgDag(parseStgDag(first, 'p.stg'));
        expect(stgNumbers(again)).toEqual(stgNumbers(first));
        expect(dagToSpec(parseStgDag(again, 'p.stg'))).toEqual(dagToSpec(parseStgDag(first, 'p.stg')));
      }),
      RUNS,
    );
  });

  it('conversions compose: JSON → STG → DOT → JSON keeps the graph', () => {
    fc.assert(
      fc.property(arbIoDag({ styles: ['stg'] }), (dag) => {
        const viaStg = parseStgDag(formatStgDag(dag), 'p.stg');
        const viaDot = parseDotDag(formatDotDag(viaStg), 'p.dot');
        const back = parseJsonDag(formatJsonDag(viaDot), 'p.json');
        expect(unorderedSpec(back)).toEqual(unorderedSpec(dag));
      }),
      RUNS,
    );
  });
});
