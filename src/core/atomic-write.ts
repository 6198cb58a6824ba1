/**
 * Atomic file writes (temporary file in the same folder, flush, rename), so that a reader or a
 * crash never sees a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeSystemError, errnoOf, FileError, fileErrorFrom } from './file-error.js';
import { makeDirs, makeDirsSync } from './make-dirs.js';

/** A temporary name beside `path`, so the final rename stays on one file system (and is atomic). */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file atomically: the data goes to a temporary file in the same folder, is flushed to
 * disk, and the temporary file is renamed over `path`. Readers (and a crash at any moment) see
 * either the old content or the new one, never a half-written file. Strings are written as UTF-8;
 * missing parent folders are created (see {@link makeDirs}). A failure is a `FileError` that names
 * `path` and the reason (`cannot write 'out/a.svg': read-only file system (EROFS)`), never the
 * temporary file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  let created = false;
  try {
    await makeDirs(dirname(path));
    const handle = await open(tmp, 'wx');
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync(); // so that the rename never publishes an empty file after a power loss
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(e, path, created);
  }
}

/** Synchronous twin of {@link writeFileAtomic}, for callers that cannot await (e.g. metric sinks). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  let created = false;
  try {
    makeDirsSync(dirname(path));
    const fd = openSync(tmp, 'wx');
    created = true;
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the temporary file was never created, or its folder is gone
    }
    throw writeError(e, path, created);
  }
}

/** The error for `path`: a temporary file that cannot be created is a folder that takes no files. */
function writeError(e: unknown, path: string, created: boolean): unknown {
  if (!created && !(e instanceof FileError) && errnoOf(e) !== undefined)
    return new FileError(
      'write',
      path,
      `cannot create a file in '${dirname(path)}': ${describeSystemError(e)}`,
      errnoOf(e),
    );
  return fileErrorFrom(e, 'write', path);
}
