import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  GRAPH_NET_GENERATED_FILE,
  generatedGraphNetFile,
  graphNetSourceHash,
} from '../../scripts/build-wasm.js';
import { buildGraphNetWasm } from '../../scripts/graph-net-wasm.js';
import { GRAPH_NET_SOURCE_SHA256, GRAPH_NET_WASM_BASE64 } from '../../src/nn/graph-net-wasm-bytes.js';

const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      validate(b: Uint8Array): boolean;
      Module: { new (b: Uint8Array): object; exports(m: object): { name: string }[] };
    };
  }
).WebAssembly;

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the committed WebAssembly graph-network kernels', () => {
  it('were built from the current kernel sources (recorded hash)', () => {
    expect(GRAPH_NET_SOURCE_SHA256).toBe(graphNetSourceHash(root));
  });

  it('equal a fresh build, byte for byte (run `npm run build:wasm` after changing the kernels)', () => {
    expect(GRAPH_NET_WASM_BASE64).toBe(Buffer.from(buildGraphNetWasm()).toString('base64'));
    expect(readFileSync(`${root}/${GRAPH_NET_GENERATED_FILE}`, 'utf8')).toBe(generatedGraphNetFile(root));
  });

  it('are a valid module with the exports the runtime calls', () => {
    const bytes = buildGraphNetWasm();
    expect(wasm.validate(bytes)).toBe(true);
    const names = wasm.Module.exports(new wasm.Module(bytes)).map((e) => e.name);
    expect(names.sort()).toEqual([
      'attention',
      'attention16',
      'attention2',
      'attention4',
      'attention8',
      'layerNorm',
      'linear',
      'memory',
    ]);
  });
});
