/**
 * Pins the outputs the HSoC benchmark rests on (uniform control, token-need policy, ideal static
 * without its task search), recorded before per-type task profiles, the STOMP power model and the
 * PE-mix options were added: a DAG whose tasks carry one nominal time must behave exactly as before.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOADS } from '../../../src/envs/hsoc/hsoc-platform.js';
import { HSOC_WORKLOADS } from '../../../src/envs/hsoc/hsoc-workloads.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { runIdealStatic } from '../../../src/envs/hsoc/policies/ideal-static.js';
import { NeedPolicy } from '../../../src/envs/hsoc/policies/need-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';

const pinned = JSON.parse(
  readFileSync(new URL('./fixtures/pinned-outputs.json', import.meta.url), 'utf8'),
) as Record<string, number[]>;

describe('HSoC: benchmark-relevant outputs are unchanged (backward compatibility)', () => {
  for (const workload of HSOC_WORKLOADS)
    for (const load of HSOC_LOADS)
      it(`${workload} at ${load} load: uniform, need and ideal static as recorded`, () => {
        const opts = { workload, load, jobs: workload === '5-task' ? 6 : 2 };
        const env = new HsocEnv(opts);
        for (const seed of [1, 2]) {
          const u = runHsocEpisode(env, new UniformPolicy(), seed);
          const n = runHsocEpisode(env, new NeedPolicy(), seed);
          const i = runIdealStatic(opts, seed, false);
          // Exact equality: the same arithmetic in the same order gives the same bits.
          expect([
            u.meanCompletion,
            u.deadlineMissRatio,
            n.meanCompletion,
            i.meanCompletion,
            u.decisions,
          ]).toEqual(pinned[`${workload}/${load}/${seed}`]);
        }
      });
});
