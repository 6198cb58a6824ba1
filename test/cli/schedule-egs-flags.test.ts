import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJsonDag } from '../../src/dag/io/json-format.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { cli } from './run-cli-helper.js';
import { devDag } from '../helpers/dev-dag.js';

describe('arbiter schedule: --no-local-search and --from-scratch', () => {
  it('reach the methods (the note says which part answered)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-ls-'));
    const file = path.join(dir, 'dev.json');
    await writeFile(file, formatJsonDag(devDag('same-predecessors', 50, 5, 104)));
    const run = async (...flags: string[]): Promise<ScheduleResult> => {
      const r = await cli('schedule', file, '--method', 'egs-search', '--samples', '1', '--json', ...flags);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as ScheduleResult;
    };
    expect((await run()).note).toMatch(/answer from: chain local search/);
    expect((await run('--no-local-search')).note).not.toMatch(/chain local search/);
    const egs = await cli('schedule', file, '--method', 'egs', '--from-scratch', '--json');
    expect(egs.code).toBe(0);
    expect((JSON.parse(egs.stdout) as ScheduleResult).method).toBe('egs');
  });
});
