import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import { CARTPOLE_SPEC, CartPole } from '../../src/envs/cartpole.js';

/**
 * One Euler step of the cart-pole equations in Florian (2007)'s form, written independently of
 * the implementation: θ̈ = (g sinθ + cosθ·(−F − m_p l θ̇² sinθ)/(m_c + m_p)) /
 * (l (4/3 − m_p cos²θ / (m_c + m_p))), ẍ = (F + m_p l (θ̇² sinθ − θ̈ cosθ)) / (m_c + m_p).
 */
function referenceStep(s: readonly number[], action: number): number[] {
  const [x, xDot, th, thDot] = s as [number, number, number, number];
  const g = 9.8;
  const mc = 1;
  const mp = 0.1;
  const l = 0.5;
  const F = action === 1 ? 10 : -10;
  const thAcc =
    (g * Math.sin(th) + (Math.cos(th) * (-F - mp * l * thDot ** 2 * Math.sin(th))) / (mc + mp)) /
    (l * (4 / 3 - (mp * Math.cos(th) ** 2) / (mc + mp)));
  const xAcc = (F + mp * l * (thDot ** 2 * Math.sin(th) - thAcc * Math.cos(th))) / (mc + mp);
  return [x + 0.02 * xDot, xDot + 0.02 * xAcc, th + 0.02 * thDot, thDot + 0.02 * thAcc];
}

describe('CartPole-v1', () => {
  it("has Gymnasium's spaces and spec", () => {
    const env = new CartPole();
    expect(env.actionSpace.n).toBe(2);
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.observationSpace.high[0]).toBeCloseTo(4.8, 6);
    expect(env.observationSpace.high[2]).toBeCloseTo((2 * 12 * 2 * Math.PI) / 360, 6); // 0.41887903
    expect(env.observationSpace.high[1]).toBe(3.4028234663852886e38);
    expect(env.observationSpace.low[3]).toBe(-3.4028234663852886e38);
    expect(CARTPOLE_SPEC).toEqual({ id: 'CartPole-v1', maxEpisodeSteps: 500, rewardThreshold: 475 });
  });

  it('matches hand-computed Euler steps from a fixed state', () => {
    const env = new CartPole();
    const s0 = [0.01, -0.02, 0.03, 0.04];
    const { obs } = env.reset({ options: { state: s0 } });
    expect(Array.from(obs)).toEqual(Array.from(Float32Array.from(s0)));

    const r1 = env.step(1);
    const e1 = referenceStep(s0, 1);
    env.getState().forEach((v, i) => expect(v).toBeCloseTo(e1[i]!, 12));
    // Pinned values (Gymnasium's formula evaluated in float64): the position moves with the old
    // velocity, the push to the right speeds the cart up and tips the pole back.
    expect(env.getState()[0]).toBeCloseTo(0.0096, 15);
    expect(env.getState()[1]).toBeCloseTo(0.17467919574755525, 12);
    expect(env.getState()[3]).toBeCloseTo(-0.24306871796000815, 12);
    expect(r1.obs).toEqual(Float32Array.from(e1));
    expect(r1.reward).toBe(1);
    expect(r1.terminated).toBe(false);
    expect(r1.truncated).toBe(false);

    env.step(0);
    const e2 = referenceStep(e1, 0);
    env.getState().forEach((v, i) => expect(v).toBeCloseTo(e2[i]!, 12));
    expect(env.getState()[1]).toBeCloseTo(-0.020868848948191993, 12);
  });

  it('terminates past 12° or 2.4 m with reward 1 on the terminating step, then refuses to step', () => {
    const env = new CartPole();
    const limit = (12 * 2 * Math.PI) / 360;
    // θ = limit − 0.001 with θ̇ = 0.1: the next θ = limit + 0.001 crosses the threshold.
    env.reset({ options: { state: [0, 0, limit - 0.001, 0.1] } });
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(1);
    expect(() => env.step(0)).toThrow(ArbiterError);

    env.reset({ options: { state: [2.399, 0.1, 0, 0] } });
    expect(env.step(0).terminated).toBe(true); // x = 2.401
    env.reset({ options: { state: [2.397, 0.1, 0, 0] } });
    expect(env.step(0).terminated).toBe(false); // x = 2.399
  });

  it('resets uniformly in ±0.05, reproducibly per seed, and returns fresh observations', () => {
    const env = new CartPole();
    const a = env.reset({ seed: 5 }).obs;
    for (const v of a) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
    const b = env.reset({ seed: 5 }).obs;
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(env.reset({ seed: 6 }).obs).not.toEqual(a);
    const o1 = env.step(0).obs;
    const copy = o1.slice();
    env.step(1);
    expect(o1).toEqual(copy);
  });

  it('a uniformly random policy lasts ≈ 22 steps on average (the known CartPole figure)', () => {
    const env = new CartPole();
    let total = 0;
    const episodes = 300;
    let seed = 0;
    env.reset({ seed: 123 });
    for (let e = 0; e < episodes; e++) {
      env.reset();
      for (;;) {
        total++;
        // A cheap deterministic pseudo-random action stream independent of the env's RNG.
        seed = (seed * 1103515245 + 12345) >>> 0;
        if (env.step((seed >>> 16) & 1).terminated) break;
      }
    }
    const mean = total / episodes;
    expect(mean).toBeGreaterThan(18);
    expect(mean).toBeLessThan(27);
  });

  it('rejects invalid actions and bad reset states', () => {
    const env = new CartPole();
    env.reset({ seed: 0 });
    expect(() => env.step(2)).toThrow(/action/);
    expect(() => env.reset({ options: { state: [0, 0, 0] } })).toThrow(/state/);
  });
});
