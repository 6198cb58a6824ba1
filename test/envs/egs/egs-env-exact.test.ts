/**
 * The EGS env's step (closure, windows, mask, observation, padding) is pinned bit for bit to the
 * straightforward code it replaced, kept here as the reference: the closure update through
 * `rowIndices` lists, the windows in a comparator-sorted topological order, the reduction test of
 * each pair by intersecting descendant and ancestor rows, the 0/1 channels expanded from codes,
 * and padding into a zero-filled array. Along random episodes on sampled DAGs, every state,
 * observation, mask, reward and episode end must be identical; a recorded fingerprint of a
 * vector-env run pins the whole pipeline as the rollouts see it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import type { GraphObservation } from '../../../src/core/spaces.js';
import { SyncVectorEnv } from '../../../src/core/vector/sync-vector-env.js';
import {
  PadGraphObservation,
  paddedGraphLayout,
  padGraphInto,
} from '../../../src/core/wrappers/pad-graph-observation.js';
import { BitMatrix } from '../../../src/dag/bit-matrix.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { timeLeq } from '../../../src/dag/time-tolerance.js';
import { criticalNodes } from '../../../src/envs/egs/critical-nodes.js';
import { DagSampler } from '../../../src/envs/egs/dag-sampler.js';
import { EgsEnv } from '../../../src/envs/egs/egs-env.js';
import { EGS_NODE_FEATURE_DIM, EGS_RELATION_DIM } from '../../../src/envs/egs/egs-observation.js';

/** The edge-generation state as it was computed before (closure lists, sorted windows). */
class ReferenceState {
  readonly reach: BitMatrix;
  readonly ancestors: BitMatrix;
  readonly est: Float64Array;
  readonly eft: Float64Array;
  readonly lst: Float64Array;
  readonly lft: Float64Array;
  private readonly succ: number[][];
  private readonly pred: number[][];

  constructor(
    readonly dag: Dag,
    readonly deadline: number,
  ) {
    this.reach = transitiveClosure(dag);
    this.ancestors = this.reach.transpose();
    this.succ = dag.succ.map((s) => [...s]);
    this.pred = dag.pred.map((p) => [...p]);
    const n = dag.n;
    this.est = new Float64Array(n);
    this.eft = new Float64Array(n);
    this.lst = new Float64Array(n);
    this.lft = new Float64Array(n);
    this.updateTiming();
  }

  addEdge(i: number, j: number): void {
    const srcs = this.ancestors.rowIndices(i);
    srcs.push(i);
    const dsts = this.reach.rowIndices(j);
    dsts.push(j);
    for (const a of srcs) {
      this.reach.orRowInto(a, j);
      this.reach.set(a, j);
    }
    for (const b of dsts) {
      this.ancestors.orRowInto(b, i);
      this.ancestors.set(b, i);
    }
    this.succ[i]!.push(j);
    this.pred[j]!.push(i);
    this.updateTiming();
  }

  private updateTiming(): void {
    const n = this.dag.n;
    const count = new Int32Array(n);
    for (let v = 0; v < n; v++) count[v] = this.ancestors.rowCount(v);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => count[a]! - count[b]! || a - b);
    for (const v of order) {
      let s = 0;
      for (const u of this.pred[v]!) if (this.eft[u]! > s) s = this.eft[u]!;
      this.est[v] = s;
      this.eft[v] = s + this.dag.wcet[v]!;
    }
    for (let k = n - 1; k >= 0; k--) {
      const v = order[k]!;
      let f = this.deadline;
      for (const w of this.succ[v]!) if (this.lst[w]! < f) f = this.lst[w]!;
      this.lft[v] = f;
      this.lst[v] = f - this.dag.wcet[v]!;
    }
  }

  /** The observation as it was built: codes per pair with the row-intersection reduction test. */
  observation(lowerBound: number): GraphObservation {
    const n = this.dag.n;
    const { reach, ancestors, deadline } = this;
    const cn = criticalNodes(reach, ancestors);
    const nodeFeatures = new Float32Array(n * EGS_NODE_FEATURE_DIM);
    const gap = (cn.width - lowerBound) / n;
    for (let v = 0; v < n; v++) {
      const o = v * EGS_NODE_FEATURE_DIM;
      nodeFeatures[o] = this.dag.wcet[v]! / deadline;
      nodeFeatures[o + 1] = this.eft[v]! / deadline;
      nodeFeatures[o + 2] = this.lst[v]! / deadline;
      nodeFeatures[o + 3] = cn.lateralWidth[v]! / n;
      nodeFeatures[o + 4] = cn.critical[v] ? 1 : 0;
      nodeFeatures[o + 5] = gap;
    }
    const words = reach.words;
    const r = reach.data;
    const a = ancestors.data;
    const codes = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) {
      const ri = i * words;
      for (let j = 0; j < n; j++) {
        let code = 0;
        if (i !== j) {
          const ij = (r[ri + (j >>> 5)]! & (1 << (j & 31))) !== 0;
          const ji = (a[ri + (j >>> 5)]! & (1 << (j & 31))) !== 0;
          if (ij) {
            code |= 2;
            const aj = j * words;
            let between = 0;
            for (let k = 0; k < words && between === 0; k++) between = r[ri + k]! & a[aj + k]!;
            if (between === 0) code |= 1;
          }
          if (ji) code |= 4;
          if (!ij && !ji) code |= 8;
        }
        codes[i * n + j] = code;
      }
    }
    const K = EGS_RELATION_DIM;
    const relations = new Uint8Array(n * n * K);
    for (let p = 0; p < n * n; p++) for (let c = 0; c < K; c++) relations[p * K + c] = (codes[p]! >>> c) & 1;
    return { numNodes: n, nodeFeatures, relations };
  }

  /** The mask over Discrete(maxNodes²): valid pairs, of critical nodes with `criticalOnly`. */
  mask(maxNodes: number, criticalOnly: boolean): Uint8Array {
    const n = this.dag.n;
    const critical = criticalOnly
      ? criticalNodes(this.reach, this.ancestors).critical
      : new Uint8Array(n).fill(1);
    const m = new Uint8Array(maxNodes * maxNodes);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (
          critical[i] &&
          critical[j] &&
          i !== j &&
          !this.reach.has(i, j) &&
          !this.reach.has(j, i) &&
          timeLeq(this.eft[i]!, this.lst[j]!, this.deadline)
        )
          m[i * maxNodes + j] = 1;
    return m;
  }
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.prototype.every.call(a, (x: number, i: number) => Object.is(x, b[i]));

