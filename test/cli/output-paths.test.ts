import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli-helper.js';

let dir: string;
let task: string;
let aFile: string;
const hasProc = existsSync('/proc/self');
const hasSys = existsSync('/sys/kernel');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-out-'));
  task = path.join(dir, 't.json');
  await writeFile(
    task,
    JSON.stringify({
      name: 't',
      deadline: 10,
      nodes: [
        { id: 'a', wcet: 1 },
        { id: 'b', wcet: 2 },
      ],
      edges: [['a', 'b']],
    }),
  );
  aFile = path.join(dir, 'a-file');
  await writeFile(aFile, 'x');
  await mkdir(path.join(dir, 'folder'));
});

/** A clear `error:` line naming `target`, no "internal error", no temporary file, exit 1. */
function expectFileError(r: { code: number; stderr: string }, target: string, reason: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stderr).not.toMatch(/\.tmp/);
  expect(r.stderr).toContain(`error: cannot `);
  expect(r.stderr).toContain(`'${target}'`);
  expect(r.stderr).toMatch(reason);
}

describe('output paths: clear errors that name the user path', () => {
  it('schedule --json --gantt on a folder prints the results first, then fails', async () => {
    const gantt = path.join(dir, 'folder');
    const r = await cli('schedule', task, '--method', 'graham', '--json', '--gantt', gantt);
    expect(JSON.parse(r.stdout)).toMatchObject({ method: 'graham', feasible: true, cores: 1 });
    expectFileError(r, gantt, /it is a folder, not a file \(EISDIR\)/);
  });

  it('schedule --gantt under a file keeps the table, then fails', async () => {
    const gantt = path.join(aFile, 'g.svg');
    const r = await cli('schedule', task, '--method', 'graham', '--gantt', gantt);
    expect(r.stdout).toMatch(/^graham\s+1\s+1\s+3/m);
    expect(r.stdout).not.toContain('Gantt chart:');
    expectFileError(r, gantt, /it is a file, not a folder/);
  });

  it('dag generate --out on a folder, or under a file, for one task and a batch', async () => {
    const folder = path.join(dir, 'folder');
    expectFileError(await cli('dag', 'generate', '--out', folder), folder, /it is a folder/);
    const batch = path.join(aFile, 'set');
    expectFileError(await cli('dag', 'generate', '--out', batch, '--count', '2'), batch, /not a folder/);
  });

  it.skipIf(!hasProc)(
    'dag generate --out /proc/x/ --count 2 errors promptly instead of hanging',
    async () => {
      const r = await cli('dag', 'generate', '--out', '/proc/arbiter-x/', '--count', '2');
      expectFileError(r, '/proc/arbiter-x/', /ENOENT/);
    },
    10_000,
  );

  it.skipIf(!hasSys)('a folder that takes no new files (sysfs) is named with the reason', async () => {
    const r = await cli('dag', 'generate', '--out', '/sys/arbiter-x.json');
    expectFileError(r, '/sys/arbiter-x.json', /cannot create a file in '\/sys': .*\((EACCES|EPERM|EROFS)\)/);
  });

  it('a file-system error that reaches the CLI unwrapped still names the path and the reason', async () => {
    const kb = path.join(dir, 'missing-kb.json');
    const r = await cli('bench', 'hsoc', '--kb', kb, '--out', path.join(dir, 'hsoc'));
    expectFileError(r, kb, /no such file or folder \(ENOENT\)/);
  });
});

describe('a closed stdout (arbiter … | head -1)', () => {
  it('ends the process quietly with status 141, no EPIPE stack trace', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'dag', 'generate', '--nodes', '5000'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after one chunk
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  }, 30_000);
});
