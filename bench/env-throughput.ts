/**
 * Environment throughput: raw steps per second of each built-in environment under uniformly
 * random (masked) actions, including episode resets and the action sampling itself.
 */
import type { Env } from '../src/core/env.js';
import { Rng } from '../src/core/rng.js';
import { CartPole } from '../src/envs/cartpole.js';
import { GridWorld } from '../src/envs/gridworld.js';
import { JobsEnv } from '../src/envs/jobs/jobs-env.js';

/** Throughput of one environment. */
export interface EnvThroughput {
  /** Environment id (with options in parentheses where not the defaults). */
  env: string;
  /** Environment steps per second (resets included). */
  stepsPerSecond: number;
  /** Steps taken in the timed window. */
  steps: number;
  /** Episodes finished in the timed window. */
  episodes: number;
  /** Length of the timed window in seconds. */
  seconds: number;
}

/** Options of {@link measureEnvThroughput}. */
export interface EnvThroughputOptions {
  /** Timed seconds per environment (default 1), after a warm-up of a tenth of that. */
  seconds?: number;
  /** Seed of the environments and of the random actions (default 0). */
  seed?: number;
}

/**
 * Measures steps/s of CartPole-v1, GridWorld-v0 and Jobs-v0 (medium load) with random actions
 * (allowed actions only, for Jobs). Unwrapped environments: no TimeLimit or statistics wrappers.
 */
export function measureEnvThroughput(options: EnvThroughputOptions = {}): EnvThroughput[] {
  const seconds = options.seconds ?? 1;
  const seed = options.seed ?? 0;
  const cases: [string, () => Env<unknown, number>][] = [
    ['CartPole-v1', () => new CartPole() as Env<unknown, number>],
    ['GridWorld-v0', () => new GridWorld() as Env<unknown, number>],
    ['Jobs-v0 (load medium)', () => new JobsEnv() as Env<unknown, number>],
  ];
  return cases.map(([name, make]) => {
    run(make(), seed, seconds / 10); // JIT warm-up
    return { env: name, ...run(make(), seed, seconds) };
  });
}

function run(env: Env<unknown, number>, seed: number, seconds: number): Omit<EnvThroughput, 'env'> {
  const space = env.actionSpace;
  if (space.kind !== 'discrete') throw new Error('measureEnvThroughput: Discrete action spaces only');
  const rng = new Rng(seed);
  let mask = env.reset({ seed }).info.actionMask;
  let steps = 0;
  let episodes = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  let now = t0;
  while (now < deadline) {
    // Check the clock every 1024 steps so timing does not dominate the cheap envs.
    for (let k = 0; k < 1024; k++) {
      const r = env.step(space.sample(rng, mask));
      steps++;
      if (r.terminated || r.truncated) {
        episodes++;
        mask = env.reset().info.actionMask;
      } else mask = r.info.actionMask;
    }
    now = performance.now();
  }
  const elapsed = (now - t0) / 1000;
  return { stepsPerSecond: steps / elapsed, steps, episodes, seconds: elapsed };
}
