/**
 * The canonical JSON format of a DAG task: reading it (with line and column for malformed JSON) and
 * writing it one node and one edge per line, unknown keys kept.
 */
import { ValidationError } from '../../core/errors.js';
import { buildDag, dagToSpec } from '../build-dag.js';
import type { Dag, DagTaskSpec } from '../dag-task.js';
import { findJsonSyntaxError } from './json-syntax-error.js';
import { fileStem } from './locate-error.js';

/**
 * Reads a DAG task in the canonical JSON format. Malformed JSON is reported with its
 * line and column (rule `json-syntax`); a wrong shape (not an object, `nodes` not an array of
 * objects, an edge that is not a pair of ids) with rule `format`; every graph rule is then
 * checked by {@link buildDag}. Unknown keys are preserved. `source` names the file in messages
 * and, when the task has no `name`, gives its default name (the file stem).
 */
export function parseJsonDag(text: string, source?: string): Dag {
  const where = source !== undefined ? { file: source } : {};
  // A UTF-8 byte-order mark is legal in files but not in JSON.parse.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw jsonSyntaxError(body, e, where);
  }
  checkShape(value, where);
  const stem = fileStem(source);
  return buildDag(value, {
    ...(source !== undefined && { source }),
    ...(stem !== undefined && { defaultName: stem }),
  });
}

/**
 * Writes a DAG task as canonical JSON: two-space indentation with one node and one edge per
 * line (so that diffs show which node or edge changed); unknown keys are kept. Ends with a
 * newline.
 */
export function formatJsonDag(dag: Dag): string {
  const { name, deadline, nodes, edges, ...extras } = dagToSpec(dag);
  const lines: string[] = [];
  const field = (key: string, json: string): void => {
    lines.push(`  ${JSON.stringify(key)}: ${json}`);
  };
  field('name', JSON.stringify(name));
  if (deadline !== undefined) field('deadline', JSON.stringify(deadline));
  for (const [key, v] of Object.entries(extras)) {
    if (v !== undefined) field(key, JSON.stringify(v, null, 2).replace(/\n/g, '\n  '));
  }
  field('nodes', listBlock(nodes.map(inlineJson)));
  field('edges', listBlock(edges.map(inlineJson)));
  return `{\n${lines.join(',\n')}\n}\n`;
}

function listBlock(items: string[]): string {
  return items.length === 0 ? '[]' : `[\n${items.map((s) => `    ${s}`).join(',\n')}\n  ]`;
}

/** JSON on one line with a space after `:` and `,`: `{"id": "v0", "wcet": 1}`. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
    return `{${parts.join(', ')}}`;
  }
  // JSON.stringify turns NaN/Infinity into null, as JSON must; buildDag never lets them in.
  return JSON.stringify(value) ?? 'null';
}

function jsonSyntaxError(text: string, cause: unknown, where: { file?: string }): ValidationError {
  let problem: ReturnType<typeof findJsonSyntaxError>;
  try {
    problem = findJsonSyntaxError(text);
  } catch {
    problem = undefined; // e.g. nesting deeper than the stack; fall back to V8's message
  }
  if (problem !== undefined) {
    return new ValidationError('json-syntax', `${problem.message} (column ${problem.column})`, {
      ...where,
      line: problem.line,
    });
  }
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ValidationError('json-syntax', detail, where);
}

/** Shape checks buildDag cannot phrase as well: what the top level, a node and an edge must be. */
function checkShape(value: unknown, where: { file?: string }): asserts value is DagTaskSpec {
  const fail = (detail: string, item: string): never => {
    throw new ValidationError('format', detail, { ...where, item });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`a DAG task must be a JSON object {"nodes": [...], "edges": [...]}, got ${kindOf(value)}`, 'task');
  }
  const task = value as Record<string, unknown>;
  if (!Array.isArray(task.nodes))
    fail(`"nodes" must be an array of nodes, got ${kindOf(task.nodes)}`, 'nodes');
  if (!Array.isArray(task.edges)) {
    fail(`"edges" must be an array of [from, to] pairs, got ${kindOf(task.edges)}`, 'edges');
  }
  (task.nodes as unknown[]).forEach((node, i) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node))
      fail(`a node must be an object {"id": ..., "wcet": ...}, got ${kindOf(node)}`, `node #${i}`);
  });
  (task.edges as unknown[]).forEach((edge, k) => {
    if (!Array.isArray(edge) || edge.length !== 2) {
      fail(`an edge must be a pair [from, to], got ${JSON.stringify(edge)}`, `edge #${k}`);
    }
    for (const end of edge as unknown[]) {
      if (typeof end !== 'string' && typeof end !== 'number') {
        fail(
          `edge endpoints must be node ids (strings or integers), got ${JSON.stringify(end)}`,
          `edge #${k}`,
        );
      }
    }
  });
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
