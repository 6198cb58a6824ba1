/**
 * Writing a DAG task in any supported format, to a string or atomically to a file.
 */
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { Dag } from '../dag-task.js';
import { detectFormat, type DagFormat } from './dag-format.js';
import { formatDotDag } from './dot-format.js';
import { formatJsonDag } from './json-format.js';
import { formatStgDag } from './stg-format.js';

/** The text of a DAG task in the given format (each writer ends it with a newline). */
export function formatDag(dag: Dag, format: DagFormat): string {
  switch (format) {
    case 'json':
      return formatJsonDag(dag);
    case 'stg':
      return formatStgDag(dag);
    case 'dot':
      return formatDotDag(dag);
  }
}

/**
 * Writes a DAG task file atomically: the text goes to a temporary file in the same folder, which
 * is then renamed over `path`, so readers never see a half-written file. The format defaults to
 * the one the extension names (see {@link detectFormat}); missing parent folders are created.
 */
export async function writeDagFile(path: string, dag: Dag, format?: DagFormat): Promise<void> {
  await writeFileAtomic(path, formatDag(dag, format ?? detectFormat(path)));
}
