/**
 * Confining request paths to the dashboard folder: a relative path from a URL is resolved inside
 * the folder, and anything that would leave it (`..`, an absolute path, a symbolic link pointing
 * out) is refused.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError } from '../core/errors.js';

/** A request named a path outside the dashboard folder, or one that does not exist there. */
export class ConfinedPathError extends ArbiterError {
  /** The path as the request gave it. */
  readonly requested: string;

  constructor(code: 'path-outside' | 'path-not-found', requested: string, message: string) {
    super(code, message);
    this.requested = requested;
  }
}

/**
 * The real absolute path of `relative` inside `root` (itself a real path, see `realpath`), after
 * following symbolic links; a `path-outside` error when it is absolute, contains a NUL, or
 * resolves (before or after following links) outside `root`, and `path-not-found` when it does
 * not exist.
 */
export async function confinedPath(root: string, relative: string): Promise<string> {
  if (relative.includes('\0') || path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative))
    throw outside(relative);
  const joined = path.resolve(root, relative);
  if (!isInside(root, joined)) throw outside(relative);
  let real: string;
  try {
    real = await realpath(joined);
  } catch {
    throw new ConfinedPathError('path-not-found', relative, `no such file or folder '${relative}'`);
  }
  if (!isInside(root, real)) throw outside(relative);
  return real;
}

/** Whether `target` is `root` or below it (both absolute, normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

function outside(relative: string): ConfinedPathError {
  return new ConfinedPathError('path-outside', relative, `'${relative}' is outside the dashboard folder`);
}
