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
import { writeFileAtomic, writeFileAtomicSync } from '../../src/core/atomic-write.js';
import { FileError } from '../../src/core/file-error.js';

const root = mkdtempSync(join(tmpdir(), 'arbiter-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', writeFileAtomicSync],
] as const)('%s', (name, write) => {
  it('creates parent folders and replaces the content, leaving no temp file', async () => {
    const path = join(root, name, 'deep', 'config.json');
    await write(path, '{"a":1}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    await write(path, new Uint8Array([104, 105]));
    expect(readFileSync(path, 'utf8')).toBe('hi');
    expect(readdirSync(join(root, name, 'deep'))).toEqual(['config.json']);
  });

  it('keeps the old file intact and cleans up when the write fails', async () => {
    const dir = join(root, name, 'fail');
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'target');
    mkdirSync(target); // renaming a file over a folder fails
    writeFileSync(join(dir, 'keep.txt'), 'old');
    await expect(async () => write(target, 'new')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['keep.txt', 'target']);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('old');
  });

  it('names the target, never the temporary file, when it cannot write', async () => {
    const dir = join(root, name, 'errors');
    mkdirSync(join(dir, 'folder'), { recursive: true });
    writeFileSync(join(dir, 'file'), 'x');
    const failure = async (target: string): Promise<FileError> => {
      try {
        await write(target, 'new');
      } catch (e) {
        expect(e).toBeInstanceOf(FileError);
        expect((e as Error).message).not.toMatch(/\.tmp/);
        return e as FileError;
      }
      throw new Error('expected a FileError');
    };
    const folder = join(dir, 'folder');
    expect((await failure(folder)).message).toBe(
      `cannot write '${folder}': it is a folder, not a file (EISDIR)`,
    );
    const underFile = join(dir, 'file', 'x.json');
    expect((await failure(underFile)).message).toMatch(
      new RegExp(`^cannot write '${underFile}': cannot create folder '.*file': it is a file, not a folder`),
    );
    if (existsSync('/sys/kernel')) {
      // sysfs refuses new files even to root
      expect((await failure('/sys/arbiter-test.json')).message).toMatch(
        /^cannot write '\/sys\/arbiter-test\.json': cannot create a file in '\/sys': .*\((EACCES|EPERM|EROFS)\)$/,
      );
    }
  });
});