describe('EGS env step against the reference code path', () => {
  it('property: states, observations, padded observations, masks, rewards and ends are bit-identical', () => {
    const maxNodes = 50;
    const layout = paddedGraphLayout(maxNodes, EGS_NODE_FEATURE_DIM, EGS_RELATION_DIM);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 2, max: 50 }), (seed, hi) => {
        const rng = new Rng(seed);
        const sampler = new DagSampler({ nodes: [Math.min(hi, 10), hi], slack: [0, 0.5] });
        const criticalOnly = seed % 3 !== 0;
        const env = new EgsEnv({ maxNodes, sampler, maxSteps: 40, criticalOnly });
        const wrapped = new PadGraphObservation(
          new EgsEnv({ maxNodes, sampler, maxSteps: 40, criticalOnly }),
        );
        const first = env.reset({ seed });
        const firstPadded = wrapped.reset({ seed });
        const dag = env.state.dag;
        const ref = new ReferenceState(dag, env.state.deadline);
        let obs = first.obs;
        let padded = firstPadded.obs;
        let mask = first.info.actionMask;
        for (let step = 0; ; step++) {
          const s = env.state;
          expect(sameBits(s.reach.data, ref.reach.data)).toBe(true);
          expect(sameBits(s.ancestors.data, ref.ancestors.data)).toBe(true);
          for (const k of ['est', 'eft', 'lst', 'lft'] as const) expect(sameBits(s[k], ref[k])).toBe(true);
          const want = ref.observation(env.lowerBound);
          expect(obs.numNodes).toBe(want.numNodes);
          expect(sameBits(obs.nodeFeatures, want.nodeFeatures)).toBe(true);
          expect(sameBits(obs.relations, want.relations)).toBe(true);
          const wantPadded = new Float32Array(layout.size).fill(7); // padding must be cleared
          padGraphInto(want, layout, wantPadded);
          expect(sameBits(padded, wantPadded)).toBe(true);
          expect(sameBits(mask, ref.mask(maxNodes, criticalOnly))).toBe(true);
          if (first.info.terminal) break;
          const allowed = [...mask.keys()].filter((a) => mask[a]);
          const a = allowed[rng.int(allowed.length)]!;
          const widthBefore = criticalNodes(ref.reach, ref.ancestors).width;
          const r = env.step(a);
          const rp = wrapped.step(a);
          ref.addEdge(Math.floor(a / maxNodes), a % maxNodes);
          expect(r.reward).toBe(widthBefore - criticalNodes(ref.reach, ref.ancestors).width);
          expect([rp.reward, rp.terminated, rp.truncated]).toEqual([r.reward, r.terminated, r.truncated]);
          obs = r.obs;
          padded = rp.obs;
          mask = r.info.actionMask;
          if (r.terminated || r.truncated) {
            expect(r.terminated).toBe(mask.every((m) => m === 0) || env.width <= env.lowerBound);
            break;
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a fixed-seed vector-env run (8 copies, 20–50 nodes) hashes to the recorded fingerprint', () => {
    const make = (): PadGraphObservation<number> =>
      new PadGraphObservation(new EgsEnv({ maxNodes: 50, sampler: { nodes: [20, 50], slack: [0, 0.4] } }));
    const venv = new SyncVectorEnv(
      Array.from({ length: 8 }, () => make),
      { reuseBuffers: true, resumable: true },
    );
    let res = venv.resetSync(1);
    const rng = new Rng(5);
    const A = 2500;
    const actions = new Int32Array(8);
    let h = 0x811c9dc5;
    const hash = (bytes: Uint8Array): void => {
      for (let t = 0; t < bytes.length; t++) h = Math.imul(h ^ bytes[t]!, 0x01000193);
    };
    const f32 = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let s = 0; s < 150; s++) {
      const m = res.actionMasks!;
      for (let e = 0; e < 8; e++) {
        let count = 0;
        for (let a = 0; a < A; a++) count += m[e * A + a]!;
        let k = rng.int(count);
        for (let a = 0; a < A; a++)
          if (m[e * A + a] && k-- === 0) {
            actions[e] = a;
            break;
          }
      }
      const r = venv.stepSync(actions);
      res = r;
      hash(f32(r.obs));
      hash(r.actionMasks!);
      hash(f32(Float32Array.from(r.rewards)));
      hash(Uint8Array.from([...r.terminated, ...r.truncated]));
      for (const f of r.finalObs) if (f) hash(f32(f));
    }
    // Recorded on the code before the allocation-free step (same value on the reference path).
    expect((h >>> 0).toString(16)).toBe('b48cd665');
  });
});
