import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOAD_PRESETS, HSOC_LOADS, STOMP_PES } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HsocSimulator } from '../../../src/envs/hsoc/hsoc-simulator.js';
import { SLACK_LEVELS, slackPeakLevel, subDeadlineSlack } from '../../../src/envs/hsoc/sub-deadline-slack.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { SlackPeakPolicy } from '../../../src/envs/hsoc/policies/slack-peak-policy.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };
const cpusOnly = STOMP_PES.map((p) => p === 'cpu');

/** Two independent tasks of one job with CPU times a, b and sub-deadlines ra, rb, both started at t = 0. */
function pairAtStart(a: number, b: number, ra: number, rb: number, extra: number[] = []) {
  const node = (id: string, t: number, r: number) => ({ id, wcet: t, times: { cpu: t }, subDeadline: r });
  const sim = new HsocSimulator({
    workload: buildDag({
      name: 'pair',
      nodes: [node('A', a, ra), node('B', b, rb), ...extra.map((t, i) => node(`C${i}`, t, 0.5))],
      edges: [],
    }),
    load: quiet,
    jobs: 1,
    pes: STOMP_PES,
    available: cpusOnly,
  });
  sim.reset(new Rng(0));
  const peOf = (task: number) => [...sim.peTask].findIndex((v, p) => v === task && sim.peJob[p] === 0);
  return { sim, peOf };
}

describe('the seed’s Slack predicate (sub-deadline balancing)', () => {
  it('peaks at 50 % for equal tasks with equal sub-deadlines, at 20 % for a task with twice the sub-deadline', () => {
    const out = new Float64Array(SLACK_LEVELS.length);
    const eq = pairAtStart(3, 3, 0.5, 0.5);
    expect(subDeadlineSlack(eq.sim, eq.peOf(0), out)).toBe(true);
    expect(slackPeakLevel(out)).toBe(50);
    expect(Math.max(...out)).toBe(1);
    expect(Math.min(...out)).toBe(0);
    // T_A / T_B = √((100 − x) / x) = 2 at x = 20.
    const twice = pairAtStart(3, 3, 0.6, 0.3);
    subDeadlineSlack(twice.sim, twice.peOf(0), out);
    expect(slackPeakLevel(out)).toBe(20);
    subDeadlineSlack(twice.sim, twice.peOf(1), out);
    expect(slackPeakLevel(out)).toBe(80);
  });

  it('is not defined for an idle PE or a task alone in its DAG', () => {
    const out = new Float64Array(SLACK_LEVELS.length);
    const { sim } = pairAtStart(3, 3, 0.5, 0.5);
    const idle = [...sim.peJob].findIndex((j) => j < 0);
    expect(subDeadlineSlack(sim, idle, out)).toBe(false);
    const alone = new HsocSimulator({
      workload: buildDag({ name: 'one', nodes: [{ id: 'A', wcet: 1, times: { cpu: 1 } }], edges: [] }),
      load: quiet,
      jobs: 1,
      pes: STOMP_PES,
      available: cpusOnly,
    });
    alone.reset(new Rng(0));
    expect(subDeadlineSlack(alone, [...alone.peJob].indexOf(0), out)).toBe(false);
  });

  it('property: with one sibling the peak is the grid level next to the analytic split x = 100 / (1 + (r·b/a)²)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (a, b, ra, rb) => {
          const { sim, peOf } = pairAtStart(a, b, ra, rb);
          const out = new Float64Array(SLACK_LEVELS.length);
          subDeadlineSlack(sim, peOf(0), out);
          const r = ra / rb;
          const x = 100 / (1 + ((r * b) / a) ** 2);
          expect(Math.abs(slackPeakLevel(out) - Math.min(95, Math.max(5, x)))).toBeLessThanOrEqual(5 + 1e-9);
          for (const s of out) expect(s >= 0 && s <= 1).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with two siblings the others share 100 − x: equal tasks and targets peak at the level nearest 33 %', () => {
    const { sim, peOf } = pairAtStart(3, 3, 0.5, 0.5, [3]);
    const out = new Float64Array(SLACK_LEVELS.length);
    subDeadlineSlack(sim, peOf(0), out);
    expect(slackPeakLevel(out)).toBe(35);
  });

  it('tokenNeed: sub-deadline makes the view’s token need the Slack peak (so the need rules and the LNN’s Slack follow it)', () => {
    const env = new HsocEnv({
      workload: '5-task-profiled',
      load: 'light',
      jobs: 3,
      pes: STOMP_PES,
      tokenNeed: 'sub-deadline',
    });
    const r = env.reset({ seed: 11 });
    let pending = r.pendingAgents;
    let checked = 0;
    const out = new Float64Array(SLACK_LEVELS.length);
    for (let k = 0; k < 200 && pending.length > 0; k++) {
      const actions: Record<string, number> = {};
      for (const a of pending) {
        const p = env.indexOf(a);
        const v = env.view(a);
        if (v.parentTasksCompleted && v.siblingTasks) {
          expect(subDeadlineSlack(env.sim, p, out)).toBe(true);
          expect(v.idealShare).toBe(slackPeakLevel(out));
          checked++;
        }
        actions[a] = v.parentTasksCompleted ? (v.siblingTasks ? 5 : 10) : 0;
      }
      pending = env.step(actions).pendingAgents;
    }
    expect(checked).toBeGreaterThan(0);
    expect(() => new HsocEnv({ tokenNeed: 'x' as 'balanced' })).toThrow(/tokenNeed/);
  });

  it('the slack-peak policy runs both profiled workloads at every load on the STOMP PE mix', () => {
    for (const workload of ['5-task-profiled', 'av-42-profiled'] as const)
      for (const load of HSOC_LOADS) {
        const m = runHsocEpisode(
          new HsocEnv({ workload, load, jobs: 2, pes: STOMP_PES }),
          new SlackPeakPolicy(),
          5,
        );
        expect(m.jobs).toBe(2);
        expect(m.meanCompletion).toBeGreaterThan(0);
      }
  });
});
