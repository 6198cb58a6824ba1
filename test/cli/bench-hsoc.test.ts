import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerBenchHsoc } from '../../src/cli/commands/bench-hsoc.js';

describe('arbiter bench hsoc (registerBenchHsoc)', () => {
  it('writes the table, the rules and the bar chart; --json prints rows and rules', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-hsoc-'));
    const program = new Command().exitOverride();
    registerBenchHsoc(program.command('bench'));
    let stdout = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout += String(c);
      return true;
    });
    try {
      await program.parseAsync(
        [
          'bench',
          'hsoc',
          '--seeds',
          '1',
          '--episodes',
          '10',
          '--restarts',
          '2',
          '--powered-seeds',
          '3',
          '--ppo-steps',
          '0',
          '--no-ideal-search',
          '--out',
          dir,
          '--json',
        ],
        { from: 'user' },
      );
    } finally {
      spy.mockRestore();
    }
    const json = JSON.parse(stdout) as {
      rows: { policy: string; workload: string; load: string }[];
      rules: string[];
      latencyUs: number;
    };
    expect(json.rows).toHaveLength(2 * 3 * 6);
    expect(new Set(json.rows.map((r) => r.policy))).toEqual(
      new Set(['uniform', 'uniform-running', 'seed-rules', 'lnn-rules', 'dynamic-rules', 'ideal-static']),
    );
    expect(json.rules[0]).toMatch(/^NeedTokens_0 ← /);
    expect(json.latencyUs).toBeGreaterThan(0);
    const md = await readFile(path.join(dir, 'hsoc.md'), 'utf8');
    expect(md).toContain('### Workload av-42');
    expect(md).toContain('NeedTokens_100 ←');
    expect(md).toContain('### LNN rule selection');
    expect(md).toContain('### Powered comparison with the control (3 further seeds)');
    expect(md).toContain('### Acceptance checks, as measured on the 3 seeds');
    expect(md).toContain('| nominal utilization ρ |');
    // Two candidates, exactly one chosen.
    const selection = md.slice(md.indexOf('### LNN rule selection'), md.indexOf('### Learned rules'));
    expect(selection.match(/^\| [12] \|/gm)).toHaveLength(2);
    expect(selection.match(/✓/g)).toHaveLength(1);
    const svg = await readFile(path.join(dir, 'hsoc-completion.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
  });
});
