import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordEpisodes, type RecordedEpisode } from '../../../src/core/wrappers/record-episodes.js';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { CountingEnv } from '../fixtures/counting-env.js';

const dir = mkdtempSync(join(tmpdir(), 'arbiter-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RecordEpisodes', () => {
  it('writes the selected episodes as one JSON line each, matching the trajectory', () => {
    const path = join(dir, 'sub', 'episodes.jsonl');
    const env = new RecordEpisodes(new TimeLimit(new CountingEnv({ target: 6 }), 4), {
      path,
      episodeTrigger: (i) => i % 2 === 0,
    });
    const seen: { obs: number[][]; actions: number[]; rewards: number[]; end: [boolean, boolean] }[] = [];
    for (let ep = 0; ep < 4; ep++) {
      const r0 = env.reset(ep === 0 ? { seed: 11 } : undefined);
      const traj = {
        obs: [Array.from(r0.obs)],
        actions: [] as number[],
        rewards: [] as number[],
        end: [false, false] as [boolean, boolean],
      };
      for (;;) {
        const a = r0.obs[0]! % 2 === 0 ? 2 : 1;
        const mask = env.actionMasks!();
        const action = mask[a] ? a : 1;
        const r = env.step(action);
        traj.obs.push(Array.from(r.obs));
        traj.actions.push(action);
        traj.rewards.push(r.reward);
        if (r.terminated || r.truncated) {
          traj.end = [r.terminated, r.truncated];
          break;
        }
      }
      seen.push(traj);
    }
    env.reset(); // episode 4 is selected and abandoned: written by close()
    env.step(1);
    env.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    const eps = lines.map((l) => JSON.parse(l) as RecordedEpisode);
    expect(eps.map((e) => e.episode)).toEqual([0, 2, 4]);
    expect(eps[0]!.seed).toBe(11);
    for (const [k, e] of [eps[0]!, eps[1]!].entries()) {
      const ref = seen[2 * k]!;
      expect(e.obs).toHaveLength(e.length + 1);
      expect(e.obs.map((o) => (o as number[]).map((v) => Math.fround(v)))).toEqual(ref.obs);
      expect(e.actions).toEqual(ref.actions);
      expect(e.rewards).toEqual(ref.rewards);
      expect([e.terminated, e.truncated]).toEqual(ref.end);
      expect(e.return).toBeCloseTo(
        ref.rewards.reduce((s, x) => s + x, 0),
        12,
      );
    }
    expect(eps[2]!.length).toBe(1);
    expect([eps[2]!.terminated, eps[2]!.truncated]).toEqual([false, false]);
    expect(env.recordedCount).toBe(3);
  });
});
