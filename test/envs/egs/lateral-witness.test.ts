/**
 * Incremental lateral widths with witnesses (PosetWidthTracker `witnesses`, `keptByEdge`): after
 * random edge sequences the tracker's width, lateral widths, critical flags, antichain and the
 * observation features built from it equal a from-scratch computation, and each witness proves
 * its node's lateral width. ClosureMatching.sweepAntichain equals König's antichain.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClosureMatching } from '../../../src/dag/analysis/closure-matching.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { generateDag } from '../../../src/dag/generate/generate-dag.js';
import { EdgeGenerationState } from '../../../src/dag/edge-generation/edge-generation-state.js';
import {
  PosetWidthTracker,
  criticalNodes,
  edgeKeepsLateralWidths,
} from '../../../src/envs/egs/critical-nodes.js';
import {
  addEdgeToRelationCodes,
  antichainFlags,
  egsNodeFeatureDim,
  egsObservationParts,
  writeEgsNodeFeatures,
  writeEgsRelationCodes,
} from '../../../src/envs/egs/egs-observation.js';
import type { EgsListHint } from '../../../src/envs/egs/egs-list-hint.js';
import { arbDag } from '../../helpers/random-dag.js';

/** Edge number `p` (modulo their count) among the valid ones, or undefined when none is left. */
function pickValidEdge(s: EdgeGenerationState, p: number): [number, number] | undefined {
  const valid: [number, number][] = [];
  for (let i = 0; i < s.dag.n; i++) for (let j = 0; j < s.dag.n; j++) if (s.isValid(i, j)) valid.push([i, j]);
  return valid.length === 0 ? undefined : valid[p % valid.length];
}

// A made-up list hint (start times and core neighbours), so that the v2 features read one.
function hintOf(dag: Dag): EgsListHint {
  const n = dag.n;
  return {
    start: Float64Array.from({ length: n }, (_, v) => v % 7),
    coreNext: Int32Array.from({ length: n }, (_, v) => (v + 1 < n && v % 3 !== 2 ? v + 1 : -1)),
    corePrev: Int32Array.from({ length: n }, (_, v) => (v > 0 && v % 3 !== 0 ? v - 1 : -1)),
  };
}

// The v2 node features of a state from a tracker's parts.
function features(s: EdgeGenerationState, t: PosetWidthTracker, hint: EgsListHint): Float32Array {
  const n = s.dag.n;
  const out = new Float32Array(n * egsNodeFeatureDim('v2'));
  const flags = antichainFlags(t.antichain(s.reach, []), n, new Uint8Array(n));
  writeEgsNodeFeatures(s, egsObservationParts(t, 2, { inAntichain: flags, listHint: hint }), out, 'v2');
  return out;
}

describe('lateral widths kept by witnesses', () => {
  it('property: after random edges, tracker state and v2 features equal a from-scratch computation', () => {
    fc.assert(
      fc.property(
        arbDag({ maxNodes: 45, slack: [0, 1] }),
        fc.boolean(),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        (dag, loose, picks) => {
          // A loose deadline (the volume) makes every incomparable pair a valid edge.
          const D = loose ? dag.wcet.reduce((a, b) => a + b, 0) : dag.deadline!;
          const s = new EdgeGenerationState(dag, Math.max(D, dag.deadline!));
          const t = new PosetWidthTracker(dag.n, { witnesses: true });
          t.reset(s.reach, s.ancestors);
          const keep = new Uint32Array(s.reach.words);
          const codes = new Uint8Array(dag.n * dag.n);
          writeEgsRelationCodes(s, codes);
          const hint = hintOf(dag);
          for (const p of picks) {
            const edge = pickValidEdge(s, p);
            if (!edge) break;
            const [i, j] = edge;
            t.keptByEdge(s.reach, s.ancestors, i, j, keep);
            addEdgeToRelationCodes(s, i, j, codes);
            s.addEdge(i, j);
            t.update(s.reach, s.ancestors, keep);
            const fresh = new PosetWidthTracker(dag.n);
            fresh.reset(s.reach, s.ancestors);
            expect(t.result()).toEqual(criticalNodes(s.reach, s.ancestors));
            expect(t.antichain(s.reach, [])).toEqual(fresh.antichain(s.reach, []));
            expect(features(s, t, hint)).toEqual(features(s, fresh, hint));
            const want = new Uint8Array(dag.n * dag.n);
            writeEgsRelationCodes(s, want);
            expect(codes).toEqual(want);
            // Each witness: v and lateralWidth[v] others, pairwise incomparable.
            for (let v = 0; v < dag.n; v++) {
              const a = t.witnessOf(v);
              if (a === undefined) continue;
              expect(a).toContain(v);
              expect(a).toHaveLength(t.lateralWidth[v]! + 1);
              for (const x of a) for (const y of a) if (x !== y) expect(s.reach.has(x, y)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 40, seed: 16 },
    );
  });

  it('keeps more nodes than the descendants-of-i / ancestors-of-j rule along an episode', () => {
    const dag = generateDag({ kind: 'layered', nodes: 60, seed: 3, wcetMin: 1, wcetMax: 10 });
    const s = new EdgeGenerationState(dag, dag.deadline!);
    const t = new PosetWidthTracker(dag.n, { witnesses: true });
    t.reset(s.reach, s.ancestors);
    const keep = new Uint32Array(s.reach.words);
    const plain = new Uint32Array(s.reach.words);
    const count = (bits: Uint32Array): number => {
      let c = 0;
      for (let v = 0; v < dag.n; v++) if (bits[v >>> 5]! & (1 << (v & 31))) c++;
      return c;
    };
    let kept = 0;
    let keptPlain = 0;
    for (let step = 0; step < 40; step++) {
      const edge = pickValidEdge(s, 7 * step + 3);
      if (!edge) break;
      const [i, j] = edge;
      kept += count(t.keptByEdge(s.reach, s.ancestors, i, j, keep));
      keptPlain += count(edgeKeepsLateralWidths(s.reach, s.ancestors, i, j, plain));
      s.addEdge(i, j);
      t.update(s.reach, s.ancestors, keep);
    }
    expect(kept).toBeGreaterThan(keptPlain);
  });

  it('ClosureMatching.sweepAntichain: König’s antichain of the maximize’s own search; refused after an augmentation', () => {
    fc.assert(
      fc.property(arbDag({ maxNodes: 40 }), (dag) => {
        const reach = transitiveClosure(dag);
        const m = new ClosureMatching(dag.n);
        m.clear(dag.n);
        m.maximize(reach);
        if (!m.swept) {
          expect(() =>
            m.sweepAntichain(new Uint32Array(reach.words), reach.words, new Uint32Array(reach.words)),
          ).toThrow(/augmented/);
          m.maximize(reach);
        }
        expect(m.swept).toBe(true);
        const all = new Uint32Array(reach.words).fill(0xffffffff);
        if (dag.n & 31) all[reach.words - 1] = (1 << (dag.n & 31)) - 1;
        const bits = new Uint32Array(reach.words);
        m.sweepAntichain(all, reach.words, bits);
        const got: number[] = [];
        for (let v = 0; v < dag.n; v++) if (bits[v >>> 5]! & (1 << (v & 31))) got.push(v);
        expect(got).toEqual(m.antichain(reach, []));
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
