import { describe, expect, it } from 'vitest';
import {
  RecordEpisodeStatistics,
  type EpisodeStatistics,
} from '../../../src/core/wrappers/record-episode-statistics.js';
import { TimeLimit } from '../../../src/core/wrappers/time-limit.js';
import { CountingEnv } from '../fixtures/counting-env.js';

describe('RecordEpisodeStatistics', () => {
  it('adds info.episode = { r, l, t } on the last step and keeps a bounded queue', () => {
    let clock = 0;
    const env = new RecordEpisodeStatistics(new TimeLimit(new CountingEnv({ target: 1000 }), 3), {
      bufferLength: 2,
      now: () => clock,
    });
    const returns: number[] = [];
    for (let ep = 0; ep < 3; ep++) {
      env.reset({ seed: ep });
      let ret = 0;
      for (let t = 0; t < 3; t++) {
        clock += 250;
        const r = env.step(1);
        ret += r.reward;
        if (t < 2) expect(r.info['episode']).toBeUndefined();
        else {
          const stats = r.info['episode'] as EpisodeStatistics;
          expect(stats.l).toBe(3);
          expect(stats.r).toBeCloseTo(ret, 12);
          expect(stats.t).toBeCloseTo(0.75, 12);
          expect(r.info.actionMask).toBeInstanceOf(Uint8Array);
        }
      }
      returns.push(ret);
    }
    expect(env.episodeCount).toBe(3);
    expect(env.lengthQueue).toEqual([3, 3]);
    expect(env.returnQueue[0]).toBeCloseTo(returns[1]!, 12);
    expect(env.returnQueue[1]).toBeCloseTo(returns[2]!, 12);
  });
});
