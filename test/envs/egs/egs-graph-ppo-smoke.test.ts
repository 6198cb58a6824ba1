import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PPO } from '../../../src/agents/ppo.js';
import type { StepResult } from '../../../src/core/env.js';
import { PadGraphObservation } from '../../../src/core/wrappers/pad-graph-observation.js';
import { Wrapper } from '../../../src/core/wrappers/wrapper.js';
import { checkSchedule } from '../../../src/dag/schedule/check-schedule.js';
import { EgsEnv, type EgsEpisodeInfo } from '../../../src/envs/egs/egs-env.js';
import { GraphPolicy } from '../../../src/nn/graph-policy.js';
import { initTf } from '../../../src/nn/tf-backend.js';

beforeAll(async () => {
  await initTf();
});

/** Checks every action against the mask in force and every final timetable with checkSchedule. */
class Audit extends Wrapper<Float32Array, number> {
  episodes = 0;
  violations: string[] = [];
  maskViolations = 0;
  private readonly egs: EgsEnv;
  constructor(readonly padded: PadGraphObservation<number>) {
    super(padded);
    this.egs = padded.unwrapped as EgsEnv;
  }
  override step(action: number): StepResult<Float32Array> {
    if (!this.egs.actionMasks()[action]) this.maskViolations++;
    const dag = this.egs.state.dag;
    const r = super.step(action);
    if (r.terminated || r.truncated) {
      this.episodes++;
      const info = r.info as unknown as EgsEpisodeInfo;
      const check = checkSchedule(dag, info.schedule);
      this.violations.push(...check.violations);
      if (info.schedule.cores !== info.width) this.violations.push('cores ≠ width');
    }
    return r;
  }
}

describe('PPO with GraphPolicy on EGS-v0 (smoke)', () => {
  it('trains on 10–14-node DAGs: every episode ends with a checked timetable, no masked action', async () => {
    const audits: Audit[] = [];
    const make = (): Audit => {
      const a = new Audit(
        new PadGraphObservation(new EgsEnv({ maxNodes: 14, sampler: { nodes: [10, 14], slack: [0, 0.4] } })),
      );
      audits.push(a);
      return a;
    };
    const layout = new PadGraphObservation(new EgsEnv({ maxNodes: 14 })).layout;
    const model = new PPO(
      make,
      { numEnvs: 4, numSteps: 64, numMinibatches: 2, updateEpochs: 2, seed: 3, clipVloss: false },
      GraphPolicy.factory(layout, { hiddenDim: 16, numHeads: 2 }),
    );
    let metrics: Record<string, number> = {};
    await model.learn({ totalTimesteps: 2048, progress: (_d, _t, m) => (metrics = { ...m }) });
    expect(model.counters.numTimesteps).toBe(2048);
    const episodes = audits.reduce((s, a) => s + a.episodes, 0);
    expect(episodes).toBeGreaterThan(40);
    expect(audits.flatMap((a) => a.violations)).toEqual([]);
    expect(audits.reduce((s, a) => s + a.maskViolations, 0)).toBe(0);
    for (const k of ['train/policy_loss', 'train/value_loss', 'train/entropy'])
      expect(Number.isFinite(metrics[k]), k).toBe(true);
    // Greedy predictions on a fresh episode are allowed edges until the episode ends.
    const env = make();
    let r = env.reset({ seed: 99 });
    let done = false;
    while (!done) {
      const a = model.predict(r.obs, { deterministic: true, mask: env.actionMasks!() }) as number;
      const s = env.step(a);
      r = { obs: s.obs, info: s.info };
      done = s.terminated || s.truncated;
    }
    expect(env.violations).toEqual([]);
    expect(env.maskViolations).toBe(0);

    // The graph policy's weights go through the project's checkpoints unchanged.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'egs-graph-ppo-'));
    try {
      await model.save(dir);
      const restored = await PPO.load(dir, make, GraphPolicy.factory(layout, { hiddenDim: 16, numHeads: 2 }));
      const r0 = env.reset({ seed: 5 });
      expect(restored.predictValue(r0.obs)).toBe(model.predictValue(r0.obs));
      await restored.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await model.close();
  });
});
