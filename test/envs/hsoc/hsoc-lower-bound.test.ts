import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import type { DagTaskSpec } from '../../../src/dag/dag-task.js';
import { HsocEnv, type HsocEnvOptions } from '../../../src/envs/hsoc/hsoc-env.js';
import {
  hsocLowerBound,
  powerSharedPathBound,
  srptMeanFlowTime,
} from '../../../src/envs/hsoc/hsoc-lower-bound.js';
import { HSOC_LOAD_PRESETS, STOMP_PES, peMix } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HsocPowerModel, STOMP_DVFS } from '../../../src/envs/hsoc/hsoc-power-model.js';
import { runHsocEpisode, type HsocPolicy } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { runIdealStatic } from '../../../src/envs/hsoc/policies/ideal-static.js';
import { NeedPolicy } from '../../../src/envs/hsoc/policies/need-policy.js';
import { SlackPeakPolicy } from '../../../src/envs/hsoc/policies/slack-peak-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };

/** Any allowed bin, drawn from its own stream: explores splits no rule would pick. */
function randomPolicy(seed: number): HsocPolicy {
  const rng = new Rng(seed);
  return {
    name: 'random',
    act(_env, _agent, _obs, mask) {
      const allowed = [...mask.keys()].filter((a) => mask[a] === 1);
      return allowed[rng.intBetween(0, allowed.length - 1)]!;
    },
  };
}

/** A random DAG over n ≤ 5 nodes with random per-type times (the CPU can run everything). */
const smallDag = fc
  .record({
    n: fc.integer({ min: 1, max: 5 }),
    edges: fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { maxLength: 8 }),
    times: fc.array(
      fc.tuple(
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: null }),
        fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: null }),
      ),
      { minLength: 5, maxLength: 5 },
    ),
  })
  .map(({ n, edges, times }): DagTaskSpec => ({
    name: 'random-small',
    nodes: Array.from({ length: n }, (_, i) => ({
      id: `v${i}`,
      wcet: times[i]![0],
      type: 'vision',
      times: { cpu: times[i]![0], gpu: times[i]![1], fft: times[i]![2] },
    })),
    edges: edges
      .filter(([a, b]) => a < n && b < n && a !== b)
      .map(([a, b]) => [`v${Math.min(a, b)}`, `v${Math.max(a, b)}`] as [string, string]),
  }));

const scenario = fc.record({
  spec: smallDag,
  cpu: fc.integer({ min: 1, max: 3 }),
  gpu: fc.integer({ min: 0, max: 2 }),
  fft: fc.integer({ min: 0, max: 2 }),
  jobs: fc.integer({ min: 1, max: 4 }),
  utilization: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
  otherShare: fc.constantFrom(0, 0.3),
  power: fc.oneof(
    fc.record({ alpha: fc.double({ min: 0.2, max: 1, noNaN: true }) }),
    fc.constant({ dvfs: STOMP_DVFS }),
  ),
  step: fc.constantFrom(0, 5),
  contention: fc.constantFrom('all' as const, 'memory' as const, 'none' as const),
  seed: fc.integer({ min: 0, max: 10_000 }),
});

describe('HSoC lower bound', () => {
  it('property: no policy (rules, Slack peak, random splits, the static target) beats the lower bound', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const pes = peMix({ cpu: s.cpu, gpu: s.gpu, fft: s.fft });
        const options: HsocEnvOptions = {
          workload: buildDag(s.spec),
          load: { ...quiet, utilization: s.utilization, otherShare: s.otherShare },
          available: pes.map(() => true),
          jobs: s.jobs,
          pes,
          power: { ...s.power, requestStep: s.step },
          contentionModel: s.contention,
        };
        const env = new HsocEnv(options);
        env.reset({ seed: s.seed });
        const lb = hsocLowerBound(env.sim);
        const policies: HsocPolicy[] = [
          new UniformPolicy(),
          new UniformPolicy({ readinessAware: true }),
          new NeedPolicy(),
          new SlackPeakPolicy(),
          randomPolicy(s.seed),
        ];
        const results = policies.map((p) => runHsocEpisode(env, p, s.seed).meanCompletion);
        results.push(runIdealStatic(options, s.seed, false).meanCompletion);
        for (const c of results) expect(c).toBeGreaterThanOrEqual(lb.meanCompletion * (1 - 1e-9));
      }),
      { numRuns: 150 },
    );
  });

  it('is tight for one task alone and for two equal independent tasks sharing evenly (α = 0.5)', () => {
    const one = buildDag({
      name: 'one',
      nodes: [{ id: 'a', wcet: 3, times: { cpu: 3, gpu: 1.5 } }],
      edges: [],
    });
    const two = buildDag({
      name: 'two',
      nodes: [
        { id: 'a', wcet: 2, times: { cpu: 2 } },
        { id: 'b', wcet: 2, times: { cpu: 2 } },
      ],
      edges: [],
    });
    for (const [dag, exact] of [
      [one, 1.5],
      [two, 2 * Math.SQRT2],
    ] as const) {
      const env = new HsocEnv({
        workload: dag,
        load: quiet,
        jobs: 1,
        pes: STOMP_PES,
        available: STOMP_PES.map(() => true),
      });
      env.reset({ seed: 0 });
      const lb = hsocLowerBound(env.sim);
      expect(lb.meanCompletion).toBeCloseTo(exact, 9);
      expect(runHsocEpisode(env, new UniformPolicy({ readinessAware: true }), 0).meanCompletion).toBeCloseTo(
        exact,
        9,
      );
    }
  });

  it('the α = 0.5 path bound is √(CP² + rest²/k), and never above the exact value', () => {
    const phi = (s: number): number => Math.sqrt(s / 100);
    for (const [cp, rest, k] of [
      [1, 1, 1],
      [3, 4, 2],
      [2, 10, 5],
    ] as const) {
      const b = powerSharedPathBound(phi, cp, rest, k);
      const exact = Math.sqrt(cp * cp + (rest * rest) / k);
      expect(b).toBeLessThanOrEqual(exact);
      expect(b).toBeCloseTo(exact, 9);
    }
    expect(powerSharedPathBound(phi, 2, 0, 3)).toBe(2);
  });

  it("the DVFS model's speed factor is concave (the bound's premise) with STOMP's voltages", () => {
    const m = new HsocPowerModel({ dvfs: STOMP_DVFS });
    for (let a = 0; a <= 100; a += 2.5)
      for (let b = a; b <= 100; b += 2.5)
        expect(m.speedFactor((a + b) / 2)).toBeGreaterThanOrEqual(
          (m.speedFactor(a) + m.speedFactor(b)) / 2 - 1e-12,
        );
  });

  it('SRPT: the short job first on one machine', () => {
    // Long job (4) at 0, short (1) at 1: SRPT preempts; flows 1 and 5 → mean 3.
    expect(
      srptMeanFlowTime(
        [
          { release: 0, size: 4 },
          { release: 1, size: 1 },
        ],
        1,
      ),
    ).toBeCloseTo(3, 12);
    expect(srptMeanFlowTime([{ release: 0, size: 4 }], 2)).toBeCloseTo(2, 12);
  });
});
