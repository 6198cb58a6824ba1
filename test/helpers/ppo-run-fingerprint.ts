/**
 * A fixed-seed PPO run's fingerprint for comparing rollout sources: checkpoint tensors (weights,
 * optimizer state), counters, episode statistics and every logged metric but the wall-clock ones.
 * With a source, also checks that the run took its rollouts from it (one per iteration).
 */
import { expect } from 'vitest';
import type { PolicyFactory } from '../../src/agents/on-policy-algorithm.js';
import { PPO, type PpoConfig } from '../../src/agents/ppo.js';
import type { RolloutRequest, RolloutSource } from '../../src/agents/rollout-source.js';
import type { Env } from '../../src/core/env.js';
import { makeEnv } from '../../src/core/make-env.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';

/** What {@link ppoRunFingerprint} compares. */
export interface RunFingerprint {
  tensors: Record<string, number[]>;
  counters: unknown;
  metrics: string[];
  episodes: unknown;
}

/**
 * Trains PPO on `env` (an id, or a factory called once per copy) for `steps` with `config`, its rollouts from `makeSource` (K = 0 without),
 * its policy from `makePolicy` (the MLP actor-critic without), and returns the fingerprint.
 * `steps` must be a whole number of iterations.
 */
export async function ppoRunFingerprint(
  env: string | (() => Env),
  config: Partial<PpoConfig>,
  steps: number,
  makeSource?: (numEnvs: number) => Promise<RolloutSource>,
  makePolicy?: PolicyFactory,
): Promise<RunFingerprint> {
  const model = new PPO(typeof env === 'string' ? () => makeEnv(env) : env, config, makePolicy);
  const metrics: string[] = [];
  const sink: MetricsSink = {
    write(step, m) {
      const { 'time/fps': _fps, ...rest } = m;
      metrics.push(JSON.stringify([step, rest]));
    },
  };
  const inner = makeSource ? await makeSource(model.config.numEnvs) : undefined;
  // Counts the rollouts the source gave, so a run that ignored it cannot pass.
  let collected = 0;
  const source = inner && {
    numEnvs: inner.numEnvs,
    collect: (r: RolloutRequest) => (collected++, inner.collect(r)),
    close: () => inner.close(),
  };
  try {
    model.useRolloutSource(source);
    await model.learn({ totalTimesteps: steps, sink });
  } finally {
    await source?.close();
  }
  expect(collected).toBe(source ? steps / (model.config.numEnvs * model.config.numSteps) : 0);
  const ckpt = model.toCheckpoint();
  const tensors = Object.fromEntries(
    Object.entries(ckpt.tensors)
      .filter(([k]) => !k.startsWith('env/') && !k.startsWith('rollout/'))
      .map(([k, v]) => [k, Array.from(v)]),
  );
  const fp = { tensors, counters: ckpt.counters, metrics, episodes: model.episodes.getState() };
  await model.close();
  return fp;
}

/** Asserts two fingerprints are equal, part by part (`what` labels failures). */
export function expectSameRun(got: RunFingerprint, want: RunFingerprint, what: string): void {
  expect(got.counters, what).toEqual(want.counters);
  expect(got.episodes, what).toEqual(want.episodes);
  expect(got.metrics, what).toEqual(want.metrics);
  expect(got.tensors, what).toEqual(want.tensors);
}
