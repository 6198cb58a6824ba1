/**
 * Blocks of a Markdown report that another benchmark owns, each between two HTML comments named
 * for it: each benchmark rewrites its own part of a shared results file and keeps the others' (or
 * the hand-written ones).
 */
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../src/core/atomic-write.js';

/** The default block name (the PixelPong section of bench/results/od3.md). */
const DEFAULT_NAME = 'od3-pixel';

const markers = (name: string): [string, string] => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];

/** The marked block `name` of `text` (markers included), or '' when it has none. */
export function markedSection(text: string, name = DEFAULT_NAME): string {
  const [start, end] = markers(name);
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  return a >= 0 && b > a ? text.slice(a, b + end.length) : '';
}

/**
 * `text` without its block `name`, with `body` (given with or without markers; '' for none) as
 * that block at the end.
 */
export function withMarkedSection(text: string, body: string, name = DEFAULT_NAME): string {
  const [start, end] = markers(name);
  const old = markedSection(text, name);
  const rest = (old ? text.replace(old, '') : text).trimEnd();
  const inner = body.startsWith(start)
    ? body.slice(start.length, body.length - end.length).trim()
    : body.trim();
  return inner ? `${rest}\n\n${start}\n${inner}\n${end}\n` : `${rest}\n`;
}

/**
 * `text` without any block of `names`, then every block of `names` that `old` has, in that order,
 * at the end (a benchmark that rewrites the rest of a report keeps the others' blocks in place).
 */
export function withMarkedSectionsOf(text: string, old: string, names: readonly string[]): string {
  let out = text;
  for (const n of names) out = withMarkedSection(out, '', n);
  for (const n of names) out = withMarkedSection(out, markedSection(old, n), n);
  return out;
}

/**
 * Rewrites `file` as `build(rest)` followed by the blocks `names` of its old text, in that order;
 * `rest` is the old text without those blocks ('' when there is no file yet).
 */
export async function rewriteKeepingMarkedSections(
  file: string,
  names: readonly string[],
  build: (rest: string) => string,
): Promise<void> {
  await withResultLock(file, async () => {
    const old = existsSync(file) ? await readFile(file, 'utf8') : '';
    const rest = old && names.reduce((t, n) => withMarkedSection(t, '', n), old);
    await writeFileAtomic(file, withMarkedSectionsOf(build(rest), old, names));
  });
}

/** The blocks of bench/results/od3.md that the pixel benchmark owns, in report order. */
export const OD3_PIXEL_BLOCKS = ['od3-run', 'od3-pixel-reading', 'od3-pixel', 'od3-pixel-jobs'] as const;

/** A lock older than this is taken to be left by a killed process. */
const STALE_LOCK_MS = 120_000;

/** Tries once to take `file`'s lock (`file.lock`, created exclusively); clears a stale one. */
function tryLock(lock: string): boolean {
  try {
    closeSync(openSync(lock, 'wx'));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { force: true });
    } catch {
      // released meanwhile: the next try takes it
    }
    return false;
  }
}

/**
 * Runs `fn` holding `file`'s lock, so benchmark processes that run side by side (the parts of
 * `npm run bench -- od3`) do not lose each other's read-modify-write of a shared results file.
 */
export function withResultLockSync<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  // Blocking is right here: the holder is another process (a synchronous caller cannot interleave
  // with itself).
  while (!tryLock(lock)) Atomics.wait(pause, 0, 0, 20);
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** {@link withResultLockSync} for an asynchronous `fn`; waits without blocking the event loop. */
export async function withResultLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  while (!tryLock(lock)) await new Promise((r) => setTimeout(r, 20));
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Replaces (or adds) the block `name` of `file` by `body` under the file's lock, re-reading the
 * file first (another process may have written its block meanwhile); the blocks `order` are then
 * put in that order at the end.
 */
export async function upsertMarkedBlock(
  file: string,
  body: string,
  name: string,
  order: readonly string[],
): Promise<void> {
  await withResultLock(file, async () => {
    const old = existsSync(file) ? await readFile(file, 'utf8') : '';
    const updated = withMarkedSection(old, body, name);
    await writeFileAtomic(file, withMarkedSectionsOf(updated, updated, order));
  });
}

/** The hand-written blocks of bench/results/hsoc.md, which the HSoC benchmark keeps. */
export const HSOC_HAND_BLOCKS = ['hsoc-reading'] as const;
