/**
 * Local env runners against the algorithm's own rollouts: with K runners each owning a fixed
 * slice of the vector env, a fixed-seed PPO run is bit-identical to K = 0 (weights, optimizer
 * state, counters, logged metrics); a runner that dies fails the iteration with a clear error.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PPO, type PpoConfig } from '../../src/agents/ppo.js';
import { makeEnv } from '../../src/core/make-env.js';
import { LocalEnvRunners } from '../../src/distributed/env-runner-pool.js';
import { runnerSlices } from '../../src/distributed/env-runner.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import type { Env } from '../../src/core/env.js';
import { Rng } from '../../src/core/rng.js';
import { PadGraphObservation } from '../../src/core/wrappers/pad-graph-observation.js';
import { runnerWeightsOf } from '../../src/distributed/policy-runner-weights.js';
import { decodeRunnerRequest, encodeRunnerRequest } from '../../src/distributed/rollout-codec.js';
import { EgsEnv } from '../../src/envs/egs/egs-env.js';
import { GraphPolicy } from '../../src/nn/graph-policy.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { TargetEnv } from '../agents/fixtures/target-env.js';
import { crashingCartPole } from './fixtures/crashing-env.js';
import { EGS_MAX_NODES, egsGraphEnv } from './fixtures/egs-graph-env-factory.js';
import { expectSameRun, ppoRunFingerprint, type RunFingerprint } from '../helpers/ppo-run-fingerprint.js';

beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
});

const CONFIG: Partial<PpoConfig> = { numEnvs: 5, numSteps: 64, updateEpochs: 2, numMinibatches: 2, seed: 7 };
// 4 iterations: CartPole episodes end (and autoreset) inside rollouts.
const STEPS = 4 * 5 * 64;

const train = (config: Partial<PpoConfig>, runners: number): Promise<RunFingerprint> =>
  ppoRunFingerprint(
    'CartPole-v1',
    config,
    STEPS,
    runners > 0
      ? (numEnvs) => LocalEnvRunners.start({ env: { id: 'CartPole-v1' }, numEnvs, runners })
      : undefined,
  );

describe('local env runners', () => {
  it('slices the vector env into balanced contiguous runs and refuses more runners than copies', () => {
    expect(runnerSlices(5, 2)).toEqual([
      { start: 0, count: 3, numEnvs: 5 },
      { start: 3, count: 2, numEnvs: 5 },
    ]);
    expect(() => runnerSlices(2, 3)).toThrow(/at least one env copy/);
  });

  it(
    'K = 1, 2, 5 runners give bit for bit the K = 0 run (CartPole, PPO, fixed seed)',
    { timeout: 120_000 },
    async () => {
      const reference = await train(CONFIG, 0);
      expect(reference.metrics.length).toBe(4);
      for (const k of [1, 2, 5]) {
        expectSameRun(await train(CONFIG, k), reference, `K = ${k}`);
      }
      // A run with another seed differs: the comparison can fail.
      const other = await train({ ...CONFIG, seed: 8 }, 2);
      expect(other.tensors).not.toEqual(reference.tensors);
    },
  );

  it(
    'Box actions: 3 copies on 2 runners (the normal cache crosses the slices) give the K = 0 run; truncations bootstrap',
    { timeout: 60_000 },
    async () => {
      const config = { numEnvs: 3, numSteps: 32, updateEpochs: 2, numMinibatches: 2, seed: 4 };
      const steps = 3 * 3 * 32;
      const reference = await ppoRunFingerprint(() => new TargetEnv(10) as unknown as Env, config, steps);
      const got = await ppoRunFingerprint(
        () => new TargetEnv(10) as unknown as Env,
        config,
        steps,
        (numEnvs) =>
          LocalEnvRunners.start({
            env: {
              module: new URL('./fixtures/target-env-factory.ts', import.meta.url).href,
              export: 'targetEnv',
            },
            numEnvs,
            runners: 2,
          }),
      );
      expectSameRun(got, reference, 'Box, K = 2');
      expect(reference.tensors['policy/logStd']).toBeDefined();
    },
  );

  it(
    'a graph policy on EGS-v0: K = 2 runners (2 envs × 16 steps × 2 iterations) give the K = 0 run',
    { timeout: 60_000 },
    async () => {
      const config = {
        numEnvs: 2,
        numSteps: 16,
        updateEpochs: 2,
        numMinibatches: 2,
        seed: 5,
        clipVloss: false,
      };
      const steps = 2 * 2 * 16;
      const layout = new PadGraphObservation(new EgsEnv({ maxNodes: EGS_MAX_NODES })).layout;
      const policy = GraphPolicy.factory(layout, {
        hiddenDim: 8,
        numHeads: 2,
        numLayers: 1,
        valueHiddenDim: 8,
      });
      const run = (seed: number, runners: number): Promise<RunFingerprint> =>
        ppoRunFingerprint(
          egsGraphEnv,
          { ...config, seed },
          steps,
          runners > 0
            ? (numEnvs) =>
                LocalEnvRunners.start({
                  env: {
                    module: new URL('./fixtures/egs-graph-env-factory.ts', import.meta.url).href,
                    export: 'egsGraphEnv',
                  },
                  numEnvs,
                  runners,
                })
            : undefined,
          policy,
        );
      const reference = await run(5, 0);
      expect(reference.metrics.length).toBe(2);
      expect(Object.keys(reference.tensors).some((k) => k.includes('embed/kernel'))).toBe(true);
      expectSameRun(await run(5, 2), reference, 'EGS-v0 graph policy, K = 2');
      // Another seed differs: the comparison can fail.
      expect((await run(6, 2)).tensors).not.toEqual(reference.tensors);
    },
  );

  it('graph-policy weights travel through the queue codec exactly', () => {
    const layout = new PadGraphObservation(new EgsEnv({ maxNodes: EGS_MAX_NODES })).layout;
    const env = egsGraphEnv();
    const policy = GraphPolicy.factory(layout, { hiddenDim: 8, numHeads: 2, numLayers: 1 })(
      layout.size,
      env.actionSpace,
      new Rng(0),
    );
    const weights = runnerWeightsOf(policy);
    expect(weights.kind).toBe('graph');
    const request = { weights, numSteps: 1, actionRngState: new Rng(0).getState(), resetSeed: 0 };
    const back = decodeRunnerRequest(JSON.parse(JSON.stringify(encodeRunnerRequest(request))), 'test');
    expect(back).toEqual(request);
    // A layout whose offsets disagree with its sizes is refused, naming the source.
    const bad = encodeRunnerRequest(request);
    (bad.weights as { layout: { size: number } }).layout.size += 1;
    expect(() => decodeRunnerRequest(bad, 'job 7')).toThrow(/job 7: weights.layout has/);
    policy.dispose();
  });

  it('refuses observation normalization and a source of another width', async () => {
    const model = new PPO(() => makeEnv('CartPole-v1'), { ...CONFIG, normalizeObservation: true });
    const fake = {
      numEnvs: 5,
      collect: () => Promise.reject(new Error('unused')),
      close: async () => undefined,
    };
    expect(() => model.useRolloutSource(fake)).toThrow(/normalizeObservation/);
    const plain = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
    expect(() => plain.useRolloutSource({ ...fake, numEnvs: 4 })).toThrow(/4 env copies, the algorithm 5/);
    await model.close();
    await plain.close();
  });

  it(
    'a runner thread that dies mid-rollout is replaced, replays its slice and the run is unchanged',
    { timeout: 60_000 },
    async () => {
      const config = { ...CONFIG, numEnvs: 4 };
      const steps = 3 * 4 * 64;
      const plain = (): Env => crashingCartPole({ crashCopy: -1, crashStep: 0 }, 0);
      const reference = await ppoRunFingerprint(plain, config, steps);
      const onceFile = path.join(mkdtempSync(path.join(tmpdir(), 'arbiter-crash-')), 'crashed');
      let runners: LocalEnvRunners | undefined;
      const got = await ppoRunFingerprint(plain, config, steps, async (numEnvs) => {
        runners = await LocalEnvRunners.start({
          env: {
            module: new URL('./fixtures/crashing-env.ts', import.meta.url).href,
            export: 'crashingCartPole',
            // Copy 3 (runner 1) dies at its 100th step: in the second rollout, mid-way.
            options: { crashCopy: 3, crashStep: 100, onceFile },
          },
          numEnvs,
          runners: 2,
        });
        return runners;
      });
      expect(existsSync(onceFile)).toBe(true);
      expect(runners!.restarts).toBe(1);
      expectSameRun(got, reference, 'K = 2, runner 1 replaced mid-rollout');
    },
  );

  it(
    'a runner that dies again after each replacement fails the iteration with an error naming it',
    { timeout: 60_000 },
    async () => {
      const model = new PPO(() => makeEnv('CartPole-v1'), CONFIG);
      const source = await LocalEnvRunners.start({
        env: {
          module: new URL('./fixtures/crashing-env.ts', import.meta.url).href,
          export: 'crashingCartPole',
          options: { crashCopy: 4, crashStep: 70 },
        },
        numEnvs: 5,
        runners: 2,
        maxRestarts: 1,
      });
      try {
        model.useRolloutSource(source);
        // Copy 4 belongs to runner 1 (copies 3…4) and dies in the second rollout, also on replay.
        await expect(model.learn({ totalTimesteps: STEPS })).rejects.toThrow(
          /env runner 1 \(env copies 3…4 of 5\) failed: its thread exited \(code 3\) \(1 lost runners replaced already\)/,
        );
        expect(model.counters.numUpdates).toBe(1);
        expect(source.restarts).toBe(1);
      } finally {
        await source.close();
        await model.close();
      }
    },
  );
});
