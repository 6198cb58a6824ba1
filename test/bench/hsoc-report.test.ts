import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hsocPpoOnlyMarkdown } from '../../bench/hsoc-bench.js';
import { HSOC_HAND_BLOCKS, markedSection, rewriteKeepingMarkedSections } from '../../bench/marked-section.js';
import type { HsocProfiledRow } from '../../src/report/hsoc-profiled-row.js';

const COMMITTED = 'bench/results/hsoc.md';
const READING = 'hsoc-reading';

describe('the HSoC bench keeps the hand-written Reading of hsoc.md', () => {
  let dir = '';
  let file = '';
  const reading = markedSection(readFileSync(COMMITTED, 'utf8'), READING);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hsoc-md-'));
    file = path.join(dir, 'hsoc.md');
    copyFileSync(COMMITTED, file);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the whole Reading of the committed report as a kept block', () => {
    expect(HSOC_HAND_BLOCKS).toContain(READING);
    expect(reading).toMatch(/^<!-- hsoc-reading:start -->\n## Reading \(written by hand/);
    expect(reading).toContain('\nDeadlines: with relative deadlines');
    expect(readFileSync(COMMITTED, 'utf8').trimEnd().endsWith(reading)).toBe(true);
  });

  it('full mode: a complete rewrite keeps the block unchanged at the end, stably', async () => {
    const generated =
      '# HSoC (new run)\n\nDecision latency of the LNN rule policy: **9.99 µs** per agent decision.\n';
    await rewriteKeepingMarkedSections(file, HSOC_HAND_BLOCKS, () => generated);
    const once = readFileSync(file, 'utf8');
    expect(once).toBe(`${generated}\n${reading}\n`);
    await rewriteKeepingMarkedSections(file, HSOC_HAND_BLOCKS, () => generated);
    expect(readFileSync(file, 'utf8')).toBe(once);
  });

  it('ppo-only mode: rows and section are replaced, the block is kept and never edited', async () => {
    const json = JSON.parse(readFileSync('bench/results/hsoc.json', 'utf8')) as {
      rows: Omit<HsocProfiledRow, 'perSeed'>[];
    };
    const rows = json.rows
      .filter((r) => r.policy === 'ppo-shared')
      .map((r) => ({ ...r, meanCompletion: 98.7654 }));
    expect(rows).toHaveLength(6);
    let seen = '';
    await rewriteKeepingMarkedSections(file, HSOC_HAND_BLOCKS, (md) => {
      seen = md;
      return hsocPpoOnlyMarkdown(md, {
        description: '`ppo-shared` (one PPO MLP shared by all agents, new)',
        markdown: '### ppo-shared learning curve\n\nNEW SECTION\n',
        rows,
      });
    });
    expect(seen).not.toContain('## Reading');
    const out = readFileSync(file, 'utf8');
    expect(out.match(/\| ppo-shared \| 200 \| 98\.765 \|/g)).toHaveLength(6);
    expect(out).toContain('\nNEW SECTION\n\nDecision latency of the LNN rule policy: **2.51 µs**');
    expect(out).toContain('`ppo-shared` (one PPO MLP shared by all agents, new)');
    expect(markedSection(out, READING)).toBe(reading);
    expect(out.trimEnd().endsWith(reading)).toBe(true);
  });
});
