import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import {
  generatedKernelFile,
  generatedGraphTrainFile,
  GENERATED_FILE,
  GRAPH_TRAIN_GENERATED_FILE,
  graphTrainSourceHash,
  kernelSourceHash,
} from '../../scripts/build-wasm.js';
import {
  DENSE_KERNEL_SOURCE_SHA256,
  DENSE_KERNEL_WASM_BASE64,
  SIMD_PROBE_WASM_BASE64,
} from '../../src/nn/dense-kernel-wasm-bytes.js';
import { buildDenseKernelWasm, buildSimdProbeWasm } from '../../scripts/dense-kernel-wasm.js';
import { buildGraphTrainWasm } from '../../scripts/graph-train-kernel-wasm.js';
import { GRAPH_TRAIN_SOURCE_SHA256, GRAPH_TRAIN_WASM_BASE64 } from '../../src/nn/graph-train-wasm-bytes.js';

/** The part of the WebAssembly JS API used here (the project's TS libs do not declare it). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      validate(b: Uint8Array): boolean;
      Module: { new (b: Uint8Array): object; exports(m: object): { name: string }[] };
    };
  }
).WebAssembly;

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The export names of a module, sorted, after checking that it validates. */
function validExports(bytes: Uint8Array): string[] {
  expect(wasm.validate(bytes)).toBe(true);
  return wasm.Module.exports(new wasm.Module(bytes))
    .map((e) => e.name)
    .sort();
}

describe('the committed WebAssembly kernel', () => {
  it('was built from the current kernel sources (recorded hash)', () => {
    expect(DENSE_KERNEL_SOURCE_SHA256).toBe(kernelSourceHash(root));
  });

  it('equals a fresh build, byte for byte (run `npm run build:wasm` after changing the kernel)', () => {
    expect(DENSE_KERNEL_WASM_BASE64).toBe(Buffer.from(buildDenseKernelWasm()).toString('base64'));
    expect(SIMD_PROBE_WASM_BASE64).toBe(Buffer.from(buildSimdProbeWasm()).toString('base64'));
    expect(readFileSync(`${root}/${GENERATED_FILE}`, 'utf8')).toBe(generatedKernelFile(root));
  });

  it('is a valid module with the exports the runtime calls', () => {
    expect(validExports(buildDenseKernelWasm())).toEqual([
      'dense',
      'denseAcc',
      'forwardPacked',
      'memory',
      'relu',
      'reluBack',
      'tanh',
      'tanhBack',
      'transpose',
    ]);
  });
});

describe('the committed WebAssembly graph trainer kernels', () => {
  it('were built from the current kernel sources (recorded hash)', () => {
    expect(GRAPH_TRAIN_SOURCE_SHA256).toBe(graphTrainSourceHash(root));
  });

  it('equal a fresh build, byte for byte (run `npm run build:wasm` after changing the kernels)', () => {
    expect(GRAPH_TRAIN_WASM_BASE64).toBe(Buffer.from(buildGraphTrainWasm()).toString('base64'));
    expect(readFileSync(`${root}/${GRAPH_TRAIN_GENERATED_FILE}`, 'utf8')).toBe(generatedGraphTrainFile(root));
  });

  it('are a valid module with the exports the runtime calls', () => {
    expect(validExports(buildGraphTrainWasm())).toEqual([
      'check01',
      'dot',
      'exp',
      'layerNorm',
      'layerNormBack',
      'memory',
      'mm',
      'pairNormalize',
      'pairSoftmax',
      'pairSoftmaxBack',
      'relPlanes',
      'reluBack',
      'softmaxBack',
      'softmaxRows',
      'transpose',
    ]);
  });
});
