import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMetricsJsonl } from '../../src/report/jsonl-metrics-sink.js';
import {
  createRunDirectory,
  defaultRunId,
  openRunDirectory,
  readRunConfig,
  RunDirectoryError,
} from '../../src/report/run-directory.js';

const base = mkdtempSync(join(tmpdir(), 'arbiter-runs-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshRoot = (): string => join(base, `root${n++}`);
const at = (iso: string) => (): Date => new Date(iso);

interface PpoConfig {
  algo: string;
  env: string;
  seed: number;
  lr: number;
}
const config: PpoConfig = { algo: 'ppo', env: 'CartPole-v1', seed: 3, lr: 3e-4 };

describe('createRunDirectory', () => {
  it('lays out runs/<algo>-<env>-<seed>-<timestamp>/ with config.json, CSV, JSONL and tb/', async () => {
    const root = freshRoot();
    const run = await createRunDirectory({ root, config, now: at('2025-03-04T05:06:07.890Z') });
    expect(run.id).toBe('ppo-CartPole-v1-3-20250304-050607');
    expect(run.paths.dir).toBe(join(root, run.id));
    expect(JSON.parse(readFileSync(run.paths.config, 'utf8'))).toEqual(config);
    expect(run.config).toBe(config);
    run.sink.write(2048, { 'rollout/ep_rew_mean': 22 });
    await run.close();
    expect(readdirSync(run.paths.dir).sort()).toEqual(['config.json', 'metrics.csv', 'metrics.jsonl', 'tb']);
    expect(readFileSync(run.paths.csv, 'utf8')).toBe(
      'step,wallTime,rollout/ep_rew_mean\n2048,1741064767.89,22\n',
    );
    expect(readMetricsJsonl(run.paths.jsonl)).toEqual([
      { step: 2048, wallTime: 1741064767.89, metrics: { 'rollout/ep_rew_mean': 22 } },
    ]);
    const tb = readdirSync(run.paths.tensorboard);
    expect(tb).toHaveLength(1);
    expect(tb[0]).toMatch(/^events\.out\.tfevents\.1741064767\./);
  });

  it('suffixes -2, -3 when the default id is taken, and refuses a taken explicit name', async () => {
    const root = freshRoot();
    const now = at('2025-01-01T00:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await createRunDirectory({ root, config, now, sinks: { tensorboard: false } });
      ids.push(run.id);
      await run.close();
    }
    expect(ids).toEqual([
      'ppo-CartPole-v1-3-20250101-000000',
      'ppo-CartPole-v1-3-20250101-000000-2',
      'ppo-CartPole-v1-3-20250101-000000-3',
    ]);
    const named = await createRunDirectory({ root, name: 'my-run', config: { any: 'thing' } });
    await named.close();
    expect(named.id).toBe('my-run');
    await expect(createRunDirectory({ root, name: 'my-run', config: {} })).rejects.toSatisfy(
      (e: unknown) => e instanceof RunDirectoryError && e.code === 'run-exists',
    );
    await expect(createRunDirectory({ root, name: '../escape', config: {} })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid-input/run-name' }),
    );
  });

  it('writes config.json atomically: no temp file remains, and a non-serialisable config fails before any folder is made', async () => {
    const root = freshRoot();
    const run = await createRunDirectory({ root, name: 'a', config: { nested: { x: [1, 2] } } });
    await run.close();
    expect(readdirSync(run.paths.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(createRunDirectory({ root, name: 'b', config: cyclic })).rejects.toThrow(TypeError);
    expect(existsSync(join(root, 'b'))).toBe(false);
  });

  it('can open only some sinks', async () => {
    const run = await createRunDirectory({
      root: freshRoot(),
      config,
      sinks: { csv: false, tensorboard: false },
    });
    run.sink.write(1, { a: 1 });
    await run.close();
    expect(readdirSync(run.paths.dir).sort()).toEqual(['config.json', 'metrics.jsonl']);
  });
});

describe('openRunDirectory', () => {
  it('resumes: reads config.json and appends to the logs, dropping entries after resumeStep', async () => {
    const root = freshRoot();
    const run = await createRunDirectory({ root, config, now: at('2025-01-01T00:00:00Z') });
    for (const s of [1000, 2000, 3000]) run.sink.write(s, { r: s / 100 });
    await run.close();

    const resumed = await openRunDirectory<PpoConfig>(run.paths.dir, {
      resumeStep: 2000,
      now: at('2025-01-01T01:00:00Z'),
    });
    expect(resumed.id).toBe(run.id);
    expect(resumed.config).toEqual(config);
    resumed.sink.write(3000, { r: 31, extra: 1 });
    await resumed.close();

    expect(readMetricsJsonl(run.paths.jsonl).map((r) => [r.step, r.metrics.r])).toEqual([
      [1000, 10],
      [2000, 20],
      [3000, 31],
    ]);
    expect(readFileSync(run.paths.csv, 'utf8').split('\n')).toEqual([
      'step,wallTime,r,extra',
      '1000,1735689600,10,',
      '2000,1735689600,20,',
      '3000,1735693200,31,1',
      '',
    ]);
    expect(readdirSync(run.paths.tensorboard)).toHaveLength(2); // a new event file beside the old one
    expect(existsSync(run.paths.checkpoints)).toBe(false);
  });

  it('names a folder without config.json as run-not-found and a broken config as invalid input', async () => {
    const dir = join(freshRoot(), 'nothing');
    mkdirSync(dir, { recursive: true });
    await expect(openRunDirectory(dir)).rejects.toThrow(expect.objectContaining({ code: 'run-not-found' }));
    writeFileSync(join(dir, 'config.json'), '{ nope');
    expect(() => readRunConfig(dir)).toThrow(expect.objectContaining({ code: 'invalid-input/json-syntax' }));
  });
});

describe('defaultRunId', () => {
  it('leaves out missing parts and makes odd characters folder-safe', () => {
    const t = new Date('2024-12-31T23:59:59Z');
    expect(defaultRunId({}, t)).toBe('20241231-235959');
    expect(defaultRunId({ algo: 'dqn', env: 'ns/Env v0', seed: 0 }, t)).toBe(
      'dqn-ns_Env_v0-0-20241231-235959',
    );
    expect(defaultRunId({ algo: 'a2c', seed: { not: 'a number' } }, t)).toBe('a2c-20241231-235959');
  });
});
