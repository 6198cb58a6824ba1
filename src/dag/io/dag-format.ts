/**
 * The DAG task file formats (JSON, STG, DOT) and how a file's format is told from its extension.
 */
import { extname } from 'node:path';
import { ValidationError } from '../../core/errors.js';

/** The DAG task file formats Arbiter reads and writes. */
export type DagFormat = 'json' | 'stg' | 'dot';

/** Every {@link DagFormat}, in the order they are documented. */
export const DAG_FORMATS: readonly DagFormat[] = ['json', 'stg', 'dot'];

const BY_EXTENSION: Readonly<Record<string, DagFormat>> = {
  '.json': 'json',
  '.stg': 'stg',
  '.dot': 'dot',
  '.gv': 'dot',
};

/** True when `value` names a {@link DagFormat} (e.g. a CLI option). */
export function isDagFormat(value: string): value is DagFormat {
  return (DAG_FORMATS as readonly string[]).includes(value);
}

/**
 * The format of a DAG task file from its extension: `.json`, `.stg`, `.dot` or `.gv`
 * (case-insensitive). Throws a {@link ValidationError} (rule `file-format`) otherwise.
 */
export function detectFormat(path: string): DagFormat {
  const ext = extname(path).toLowerCase();
  const format = BY_EXTENSION[ext];
  if (format === undefined) {
    throw new ValidationError(
      'file-format',
      `cannot tell the format from the extension ${ext === '' ? '(none)' : `'${ext}'`}; ` +
        'use .json, .stg, .dot or .gv, or name the format explicitly',
      { file: path },
    );
  }
  return format;
}
