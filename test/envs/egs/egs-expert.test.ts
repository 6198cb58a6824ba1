import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { buildDag } from '../../../src/dag/build-dag.js';
import { createAnalysisContext } from '../../../src/dag/analysis/analysis-context.js';
import { coreLowerBound } from '../../../src/dag/analysis/core-lower-bound.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { scheduleEgsGreedy } from '../../../src/dag/schedule/egs-greedy.js';
import { DagSampler } from '../../../src/envs/egs/dag-sampler.js';
import { EgsEnv } from '../../../src/envs/egs/egs-env.js';
import { egsExpertAction, egsExpertEpisode, egsExpertLabel } from '../../../src/envs/egs/egs-expert.js';
import { arbDag } from '../../helpers/random-dag.js';

describe('EGS expert', () => {
  it('every demonstrated action is allowed by the mask it was taken under, and the result is a valid timetable', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 3, maxNodes: 12, slack: [0, 0.4] }), fc.integer(), (dag, seed) => {
        const env = new EgsEnv({ maxNodes: 12 });
        const run = egsExpertEpisode(env, dag, new Rng(seed), { tries: 3 });
        for (const s of run.steps) expect(s.mask[s.action]).toBe(1);
        expect(checkSchedule(dag, run.info.schedule).violations).toEqual([]);
        expect(run.cores).toBe(run.info.schedule.cores);
      }),
      { numRuns: 60 },
    );
  });

  it('labels each state with the set it accepts: the same action as egsExpertAction, inside its width-lowering set', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 4, maxNodes: 12, slack: [0, 0.4] }), fc.integer(), (dag, seed) => {
        const env = new EgsEnv({ maxNodes: 12 });
        const info = env.reset({ options: { dag } }).info;
        for (let t = 0; !info.terminal && t < 40; t++) {
          const plain = egsExpertAction(env);
          const label = egsExpertLabel(env, {}, true);
          const randomized = [new Rng(seed), new Rng(seed)];
          const a = egsExpertAction(env, { rng: randomized[0] });
          const l = egsExpertLabel(env, { rng: randomized[1] }, true);
          expect(label.action).toBe(plain);
          expect(l.action).toBe(a);
          for (const x of [label, l])
            if (x.targets) {
              expect(x.targets).toContain(x.action);
              for (const y of x.targets) expect(env.actionMasks()[y]).toBe(1);
            }
          if (plain < 0) break;
          const s = env.step(plain);
          if (s.terminated || s.truncated) break;
        }
        // Episodes record the sets; each holds its step's action.
        const run = egsExpertEpisode(env, dag, new Rng(seed), { tries: 2, targets: true });
        for (const s of run.steps) if (s.targets) expect(s.targets).toContain(s.action);
        // Without `targets` no set is recorded, and the episode is the same.
        const plainRun = egsExpertEpisode(env, dag, new Rng(seed), { tries: 2 });
        expect(plainRun.steps.map((s) => s.action)).toEqual(run.steps.map((s) => s.action));
        expect(plainRun.steps.every((s) => s.targets === undefined)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('deterministic expert never needs more cores than egs-greedy; best of several tries never more than one', () => {
    const rng = new Rng(3);
    const sampler = new DagSampler({ nodes: [10, 25], slack: [0, 0.3] });
    const env = new EgsEnv({ maxNodes: 25 });
    for (let k = 0; k < 12; k++) {
      const dag = sampler.sample(rng);
      const ctx = createAnalysisContext(dag, dag.deadline!);
      const greedy = scheduleEgsGreedy(ctx, coreLowerBound(dag, dag.deadline!, ctx.timing).lowerBound);
      const one = egsExpertEpisode(env, dag, rng, { tries: 1 });
      const best = egsExpertEpisode(env, dag, rng, { tries: 4 });
      expect(one.cores).toBeLessThanOrEqual(Math.max(greedy.cores, one.info.lowerBound));
      expect(best.cores).toBeLessThanOrEqual(one.cores);
    }
  });

  it('returns −1 when no action is allowed (a chain), an allowed action otherwise', () => {
    const env = new EgsEnv({ maxNodes: 12 });
    const chain = buildDag({
      name: 'chain',
      deadline: 10,
      nodes: [1, 2, 3].map((c, i) => ({ id: `c${i}`, wcet: c })),
      edges: [
        ['c0', 'c1'],
        ['c1', 'c2'],
      ],
    });
    env.reset({ options: { dag: chain } });
    expect(egsExpertAction(env)).toBe(-1);
    const dag = new DagSampler({ nodes: [8, 12], slack: [0.3, 0.4] }).sample(new Rng(1));
    const r = env.reset({ options: { dag } });
    expect((r.info as { terminal?: boolean }).terminal).toBeUndefined();
    expect(env.actionMasks()[egsExpertAction(env)]).toBe(1);
  });
});

describe('EgsEnv antichainOnly', () => {
  it('allows a subset of the critical-only mask (or falls back to it), and episodes still give valid timetables', () => {
    fc.assert(
      fc.property(arbDag({ minNodes: 3, maxNodes: 12, slack: [0, 0.4] }), fc.integer(), (dag, seed) => {
        const anti = new EgsEnv({ maxNodes: 12, antichainOnly: true });
        const crit = new EgsEnv({ maxNodes: 12 });
        const rng = new Rng(seed);
        let r = anti.reset({ options: { dag } });
        if ((r.info as { terminal?: boolean }).terminal) return;
        crit.reset({ options: { dag } });
        const actions: number[] = [];
        for (let guard = 0; guard < 200; guard++) {
          const ma = anti.actionMasks();
          const mc = crit.actionMasks();
          let subset = true;
          for (let a = 0; a < ma.length; a++) if (ma[a] && !mc[a]) subset = false;
          expect(subset).toBe(true);
          const allowed = [...ma.keys()].filter((a) => ma[a]);
          const a = allowed[rng.int(allowed.length)]!;
          actions.push(a);
          const s = anti.step(a);
          crit.step(a); // same graph in both envs
          if (s.terminated || s.truncated) {
            const info = s.info as unknown as { schedule: Parameters<typeof checkSchedule>[1] };
            expect(checkSchedule(dag, info.schedule).violations).toEqual([]);
            return;
          }
          r = { obs: s.obs, info: s.info };
        }
        throw new Error(`episode did not end after ${actions.length} steps`);
      }),
      { numRuns: 60 },
    );
  });
});
