import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../src/core/check-env.js';
import type { StepResult } from '../../../src/core/env.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import type { GraphObservation } from '../../../src/core/spaces.js';
import { transitiveClosure } from '../../../src/dag/analysis/transitive-closure.js';
import { widthFromClosure } from '../../../src/dag/analysis/width.js';
import { buildDag, withEdges } from '../../../src/dag/build-dag.js';
import type { Dag } from '../../../src/dag/dag-task.js';
import { parseStgDag } from '../../../src/dag/io/stg-format.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { EGS_SPEC, EgsEnv, egsEpisodeEnded, type EgsEpisodeInfo } from '../../../src/envs/egs/egs-env.js';
import { egsLowerBound } from '../../../src/envs/egs/egs-lower-bound.js';
import { DagSampler } from '../../../src/envs/egs/dag-sampler.js';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';
import { arbSmallDagTask } from '../../dag/optimal/random-small-dag.js';
import { dataDir, hasData } from '../../dag/io/io-test-helpers.js';
import { arbDag, egsExample } from '../../helpers/random-dag.js';

interface Episode {
  dag: Dag;
  info: EgsEpisodeInfo;
  rewards: number;
  startWidth: number;
  last: StepResult<GraphObservation> | undefined;
}

/** One episode with uniformly random masked actions; returns the task, final info and return. */
function runEpisode(env: EgsEnv, seed: number, options?: Record<string, unknown>): Episode {
  const rng = new Rng(seed);
  const r = options ? env.reset({ options }) : env.reset({ seed });
  const dag = env.state.dag;
  const startWidth = env.width;
  if (r.info['terminal'] === true)
    return { dag, info: r.info as EgsEpisodeInfo, rewards: 0, startWidth, last: undefined };
  let mask = r.info.actionMask!;
  let rewards = 0;
  for (;;) {
    const s = env.step(env.actionSpace.sample(rng, mask));
    expect(s.reward).toBeGreaterThanOrEqual(0);
    expect(s.info['width']).toBe(env.width);
    rewards += s.reward;
    if (s.terminated || s.truncated)
      return { dag, info: s.info as EgsEpisodeInfo, rewards, startWidth, last: s };
    mask = s.info.actionMask!;
  }
}

/** The guarantee of the issue: the final timetable is valid for the ORIGINAL task and meets D. */
function expectValidEpisode(env: EgsEnv, ep: Episode, deadline: number): void {
  const { dag, info } = ep;
  const check = checkSchedule(dag, info.schedule);
  expect(check.violations).toEqual([]);
  expect(info.schedule.method).toBe('egs');
  expect(info.schedule.feasible).toBe(true);
  expect(info.schedule.deadline).toBe(deadline);
  expect(info.schedule.makespan).toBeLessThanOrEqual(deadline * (1 + 1e-9));
  expect(info.schedule.guarantee).toBe('structural');
  // cores = width of the final graph, rebuilt from scratch.
  const finalWidth = widthFromClosure(transitiveClosure(withEdges(dag, env.state.added))).width;
  expect(info.width).toBe(finalWidth);
  expect(info.cores).toBe(finalWidth);
  expect(info.schedule.cores).toBe(finalWidth);
  expect(info.addedEdges).toEqual(env.state.added.map(([a, b]) => [dag.ids[a], dag.ids[b]]));
  expect(info.schedule.addedEdges).toEqual(info.addedEdges);
  expect(info.lowerBound).toBe(env.lowerBound);
  expect(info.width).toBeGreaterThanOrEqual(info.lowerBound);
  expect(ep.rewards).toBe(ep.startWidth - info.width); // rewards telescope to W_0 − W_T
}

