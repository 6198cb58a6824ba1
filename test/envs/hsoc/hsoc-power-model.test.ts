import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { HSOC_LOAD_PRESETS, STOMP_PES } from '../../../src/envs/hsoc/hsoc-platform.js';
import {
  HsocPowerModel,
  STOMP_DVFS,
  STOMP_REQUEST_STEP,
  STOMP_TOKEN_BUDGET,
} from '../../../src/envs/hsoc/hsoc-power-model.js';
import { HsocSimulator, type HsocSimulatorOptions } from '../../../src/envs/hsoc/hsoc-simulator.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };
const cpusOnly = STOMP_PES.map((p) => p === 'cpu');

/** Independent CPU-only tasks with the given CPU times (GPU 10× faster, never used: CPUs only). */
function independent(times: readonly number[], memory: readonly boolean[] = []) {
  return buildDag({
    name: 'independent',
    nodes: times.map((t, i) => ({
      id: `t${i}`,
      wcet: t,
      times: { cpu: t, gpu: t / 10 },
      ...(memory[i] && { memoryIntensive: true }),
    })),
    edges: [],
  });
}

function simOf(
  times: readonly number[],
  options: HsocSimulatorOptions = {},
  memory: readonly boolean[] = [],
) {
  return new HsocSimulator({
    workload: independent(times, memory),
    load: quiet,
    jobs: 1,
    pes: STOMP_PES,
    available: cpusOnly,
    lookahead: 0,
    ...options,
  });
}

/** Finish time per task of job 0 when `requests` is asked at every event. */
function finishTimes(sim: HsocSimulator, requests: (sim: HsocSimulator) => number[]): number[] {
  sim.reset(new Rng(0));
  for (let k = 0; k < 1000 && !sim.finished; k++) {
    sim.setRequests(requests(sim));
    sim.advance();
  }
  expect(sim.finished).toBe(true);
  return [...sim.jobs[0]!.finish];
}

