import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/core/check-env.js';
import { ArbiterError } from '../../src/core/errors.js';
import { makeEnv } from '../../src/core/make-env.js';
import { Rng } from '../../src/core/rng.js';
import { PIXEL_PONG_CHANNELS, PixelPong, type PixelPongOptions } from '../../src/envs/pixel-pong.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';

/** Cells of `channel` set in an observation of an H × W × 4 grid, as [row, col]. */
function cells(obs: Float32Array, cols: number, channel: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p * 4 < obs.length; p++)
    if (obs[p * 4 + channel] === 1) out.push([Math.floor(p / cols), p % cols]);
  return out;
}

/** Plays `steps` seeded random actions (restarting finished games); returns every step result. */
function play(options: PixelPongOptions, seed: number, steps: number) {
  const env = new PixelPong(options);
  const rng = new Rng(seed + 1);
  const results = [env.reset({ seed })];
  const trace: { obs: Float32Array; reward: number; done: boolean }[] = [];
  for (let t = 0; t < steps; t++) {
    const r = env.step(rng.int(6));
    trace.push({ obs: r.obs, reward: r.reward, done: r.terminated });
    if (r.terminated) results.push(env.reset());
  }
  return { env, trace, first: results[0]!.obs };
}

describe('PixelPong-v0', () => {
  it('has Box [10, 10, 4] observations and 6 actions, and passes checkEnv raw and through makeEnv', () => {
    const env = new PixelPong();
    expect(env.observationSpace.shape).toEqual([10, 10, 4]);
    expect(env.actionSpace.n).toBe(6);
    expect(checkEnv(env, { seed: 3, steps: 3000 })).toEqual([]);
    expect(checkEnv(new PixelPong({ stickyActionProb: 0.25, rows: 8, cols: 12 }), { seed: 4 })).toEqual([]);
    registerBuiltinEnvs();
    expect(checkEnv(makeEnv('PixelPong-v0', { options: { pointsToWin: 3 } }), { seed: 5 })).toEqual([]);
  });

  it('refuses bad options and actions with clear errors', () => {
    expect(() => new PixelPong({ paddleHeight: 10 })).toThrow(/paddleHeight must be below rows/);
    expect(() => new PixelPong({ rows: 3 } as PixelPongOptions)).toThrow(/rows/);
    expect(() => new PixelPong({ speed: 1 } as PixelPongOptions)).toThrow(/speed/);
    const env = new PixelPong();
    expect(() => env.step(0)).toThrow(ArbiterError);
    env.reset({ seed: 0 });
    expect(() => env.step(6)).toThrow(/action must be an integer in \[0, 5\]/);
  });

  it('invariants under random play: one ball inside the grid, paddles of paddleHeight cells in their columns, binary pixels, reward ∈ {−1, 0, 1} and only at a point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 5, max: 12 }),
        fc.integer({ min: 5, max: 12 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (seed, rows, cols, sticky) => {
          const paddleHeight = Math.min(3, rows - 1);
          const { env, trace } = play(
            { rows, cols, paddleHeight, stickyActionProb: sticky, pointsToWin: 3 },
            seed,
            300,
          );
          for (const { obs, reward } of trace) {
            expect(obs.every((v) => v === 0 || v === 1)).toBe(true);
            const ball = cells(obs, cols, PIXEL_PONG_CHANNELS.ball);
            expect(ball).toHaveLength(1);
            const [r, c] = ball[0]!;
            expect(r >= 0 && r < rows && c >= 1 && c <= cols - 2).toBe(true);
            expect(cells(obs, cols, PIXEL_PONG_CHANNELS.trail).length).toBeLessThanOrEqual(1);
            const own = cells(obs, cols, PIXEL_PONG_CHANNELS.ownPaddle);
            const opp = cells(obs, cols, PIXEL_PONG_CHANNELS.opponentPaddle);
            expect(own.map(([, c2]) => c2)).toEqual(new Array(paddleHeight).fill(cols - 1));
            expect(opp.map(([, c2]) => c2)).toEqual(new Array(paddleHeight).fill(0));
            // Contiguous paddles.
            expect(own.at(-1)![0] - own[0]![0]).toBe(paddleHeight - 1);
            expect([-1, 0, 1]).toContain(reward);
          }
          expect(env.getState().ball[0]).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is deterministic per seed and differs across seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (seed, sticky) => {
          const a = play({ stickyActionProb: sticky }, seed, 200).trace;
          const b = play({ stickyActionProb: sticky }, seed, 200).trace;
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 10 },
    );
    const firsts = new Set(
      [0, 1, 2, 3, 4, 5, 6, 7].map((s) => Array.from(play({}, s, 30).trace.at(-1)!.obs).join('')),
    );
    expect(firsts.size).toBeGreaterThan(1);
  });

  it('scores: a ball past the agent is −1, past the opponent +1; rewards sum to the score difference; 21 points end the game', () => {
    const env = new PixelPong();
    env.reset({ seed: 7 });
    const rng = new Rng(1);
    let sum = 0;
    let steps = 0;
    for (;;) {
      const before = env.getState().score;
      const r = env.step(rng.int(6));
      const after = r.terminated
        ? [r.info['agentScore'] as number, r.info['opponentScore'] as number]
        : env.getState().score;
      expect(r.reward).toBe(after[0]! - before[0]! - (after[1]! - before[1]!));
      sum += r.reward;
      steps++;
      if (r.terminated) {
        expect(Math.max(after[0]!, after[1]!)).toBe(21);
        expect(sum).toBe(after[0]! - after[1]!);
        break;
      }
    }
    expect(steps).toBeGreaterThan(21 * 4);
  });

  it('a point is lost exactly when the ball reaches the paddle column beside the paddle; returns are angled by the hit', () => {
    const env = new PixelPong();
    env.reset({ seed: 11 });
    const rng = new Rng(3);
    let lost = 0;
    let angled = 0;
    for (let t = 0; t < 3000; t++) {
      const s = env.getState();
      const a = rng.int(6);
      const r = env.step(a);
      const top = Math.max(0, Math.min(7, s.agentTop + [0, 0, -1, 1, -1, 1][a]!));
      let row = s.ball[0] + s.velocity[0];
      if (row < 0 || row > 9) row = s.ball[0] - s.velocity[0];
      const arrives = s.velocity[1] === 1 && s.ball[1] === 8;
      const covered = row >= top && row < top + 3;
      expect(r.reward === -1).toBe(arrives && !covered);
      if (arrives && covered) {
        expect(env.getState().velocity).toEqual([row === top ? -1 : row === top + 2 ? 1 : 0, -1]);
        if (row !== top + 1) angled++;
      }
      lost += r.reward === -1 ? 1 : 0;
      if (r.terminated) env.reset();
    }
    expect(lost).toBeGreaterThan(10);
    expect(angled).toBeGreaterThan(5);
  });

  it('a paddle that follows the ball loses far fewer points than random play', () => {
    const losses = (follow: boolean): number => {
      const env = new PixelPong();
      env.reset({ seed: 5 });
      const rng = new Rng(9);
      let n = 0;
      for (let t = 0; t < 3000; t++) {
        const s = env.getState();
        const centre = s.agentTop + 1;
        const a = follow ? (s.ball[0] < centre ? 2 : s.ball[0] > centre ? 3 : 0) : rng.int(6);
        const r = env.step(a);
        if (r.reward === -1) n++;
        if (r.terminated) env.reset();
      }
      return n;
    };
    expect(losses(true) * 5).toBeLessThan(losses(false));
  });
});
