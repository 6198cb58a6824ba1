import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEventDrivenEnv } from '../../../src/core/multi-agent/check-parallel-env.js';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { parseJsonDag } from '../../../src/dag/io/json-format.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOAD_PRESETS } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HsocSimulator, longestPaths, TASK_RUNNING } from '../../../src/envs/hsoc/hsoc-simulator.js';
import { hsocWorkloadDag } from '../../../src/envs/hsoc/hsoc-workloads.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };
const cpusOnly = [true, true, true, true, false, false, false, false];

/** Two independent tasks A (work a, type ta) and B (work b, type tb): one job, no other DAGs. */
function pair(a: number, b: number, ta = 'control', tb = 'control') {
  return buildDag({
    name: 'pair',
    nodes: [
      { id: 'A', wcet: a, type: ta },
      { id: 'B', wcet: b, type: tb },
    ],
    edges: [],
  });
}

/** Runs the simulator with fixed per-PE requests at every event; returns finish times by task. */
function runFixed(sim: HsocSimulator, requests: (sim: HsocSimulator) => number[]): Float64Array {
  sim.reset(new Rng(0));
  for (let k = 0; k < 100 && !sim.finished; k++) {
    sim.setRequests(requests(sim));
    sim.advance();
  }
  expect(sim.finished).toBe(true);
  return sim.jobs[0]!.finish;
}

