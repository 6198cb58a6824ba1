import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import {
  DEFAULT_DAG_SAMPLER_OPTIONS,
  DagSampler,
  curriculumNodeRange,
} from '../../../src/envs/egs/dag-sampler.js';

describe('DagSampler', () => {
  it('same rng state → the same tasks; different seeds → different tasks', () => {
    const s = new DagSampler();
    const a = [0, 1, 2].map(() => s.sample(new Rng(5)));
    expect(a[1]).toEqual(a[0]);
    const r1 = new Rng(1);
    const r2 = new Rng(2);
    const x = Array.from({ length: 5 }, () => s.sample(r1).name);
    const y = Array.from({ length: 5 }, () => s.sample(r2).name);
    expect(x).not.toEqual(y);
  });

  it('respects the size, kind, slack and WCET ranges, and draws both families', () => {
    const s = new DagSampler({ nodes: [12, 30], slack: [0.1, 0.3], wcet: [2, 9] });
    const rng = new Rng(3);
    const kinds = new Set<string>();
    let dummies = 0;
    for (let k = 0; k < 200; k++) {
      const dag = s.sample(rng);
      expect(dag.n).toBeGreaterThanOrEqual(12);
      expect(dag.n).toBeLessThanOrEqual(30);
      kinds.add(dag.name.split('-n')[0]!);
      const t = computeTiming(dag);
      const D = dag.deadline!;
      // D = ⌈L + s(vol − L)⌉ with s in [0.1, 0.3].
      expect(D).toBeGreaterThanOrEqual(Math.ceil(t.criticalPath + 0.1 * (t.volume - t.criticalPath) - 1e-9));
      expect(D).toBeLessThanOrEqual(Math.ceil(t.criticalPath + 0.3 * (t.volume - t.criticalPath) + 1e-9));
      let zero = 0;
      for (const c of dag.wcet) {
        if (c === 0) zero++;
        else {
          expect(c).toBeGreaterThanOrEqual(2);
          expect(c).toBeLessThanOrEqual(9);
        }
      }
      if (zero === 2) dummies++;
    }
    expect([...kinds].sort()).toEqual(['fork-join', 'layered']);
    expect(dummies).toBeGreaterThan(5); // layered tasks with dummy source and sink (STG-like)
  });

  it('configure changes later samples (curriculum) and validates', () => {
    const s = new DagSampler({ kinds: ['fork-join'] });
    s.configure({ nodes: [40, 40] });
    expect(s.sample(new Rng(0)).n).toBe(40);
    expect(s.options.kinds).toEqual(['fork-join']);
    expect(() => s.configure({ slack: [0.5, 0.2] })).toThrow(/slack/);
    expect(() => new DagSampler({ kinds: [] })).toThrow(/kinds/);
    expect(() => new DagSampler({ nodes: [1.5, 3] })).toThrow(/nodes/);
    expect(() => new DagSampler({ dummyProbability: 2 })).toThrow(/dummyProbability/);
    expect(s.options.nodes).toEqual([40, 40]); // a failed configure changes nothing
    expect(DEFAULT_DAG_SAMPLER_OPTIONS.nodes).toEqual([10, 50]);
  });

  it('curriculumNodeRange interpolates and clamps progress', () => {
    expect(curriculumNodeRange(0, [10, 20], [10, 50])).toEqual([10, 20]);
    expect(curriculumNodeRange(0.5, [10, 20], [10, 50])).toEqual([10, 35]);
    expect(curriculumNodeRange(2, [10, 20], [10, 50])).toEqual([10, 50]);
    expect(curriculumNodeRange(-1, [10, 20], [10, 50])).toEqual([10, 20]);
  });
});
