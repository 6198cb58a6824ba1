import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { generatedKernelFile, GENERATED_FILE, kernelSourceHash } from '../../scripts/build-wasm.js';
import {
  DENSE_KERNEL_SOURCE_SHA256,
  DENSE_KERNEL_WASM_BASE64,
  SIMD_PROBE_WASM_BASE64,
} from '../../src/nn/dense-kernel-wasm-bytes.js';
import { buildDenseKernelWasm, buildSimdProbeWasm } from '../../scripts/dense-kernel-wasm.js';

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
    const bytes = buildDenseKernelWasm();
    expect(wasm.validate(bytes)).toBe(true);
    const names = wasm.Module.exports(new wasm.Module(bytes)).map((e) => e.name);
    expect(names.sort()).toEqual([
      'dense',
      'denseAcc',
      'memory',
      'relu',
      'reluBack',
      'tanh',
      'tanhBack',
      'transpose',
    ]);
  });
});
