/**
 * Reading a DAG task file in any supported format, with every problem (unreadable file, unknown
 * extension, bad contents) a {@link ValidationError} naming the file.
 */
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../core/errors.js';
import type { Dag } from '../dag-task.js';
import { detectFormat, type DagFormat } from './dag-format.js';
import { parseDotDag } from './dot-format.js';
import { parseJsonDag } from './json-format.js';
import { parseStgDag } from './stg-format.js';

/** Options of {@link readDagFile}. */
export interface ReadDagFileOptions {
  /** The file format; by default taken from the extension (see {@link detectFormat}). */
  format?: DagFormat;
}

/**
 * Reads and validates a DAG task file (JSON, STG or DOT). Every problem is a
 * {@link ValidationError} naming the file: rule `file` when it cannot be read (not found, a
 * folder, no permission), `file-format` for an unknown extension, and the format's own rules
 * (with line numbers) for its contents.
 */
export async function readDagFile(path: string, options: ReadDagFileOptions = {}): Promise<Dag> {
  const format = options.format ?? detectFormat(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const detail =
      code === 'ENOENT'
        ? `no such file '${path}'`
        : code === 'EISDIR'
          ? `'${path}' is a folder, not a DAG task file`
          : `cannot read '${path}': ${(e as Error).message}`;
    throw new ValidationError('file', detail, { file: path });
  }
  return parseDag(text, format, path);
}

/**
 * Parses DAG task text in the given format. `source` names the input in error messages (a file
 * name, or a label such as `<stdin>`) and, for a file name, gives the default task name.
 */
export function parseDag(text: string, format: DagFormat, source?: string): Dag {
  switch (format) {
    case 'json':
      return parseJsonDag(text, source);
    case 'stg':
      return parseStgDag(text, source);
    case 'dot':
      return parseDotDag(text, source);
  }
}
