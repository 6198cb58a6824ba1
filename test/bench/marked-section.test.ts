import { describe, expect, it } from 'vitest';
import { markedSection, withMarkedSection } from '../../bench/marked-section.js';
import { parseOd3PixelArgs } from '../../bench/od3-pixel-bench.js';

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

  it('parses the pixel bench arguments and refuses unknown ones', () => {
    expect(parseOd3PixelArgs(['steps=900', 'seeds=1,2', 'mb=16,8,4', 'uf=32'])).toEqual({
      steps: 900,
      seeds: [1, 2],
      minibatches: [16, 8, 4],
      updateFreqs: [32],
    });
    expect(() => parseOd3PixelArgs(['step=9'])).toThrow(/unknown argument 'step=9'/);
  });
});
