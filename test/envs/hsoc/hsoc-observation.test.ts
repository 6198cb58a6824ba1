import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Box } from '../../../src/core/spaces.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import {
  HSOC_OBS,
  HSOC_OBS_DIM,
  HSOC_OBS_FIELDS,
  HSOC_OBS_PE_TYPES,
} from '../../../src/envs/hsoc/hsoc-observation.js';
import { HsocSingleAgentEnv } from '../../../src/envs/hsoc/hsoc-single-agent-env.js';
import type { HsocPolicy } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

/** The rows `| index | name | meaning | range |` of the observation table in hsoc-env.ts's header. */
function documentedRows(): string[][] {
  const text = readFileSync('src/envs/hsoc/hsoc-env.ts', 'utf8');
  const section = text.split('## Observation space')[1]!.split('## Rewards')[0]!;
  return [...section.matchAll(/^ \* \| (\d+(?:–\d+)?) \| (\w+) \| (.+) \| (.+) \|$/gm)].map((m) =>
    m.slice(1, 5),
  );
}

/** Whether x lies in a documented range: `{0, 1}`, `[a, b]`, `(a, b]` (trailing notes ignored). */
function inRange(x: number, range: string): boolean {
  if (range === '{0, 1}') return x === 0 || x === 1;
  const m = /^([[(])(−?[\d.]+), (−?[\d.]+)\]/.exec(range);
  if (!m) throw new Error(`unparsed range ${range}`);
  const lo = Number(m[2]!.replace('−', '-'));
  const hi = Number(m[3]!.replace('−', '-'));
  return (m[1] === '[' ? x >= lo : x > lo) && x <= hi;
}

describe('HSoC observation layout', () => {
  it('the table in the env header is the layout, field by field', () => {
    let at = 0;
    const expected = HSOC_OBS_FIELDS.map((f) => {
      const index = f.size === 1 ? `${at}` : `${at}–${at + f.size - 1}`;
      at += f.size;
      return [index, f.name, f.meaning, f.range];
    });
    expect(documentedRows()).toEqual(expected);
    expect(at).toBe(HSOC_OBS_DIM);
  });

  it('offsets are consecutive, the slack bins come last, and both envs use the layout length', () => {
    let at = 0;
    for (const f of HSOC_OBS_FIELDS) {
      expect(HSOC_OBS[f.name]).toBe(at);
      at += f.size;
    }
    expect(HSOC_OBS.slack + 11).toBe(HSOC_OBS_DIM);
    expect(HSOC_OBS_DIM).toBe(26);
    expect((new HsocEnv().observationSpace('cpu0') as Box).shape).toEqual([HSOC_OBS_DIM]);
    expect(new HsocSingleAgentEnv().observationSpace.shape).toEqual([HSOC_OBS_DIM]);
  });

  it('every emitted value lies in its documented range and matches the view it is written from', () => {
    const rows = documentedRows();
    const rangeAt: string[] = [];
    for (const [index, , , range] of rows) {
      const [a, b] = index!.split('–').map(Number);
      for (let i = a!; i <= (b ?? a!); i++) rangeAt[i] = range!;
    }
    const policy: HsocPolicy = new UniformPolicy();
    for (const load of ['light', 'heavy'] as const) {
      const env = new HsocEnv({ load, jobs: 4 });
      let r: { obs: Record<string, Float32Array>; infos: Record<string, { actionMask?: Uint8Array }> } =
        env.reset({ seed: 11 });
      let pending = env.pendingAgents;
      let checked = 0;
      while (pending.length > 0) {
        const actions: Record<string, number> = {};
        for (const a of pending) {
          const o = r.obs[a]!;
          for (let i = 0; i < HSOC_OBS_DIM; i++)
            expect(inRange(o[i]!, rangeAt[i]!), `${a}[${i}] = ${o[i]}`).toBe(true);
          const v = env.view(a);
          const p = env.indexOf(a);
          expect(o[HSOC_OBS.taskAssigned]).toBe(+v.taskAssigned);
          expect(o[HSOC_OBS.parentTasksCompleted]).toBe(+v.parentTasksCompleted);
          expect(o[HSOC_OBS.siblingTasks]).toBe(+v.siblingTasks);
          expect(o[HSOC_OBS.tokenNeed]).toBe(Math.fround(v.idealShare / 100));
          const oneHot = o.subarray(HSOC_OBS.peType, HSOC_OBS.peType + 3);
          expect([...oneHot]).toEqual(HSOC_OBS_PE_TYPES.map((t) => +(t === env.sim.pes[p])));
          checked++;
          actions[a] = policy.act(env, p, o, r.infos[a]!.actionMask!);
        }
        const s = env.step(actions);
        r = s;
        pending = s.pendingAgents;
      }
      expect(checked).toBeGreaterThan(50);
    }
  });
});
