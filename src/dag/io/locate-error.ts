/**
 * Line numbers for graph errors found in text formats: a {@link buildDag} error is re-thrown with the
 * line where its node or edge was written.
 */
import { ValidationError } from '../../core/errors.js';
import { buildDag, type BuildDagOptions } from '../build-dag.js';
import type { Dag, DagTaskSpec } from '../dag-task.js';

/**
 * {@link buildDag} for text formats: a graph-level error (cycle, WCET, self-loop, …) is re-thrown
 * with the line where its item was written, looked up by the item text (`node 'v3'`,
 * `edge a -> b`) in `lineOf`. Errors whose item has no known line are re-thrown unchanged.
 */
export function buildDagWithLines(
  spec: DagTaskSpec,
  options: BuildDagOptions,
  lineOf: ReadonlyMap<string, number>,
): Dag {
  try {
    return buildDag(spec, options);
  } catch (e) {
    if (!(e instanceof ValidationError) || e.item === undefined || e.line !== undefined) throw e;
    const line = lineOf.get(e.item);
    if (line === undefined) throw e;
    // buildDag never sets a line, so its message is exactly `file: item: rule: detail`.
    const prefix = [e.file, e.item, e.rule].filter((p) => p !== undefined).join(': ') + ': ';
    if (!e.message.startsWith(prefix)) throw e;
    throw new ValidationError(e.rule, e.message.slice(prefix.length), {
      ...(e.file !== undefined && { file: e.file }),
      line,
      item: e.item,
    });
  }
}

/** The stem of a file name (`dir/ex1.dot` → `ex1`), used as the default task name. */
export function fileStem(source: string | undefined): string | undefined {
  // In-memory labels such as `<json>` are not file names.
  if (source === undefined || source.startsWith('<')) return undefined;
  const base = source.split(/[\\/]/).pop() ?? source;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.length > 0 ? stem : undefined;
}
