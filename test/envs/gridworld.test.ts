import { describe, expect, it } from 'vitest';
import { ArbiterError } from '../../src/core/errors.js';
import { GRID_ACTIONS, GridWorld, GridWorldModel } from '../../src/envs/gridworld.js';
import { sampleTransition } from '../../src/envs/tabular-model.js';
import { Rng } from '../../src/core/rng.js';

const { up, right, down, left } = GRID_ACTIONS;

describe('GridWorldModel', () => {
  it('default is the seed article 4×4 world: start top-left, goal bottom-right, +1 on reaching it', () => {
    const m = new GridWorldModel();
    expect(m.numStates).toBe(16);
    expect(m.numActions).toBe(4);
    expect(m.initialState).toBe(0);
    expect(m.isTerminal(15)).toBe(true);
    expect(m.transitions(14, right)).toEqual([{ p: 1, next: 15, reward: 1, done: true }]);
    expect(m.transitions(0, up)).toEqual([{ p: 1, next: 0, reward: 0, done: false }]); // border: stay
    expect(m.transitions(15, left)).toEqual([{ p: 1, next: 15, reward: 0, done: true }]); // absorbing
    expect(m.render()).toBe('S...\n....\n....\n...G');
  });

  it('probabilities of every (s, a) sum to 1, with slip going sideways', () => {
    const m = new GridWorldModel({ size: 5, slip: 0.3, walls: [[1, 1]], holes: [[2, 3]], goals: [[4, 4]] });
    for (let s = 0; s < m.numStates; s++)
      for (let a = 0; a < 4; a++) {
        const ts = m.transitions(s, a);
        expect(ts.reduce((acc, t) => acc + t.p, 0)).toBeCloseTo(1, 12);
        if (!m.isWall(s)) for (const t of ts) expect(m.isWall(t.next)).toBe(false);
      }
    // From (0,1) going down into the wall (1,1): stay with 0.7; slip right / left with 0.15 each.
    const ts = m.transitions(m.index(0, 1), down);
    const byNext = new Map(ts.map((t) => [t.next, t.p]));
    expect(byNext.get(m.index(0, 1))).toBeCloseTo(0.7, 12);
    expect(byNext.get(m.index(0, 2))).toBeCloseTo(0.15, 12);
    expect(byNext.get(m.index(0, 0))).toBeCloseTo(0.15, 12);
    // Entering the hole ends the episode with the hole reward.
    const intoHole = m.transitions(m.index(1, 3), down).find((t) => t.next === m.index(2, 3))!;
    expect(intoHole).toMatchObject({ reward: 0, done: true });
  });

  it('rejects impossible configurations with a typed error', () => {
    expect(() => new GridWorldModel({ size: 0 })).toThrow(ArbiterError);
    expect(() => new GridWorldModel({ goals: [[4, 0]] })).toThrow(/outside/);
    expect(() => new GridWorldModel({ walls: [[0, 0]] })).toThrow(/start/);
    expect(() => new GridWorldModel({ slip: 1.5 })).toThrow(/slip/);
    expect(() => new GridWorldModel({ walls: [[3, 3]] })).toThrow(/already used/);
  });
});

describe('GridWorld env', () => {
  it('walks the shortest path to the goal and terminates there', () => {
    const env = new GridWorld();
    expect(env.reset({ seed: 1 }).obs).toBe(0);
    const actions = [right, right, right, down, down, down];
    let last;
    for (const a of actions) last = env.step(a);
    expect(last).toMatchObject({ obs: 15, reward: 1, terminated: true, truncated: false });
    expect(() => env.step(up)).toThrow(/reset/);
    expect(() => env.reset({ options: { state: 15 } })).toThrow(/free cell/);
    expect(env.reset({ options: { state: 5 } }).obs).toBe(5);
  });

  it('steps follow the model probabilities (slip 0.2, 20 000 samples)', () => {
    const env = new GridWorld({ size: 3, slip: 0.2, goals: [[2, 2]] });
    env.reset({ seed: 7 });
    const counts = new Map<number, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      env.reset({ options: { state: 4 } }); // centre
      const r = env.step(right);
      counts.set(r.obs, (counts.get(r.obs) ?? 0) + 1);
    }
    // Right → cell 5 with 0.8, up → 1 and down → 7 with 0.1 each.
    expect(counts.get(5)! / n).toBeCloseTo(0.8, 1);
    expect(Math.abs(counts.get(1)! / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(counts.get(7)! / n - 0.1)).toBeLessThan(0.01);
  });

  it('sampleTransition picks each outcome with its probability', () => {
    const m = new GridWorldModel({ size: 3, slip: 0.5 });
    const rng = new Rng(3);
    let stays = 0;
    const n = 10_000;
    for (let i = 0; i < n; i++) if (sampleTransition(m, 0, up, rng).next === 0) stays++;
    // Up from the corner: up (0.5) and left (0.25) bump and stay; right (0.25) moves.
    expect(Math.abs(stays / n - 0.75)).toBeLessThan(0.02);
  });
});
