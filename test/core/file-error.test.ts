import { describe, expect, it } from 'vitest';
import { describeSystemError, FileError, fileErrorFrom } from '../../src/core/file-error.js';

const systemError = (code: string, syscall: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: something, ${syscall} '${path}'`), { code, syscall, path });

describe('FileError', () => {
  it('names the user path, the action and the reason, never the path inside the system error', () => {
    for (const [code, reason] of [
      ['EROFS', 'read-only file system (EROFS)'],
      ['EACCES', 'permission denied (EACCES)'],
      ['EISDIR', 'it is a folder, not a file (EISDIR)'],
      ['ENOENT', 'no such file or folder (ENOENT)'],
      ['ENOSPC', 'no space left on the device (ENOSPC)'],
    ] as const) {
      const e = fileErrorFrom(systemError(code, 'open', 'out/.a.svg.1.tmp'), 'write', 'out/a.svg');
      expect(e).toBeInstanceOf(FileError);
      expect((e as FileError).message).toBe(`cannot write 'out/a.svg': ${reason}`);
      expect((e as FileError).code).toBe(`file/${code}`);
    }
  });

  it('keeps an inner FileError as the reason, and passes other errors through', () => {
    const inner = new FileError('create folder', 'out', 'permission denied (EACCES)', 'EACCES');
    expect((fileErrorFrom(inner, 'write', 'out/a.svg') as Error).message).toBe(
      "cannot write 'out/a.svg': cannot create folder 'out': permission denied (EACCES)",
    );
    const plain = new Error('boom');
    expect(fileErrorFrom(plain, 'write', 'x')).toBe(plain);
    expect(describeSystemError(systemError('EWEIRD', 'open', 'x'))).toBe('something (EWEIRD)');
  });
});
