import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleDag } from '../../../src/dag/schedule/schedule-dag.js';
import { DagSampler } from '../../../src/envs/egs/dag-sampler.js';
import { EgsEnv, egsEpisodeEnded } from '../../../src/envs/egs/egs-env.js';
import {
  ReplanningTeacher,
  timetableTarget,
  timetableTeacherEpisode,
} from '../../../src/envs/egs/timetable-teacher.js';
import { listTimetables } from '../../../src/envs/egs/egs-best-teacher.js';
import { tightDeadline } from '../../../src/experiments/egs-benchmark-sets.js';
import { arbTightTask } from '../../helpers/tight-task.js';

// Up to 22 nodes: the envs below take 24.
const arbTask = arbTightTask(22);

describe('timetable teacher', () => {
  it('replay is legal under the env mask, ends on ≤ the timetable cores and meets D (property)', async () => {
    const envs = [true, false].map((antichainOnly) => new EgsEnv({ maxNodes: 24, antichainOnly }));
    await fc.assert(
      fc.asyncProperty(arbTask, async ({ dag, D }) => {
        for (const method of ['listsched', 'egs-greedy'] as const) {
          const timetable = await scheduleDag(dag, method, { deadline: D });
          for (const env of envs) {
            for (const continueWithExpert of [false, true]) {
              const demo = timetableTeacherEpisode(env, dag, timetable, { continueWithExpert });
              for (const s of demo.steps) expect(s.mask[s.action]).toBe(1);
              expect(demo.cores).toBeLessThanOrEqual(timetable.cores);
              const result = demo.info.schedule;
              expect(checkSchedule(dag, result).violations).toEqual([]);
              expect(result.feasible).toBe(true);
              expect(result.deadline).toBe(D);
              expect(result.addedEdges.length).toBe(demo.steps.length);
            }
          }
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('the re-planning teacher is mask-legal from any state and, followed from the start, ends on ≤ listsched cores', async () => {
    const env = new EgsEnv({ maxNodes: 24, antichainOnly: true });
    const teacher = new ReplanningTeacher((dagT, D) => listTimetables(dagT, D).listsched);
    const rng = new Rng(5);
    await fc.assert(
      fc.asyncProperty(arbTask, fc.integer({ min: 0, max: 6 }), async ({ dag, D }, detour) => {
        const list = await scheduleDag(dag, 'listsched', { deadline: D });
        for (const k of [0, detour]) {
          // k random allowed edges first (a learner's detour), then the teacher.
          teacher.reset();
          const r = env.reset({ options: { dag, deadline: D } });
          let info = r.info;
          for (let t = 0; !info.terminal && !egsEpisodeEnded(info); t++) {
            const mask = env.actionMasks();
            const allowed = [...mask.keys()].filter((a) => mask[a]);
            const a = t < k ? allowed[rng.int(allowed.length)]! : teacher.action(env);
            expect(mask[a]).toBe(1);
            info = env.step(a).info;
          }
          const cores = egsEpisodeEnded(info) ? info.cores : r.info.cores!;
          if (k === 0) expect(cores).toBeLessThanOrEqual(list.cores);
        }
      }),
      { numRuns: 25, seed: 8 },
    );
  });

  it('records the set of accepted actions: ascending, mask-allowed, implied by G′, the recorded action among them', async () => {
    const env = new EgsEnv({ maxNodes: 24, antichainOnly: true });
    const N = env.maxNodes;
    // With the greedy expert's sets too, where it answers.
    const teacher = new ReplanningTeacher((dagT, D) => listTimetables(dagT, D).listsched, 24, true);
    let sets = 0;
    let larger = 0;
    await fc.assert(
      fc.asyncProperty(arbTask, async ({ dag, D }) => {
        const timetable = await scheduleDag(dag, 'listsched', { deadline: D });
        const reach = timetableTarget(dag, timetable, D).reach;
        const demo = timetableTeacherEpisode(env, dag, timetable);
        for (const s of demo.steps) {
          if (!s.targets) continue;
          sets++;
          if (s.targets.length > 1) larger++;
          expect(s.targets).toContain(s.action);
          const t = Array.from(s.targets);
          expect(t).toEqual([...t].sort((x, y) => x - y));
          for (const a of t) {
            expect(s.mask[a]).toBe(1);
            expect(reach.has(Math.floor(a / N), a % N)).toBe(true);
          }
        }
        // The re-planning teacher's labels: the same action as `action`, inside its set.
        teacher.reset();
        let info = env.reset({ options: { dag, deadline: D } }).info;
        while (!info.terminal && !egsEpisodeEnded(info)) {
          const label = teacher.label(env);
          expect(teacher.action(env)).toBe(label.action);
          const mask = env.actionMasks();
          if (label.targets) {
            expect(label.targets).toContain(label.action);
            for (const a of label.targets) expect(mask[a]).toBe(1);
          }
          info = env.step(label.action).info;
        }
      }),
      { numRuns: 20, seed: 9 },
    );
    // Sets were recorded, and the teacher often accepts more than the one action it takes.
    expect(sets).toBeGreaterThan(0);
    expect(larger).toBeGreaterThan(0);
  });

  it('handles the sampler’s zero-WCET dummy nodes (STG-style source and sink)', async () => {
    const sampler = new DagSampler({
      nodes: [12, 24],
      dummyProbability: 1,
      kinds: ['layered'],
      slack: [0, 0],
    });
    const rng = new Rng(3);
    const env = new EgsEnv({ maxNodes: 26, antichainOnly: true });
    let withDummies = 0;
    for (let k = 0; k < 12; k++) {
      const dag = sampler.sample(rng);
      if (dag.wcet.some((c) => c === 0)) withDummies++;
      const timetable = await scheduleDag(dag, 'listsched', { deadline: tightDeadline(dag, 3) });
      const demo = timetableTeacherEpisode(env, dag, timetable, { continueWithExpert: false });
      expect(demo.cores).toBeLessThanOrEqual(timetable.cores);
      expect(checkSchedule(dag, demo.info.schedule).ok).toBe(true);
    }
    expect(withDummies).toBeGreaterThan(0);
  });

  it('the target G′ of a 2-core timetable has width 2 and the per-core order', () => {
    // a, b, c, d independent; cores [a, c] and [b, d].
    const dag = buildDag({
      name: 'four',
      nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, wcet: 1 })),
      edges: [],
      deadline: 2,
    });
    const timetable = {
      method: 'listsched' as const,
      cores: 2,
      feasible: true,
      deadline: 2,
      makespan: 2,
      schedule: [
        { node: 'a', core: 0, start: 0, finish: 1 },
        { node: 'c', core: 0, start: 1, finish: 2 },
        { node: 'b', core: 1, start: 0, finish: 1 },
        { node: 'd', core: 1, start: 1, finish: 2 },
      ],
      addedEdges: [],
      lowerBound: 2,
      timeMs: 0,
      guarantee: 'structural' as const,
      guarantees: [],
    };
    const target = timetableTarget(dag, timetable);
    expect(target.added).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(target.width().width).toBe(2);
    expect(() => timetableTarget(dag, { ...timetable, deadline: 1, feasible: false })).toThrow(
      /not a feasible/,
    );
  });
});
