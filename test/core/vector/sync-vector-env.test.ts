import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../../src/core/errors.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import { Discrete } from '../../../src/core/spaces.js';
import { SyncVectorEnv } from '../../../src/core/vector/sync-vector-env.js';
import type { VectorStepResult } from '../../../src/core/vector-env.js';
import { CountingEnv, DriftEnv } from '../fixtures/counting-env.js';
import '../fixtures/register-fixtures.js';

function maskedActions(rng: Rng, masks: Uint8Array, numEnvs: number, n: number): Int32Array {
  const space = new Discrete(n);
  return Int32Array.from({ length: numEnvs }, (_, i) =>
    space.sample(rng, masks.subarray(i * n, (i + 1) * n)),
  );
}

describe('SyncVectorEnv', () => {
  it('seeds copy i with seed + i and gathers flattened obs and masks', () => {
    const venv = new SyncVectorEnv([0, 1, 2].map(() => () => new CountingEnv()));
    expect(venv.obsDim).toBe(2);
    const r = venv.resetSync(10);
    for (let i = 0; i < 3; i++) {
      const ref = new CountingEnv().reset({ seed: 10 + i });
      expect(Array.from(r.obs.subarray(2 * i, 2 * i + 2))).toEqual(Array.from(ref.obs));
      expect(Array.from(r.actionMasks!.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(ref.info.actionMask!));
    }
  });

  it('autoresets in the same step: finalObs/finalInfos hold the ended episode, obs the new one', () => {
    const n = 3;
    const venv = new SyncVectorEnv(
      Array.from({ length: n }, () => () => makeEnv('Counting-v0', { options: { target: 7 } })),
    );
    // Reference: the same copies stepped by hand.
    const refs = Array.from({ length: n }, () =>
      makeEnv<Float32Array, number>('Counting-v0', { options: { target: 7 } }),
    );
    let res = venv.resetSync(3);
    refs.forEach((e, i) => e.reset({ seed: 3 + i }));
    const rng = new Rng(1);
    let ends = 0;
    let truncations = 0;
    for (let t = 0; t < 60; t++) {
      const actions = maskedActions(rng, res.actionMasks!, n, 3);
      const step: VectorStepResult = venv.stepSync(actions);
      for (let i = 0; i < n; i++) {
        const r = refs[i]!.step(actions[i]!);
        expect(step.rewards[i]).toBe(Math.fround(r.reward));
        expect(step.terminated[i]).toBe(r.terminated ? 1 : 0);
        expect(step.truncated[i]).toBe(r.truncated ? 1 : 0);
        const row = Array.from(step.obs.subarray(2 * i, 2 * i + 2));
        if (r.terminated || r.truncated) {
          ends++;
          if (r.truncated) truncations++;
          expect(Array.from(step.finalObs[i]!)).toEqual(Array.from(r.obs));
          expect(step.finalInfos[i]).toEqual(r.info);
          const rr = refs[i]!.reset();
          expect(row).toEqual(Array.from(rr.obs));
          expect(step.infos[i]).toEqual(rr.info);
          expect(Array.from(step.actionMasks!.subarray(3 * i, 3 * i + 3))).toEqual(
            Array.from(rr.info.actionMask!),
          );
        } else {
          expect(step.finalObs[i]).toBeNull();
          expect(step.finalInfos[i]).toBeNull();
          expect(row).toEqual(Array.from(r.obs));
        }
      }
      res = step;
    }
    expect(ends).toBeGreaterThan(5);
    expect(truncations).toBeGreaterThan(0);
  });

  it('returns fresh arrays by default and the same arrays with reuseBuffers', () => {
    const fresh = new SyncVectorEnv([() => new CountingEnv()]);
    const a = fresh.resetSync(0);
    const b = fresh.stepSync(Int32Array.of(1));
    expect(b.obs).not.toBe(a.obs);
    const kept = Array.from(a.obs);
    fresh.stepSync(Int32Array.of(1));
    expect(Array.from(a.obs)).toEqual(kept);

    const reused = new SyncVectorEnv([() => new CountingEnv()], { reuseBuffers: true });
    const c = reused.resetSync(0);
    const d = reused.stepSync(Int32Array.of(1));
    const e = reused.stepSync(Int32Array.of(1));
    expect(d.obs).toBe(c.obs);
    expect(e.rewards).toBe(d.rewards);
  });

  it('passes Box action rows as copies', () => {
    const venv = new SyncVectorEnv([() => makeEnv('Drift-v0'), () => makeEnv('Drift-v0')]);
    venv.resetSync(0);
    const ref = makeEnv<Float32Array, Float32Array>('Drift-v0');
    ref.reset({ seed: 1 });
    const r = venv.stepSync(Float32Array.of(0.5, -0.25));
    expect(r.obs[1]).toBe(ref.step(Float32Array.of(-0.25)).obs[0]);
    expect(r.actionMasks).toBeUndefined();
  });

  it('rejects misuse: step before reset, wrong action count, mismatched spaces', async () => {
    const venv = new SyncVectorEnv([() => new CountingEnv(), () => new CountingEnv()]);
    expect(() => venv.stepSync(Int32Array.of(0, 0))).toThrow(ArbiterError);
    await venv.reset(0);
    expect(() => venv.stepSync(Int32Array.of(0))).toThrow(/2 × 1 actions/);
    expect(() => new SyncVectorEnv([() => new CountingEnv(), () => new CountingEnv({ target: 3 })])).toThrow(
      /different spaces/,
    );
    expect(() => new SyncVectorEnv([() => new CountingEnv(), () => new DriftEnv()])).toThrow(ArbiterError);
    await venv.close();
  });
});
