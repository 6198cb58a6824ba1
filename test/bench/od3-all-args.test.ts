import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { od3PartArgs, parseOd3AllArgs } from '../../bench/od3-all-bench.js';
import { parseOd3MlpArgs } from '../../bench/od3-bench.js';
import { upsertMarkedBlock, withResultLock, withResultLockSync } from '../../bench/marked-section.js';

describe('npm run bench -- od3 arguments', () => {
  it('reads lanes, scale, cache and parts, and gives each part its own cache and the full grid', () => {
    const o = parseOd3AllArgs(['lanes=2', 'scale=0.5', 'cache=/tmp/c', 'parts=mlp,pixelpong']);
    expect(o).toEqual({ lanes: 2, scale: 0.5, cache: '/tmp/c', parts: ['mlp', 'pixelpong'] });
    expect(od3PartArgs('pixelpong', o)).toEqual([
      'od3',
      'pixel',
      'env=PixelPong-v0',
      'mb=16,8,4',
      'uf=8,16,32',
      'scale=0.5',
      'cache=/tmp/c/pixelpong',
    ]);
    expect(od3PartArgs('mlp', o)).toEqual(['od3', 'mlp', 'scale=0.5', 'cache=/tmp/c/mlp']);
    expect(od3PartArgs('jobs-image', {})).toEqual(['od3', 'pixel', 'env=Jobs-v0', 'mb=16,8,4', 'uf=8,16,32']);
  });

  it('names the argument and the rule on bad input', () => {
    expect(() => parseOd3AllArgs(['lanes=0'])).toThrow(/'lanes=0'.*integer ≥ 1/);
    expect(() => parseOd3AllArgs(['scale=-1'])).toThrow(/'scale=-1'.*number > 0/);
    expect(() => parseOd3AllArgs(['parts=pong'])).toThrow(/parts are pixelpong, jobs-image, mlp/);
    expect(() => parseOd3AllArgs(['steps=5'])).toThrow(/unknown argument 'steps=5'/);
    expect(() => parseOd3MlpArgs(['envs=Pong'])).toThrow(/envs are CartPole-v1, Jobs-v0/);
    expect(() => parseOd3MlpArgs(['seeds=a'])).toThrow(/'seeds=a'/);
    expect(parseOd3MlpArgs(['scale=0.1', 'seeds=1,2', 'variants=0', 'cache=x'])).toEqual({
      scale: 0.1,
      seeds: [1, 2],
      variants: false,
      cacheDir: 'x',
    });
  });

  it('serialises read-modify-writes of one results file and releases the lock on a throw', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'od3-lock-'));
    const file = path.join(dir, 'rows.json');
    writeFileSync(file, '0');
    const bump = async (): Promise<void> =>
      withResultLock(file, async () => {
        const n = Number(readFileSync(file, 'utf8'));
        await new Promise((r) => setTimeout(r, 5));
        writeFileSync(file, String(n + 1));
      });
    // Without the lock the second bump reads the same 0 as the first (they interleave).
    await Promise.all([bump(), bump()]);
    expect(readFileSync(file, 'utf8')).toBe('2');
    expect(() =>
      withResultLockSync(file, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('upserts a marked block of a shared report and keeps the others in the given order', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'od3-md-')), 'od3.md');
    writeFileSync(file, '# MLP part\n\n<!-- b:start -->\nold b\n<!-- b:end -->\n');
    await Promise.all([
      upsertMarkedBlock(file, 'run figures', 'a', ['a', 'b']),
      upsertMarkedBlock(file, 'new b', 'b', ['a', 'b']),
    ]);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# MLP part')).toBe(true);
    expect(text).toContain('<!-- a:start -->\nrun figures\n<!-- a:end -->');
    expect(text).toContain('<!-- b:start -->\nnew b\n<!-- b:end -->');
    expect(text.indexOf('a:start')).toBeLessThan(text.indexOf('b:start'));
    expect(text).not.toContain('old b');
  });
});