describe('HSoC power model', () => {
  it('property: granted tokens never exceed the budget, and no PE gets more than it asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.constantFrom(100, STOMP_TOKEN_BUDGET, 37.5),
        fc.constantFrom(0, STOMP_REQUEST_STEP),
        (requests, budget, requestStep) => {
          const sim = simOf([1, 2, 3], { power: { budget, requestStep } });
          sim.reset(new Rng(1));
          sim.setRequests(requests);
          let total = 0;
          for (let p = 0; p < sim.pes.length; p++) {
            total += sim.grantedTokens(p);
            expect(sim.granted[p]).toBeLessThanOrEqual(sim.request[p]! + 1e-12);
            if (requestStep > 0) expect(sim.request[p]! % requestStep).toBe(0);
          }
          expect(total).toBeLessThanOrEqual(budget * (1 + 1e-12));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: progress is monotone — time, task states and done counts never go back, remaining work never grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        fc.constantFrom<'all' | 'memory' | 'none'>('all', 'memory', 'none'),
        (seed, dvfs, contentionModel) => {
          const sim = new HsocSimulator({
            workload: seed % 2 === 0 ? '5-task-profiled' : 'av-42-profiled',
            load: 'heavy',
            jobs: 2,
            pes: STOMP_PES,
            contentionModel,
            power: { budget: STOMP_TOKEN_BUDGET, requestStep: 5, ...(dvfs && { dvfs: STOMP_DVFS }) },
          });
          const rng = new Rng(seed);
          sim.reset(new Rng(seed));
          let prevTime = 0;
          const snap = () =>
            sim.jobs.map((j) => ({ state: [...j.state], remaining: [...j.remaining], done: j.done }));
          let prev = snap();
          let violations = 0;
          for (let k = 0; k < 5000 && !sim.finished; k++) {
            // Random requests, at least 5 % for every running PE so that the episode progresses.
            sim.setRequests(
              sim.pes.map((_, p) => (sim.isPeRunning(p) ? 5 + rng.random() * 95 : rng.random() * 20)),
            );
            sim.advance();
            if (sim.time < prevTime) violations++;
            const now = snap();
            now.forEach((j, i) => {
              if (j.done < prev[i]!.done) violations++;
              j.state.forEach((s, v) => {
                if (s < prev[i]!.state[v]! || j.remaining[v]! > prev[i]!.remaining[v]!) violations++;
              });
            });
            prev = now;
            prevTime = sim.time;
          }
          expect(violations).toBe(0);
          expect(sim.finished).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("property: completion times follow t = t_nominal · remaining_fraction · (100 / tokens)^0.5 (STOMP's formula)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5, noNaN: true }),
        fc.double({ min: 6, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 19 }).map((k) => 5 * k),
        fc.integer({ min: 1, max: 20 }).map((k) => 5 * k),
        (tA, tB, sA, sB3) => {
          const sB = 100 - sA;
          // A and B share the budget sA : sB until A ends; B then holds sB3 % alone.
          const sim = simOf([tA, tB], { power: { budget: STOMP_TOKEN_BUDGET } });
          const f = finishTimes(sim, (s) =>
            s.pes.map((_, p) =>
              s.peTask[p]! === 0 ? sA : s.peTask[p]! === 1 ? (s.jobs[0]!.done === 0 ? sB : sB3) : 0,
            ),
          );
          const endA = tA * Math.sqrt(100 / sA);
          const remainingB = 1 - endA / (tB * Math.sqrt(100 / sB));
          if (remainingB <= 0) return; // B ended first: the other branch of the same formula
          expect(f[0]).toBeCloseTo(endA, 9);
          expect(f[1]).toBeCloseTo(endA + tB * remainingB * Math.sqrt(100 / sB3), 9);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the budget is the unit of the shares: 1,000 tokens behave exactly as 100', () => {
    const run = (budget: number) =>
      finishTimes(simOf([1, 2.5, 4], { power: { budget } }), (s) =>
        s.pes.map((_, p) => (s.isPeRunning(p) ? 30 : 0)),
      );
    expect(run(STOMP_TOKEN_BUDGET)).toEqual(run(100));
  });

  it('DVFS: V clamps at v_min, power ∝ f·V^k, the clock a share pays for is monotone and fits the share', () => {
    const m = new HsocPowerModel({ dvfs: STOMP_DVFS });
    expect(m.voltage(1)).toBeCloseTo(0.8, 12);
    expect(m.voltage(0.5)).toBeCloseTo(0.35 + 0.45 * 0.5, 12);
    expect(m.voltage(0.1)).toBe(0.45); // 0.35 + 0.045 < v_min
    expect(m.power(0.5)).toBeCloseTo(0.5 * Math.pow(0.575 / 0.8, 2.5), 12);
    const fv2 = new HsocPowerModel({ dvfs: { vNom: 1, vTh: 0, vMin: 0.1 } });
    expect(fv2.power(0.5)).toBeCloseTo(0.5 * 0.5 * 0.5, 12); // f·V², V ∝ f
    expect([m.speedFactor(0), m.speedFactor(100)]).toEqual([0, 1]);
    let prev = 0;
    for (let s = 1; s <= 100; s++) {
      const f = m.speedFactor(s);
      expect(f).toBeGreaterThanOrEqual(prev);
      prev = f;
      if (f > STOMP_DVFS.minClock!) expect(m.power(f)).toBeCloseTo(s / 100, 9);
    }
    // Convex power: at 25 % of the power a DVFS PE keeps more than (0.25)^0.5 of its speed (≈ 0.534).
    expect(m.speedFactor(25)).toBeCloseTo(0.5343, 4);
    // In the simulator a task alone at share s takes t_nominal / f(s).
    const t = finishTimes(simOf([3], { power: { dvfs: STOMP_DVFS } }), (s) =>
      s.pes.map((_, p) => (s.isPeRunning(p) ? 40 : 0)),
    );
    expect(t[0]).toBeCloseTo(3 / m.speedFactor(40), 9);
    expect(() => new HsocPowerModel({ dvfs: { vNom: 0.8, vTh: 0.9, vMin: 0.4 } })).toThrow(/v_th < v_nom/);
  });

  it('contention: all tasks, memory-intensive tasks among themselves, or none', () => {
    // t0, t1 memory intensive, t2 compute; all at 100/3 % until the first (t0) ends.
    const finish = (contentionModel: 'all' | 'memory' | 'none') =>
      finishTimes(simOf([1, 5, 5], { contentionModel, congestion: 0.2 }, [true, true, false]), (s) =>
        s.pes.map((_, p) => (s.isPeRunning(p) ? 100 / 3 : 0)),
      );
    const base = Math.sqrt(3); // (100 / 33.3…)^0.5
    expect(finish('none')[0]).toBeCloseTo(base, 9);
    expect(finish('all')[0]).toBeCloseTo(base * 1.4, 9); // 1 + 0.2 · 2 memory tasks
    expect(finish('memory')[0]).toBeCloseTo(base * 1.2, 9); // 1 + 0.2 · 1 other memory task
    // Under `memory` the compute task t2 runs at full speed: 5 time units at its share.
    expect(finish('memory')[2]).toBeCloseTo(5 * base, 9);
    expect(() => simOf([1], { contentionModel: 'x' as 'all' })).toThrow(/contentionModel/);
  });
});
