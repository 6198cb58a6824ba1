import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optimalActions, qIteration } from '../../../src/agents/tabular/q-iteration.js';
import { QLearning, Q_LEARNING_FILE } from '../../../src/agents/tabular/q-learning.js';
import type { TrainingContext } from '../../../src/agents/callbacks.js';
import { evaluatePolicy } from '../../../src/agents/evaluate-policy.js';
import { makeEnv } from '../../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../../src/envs/register-envs.js';
import type { Env, StepResult } from '../../../src/core/env.js';
import { Discrete } from '../../../src/core/spaces.js';
import { CartPole } from '../../../src/envs/cartpole.js';
import { GridWorld } from '../../../src/envs/gridworld.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('QLearning', () => {
  it("greedy policy matches Q-iteration's optimal policy on the default GridWorld", async () => {
    const gamma = 0.9;
    const env = new GridWorld();
    const agent = new QLearning(env, {
      alpha: 0.5,
      gamma,
      seed: 3,
      epsilon: { start: 1, end: 0.1, fraction: 0.5 },
    });
    await agent.learn({ totalTimesteps: 20_000 });
    const opt = qIteration(env.model, { gamma });
    let unique = 0;
    for (let s = 0; s < env.model.numStates; s++) {
      if (env.model.isTerminal(s)) continue;
      const best = optimalActions(opt.Q, s, 4);
      const greedy = agent.predict(s, { deterministic: true });
      if (best.length === 1) {
        unique++;
        expect(greedy, `state ${s}`).toBe(best[0]);
      } else expect(best, `state ${s}`).toContain(greedy);
    }
    expect(unique).toBe(6); // bottom row and right column, where only one move is shortest
    // The values themselves converge too.
    for (let s = 0; s < 15; s++)
      expect(Math.abs(agent.Q[s * 4 + agent.predict(s, { deterministic: true })]! - opt.V[s]!)).toBeLessThan(
        0.05,
      );
  });

  it('matches the optimal policy on a walled grid where most states have a unique best move', async () => {
    const gamma = 0.95;
    const options = {
      size: 4,
      walls: [
        [1, 1],
        [1, 2],
        [2, 2],
      ] as [number, number][],
      holes: [[3, 0]] as [number, number][],
      holeReward: -1,
      stepReward: -0.01,
    };
    const env = new GridWorld(options);
    const agent = new QLearning(env, { alpha: 0.5, gamma, seed: 11 });
    await agent.learn({ totalTimesteps: 100_000 });
    const opt = qIteration(env.model, { gamma });
    let unique = 0;
    for (let s = 0; s < 16; s++) {
      if (env.model.isTerminal(s)) continue;
      const best = optimalActions(opt.Q, s, 4);
      if (best.length === 1) unique++;
      expect(best, `state ${s}`).toContain(agent.predict(s, { deterministic: true }));
    }
    expect(unique).toBeGreaterThanOrEqual(5);
  });

  it('same seed, same Q table; callbacks see every step and can stop training; metrics reach the sink', async () => {
    const run = async (): Promise<Float64Array> => {
      const a = new QLearning(new GridWorld({ slip: 0.1 }), { seed: 9 });
      await a.learn({ totalTimesteps: 3000 });
      return a.Q;
    };
    expect(await run()).toEqual(await run());

    const steps: number[] = [];
    const agent = new QLearning(new GridWorld(), { seed: 1, logEverySteps: 25 });
    let ended = false;
    const written: [number, Record<string, number>][] = [];
    await agent.learn({
      totalTimesteps: 1000,
      sink: { write: (step, m) => void written.push([step, { ...m }]) },
      callbacks: [
        {
          onStep: (ctx: TrainingContext) => {
            steps.push(ctx.numTimesteps);
            expect(ctx.algo).toBe(agent);
            return ctx.numTimesteps < 100;
          },
          onTrainingEnd: () => {
            ended = true;
          },
        },
      ],
    });
    expect(steps).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(agent.numTimesteps).toBe(100);
    expect(ended).toBe(true);
    expect(written.map(([s]) => s)).toEqual([25, 50, 75, 100]);
    expect(written[0]![1]['train/epsilon']).toBeLessThan(1);
    // Every finished episode of the default grid returns exactly +1.
    expect(agent.counters.numEpisodes).toBe(agent.episodes.total);
    if (agent.episodes.windowSize() > 0) expect(agent.episodes.meanReturn()).toBe(1);
  });

  it('trains on the registered GridWorld-v0 and evaluates through the generic evaluatePolicy (one-hot obs)', async () => {
    registerBuiltinEnvs();
    const env = makeEnv('GridWorld-v0', { options: { slip: 0.1 } }) as Env<number, number>;
    const agent = await new QLearning(env, { alpha: 0.3, gamma: 0.95, seed: 2 }).learn({
      totalTimesteps: 30_000,
    });
    const res = evaluatePolicy((obs, mask, det) => agent.predict(obs, { deterministic: det, mask }), env, {
      episodes: 20,
      seed: 1,
    });
    expect(res.meanReturn).toBe(1); // every episode reaches the goal within the 100-step limit
    expect(Math.max(...res.lengths)).toBeLessThan(30);
  });

  it('bootstraps on truncation but not on termination', async () => {
    // A one-state env whose every step ends the episode with reward 1: terminated → Q → 1;
    // truncated → Q → 1 + γQ → 1/(1 − γ).
    const make = (truncate: boolean): Env<number, number> => ({
      observationSpace: new Discrete(1),
      actionSpace: new Discrete(1),
      reset: () => ({ obs: 0, info: {} }),
      step: (): StepResult<number> => ({
        obs: 0,
        reward: 1,
        terminated: !truncate,
        truncated: truncate,
        info: {},
      }),
    });
    const term = await new QLearning(make(false), { alpha: 0.5, gamma: 0.5 }).learn({ totalTimesteps: 200 });
    const trunc = await new QLearning(make(true), { alpha: 0.5, gamma: 0.5 }).learn({ totalTimesteps: 200 });
    expect(term.Q[0]).toBeCloseTo(1, 10);
    expect(trunc.Q[0]).toBeCloseTo(2, 10);
  });

  it('save/load round-trips the Q table, counters and RNG exactly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'arbiter-ql-'));
    dirs.push(dir);
    const agent = new QLearning(new GridWorld({ slip: 0.2 }), { seed: 4, alpha: 0.3 });
    await agent.learn({ totalTimesteps: 2000 });
    await agent.save(dir);
    const loaded = await QLearning.load(dir, new GridWorld({ slip: 0.2 }));
    expect(loaded.Q).toEqual(agent.Q);
    expect(loaded.config).toEqual(agent.config);
    expect(loaded.numTimesteps).toBe(2000);
    expect(loaded.counters).toEqual(agent.counters);
    expect(loaded.episodes.meanReturn()).toBe(agent.episodes.meanReturn());
    // Same RNG state: the same exploratory choices follow.
    loaded.epsilon = agent.epsilon = 0.5;
    const a = Array.from({ length: 50 }, (_, i) => agent.predict(i % 15, { deterministic: false }));
    const b = Array.from({ length: 50 }, (_, i) => loaded.predict(i % 15, { deterministic: false }));
    expect(b).toEqual(a);
    // Training can go on after loading.
    await loaded.learn({ totalTimesteps: 100 });
    expect(loaded.numTimesteps).toBe(2100);

    await writeFile(path.join(dir, Q_LEARNING_FILE), '{"algo":"ppo"}');
    await expect(QLearning.load(dir)).rejects.toMatchObject({ code: 'checkpoint-corrupt' });
    await expect(QLearning.load(path.join(dir, 'nope'))).rejects.toMatchObject({
      code: 'checkpoint-missing',
    });
  });

  it('predict takes an index or a one-hot vector and respects a mask; bad spaces and configs are rejected', async () => {
    const agent = new QLearning(new GridWorld(), { seed: 0 });
    agent.Q.fill(0);
    agent.Q[5 * 4 + 2] = 1;
    expect(agent.predict(5, { deterministic: true })).toBe(2);
    expect(agent.predict(5, { deterministic: true, mask: Uint8Array.from([1, 1, 0, 1]) })).toBe(0);
    agent.epsilon = 1;
    for (let i = 0; i < 20; i++)
      expect(agent.predict(5, { deterministic: false, mask: Uint8Array.from([0, 0, 0, 1]) })).toBe(3);
    expect(() => agent.predict(16)).toThrow(/state/);
    expect(() => new QLearning(new CartPole() as unknown as Env<number, number>)).toThrow(/Discrete/);
    expect(() => new QLearning(new GridWorld(), { alpha: 0 })).toThrow(/alpha/);
    await expect(
      new QLearning(undefined, {}, { numStates: 2, numActions: 2 }).learn({ totalTimesteps: 1 }),
    ).rejects.toThrow(/no environment/);
  });
});
