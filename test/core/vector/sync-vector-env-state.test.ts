import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../src/core/make-env.js';
import { Rng } from '../../../src/core/rng.js';
import { SyncVectorEnv } from '../../../src/core/vector/sync-vector-env.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';

registerBuiltinEnvs();

function vec(id: string, n: number, resumable = true): SyncVectorEnv {
  return new SyncVectorEnv(
    Array.from({ length: n }, () => () => makeEnv(id)),
    { resumable },
  );
}

describe('SyncVectorEnv getState / setState', () => {
  it('property: a fresh vector env restored from the state steps exactly like the original', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('CartPole-v1', 'GridWorld-v0', 'Jobs-v0'),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 1000 }),
        (id, before, seed) => {
          const a = vec(id, 2);
          const rng = new Rng(seed);
          const act = (): Int32Array => {
            const m = a.singleActionSpace as { n: number };
            return Int32Array.from({ length: 2 }, () => rng.int(m.n));
          };
          let res = a.resetSync(seed);
          const masked = (): Int32Array => {
            // Masked envs: take the first allowed action of each copy.
            if (!res.actionMasks) return act();
            const n = (a.singleActionSpace as { n: number }).n;
            return Int32Array.from({ length: 2 }, (_, i) =>
              res.actionMasks!.subarray(i * n, (i + 1) * n).indexOf(1),
            );
          };
          for (let t = 0; t < before; t++) res = a.stepSync(masked());
          const b = vec(id, 2);
          b.setState(a.getState()!);
          for (let t = 0; t < 20; t++) {
            const actions = masked();
            const ra = a.stepSync(actions);
            const rb = b.stepSync(actions);
            expect(rb.obs).toEqual(ra.obs);
            expect(rb.rewards).toEqual(ra.rewards);
            expect(rb.terminated).toEqual(ra.terminated);
            res = ra;
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('has no state when not resumable or after an unseeded reset', () => {
    const a = vec('CartPole-v1', 1, false);
    a.resetSync(1);
    expect(a.getState()).toBeUndefined();
    const b = vec('CartPole-v1', 1);
    b.resetSync();
    expect(b.getState()).toBeUndefined();
  });
});
