import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAlgorithm } from '../../src/agents/algorithm-registry.js';
import { registerExport } from '../../src/cli/commands/export.js';
import { envFactory, trainRun } from '../../src/experiments/train-run.js';
import { createPolicyRuntime } from '../../src/deploy/inference-runtime.js';
import { readPolicyArtifactFile } from '../../src/deploy/policy-artifact.js';
import { heldOutStates } from '../deploy/deploy-fixtures.js';

let root: string;
let runDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'arbiter-export-'));
  const r = await trainRun({
    algo: 'ppo',
    env: 'CartPole-v1',
    steps: 2048,
    seed: 2,
    config: { normalizeObservation: true },
    evalEpisodes: 1,
    runsRoot: root,
    name: 'run',
  });
  runDir = r.runDir;
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `arbiter export …` on a fresh program holding only the export command. */
async function exportCli(...args: string[]): Promise<{ stdout: string }> {
  const program = new Command('arbiter').exitOverride().configureOutput({ writeErr: () => undefined });
  registerExport(program);
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'arbiter', 'export', ...args]);
  } finally {
    spy.mockRestore();
  }
  return { stdout };
}

describe('arbiter export', () => {
  it('json and bin from a run folder (env from config.json) reproduce the model’s greedy actions', async () => {
    const algo = await loadAlgorithm(
      join(runDir, 'latest'),
      envFactory({ env: 'CartPole-v1', envOptions: {} }),
    );
    const states = heldOutStates(300, (o) => algo.predict(o, { deterministic: true }) as number);
    for (const fmt of ['json', 'bin'] as const) {
      const out = join(root, `policy.${fmt}`);
      const { stdout } = await exportCli(runDir, '--format', fmt, '--out', out, '--json');
      const doc = JSON.parse(stdout) as {
        files: string[];
        bytes: number;
        normalization: boolean;
        algo: string;
      };
      expect(doc).toMatchObject({ normalization: true, algo: 'ppo' });
      expect(doc.bytes).toBe(readFileSync(out).length);
      const rt = createPolicyRuntime(await readPolicyArtifactFile(out));
      for (const s of states) expect(rt.act(s)).toBe(algo.predict(s, { deterministic: true }));
    }
  });

  it('int8 from a checkpoint folder with --env; the binary is smaller than the float one', async () => {
    const out = join(root, 'policy-int8.bin');
    await exportCli(join(runDir, 'latest'), '--format', 'int8', '--out', out, '--env', 'CartPole-v1');
    const art = await readPolicyArtifactFile(out);
    expect(art.kind).toBe('mlp-int8');
    expect(readFileSync(out).length).toBeLessThan(readFileSync(join(root, 'policy.bin')).length);
  });

  it('c writes PATH.c and PATH.h; they compile with gcc -std=c99 -Wall -Werror when gcc exists', async () => {
    const base = join(root, 'cart-pole');
    const { stdout } = await exportCli(runDir, '--format', 'c', '--out', `${base}.c`, '--name', 'cartpole');
    expect(stdout).toContain('cart-pole.c');
    expect(existsSync(`${base}.c`) && existsSync(`${base}.h`)).toBe(true);
    const src = readFileSync(`${base}.c`, 'utf8');
    expect(src).toContain('#include "cart-pole.h"');
    expect(src).toContain('void cartpole_forward(const float *obs, float *out)');
    if (spawnSync('gcc', ['--version']).status !== 0) return;
    const r = spawnSync('gcc', ['-std=c99', '-Wall', '-Werror', '-O2', '-c', `${base}.c`, '-o', `${base}.o`]);
    expect(r.status, r.stderr.toString()).toBe(0);
  });

  it('errors: a folder without a checkpoint, a non-run folder without --env, an unknown format', async () => {
    await expect(
      exportCli(join(root, 'nope'), '--format', 'json', '--out', join(root, 'x.json')),
    ).rejects.toThrow(/no checkpoint/);
    // A checkpoint folder outside any run folder does not say its env (R/latest does, via R).
    const loose = join(root, 'loose-checkpoint');
    await cp(join(runDir, 'latest'), loose, { recursive: true });
    await expect(exportCli(loose, '--format', 'json', '--out', join(root, 'x.json'))).rejects.toThrow(
      /--env/,
    );
    await expect(exportCli(runDir, '--format', 'onnx', '--out', join(root, 'x'))).rejects.toThrow(
      /json, bin, int8, c/,
    );
  });
});
