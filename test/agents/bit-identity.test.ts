/**
 * Pins short fixed-seed runs of every deep algorithm to checksums of their saved tensors and
 * logged metrics, recorded before the algorithm surface was refactored: a change that alters a
 * single weight bit, RNG draw or metric of PPO, A2C, REINFORCE, DQN or OD3 fails here. The
 * on-policy algorithms are pinned on both learners (TF.js and fast).
 *
 * The fast learner's runs (`-fast`) are pinned under the default training kernel, WebAssembly SIMD
 * wherever the engine has it (x86-64 and arm64 Node), and again on the JavaScript kernel
 * (`-fast-js`, also what the default gives without SIMD): the two agree to Float32 rounding only.
 * To pin a new or changed run, add it to FAST_CASES, run
 * `PRINT_FINGERPRINTS=1 npx vitest run test/agents/bit-identity.test.ts` and copy the printed
 * `FP name value` lines of both variants into EXPECTED.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { A2C } from '../../src/agents/a2c.js';
import type { Algorithm } from '../../src/agents/base-algorithm.js';
import { DQN } from '../../src/agents/dqn.js';
import { Od3Distiller } from '../../src/agents/od3/od3-distiller.js';
import { PPO } from '../../src/agents/ppo.js';
import { REINFORCE } from '../../src/agents/reinforce.js';
import type { MetricsSink } from '../../src/core/metrics-sink.js';
import { wasmSimdAvailable, type DenseKernelChoice } from '../../src/nn/dense-forward-wasm.js';
import { setTrainingKernel } from '../../src/nn/dense-train-wasm.js';
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

type Learner = 'fast' | 'tfjs';
const dqnCartPole = (learner: Learner): DQN =>
  new DQN(cartPole(), {
    learningStarts: 50,
    bufferSize: 1000,
    targetUpdateInterval: 100,
    tau: 0.5,
    doubleDqn: true,
    seed: 3,
    logInterval: 5,
    learner,
  });
const dqnJobs = (learner: Learner): DQN =>
  new DQN(jobs(), {
    learningStarts: 40,
    bufferSize: 500,
    targetUpdateInterval: 50,
    loss: 'mse',
    logInterval: 3,
    learner,
  });
const od3Student = (learner: Learner): Od3Distiller =>
  new Od3Distiller(heuristicTeacher, cartPole, {
    hiddenSizes: [8],
    minibatchSize: 8,
    logInterval: 5,
    learner,
  });
const od3Teacher = (learner: Learner): Od3Distiller =>
  new Od3Distiller(heuristicTeacher, cartPole, {
    hiddenSizes: [8],
    minibatchSize: 4,
    updateFreq: 8,
    gradientSteps: 2,
    collector: 'teacher',
    logInterval: 3,
    learner,
  });

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
  ['dqn-cartpole', () => dqnCartPole('tfjs'), 400],
  ['dqn-jobs', () => dqnJobs('tfjs'), 300],
  ['od3-student', () => od3Student('tfjs'), 400],
  ['od3-teacher', () => od3Teacher('tfjs'), 400],
];

// The fast learner: the same runs on host arithmetic, pinned on their own under each kernel.
const FAST_CASES: [string, () => Algorithm, number][] = [
  ...onPolicyCases('fast'),
  ['dqn-cartpole', () => dqnCartPole('fast'), 400],
  ['dqn-jobs', () => dqnJobs('fast'), 300],
  ['od3-student', () => od3Student('fast'), 400],
  ['od3-teacher', () => od3Teacher('fast'), 400],
];

// Recorded on the code before the shared algorithm surface (commit ad17f6f); the `-fast-js` ones
// on the first fast learner, the `-fast` ones on the first WebAssembly training kernels.
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
  'ppo-cartpole-fast': '2f7761f5:faad300a',
  'ppo-jobs-fast': '512acfcc:59e5b13d',
  'a2c-cartpole-fast': '433da849:a6aac75b',
  'a2c-jobs-rmsprop-fast': 'b7b0fa8c:1e29c396',
  'reinforce-cartpole-fast': 'c6b07d2a:6dc7d12',
  'dqn-cartpole-fast': '98af28b8:12e50b47',
  'dqn-jobs-fast': '371fa52b:3aa6b9e9',
  'od3-student-fast': '36d93c30:5c599fe7',
  'od3-teacher-fast': '28fe68a3:a06f44b7',
  'ppo-cartpole-fast-js': '1e364f0d:bd467763',
  'ppo-jobs-fast-js': '114aa43f:b4243252',
  'a2c-cartpole-fast-js': 'f4d1771:695a5c9b',
  'a2c-jobs-rmsprop-fast-js': '356476d8:d05bf7fe',
  'reinforce-cartpole-fast-js': '88bf162c:14cdeae2',
  'dqn-cartpole-fast-js': '4e870419:99fb873f',
  'dqn-jobs-fast-js': 'd8a8cc2c:8241a0f7',
  'od3-student-fast-js': '5398102b:d4c28441',
  'od3-teacher-fast-js': 'b0037509:f44c624e',
};

describe('fixed-seed runs are bit-identical to the recorded ones', () => {
  for (const [name, make, steps] of cases)
    it(name, async () => {
      const got = await fingerprint(name, make(), steps);
      if (process.env['PRINT_FINGERPRINTS']) console.log(`FP ${name} ${got}`);
      expect(got).toBe(EXPECTED[name]);
    });
});

describe('fast-learner runs are bit-identical to the recorded ones on each training kernel', () => {
  const kernels: [string, DenseKernelChoice][] = [
    ['-fast', 'auto'],
    ['-fast-js', 'js'],
  ];
  for (const [base, make, steps] of FAST_CASES)
    for (const [suffix, kernel] of kernels) {
      const name = `${base}${suffix}`;
      it(name, async () => {
        setTrainingKernel(kernel);
        try {
          const got = await fingerprint(name, make(), steps);
          if (process.env['PRINT_FINGERPRINTS']) console.log(`FP ${name} ${got}`);
          // Without SIMD the default kernel is the JavaScript one.
          const pinned = kernel === 'auto' && !wasmSimdAvailable() ? `${base}-fast-js` : name;
          expect(got).toBe(EXPECTED[pinned]);
        } finally {
          setTrainingKernel('auto');
        }
      });
    }
});