describe('HSoC simulator: progress integration is exact', () => {
  it('one task on a CPU with all tokens takes its WCET', () => {
    const sim = new HsocSimulator({ workload: pair(3, 0), load: quiet, jobs: 1, available: cpusOnly });
    const f = runFixed(sim, (s) => s.pes.map((_, p) => (s.peJob[p]! >= 0 ? 100 : 0)));
    expect(f[0]).toBe(3);
  });

  it('two tasks at 50/50 run at √0.5; the survivor then gets 100 tokens (α = 0.5)', () => {
    const sim = new HsocSimulator({ workload: pair(1, 2), load: quiet, jobs: 1, available: cpusOnly });
    const f = runFixed(sim, (s) => {
      const busy = s.pes.map((_, p) => s.peJob[p]! >= 0);
      const n = busy.filter(Boolean).length;
      return busy.map((b) => (b ? 100 / n : 0));
    });
    // A: 1 / √0.5 = √2. B did √2·√0.5 = 1 of its 2 units, then 1 more at rate 1.
    expect(f[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(f[1]).toBeCloseTo(Math.SQRT2 + 1, 12);
  });

  it('requests above the envelope are scaled proportionally, below it granted as asked', () => {
    const sim = new HsocSimulator({ workload: pair(1, 1), load: quiet, jobs: 1, available: cpusOnly });
    sim.reset(new Rng(0));
    sim.setRequests([80, 120 - 80, 0, 0, 0, 0, 0, 0]);
    expect([sim.granted[0], sim.granted[1]]).toEqual([80, 40].map((x) => (x * 100) / 120));
    sim.setRequests([30, 20, 0, 0, 0, 0, 0, 0]);
    expect([sim.granted[0], sim.granted[1]]).toEqual([30, 20]);
    expect(() => sim.setRequests([101, 0, 0, 0, 0, 0, 0, 0])).toThrow(/request/);
  });

  it('PE speed and α: a vision task on a GPU (speed 5) at 25 tokens with α = 1 runs at 1.25', () => {
    const dag = buildDag({ name: 'v', nodes: [{ id: 'V', wcet: 5, type: 'vision' }], edges: [] });
    const sim = new HsocSimulator({ workload: dag, load: quiet, jobs: 1, alpha: 1 });
    const f = runFixed(sim, (s) => s.pes.map((_, p) => (s.peJob[p]! >= 0 ? 25 : 0)));
    expect(sim.pes[sim.jobs[0]!.pe[0]!]).toBe('gpu');
    expect(f[0]).toBe(4);
  });

  it('memory-intensive tasks congest: c = 1 / (1 + γ m)', () => {
    const sim = new HsocSimulator({ workload: pair(1, 1), load: quiet, jobs: 1 });
    sim.reset(new Rng(0));
    expect(sim.congestionFactor()).toBe(1);
  });
});

describe('HSoC simulator: events, tokens, reproducibility', () => {
  it('passes the event-driven env checker', () => {
    expect(checkEventDrivenEnv(new HsocEnv({ jobs: 3 }), { steps: 400 })).toEqual([]);
    expect(
      checkEventDrivenEnv(new HsocEnv({ workload: 'av-42', jobs: 1, load: 'heavy' }), { steps: 300 }),
    ).toEqual([]);
  });

  it('event times never decrease, completions come before arrivals at the same time', () => {
    const env = new HsocEnv({ jobs: 6, load: 'heavy' });
    let r = env.reset({ seed: 3 });
    let last = r.time;
    let pending = r.pendingAgents;
    const policy = new UniformPolicy();
    while (pending.length > 0) {
      const a = Object.fromEntries(pending.map((n) => [n, policy.act(env, env.indexOf(n))]));
      const s = env.step(a);
      expect(s.time).toBeGreaterThanOrEqual(last);
      const kinds = env.sim.events.map((e) => e.kind);
      const firstArrival = kinds.indexOf('arrival');
      if (firstArrival >= 0) expect(kinds.slice(firstArrival).every((k) => k === 'arrival')).toBe(true);
      for (const e of env.sim.events)
        if (e.kind === 'arrival') expect(env.sim.jobs[e.job]!.arrival).toBe(s.time);
      last = s.time;
      pending = s.pendingAgents;
      r = s as unknown as typeof r;
    }
    // Every task ran after its parents.
    for (const job of env.sim.jobs)
      for (const [u, v] of job.dag.edges) expect(job.start[v]!).toBeGreaterThanOrEqual(job.finish[u]!);
  });

  it('a completion and an arrival at the same time are one event, completion first; the freed PE serves the newcomer', () => {
    const dag = buildDag({ name: 'one', nodes: [{ id: 'A', wcet: 3, type: 'control' }], edges: [] });
    const sim = new HsocSimulator({
      workload: dag,
      load: quiet,
      available: [true, false, false, false, false, false, false, false],
      arrivalTimes: [0, 3],
    });
    sim.reset(new Rng(0));
    sim.setRequests([100, 0, 0, 0, 0, 0, 0, 0]);
    expect(sim.advance()).toBe(3);
    expect(sim.events.map((e) => [e.kind, e.job])).toEqual([
      ['finish', 0],
      ['arrival', 1],
    ]);
    expect(sim.peJob[0]).toBe(1);
    sim.setRequests([100, 0, 0, 0, 0, 0, 0, 0]);
    sim.advance();
    expect(sim.finished).toBe(true);
    expect(sim.jobs[1]!.completedAt).toBe(6);
  });

  it('token conservation: under any requests the grants never exceed the envelope or the requests', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, actSeed) => {
        const env = new HsocEnv({ jobs: 2, load: 'heavy' });
        let r = env.reset({ seed });
        const rng = new Rng(actSeed);
        let pending = r.pendingAgents;
        let infos = r.infos;
        while (pending.length > 0) {
          const a: Record<string, number> = {};
          for (const n of pending) a[n] = env.actionSpace(n).sample(rng, infos[n]!.actionMask) as number;
          const s = env.step(a);
          let sum = 0;
          for (let p = 0; p < env.sim.pes.length; p++) {
            expect(env.sim.granted[p]!).toBeLessThanOrEqual(env.sim.request[p]! + 1e-12);
            sum += env.sim.granted[p]!;
          }
          expect(sum).toBeLessThanOrEqual(100 + 1e-9);
          pending = s.pendingAgents;
          infos = s.infos;
          r = s as unknown as typeof r;
        }
      }),
      { numRuns: 15 },
    );
  });

  it('is reproducible by seed and differs across seeds', () => {
    const env = new HsocEnv({ jobs: 5, load: 'medium' });
    const a = runHsocEpisode(env, new UniformPolicy(), 11);
    const b = runHsocEpisode(env, new UniformPolicy(), 11);
    const c = runHsocEpisode(env, new UniformPolicy(), 12);
    expect(b).toEqual(a);
    expect(c.meanCompletion).not.toBe(a.meanCompletion);
  });
});