describe('EgsEnv', () => {
  it('spaces: Graph(6 features, 4 relations, maxNodes) and Discrete(maxNodes²)', () => {
    const env = new EgsEnv();
    expect(env.maxNodes).toBe(64);
    expect(env.actionSpace.n).toBe(4096);
    expect(env.observationSpace).toMatchObject({ nodeFeatureDim: 6, relationDim: 4, maxNodes: 64 });
    expect(env.criticalOnly).toBe(true);
    expect(env.spec).toEqual({ id: 'EGS-v0' });
    expect(EGS_SPEC.maxEpisodeSteps).toBeUndefined();
  });

  it('checkEnv passes (default, without the critical restriction, small maxNodes) and via makeEnv', () => {
    expect(checkEnv(new EgsEnv(), { seed: 1, steps: 600 })).toEqual([]);
    expect(
      checkEnv(new EgsEnv({ criticalOnly: false, sampler: { nodes: [10, 20] } }), { seed: 2, steps: 600 }),
    ).toEqual([]);
    expect(checkEnv(new EgsEnv({ maxNodes: 16 }), { seed: 3, steps: 600 })).toEqual([]);
    registerBuiltinEnvs();
    const env = makeEnv('EGS-v0', { options: { maxNodes: 32 } });
    expect(env).toBeInstanceOf(EgsEnv);
    expect(checkEnv(env, { seed: 4, steps: 600 })).toEqual([]);
  });

  it('EGS example: 2 → 3 ends the episode at the lower bound 2 with a valid 2-core schedule', () => {
    const env = new EgsEnv();
    const dag = egsExample();
    const r = env.reset({ options: { dag } });
    expect(r.info['width']).toBe(3);
    expect(env.lowerBound).toBe(2);
    const s = env.step(2 * 64 + 3);
    expect(s.reward).toBe(1);
    expect(s.terminated).toBe(true);
    expect(s.truncated).toBe(false);
    const info = s.info as EgsEpisodeInfo;
    expect(info).toMatchObject({ width: 2, lowerBound: 2, cores: 2, addedEdges: [[2, 3]] });
    expect(checkSchedule(dag, info.schedule).ok).toBe(true);
    expect(() => env.step(0)).toThrow(/reset/);
  });

  it('invariant: every episode with random masked actions yields a schedule valid for the original task', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbDag({ maxNodes: 24, slack: [0, 1] }), arbSmallDagTask(10)),
        fc.nat(),
        fc.boolean(),
        (dag, seed, criticalOnly) => {
          const env = new EgsEnv({ maxNodes: 32, criticalOnly });
          const ep = runEpisode(env, seed, { dag });
          expectValidEpisode(env, ep, dag.deadline!);
          if (ep.last) {
            // Termination reason: no allowed action, or W at the lower bound.
            expect(ep.last.terminated).toBe(true);
            const none = !ep.last.info.actionMask!.some((x) => x === 1);
            expect(none || ep.info.width <= ep.info.lowerBound).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 31 },
    );
  });

  it('invariant: sampled training tasks (10–50 nodes, both families) give valid schedules too', () => {
    const env = new EgsEnv();
    for (let seed = 0; seed < 40; seed++) {
      const ep = runEpisode(env, seed);
      expect(ep.dag.n).toBeGreaterThanOrEqual(10);
      expect(ep.dag.n).toBeLessThanOrEqual(50);
      expectValidEpisode(env, ep, ep.dag.deadline!);
      expect(env.lowerBound).toBe(egsLowerBound(ep.dag, ep.dag.deadline!).lowerBound);
    }
  });

  it.skipIf(!hasData)(
    'STG files (52 and 102 nodes, dummy entry/exit) at several deadlines give valid schedules',
    async () => {
      const env = new EgsEnv({ maxNodes: 128 });
      for (const [file, deadlines] of [
        ['stg-50-rand0007.stg', [77, 90, 130]],
        ['stg-100-rand0001.stg', [81, 134]],
      ] as const) {
        const dag = parseStgDag(await readFile(path.join(dataDir, file), 'utf8'), file);
        for (const D of deadlines) {
          const ep = runEpisode(env, D, { dag, deadline: D });
          expectValidEpisode(env, ep, D);
        }
      }
    },
  );

  it('typed info: egsEpisodeEnded holds exactly on the steps that end an episode', () => {
    const env = new EgsEnv({ maxNodes: 50 });
    const rng = new Rng(3);
    for (let e = 0; e < 5; e++) {
      const r = env.reset({ seed: e });
      expect(egsEpisodeEnded(r.info)).toBe(r.info.terminal === true);
      let mask = r.info.actionMask;
      for (;;) {
        const s = env.step(env.actionSpace.sample(rng, mask));
        const ended = s.terminated || s.truncated;
        expect(egsEpisodeEnded(s.info)).toBe(ended);
        if (egsEpisodeEnded(s.info)) {
          expect(s.info.cores).toBe(s.info.width);
          expect(s.info.schedule.cores).toBe(env.width);
        }
        if (ended) break;
        mask = s.info.actionMask;
      }
    }
  });

  it('seeded: the same seed gives the same task and trajectory', () => {
    const a = new EgsEnv();
    const b = new EgsEnv();
    const ea = runEpisode(a, 9);
    const eb = runEpisode(b, 9);
    expect(eb.dag.name).toBe(ea.dag.name);
    expect(eb.info.addedEdges).toEqual(ea.info.addedEdges);
  });

  it('targetCores ends the episode once W ≤ target (reset option overrides the constructor)', () => {
    const dag = buildDag({
      nodes: Array.from({ length: 8 }, (_, i) => ({ id: i, wcet: 1 })),
      edges: [],
      deadline: 8,
    });
    const env = new EgsEnv({ targetCores: 6 });
    env.reset({ options: { dag } });
    expect(env.lowerBound).toBe(1);
    expect(env.step(0 * 64 + 1).terminated).toBe(false); // W 7
    expect(env.step(2 * 64 + 3).terminated).toBe(true); // W 6
    expect(env.width).toBe(6);
    env.reset({ options: { dag, targetCores: 7 } });
    expect(env.step(0 * 64 + 1).terminated).toBe(true);
  });

  it("lowerBound 'load' takes the larger of the SPEC §4 bound and the window load bound", () => {
    const sampler = new DagSampler();
    const rng = new Rng(11);
    let stronger = 0;
    for (let k = 0; k < 60; k++) {
      const dag = sampler.sample(rng);
      const D = dag.deadline!;
      const spec = egsLowerBound(dag, D).lowerBound;
      const load = Math.max(spec, coreLowerBound(dag, D).lowerBound);
      const env = new EgsEnv({ lowerBound: 'load' });
      const ep = runEpisode(env, k, { dag });
      expect(env.lowerBound).toBe(load);
      expectValidEpisode(env, ep, D);
      if (load > spec) stronger++;
    }
    expect(stronger).toBeGreaterThan(0);
    expect(() => new EgsEnv({ lowerBound: 'x' as 'egs' })).toThrow(/lowerBound/);
  });

  it('maxSteps truncates inside the env and still reports the episode result', () => {
    const dag = buildDag({
      nodes: Array.from({ length: 8 }, (_, i) => ({ id: i, wcet: 1 })),
      edges: [],
      deadline: 8,
    });
    const env = new EgsEnv({ maxSteps: 2 });
    env.reset({ options: { dag } });
    expect(env.step(0 * 64 + 1).truncated).toBe(false);
    const s = env.step(2 * 64 + 3);
    expect(s.truncated).toBe(true);
    expect(s.terminated).toBe(false);
    const info = s.info as EgsEpisodeInfo;
    expect(info.cores).toBe(6);
    expect(checkSchedule(dag, info.schedule).ok).toBe(true);
  });

  it('a task that needs no decision: info.terminal with the result, and step throws', () => {
    const chain = buildDag({
      nodes: [1, 2, 3].map((c, i) => ({ id: `c${i}`, wcet: c })),
      edges: [
        ['c0', 'c1'],
        ['c1', 'c2'],
      ],
    });
    const env = new EgsEnv();
    const r = env.reset({ options: { dag: chain, deadline: 10 } });
    expect(r.info['terminal']).toBe(true);
    const info = r.info as EgsEpisodeInfo;
    expect(info.cores).toBe(1);
    expect(checkSchedule(chain, info.schedule).ok).toBe(true);
    expect(r.info.actionMask!.every((x) => x === 0)).toBe(true);
    expect(() => env.step(0)).toThrow(/reset/);
  });

  it('currentResult gives a valid timetable mid-episode', () => {
    const env = new EgsEnv();
    const rng = new Rng(2);
    const r = env.reset({ seed: 2 });
    env.step(env.actionSpace.sample(rng, r.info.actionMask));
    const res = env.currentResult();
    expect(checkSchedule(env.state.dag, res).violations).toEqual([]);
    expect(res.cores).toBe(env.width);
    expect(env.lateralWidths().length).toBe(env.state.dag.n);
  });

  it('rejects masked actions, oversized tasks, infeasible or missing deadlines and bad options', () => {
    const env = new EgsEnv({ maxNodes: 8 });
    expect(() => env.state).toThrow(/reset/);
    expect(() => env.step(0)).toThrow(/reset/);
    const dag = egsExample();
    env.reset({ options: { dag } });
    expect(() => env.step(0 * 8 + 1)).toThrow(/masked/); // 0 → 1 is an edge already
    expect(() => env.step(64)).toThrow(/masked/);
    expect(() => env.step(1.5)).toThrow(/masked/);
    expect(() => env.reset({ options: { dag, deadline: 7 } })).toThrow(/DeadlineInfeasible/);
    expect(() => env.step(2 * 8 + 3)).toThrow(/reset/); // a failed reset leaves no episode to step
    const big = buildDag({
      nodes: Array.from({ length: 9 }, (_, i) => ({ id: i, wcet: 1 })),
      edges: [],
      deadline: 9,
    });
    expect(() => env.reset({ options: { dag: big } })).toThrow(/maxNodes/);
    const noDeadline = buildDag({
      nodes: [
        { id: 0, wcet: 1 },
        { id: 1, wcet: 1 },
      ],
      edges: [],
    });
    expect(() => env.reset({ options: { dag: noDeadline } })).toThrow(/deadline/);
    expect(() => env.reset({ options: { deadline: 5 } })).toThrow(/options.dag/);
    expect(() => new EgsEnv({ maxNodes: 8, sampler: { nodes: [10, 20] } })).toThrow(/maxNodes/);
    expect(() => new EgsEnv({ targetCores: 0 })).toThrow(/targetCores/);
    expect(() => new EgsEnv({ maxNodes: 1 })).toThrow(/maxNodes/);
  });

  it('reset options.sampler reconfigures the sampler (curriculum)', () => {
    const env = new EgsEnv();
    env.reset({ seed: 0, options: { sampler: { nodes: [12, 12], kinds: ['layered'] } } });
    expect(env.state.dag.n).toBe(12);
    env.reset();
    expect(env.state.dag.n).toBe(12);
    expect(() => env.reset({ options: { sampler: { nodes: [10, 80] } } })).toThrow(/maxNodes/);
  });
});
