import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { generatePolicyC, toCIdentifier } from '../../src/deploy/c-codegen.js';
import { extractPolicyArtifact } from '../../src/deploy/extract-policy-artifact.js';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import type { PolicyArtifact } from '../../src/deploy/policy-artifact.js';
import { quantizeInt8 } from '../../src/deploy/quantize-int8.js';
import { heldOutStates, trainDqn, trainPpo } from './deploy-fixtures.js';
import { buildPolicyC } from './build-policy-c.js';

const hasGcc = spawnSync('gcc', ['--version']).status === 0;
if (!hasGcc) console.warn('c-codegen.test: gcc not found on PATH; skipping the C compile-and-compare tests');

let dir: string;
const artifacts: Record<string, PolicyArtifact> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'arbiter-c-'));
  const ppo = await trainPpo(2048);
  const shared = await trainPpo(512, true);
  const dqn = await trainDqn(2000);
  artifacts.ppo = extractPolicyArtifact(ppo);
  artifacts.ppo_shared = extractPolicyArtifact(shared);
  artifacts.dqn = extractPolicyArtifact(dqn);
  artifacts.ppo_int8 = quantizeInt8(extractPolicyArtifact(ppo));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (art: PolicyArtifact, name: string): string => buildPolicyC(art, name, dir);

describe.skipIf(!hasGcc)('generated C (gcc -std=c99 -Wall -Werror -O2) matches the TS runtime', () => {
  it.each(['ppo', 'ppo_shared', 'dqn', 'ppo_int8'])(
    '%s: outputs within 1e-5 and the same masked action on 500 states',
    (key) => {
      const art = artifacts[key]!;
      const rt = createPolicyRuntime(art);
      const exe = build(art, key);
      const states = heldOutStates(500, (o) => rt.act(o));
      const rng = new Rng(99);
      const masks = states.map(() => {
        const m = new Uint8Array(art.outputDim);
        for (let a = 0; a < m.length; a++) m[a] = rng.random() < 0.7 ? 1 : 0;
        m[rng.int(m.length)] = 1; // never empty
        return m;
      });
      const input = states
        .map((s, i) =>
          [...Array.from(s, (v) => v.toPrecision(9)), ...Array.from(masks[i]!, String)].join(' '),
        )
        .join('\n');
      const lines = execFileSync(exe, { input }).toString().trim().split('\n');
      expect(lines).toHaveLength(states.length);
      let worst = 0;
      lines.forEach((line, i) => {
        const fields = line.trim().split(/\s+/).map(Number);
        const y = rt.forward(states[i]!);
        for (let a = 0; a < art.outputDim; a++)
          worst = Math.max(worst, Math.abs(fields[a]! - y[a]!) / Math.max(1, Math.abs(y[a]!)));
        expect(fields[art.outputDim]).toBe(rt.act(states[i]!, masks[i]));
      });
      expect(worst).toBeLessThanOrEqual(1e-5);
    },
  );
});

describe('C code generation', () => {
  it('names: rejects non-identifiers, sanitizes file names', () => {
    expect(() => generatePolicyC(artifacts.dqn!, 'my-policy')).toThrow(/not a C identifier/);
    expect(toCIdentifier('my-policy.v1')).toBe('my_policy_v1');
    expect(toCIdentifier('1st')).toBe('p_1st');
  });

  it('weights are printed so that they read back exactly as Float32', () => {
    const art = artifacts.ppo!;
    const src = generatePolicyC(art, 'p').source;
    const { weights: w, inputDim: n, outputDim: m } = art.layers[0]!;
    // Stored transposed (outputDim × inputDim).
    const w0 = Array.from({ length: n * m }, (_, k) => w[(k % n) * m + Math.floor(k / n)]!);
    const body = /static const float p_w0\[\d+\] = \{([^}]*)\}/.exec(src)![1]!;
    const back = Float32Array.from(body.split(',').map((t) => parseFloat(t.trim())));
    expect(Array.from(back)).toEqual(w0);
  });
});
