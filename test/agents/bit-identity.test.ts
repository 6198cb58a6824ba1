/**
 * Pins short fixed-seed runs of every deep algorithm to checksums of their saved tensors and
 * logged metrics, recorded before the algorithm surface was refactored: a change that alters a
 * single weight bit, RNG draw or metric of PPO, A2C, REINFORCE, DQN or OD3 fails here. The
 * on-policy algorithms are pinned on both learners (TF.js and fast).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import type { Algorithm } from '../../src/agents/base-algorithm.js';
import { DQN } from '../../src/agents/dqn.js';
import type { Learner } from '../../src/agents/on-policy-algorithm.js';
import { Od3Distiller } from '../../src/agents/od3/od3-distiller.js';
import { PPO } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { makeEnv } from '../../src/core/make-env.js';
import { registerBuiltinEnvs } from '../../src/envs/register-envs.js';
import { initTf } from '../../src/nn/tf-backend.js';
import { heuristicTeacher } from './fixtures/heuristic-teacher.js';

let tmp: string;
beforeAll(async () => {
  await initTf();
  registerBuiltinEnvs();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'arbiter-bit-identity-'));
});

function fnv(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Learns, saves, and hashes the checkpoint's tensors.bin and every logged metric but time/fps. */
async function fingerprint(name: string, model: Algorithm, steps: number): Promise<string> {
  let metricsHash = 0x811c9dc5;
  const sink: MetricsSink = {
    write(step, metrics) {
      const keys = Object.keys(metrics)
        .filter((k) => k !== 'time/fps')
        .sort();
      const vals = Float64Array.from([step, ...keys.map((k) => metrics[k]!)]);
      metricsHash = fnv(
        fnv(metricsHash, new TextEncoder().encode(keys.join(','))),
        new Uint8Array(vals.buffer),
      );
    },
  };
  await model.learn({ totalTimesteps: steps, sink });
  const dir = path.join(tmp, name);
  await model.save(dir);
  const tensors = fnv(0x811c9dc5, readFileSync(path.join(dir, 'tensors.bin')));
  return `${tensors.toString(16)}:${metricsHash.toString(16)}`;
}

const cartPole = (): ReturnType<typeof makeEnv> => makeEnv('CartPole-v1');
const jobs = (): ReturnType<typeof makeEnv> => makeEnv('Jobs-v0');

// The on-policy cases run on either learner; the TF.js fingerprints are the ones recorded before
// the fast learner existed, the fast learner's are pinned beside them with a `-fast` suffix.
const onPolicyCases = (learner: Learner): [string, () => Algorithm, number][] => [
  [
    'ppo-cartpole',
    () =>
      new PPO(cartPole, {
        numEnvs: 2,
        numSteps: 32,
        numMinibatches: 2,
        updateEpochs: 2,
        normalizeObservation: true,
        normalizeReward: true,
        targetKl: 0.02,
        learner,
      }),
    256,
  ],
  [
    'ppo-jobs',
    () => new PPO(jobs, { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, learner }),
    128,
  ],
  ['a2c-cartpole', () => new A2C(cartPole, { numEnvs: 2, numSteps: 8, logInterval: 1, learner }), 160],
  [
    'a2c-jobs-rmsprop',
    () => new A2C(jobs, { numEnvs: 2, numSteps: 8, optimizer: 'rmsprop', logInterval: 1, learner }),
    96,
  ],
  ['reinforce-cartpole', () => new REINFORCE(cartPole, { numEnvs: 2, numSteps: 64, learner }), 256],
];

const cases: [string, () => Algorithm, number][] = [
  ...onPolicyCases('tfjs'),
  ...onPolicyCases('fast').map(([n, m, k]): [string, () => Algorithm, number] => [`${n}-fast`, m, k]),
  [
    'dqn-cartpole',
    () =>
      new DQN(cartPole(), {
        learningStarts: 50,
        bufferSize: 1000,
        targetUpdateInterval: 100,
        tau: 0.5,
        doubleDqn: true,
        seed: 3,
        logInterval: 5,
      }),
    400,
  ],
  [
    'dqn-jobs',
    () =>
      new DQN(jobs(), {
        learningStarts: 40,
        bufferSize: 500,
        targetUpdateInterval: 50,
        loss: 'mse',
        logInterval: 3,
      }),
    300,
  ],
  [
    'od3-student',
    () =>
      new Od3Distiller(heuristicTeacher, cartPole, { hiddenSizes: [8], minibatchSize: 8, logInterval: 5 }),
    400,
  ],
  [
    'od3-teacher',
    () =>
      new Od3Distiller(heuristicTeacher, cartPole, {
        hiddenSizes: [8],
        minibatchSize: 4,
        updateFreq: 8,
        gradientSteps: 2,
        collector: 'teacher',
        logInterval: 3,
      }),
    400,
  ],
];

// Recorded on the code before the shared algorithm surface (commit ad17f6f).
const EXPECTED: Record<string, string> = {
  'ppo-cartpole': '7414a3f5:a3c1d886',
  'ppo-jobs': 'baec6c78:eb079b71',
  'a2c-cartpole': 'c09e79eb:d823254a',
  'a2c-jobs-rmsprop': '51e42647:52dd2863',
  'reinforce-cartpole': '39c4b975:39bf77dc',
  'dqn-cartpole': '7377ba56:db1d6e0e',
  'dqn-jobs': '3fd8404d:5e3c0d02',
  'od3-student': '1e3153af:cd30ade2',
  'od3-teacher': '8435df90:5b664f2d',
  // Recorded on the fast learner when it was introduced.
  'ppo-cartpole-fast': '7d72c2b1:16e6c7f',
  'ppo-jobs-fast': '492d14c:941093b4',
  'a2c-cartpole-fast': 'a43c5cba:a2108179',
  'a2c-jobs-rmsprop-fast': '7cf2dc7b:8d3f8513',
  'reinforce-cartpole-fast': '1519ea4c:634ddea7',
};

describe('fixed-seed runs are bit-identical to the recorded ones', () => {
  for (const [name, make, steps] of cases)
    it(name, async () => {
      const got = await fingerprint(name, make(), steps);
      if (process.env['PRINT_FINGERPRINTS']) console.log(`FP ${name} ${got}`);
      expect(got).toBe(EXPECTED[name]);
    });
});
