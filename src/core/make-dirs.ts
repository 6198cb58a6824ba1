/**
 * Creating a folder with its missing parents (`mkdir -p`) in a way that always ends, with a
 * {@link FileError} naming the folder that could not be made.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeSystemError, errnoOf, FileError } from './file-error.js';

/**
 * Creates a folder and its missing parents, like `mkdir -p`. Unlike Node's
 * `mkdir(…, { recursive: true })`, which retries forever when a parent exists but the child
 * still cannot be created (a path under `/proc`, a dangling symbolic link), every folder is tried
 * once, so the call always ends: with success or a {@link FileError} naming the folder that could
 * not be created and why.
 */
export async function makeDirs(dir: string): Promise<void> {
  makeDirsSync(dir); // a few quick system calls, one per missing folder: not worth a second copy
}

/** Synchronous form of {@link makeDirs}. */
export function makeDirsSync(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    const kind = kindOf(p);
    if (kind === 'folder') break;
    if (kind === 'file') throw notAFolder(dir, p);
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (let k = missing.length - 1; k >= 0; k--) {
    try {
      mkdirSync(missing[k]!);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST' && kindOf(missing[k]!) === 'folder') continue;
      throw createError(dir, missing[k]!, e);
    }
  }
}

type Kind = 'folder' | 'file' | 'missing';

function kindOf(p: string): Kind {
  try {
    return statSync(p).isDirectory() ? 'folder' : 'file';
  } catch (e) {
    return whenMissing(e, p);
  }
}

/** A path that does not resolve (also a dangling link) is missing; other failures are errors. */
function whenMissing(e: unknown, p: string): Kind {
  if (errnoOf(e) === 'ENOENT') return 'missing';
  throw new FileError('create folder', p, describeSystemError(e), errnoOf(e));
}

function notAFolder(dir: string, p: string): FileError {
  const what = p === resolve(dir) ? 'it' : `'${p}'`;
  return new FileError('create folder', dir, `${what} is a file, not a folder`, 'ENOTDIR');
}

function createError(dir: string, p: string, e: unknown): FileError {
  const errno = errnoOf(e);
  const what = p === resolve(dir) ? 'it' : `'${p}'`;
  const reason =
    errno === 'EEXIST'
      ? `${what} exists but is not a folder (a dangling link?) (EEXIST)`
      : `${what === 'it' ? '' : `${what}: `}${describeSystemError(e)}`;
  return new FileError('create folder', dir, reason, errno);
}
