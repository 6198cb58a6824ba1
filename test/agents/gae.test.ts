import { describe, expect, it } from 'vitest';
import { computeDiscountedReturns, computeGae } from '../../src/agents/gae.js';

// Rollout of T = 4 steps × E = 2 copies, step-major (index t·2 + e).
// Copy 0: a truncated episode ends at t = 1 (V(final) = 5), the next episode runs to the end.
// Copy 1: an episode terminates at t = 2, the next one starts at t = 3.
const T = 4;
const E = 2;
const gamma = 0.9;
const lambda = 0.8;
const rewards = [1, 2, 1, 0, 1, 1, 2, 3];
const values = [0.5, 1, 0.6, 1.1, 0.7, 1.2, 0.8, 1.3];
const terminated = [0, 0, 0, 0, 0, 1, 0, 0];
const truncated = [0, 0, 1, 0, 0, 0, 0, 0];
const finalValues = [0, 0, 5, 0, 0, 0, 0, 0];
const lastValues = [2, 4];

/** Hand computation, step by step (each line is one δ or A of the docstring formulas). */
function handValues(): { adv: number[]; ret: number[] } {
  const adv = new Array<number>(8);
  // Copy 0, t = 3 (episode running at rollout end): bootstrap V(s_T) = 2.
  const d03 = 2 + gamma * 2 - 0.8; // 3.0
  adv[6] = d03;
  // t = 2: next state not done.
  const d02 = 1 + gamma * 0.8 - 0.7; // 1.02
  adv[4] = d02 + gamma * lambda * adv[6];
  // t = 1: truncated → reward + γ·V(final) and no continuation into the next episode.
  const d01 = 1 + gamma * 5 - 0.6; // 4.9
  adv[2] = d01;
  // t = 0.
  const d00 = 1 + gamma * 0.6 - 0.5; // 1.04
  adv[0] = d00 + gamma * lambda * adv[2];
  // Copy 1, t = 3: bootstrap V(s_T) = 4.
  const d13 = 3 + gamma * 4 - 1.3; // 5.3
  adv[7] = d13;
  // t = 2: terminated → no bootstrap at all, no continuation.
  const d12 = 1 - 1.2; // −0.2
  adv[5] = d12;
  // t = 1.
  const d11 = 0 + gamma * 1.2 - 1.1; // −0.02
  adv[3] = d11 + gamma * lambda * adv[5];
  // t = 0.
  const d10 = 2 + gamma * 1.1 - 1; // 1.99
  adv[1] = d10 + gamma * lambda * adv[3];
  return { adv, ret: adv.map((a, i) => a + values[i]!) };
}

describe('computeGae', () => {
  it('matches hand-computed advantages and returns with a truncated and a terminated episode', () => {
    const { advantages, returns } = computeGae({
      numSteps: T,
      numEnvs: E,
      rewards,
      values,
      terminated,
      truncated,
      finalValues,
      lastValues,
      gamma,
      gaeLambda: lambda,
    });
    const hand = handValues();
    // Spot-check the hand arithmetic itself.
    expect(hand.adv[2]).toBeCloseTo(4.9, 10);
    expect(hand.adv[0]).toBeCloseTo(1.04 + 0.72 * 4.9, 10);
    expect(hand.adv[5]).toBeCloseTo(-0.2, 10);
    for (let i = 0; i < 8; i++) {
      expect(advantages[i]).toBeCloseTo(hand.adv[i]!, 5);
      expect(returns[i]).toBeCloseTo(hand.ret[i]!, 5);
    }
  });

  it('a truncation differs from a termination only by the γ·V(final) bootstrap', () => {
    const base = {
      numSteps: 1,
      numEnvs: 1,
      rewards: [1],
      values: [0.5],
      finalValues: [3],
      lastValues: [9],
      gamma,
      gaeLambda: lambda,
    };
    const term = computeGae({ ...base, terminated: [1], truncated: [0] });
    const trunc = computeGae({ ...base, terminated: [0], truncated: [1] });
    const both = computeGae({ ...base, terminated: [1], truncated: [1] });
    expect(term.advantages[0]).toBeCloseTo(0.5, 6);
    expect(trunc.advantages[0]).toBeCloseTo(0.5 + gamma * 3, 6);
    // Terminated wins when both flags are set; lastValues (the next episode's start) never leaks in.
    expect(both.advantages[0]).toBeCloseTo(0.5, 6);
  });

  it('λ = 1 with V ≡ 0 gives discounted Monte-Carlo returns', () => {
    const zeros = new Array<number>(8).fill(0);
    const gae = computeGae({
      numSteps: T,
      numEnvs: E,
      rewards,
      values: zeros,
      terminated,
      truncated,
      finalValues,
      lastValues,
      gamma,
      gaeLambda: 1,
    });
    const mc = computeDiscountedReturns({
      numSteps: T,
      numEnvs: E,
      rewards,
      terminated,
      truncated,
      finalValues,
      lastValues,
      gamma,
    });
    for (let i = 0; i < 8; i++) expect(gae.returns[i]).toBeCloseTo(mc[i]!, 5);
    // Copy 1, t = 1: 0 + γ·1 (terminated at t = 2, no bootstrap).
    expect(mc[3]).toBeCloseTo(gamma * 1, 6);
    // Copy 0, t = 0: 1 + γ·(1 + γ·5).
    expect(mc[0]).toBeCloseTo(1 + gamma * (1 + gamma * 5), 6);
  });

  it('rejects arrays that are too short', () => {
    expect(() =>
      computeGae({
        numSteps: 2,
        numEnvs: 2,
        rewards: [1],
        values: [0, 0, 0, 0],
        terminated: [0, 0, 0, 0],
        truncated: [0, 0, 0, 0],
        finalValues: [0, 0, 0, 0],
        lastValues: [0, 0],
        gamma,
        gaeLambda: lambda,
      }),
    ).toThrow(/rewards/);
  });
});
