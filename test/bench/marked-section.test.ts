import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markedSection, withMarkedSection, withMarkedSectionsOf } from '../../bench/marked-section.js';
import { parseOd3PixelArgs, upsertOd3Rows, type Od3ResultRow } from '../../bench/od3-pixel-bench.js';

describe('marked report sections', () => {
  it('adds, replaces and keeps the pixel block while the rest of the report changes', () => {
    const first = withMarkedSection('# OD3\n\n## CartPole\n', '## PixelPong\nA');
    expect(first).toContain('## CartPole');
    expect(markedSection(first)).toContain('## PixelPong\nA');
    const replaced = withMarkedSection(first, '## PixelPong\nB');
    expect(replaced).not.toContain('\nA\n');
    expect(replaced.match(/od3-pixel:start/g)).toHaveLength(1);
    // The MLP bench rewrites its text and carries the old block over unchanged.
    const rewritten = withMarkedSection('# OD3 (new)\n', markedSection(replaced));
    expect(rewritten.startsWith('# OD3 (new)')).toBe(true);
    expect(markedSection(rewritten)).toBe(markedSection(replaced));
    expect(withMarkedSection('# OD3\n', '')).toBe('# OD3\n');
  });

  it('keeps named blocks apart and in the given order when the rest is rewritten', () => {
    let text = withMarkedSection('# OD3\n', 'pong', 'od3-pixel');
    text = withMarkedSection(text, 'jobs', 'od3-pixel-jobs');
    text = withMarkedSection(text, 'reading', 'od3-pixel-reading');
    // Replacing one block leaves the others (the names share a prefix).
    text = withMarkedSection(text, 'pong 2', 'od3-pixel');
    expect(markedSection(text, 'od3-pixel-jobs')).toContain('jobs');
    expect(markedSection(text, 'od3-pixel')).toContain('pong 2');
    expect(markedSection(text, 'od3-pixel')).not.toContain('jobs');
    const names = ['od3-pixel-reading', 'od3-pixel', 'od3-pixel-jobs'];
    const moved = withMarkedSectionsOf('# OD3 (new)\n', text, names);
    expect(moved.startsWith('# OD3 (new)')).toBe(true);
    const at = names.map((n) => moved.indexOf(`<!-- ${n}:start -->`));
    expect(at.every((a) => a > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(moved.match(/:start -->/g)).toHaveLength(3);
  });

  it('upserts od3.json rows by (env, method, variant, seed) and keeps the others', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'od3-rows-'));
    try {
      const file = path.join(dir, 'od3.json');
      const r = (env: string, seed: number, finalEval: number): Od3ResultRow => ({
        env,
        method: 'CLOUD',
        variant: 'mb32-uf4',
        seed,
        steps: 10,
        decisionParams: 5,
        teacherParams: 5,
        finalEval,
        stepsToTarget: null,
        wallSToTarget: null,
        trainWallS: 1,
      });
      upsertOd3Rows(file, [r('A', 1, 0), r('A', 2, 0)]);
      upsertOd3Rows(file, [r('B', 1, 3)]);
      upsertOd3Rows(file, [r('A', 2, 7)]);
      const rows = JSON.parse(readFileSync(file, 'utf8')) as Od3ResultRow[];
      expect(rows.map((x) => `${x.env}${x.seed}:${x.finalEval}`)).toEqual(['A1:0', 'A2:7', 'B1:3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses the pixel bench arguments and refuses unknown ones', () => {
    expect(parseOd3PixelArgs(['steps=900', 'seeds=1,2', 'mb=16,8,4', 'uf=32'])).toEqual({
      steps: 900,
      seeds: [1, 2],
      minibatches: [16, 8, 4],
      updateFreqs: [32],
    });
    expect(parseOd3PixelArgs(['env=Jobs-v0', 'mb=', 'reportOnly=1'])).toEqual({
      env: 'Jobs-v0',
      minibatches: [],
      reportOnly: true,
    });
    expect(() => parseOd3PixelArgs(['step=9'])).toThrow(/unknown argument 'step=9'/);
  });
});
