import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/core/file-error.js';
import { makeDirs, makeDirsSync } from '../../src/core/make-dirs.js';

const root = mkdtempSync(join(tmpdir(), 'arbiter-dirs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const file = join(root, 'a-file');
writeFileSync(file, 'x');
const dangling = join(root, 'dangling');
symlinkSync(join(root, 'nowhere'), dangling);
const hasProc = existsSync('/proc/self');

describe.each([
  ['makeDirs', makeDirs],
  ['makeDirsSync', makeDirsSync],
] as const)('%s', (name, make) => {
  it('creates missing parents and accepts an existing folder', async () => {
    const dir = join(root, name, 'a', 'b', 'c');
    await make(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    await make(dir);
    await make(root);
  });

  it('refuses a file on the path with a FileError naming the folder', async () => {
    await expect(async () => make(join(file, 'sub'))).rejects.toThrow(FileError);
    await expect(async () => make(file)).rejects.toThrow(
      /cannot create folder '.*a-file': it is a file, not a folder/,
    );
  });

  it('ends with an error at a dangling link, where Node’s recursive mkdir spins forever', async () => {
    await expect(async () => make(join(dangling, 'x'))).rejects.toThrow(
      /cannot create folder '.*dangling\/x': '.*dangling' exists but is not a folder/,
    );
  });

  it.skipIf(!hasProc)('ends with an error under /proc (ENOENT although /proc exists)', async () => {
    await expect(async () => make('/proc/arbiter-no-such/x/')).rejects.toThrow(/ENOENT/);
  });
});

describe('makeDirsSync in a child process (a regression would hang, the timeout catches it)', () => {
  it('returns promptly at a dangling link', () => {
    const code = `import('./src/core/make-dirs.ts').then((m) => { try { m.makeDirsSync(${JSON.stringify(join(dangling, 'x', 'y'))}); } catch (e) { console.log(e.code); } })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(r.signal).toBeNull();
    expect(r.stdout.trim()).toBe('file/EEXIST');
  });
});
