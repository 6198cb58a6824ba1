/**
 * The error for a file or folder that could not be read or written: it names the user's path, the
 * action and the reason in words (`read-only file system (EROFS)`) rather than a raw errno.
 */
import { ArbiterError } from './errors.js';

/** What an errno code means, in the words of an error message. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'a file of that name already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'the file is busy',
  ELOOP: 'too many symbolic links',
  EINVAL: 'invalid path for this file system',
};

/**
 * A file or folder could not be read or written: names the user's path (never a temporary file),
 * what was being done and why, e.g. `cannot write 'out/a.svg': read-only file system (EROFS)`.
 * `code` is `file/<errno>` (`file/EROFS`), or `file/error` without an errno.
 */
export class FileError extends ArbiterError {
  /** The path the user gave (or the folder Arbiter was creating for it). */
  readonly path: string;
  /** The errno code (`EACCES`, …), if the operating system gave one. */
  readonly errno: string | undefined;

  constructor(action: string, path: string, reason: string, errno?: string) {
    super(`file/${errno ?? 'error'}`, `cannot ${action} '${path}': ${reason}`);
    this.path = path;
    this.errno = errno;
  }
}

/** The errno code of a Node.js system error (`EACCES`, …), else `undefined`. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** `permission denied (EACCES)`: the reason of a system error without the paths Node puts in it. */
export function describeSystemError(e: unknown): string {
  const errno = errnoOf(e);
  if (errno === undefined) return e instanceof Error ? e.message : String(e);
  const reason =
    REASONS[errno] ?? ((e as Error).message.split(',')[0] ?? errno).replace(/^E[A-Z0-9]+:\s*/, '');
  return `${reason} (${errno})`;
}

/**
 * The {@link FileError} for a failure while doing `action` on `path`: a {@link FileError} thrown
 * for a folder on the way is kept as the reason, a system error is described by its errno; any
 * other error is returned unchanged.
 */
export function fileErrorFrom(e: unknown, action: string, path: string): unknown {
  if (e instanceof FileError) return e.path === path ? e : new FileError(action, path, e.message, e.errno);
  const errno = errnoOf(e);
  return errno === undefined ? e : new FileError(action, path, describeSystemError(e), errno);
}
