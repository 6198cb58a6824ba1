/**
 * The JavaScript fallback of every WebAssembly kernel, forced by `ARBITER_KERNEL=js` (what an
 * engine without WebAssembly SIMD runs, e.g. an arm64 build whose engine lacks it): every kernel
 * factory honours it, and a tiny PPO training plus single decisions of its exported policy give
 * the same results on the fallback as on the SIMD kernels, to Float32 rounding.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import {
  POLICY_ARTIFACT_FORMAT,
  POLICY_ARTIFACT_VERSION,
  type FloatPolicyArtifact,
} from '../../src/deploy/policy-artifact.js';
import { kernelChoiceFromEnv, useWasmKernel, wasmSimdAvailable } from '../../src/nn/dense-forward-wasm.js';
import { GraphNetWasm } from '../../src/nn/graph-net-wasm.js';
import { TINY_GRAPH_DIMS as dims } from './fixtures/tiny-graph-dims.js';

const artifact: FloatPolicyArtifact = {
  format: POLICY_ARTIFACT_FORMAT,
  version: POLICY_ARTIFACT_VERSION,
  kind: 'mlp',
  inputDim: 2,
  outputDim: 2,
  actionSpace: { kind: 'discrete', n: 2, start: 0 },
  decision: 'argmax',
  layers: [
    {
      inputDim: 2,
      outputDim: 2,
      activation: 'linear',
      weights: Float32Array.of(1, 2, 3, 4),
      bias: Float32Array.of(0, 1),
    },
  ],
};

describe('ARBITER_KERNEL', () => {
  afterEach(() => vi.unstubAllEnvs());

  // The training kernels read ARBITER_KERNEL once per process: the fixture runs below check them.
  it('js forces the JavaScript loops of the deploy runtime and the graph rollout; an explicit choice still wins', () => {
    vi.stubEnv('ARBITER_KERNEL', 'js');
    expect(kernelChoiceFromEnv()).toBe('js');
    expect(useWasmKernel('auto')).toBe(false);
    expect(createPolicyRuntime(artifact).kernel).toBe('js');
    expect(GraphNetWasm.create(dims, 1e-5)).toBeUndefined();
    if (wasmSimdAvailable()) expect(createPolicyRuntime(artifact, { kernel: 'wasm' }).kernel).toBe('wasm');
  });

  it.runIf(wasmSimdAvailable())('unset or auto: they take WebAssembly SIMD', () => {
    for (const value of ['', 'auto']) {
      vi.stubEnv('ARBITER_KERNEL', value);
      expect(useWasmKernel('auto')).toBe(true);
      expect(createPolicyRuntime(artifact).kernel).toBe('wasm');
      expect(GraphNetWasm.create(dims, 1e-5)).toBeDefined();
    }
  });

  it('refuses an unknown value', () => {
    vi.stubEnv('ARBITER_KERNEL', 'simd');
    expect(() => useWasmKernel('auto')).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});

interface RunResult {
  trainsOnWasm: boolean;
  convSimd: boolean;
  graphTrainSimd: boolean;
  graphRolloutSimd: boolean;
  runtimeKernel: 'wasm' | 'js';
  updates: number;
  weights: Record<string, number[]>;
  outputs: number[][];
}

/** The fixture's tiny PPO training and deploy decisions in a fresh process with `ARBITER_KERNEL=kernel`. */
function run(kernel: 'js' | 'wasm'): RunResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'test/agents/fixtures/tiny-ppo-run.ts'], {
    env: { ...process.env, ARBITER_KERNEL: kernel },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as RunResult;
}

describe.runIf(wasmSimdAvailable())('fallback forced against the SIMD kernels', () => {
  it('one PPO update and the exported policy’s decisions agree within 1e-4 (weights) and 1e-4·max(1, |y|) (outputs)', () => {
    const js = run('js');
    const simd = run('wasm');
    // Each run really used the kernels it was asked for.
    const kernels = (r: RunResult): unknown[] => [
      r.trainsOnWasm,
      r.convSimd,
      r.graphTrainSimd,
      r.graphRolloutSimd,
      r.runtimeKernel,
    ];
    expect(kernels(js)).toEqual([false, false, false, false, 'js']);
    expect(kernels(simd)).toEqual([true, true, true, true, 'wasm']);
    expect([js.updates, simd.updates]).toEqual([1, 1]);
    expect(Object.keys(js.weights).sort()).toEqual(Object.keys(simd.weights).sort());
    let worst = 0;
    for (const [k, w] of Object.entries(js.weights)) {
      const v = simd.weights[k]!;
      expect(v.length).toBe(w.length);
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i]! - v[i]!));
    }
    // One update of 16 Adam steps at 2.5e-4 moves weights by ~4e-3: 1e-4 tells a wrong gradient.
    expect(worst).toBeLessThan(1e-4);
    expect(js.outputs.length).toBe(16);
    js.outputs.forEach((y, i) =>
      y.forEach((value, a) =>
        expect(Math.abs(value - simd.outputs[i]![a]!)).toBeLessThanOrEqual(
          1e-4 * Math.max(1, Math.abs(value)),
        ),
      ),
    );
  }, 120_000);
});