describe('HSoC guard rails (masks)', () => {
  it('no 0 % while running, no 100 % beside a running sibling, anything when idle; masked actions throw', () => {
    const env = new HsocEnv({ jobs: 4, load: 'medium' });
    let r = env.reset({ seed: 5 });
    const seen = { running: 0, sibling: 0, idle: 0 };
    let pending = r.pendingAgents;
    while (pending.length > 0) {
      const a: Record<string, number> = {};
      for (const n of pending) {
        const v = env.view(n);
        const m = env.actionMasks(n);
        if (v.parentTasksCompleted) {
          seen.running++;
          expect(m[0]).toBe(0);
          expect(m[10]).toBe(v.siblingTasks ? 0 : 1);
          if (v.siblingTasks) seen.sibling++;
        } else {
          seen.idle++;
          expect([...m]).toEqual(new Array(11).fill(1));
        }
        a[n] = v.parentTasksCompleted ? 5 : 0;
      }
      const running = pending.find((n) => env.view(n).parentTasksCompleted);
      if (running !== undefined) {
        expect(() => env.step({ ...a, [running]: 0 })).toThrow(/guard rail/);
        const sib = pending.find((n) => env.view(n).siblingTasks && env.view(n).parentTasksCompleted);
        if (sib !== undefined) expect(() => env.step({ ...a, [sib]: 10 })).toThrow(/guard rail/);
      }
      const s = env.step(a);
      pending = s.pendingAgents;
      r = s as unknown as typeof r;
    }
    expect(seen.running).toBeGreaterThan(0);
    expect(seen.sibling).toBeGreaterThan(0);
    expect(seen.idle).toBeGreaterThan(0);
  });

  it('uniform sharing gives every running PE the same grant', () => {
    const env = new HsocEnv({ jobs: 4, load: 'heavy' });
    let r = env.reset({ seed: 2 });
    const policy = new UniformPolicy();
    let pending = r.pendingAgents;
    while (pending.length > 0) {
      const s = env.step(Object.fromEntries(pending.map((n) => [n, policy.act(env, env.indexOf(n))])));
      if (s.pendingAgents.length === 0) break;
      pending = s.pendingAgents;
      r = s as unknown as typeof r;
      // Grants of the previous interval: equal among running PEs.
      const g = env.sim.pes.map((_, p) => env.sim.granted[p]!).filter((_, p) => env.sim.request[p]! > 0);
      for (const x of g) expect(x).toBeCloseTo(g[0]!, 9);
    }
  });
});

describe('HSoC workloads and token needs', () => {
  it('ships the 5-task and the 42-task AV DAG, in code and as JSON', () => {
    const five = hsocWorkloadDag('5-task');
    const av = hsocWorkloadDag('av-42');
    expect(five.n).toBe(5);
    expect(longestPaths(five).criticalPath).toBe(10.5);
    expect(av.n).toBe(42);
    expect(longestPaths(av).criticalPath).toBe(25.5);
    expect(av.wcet.reduce((a, b) => a + b, 0)).toBe(87);
    for (const [file, dag] of [
      ['examples/hsoc/5-task.json', five],
      ['examples/hsoc/av-42.json', av],
    ] as const) {
      const j = parseJsonDag(readFileSync(file, 'utf8'), file);
      expect([...j.wcet]).toEqual([...dag.wcet]);
      expect(j.edges).toEqual(dag.edges);
      expect(j.types).toEqual(dag.types);
    }
  });

  it('rejects bad options with messages naming the option', () => {
    expect(() => new HsocSimulator({ alpha: 0 })).toThrow(/alpha/);
    expect(() => new HsocSimulator({ jobs: 0 })).toThrow(/jobs/);
    expect(
      () => new HsocSimulator({ available: [false, false, false, false, true, true, true, true] }),
    ).toThrow(/CPU/);
    // Running-state constant is exported for policies.
    expect(TASK_RUNNING).toBe(3);
  });
});
