import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOAD_PRESETS } from '../../../src/envs/hsoc/hsoc-platform.js';
import { TASK_RESERVED, TASK_RUNNING } from '../../../src/envs/hsoc/hsoc-simulator.js';
import { balancedTokenFractions } from '../../../src/envs/hsoc/balanced-token-fractions.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

const quiet = { ...HSOC_LOAD_PRESETS.light, otherShare: 0, highPriorityShare: 0 };
const cpusOnly = [true, true, true, true, false, false, false, false];

/**
 * Two 5-task jobs on 4 CPUs, arriving at 0 and 0.5, long look-ahead: at t = 0.5 job 0's T1 has run
 * alone for 0.5 (1.5 left), job 1's T1 starts, and job 0's T2 and T3 are reserved on the other two
 * CPUs (their parent runs with tokens now).
 */
function reservedScenario(): HsocEnv {
  return new HsocEnv({ load: quiet, available: cpusOnly, lookahead: 10, arrivalTimes: [0, 0.5] });
}

/** Runs the first decision (all 100 % to the lone T1), returns the pending agents at t = 0.5. */
function toSecondEvent(env: HsocEnv): readonly string[] {
  const r = env.reset({ seed: 0 });
  const first = Object.fromEntries(
    r.pendingAgents.map((n) => [n, env.view(n).parentTasksCompleted ? 10 : 0]),
  );
  const s = env.step(first);
  expect(env.sim.time).toBe(0.5);
  const job = env.sim.jobs[0]!;
  expect(job.state[0]).toBe(TASK_RUNNING);
  expect([job.state[1], job.state[2]]).toEqual([TASK_RESERVED, TASK_RESERVED]);
  return s.pendingAgents;
}

describe('uniform control (the seed’s) and its readiness-aware variant', () => {
  it('the control shares equally among PEs holding a task, reserved ones included', () => {
    const env = reservedScenario();
    const pending = toSecondEvent(env);
    const control = new UniformPolicy();
    expect(control.name).toBe('uniform');
    const actions = Object.fromEntries(pending.map((n) => [n, control.act(env, env.indexOf(n))]));
    expect(Object.values(actions).sort()).toEqual([5, 5, 5, 5]);
    env.step(actions);
    // Four PEs hold a task: 25 tokens each, both T1s run at √0.25 = 0.5; job 0's T1 ends at 0.5 + 1.5 / 0.5.
    expect(env.sim.jobs[0]!.finish[0]).toBeCloseTo(3.5, 12);
  });

  it('uniform-running shares among the running PEs only', () => {
    const env = reservedScenario();
    const pending = toSecondEvent(env);
    const running = new UniformPolicy({ readinessAware: true });
    expect(running.name).toBe('uniform-running');
    const actions = Object.fromEntries(pending.map((n) => [n, running.act(env, env.indexOf(n))]));
    expect(Object.values(actions).sort()).toEqual([0, 0, 5, 5]);
    env.step(actions);
    // Two running PEs at 50 tokens: rate √0.5; job 0's T1 ends at 0.5 + 1.5 / √0.5.
    expect(env.sim.jobs[0]!.finish[0]).toBeCloseTo(0.5 + 1.5 * Math.SQRT2, 12);
  });
});

describe('Slack token need: siblings split their own uniform shares so that their paths end together', () => {
  it('hand-computed: two siblings of 4 and 1 time units, no tails, 2 running PEs', () => {
    const out = new Float64Array(2);
    // Budget 1 (two halves): (4 / T)² + (1 / T)² = 1 → T = √17, k = 16/17 and 1/17 of the envelope.
    const T = balancedTokenFractions([4, 1], [0, 0], 0.5, 2, out);
    expect(T).toBeCloseTo(Math.sqrt(17), 9);
    expect(out[0]).toBeCloseTo((2 * 16) / 17, 9);
    expect(out[1]).toBeCloseTo((2 * 1) / 17, 9);
  });

  it('hand-computed: a tail is stretched by N^α and shifts tokens to its sibling', () => {
    const out = new Float64Array(2);
    // N = 4: budget 1/2, tails [0.5, 0] stretched by 2 → [1, 0]; equal r = 1: find T with
    // (1 / (T − 1))² + (1 / T)² = 1/2.
    const T = balancedTokenFractions([1, 1], [0.5, 0], 0.5, 4, out);
    expect((1 / (T - 1)) ** 2 + (1 / T) ** 2).toBeCloseTo(0.5, 9);
    expect(out[0]).toBeGreaterThan(1); // the sibling with the longer path gets more than its share
    expect(out[0]! + out[1]!).toBeCloseTo(2, 9);
  });

  it('property: the budget is spent exactly and every path ends at T', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.1, max: 10, noNaN: true }),
            fc.double({ min: 0, max: 10, noNaN: true }),
          ),
          {
            minLength: 2,
            maxLength: 5,
          },
        ),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0.5, 0.7, 1),
        (sib, extra, alpha) => {
          const N = sib.length + extra;
          const out = new Float64Array(sib.length);
          const r = sib.map((x) => x[0]);
          const tail = sib.map((x) => x[1]);
          const T = balancedTokenFractions(r, tail, alpha, N, out);
          let sum = 0;
          sib.forEach(([ru, tu], u) => {
            const k = out[u]! / N;
            sum += k;
            expect(ru / Math.pow(k, alpha) + tu * Math.pow(N, alpha)).toBeCloseTo(T, 5);
          });
          expect(sum).toBeCloseTo(sib.length / N, 7);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the agent view asks 100 alone in its DAG and 50 × the multiple (≤ 90) beside siblings', () => {
    const env = new HsocEnv({ jobs: 3, load: 'medium' });
    let r = env.reset({ seed: 5 });
    let checked = 0;
    const running = new UniformPolicy({ readinessAware: true });
    for (let k = 0; k < 200 && r.pendingAgents.length > 0; k++) {
      for (const n of r.pendingAgents) {
        const v = env.view(n);
        if (!v.parentTasksCompleted) expect(v.idealShare).toBe(0);
        else if (!v.siblingTasks) expect(v.idealShare).toBe(100);
        else {
          expect(v.idealShare).toBeGreaterThanOrEqual(0);
          expect(v.idealShare).toBeLessThanOrEqual(90);
          checked++;
        }
      }
      const s = env.step(
        Object.fromEntries(r.pendingAgents.map((n) => [n, running.act(env, env.indexOf(n))])),
      );
      r = s as unknown as typeof r;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
