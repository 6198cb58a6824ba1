import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import { ValidationError } from '../../../src/core/errors.js';
import { buildDag, dagToSpec } from '../../../src/dag/build-dag.js';
import type { Dag, DagTaskSpec, NodeId } from '../../../src/dag/dag-task.js';
import { arbDag } from '../../helpers/random-dag.js';

/** The repository root (this file is test/dag/io/…). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The sample task graphs shipped in the repository (EGS example, Kasahara STG samples). */
export const dataDir = path.resolve(repoRoot, 'examples', 'dag');
/** Whether {@link dataDir} exists (always, in a checkout; guards a trimmed package). */
export const hasData = existsSync(dataDir);

/** Runs `fn` and returns the ValidationError it throws (fails the test otherwise). */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** Async version of {@link validationErrorOf}. */
export async function validationErrorOfAsync(fn: () => Promise<unknown>): Promise<ValidationError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** The spec of a DAG with nodes keyed by id and edges sorted: equal for equal graphs in any order. */
export function unorderedSpec(dag: Dag, options: { extras?: boolean } = {}): unknown {
  const spec = dagToSpec(dag);
  const nodes = spec.nodes
    .map((node) => (options.extras === false ? { id: node.id, wcet: node.wcet, type: node.type } : node))
    .sort((a, b) => key(a.id).localeCompare(key(b.id)));
  const edges = spec.edges.map(([a, b]) => `${key(a)} -> ${key(b)}`).sort();
  return { name: spec.name, deadline: spec.deadline, nodes, edges };
}

function key(id: NodeId): string {
  return `${typeof id}:${String(id)}`;
}

/** How random DAGs name their nodes in {@link arbIoDag}. */
export type IdStyle = 'plain' | 'int' | 'odd' | 'stg';

/**
 * Random DAG tasks for round-trip properties: the ids of {@link arbDag} rewritten in one of four
 * styles (`v3`; scattered integers; strings with spaces, quotes and `#`; STG-shaped `0 … n+1` with
 * zero-WCET entry and exit), optional node types, optional `label` extras and fractional WCETs.
 */
export function arbIoDag(
  options: { styles?: IdStyle[]; types?: boolean; labels?: boolean } = {},
): fc.Arbitrary<Dag> {
  const styles = options.styles ?? ['plain', 'int', 'odd', 'stg'];
  return fc
    .record({
      dag: arbDag({ minNodes: 1, maxNodes: 12, maxWcet: 20, slack: [0, 1] }),
      style: fc.constantFrom(...styles),
      typed: options.types ? fc.boolean() : fc.constant(false),
      labelled: options.labels ? fc.boolean() : fc.constant(false),
      halves: fc.boolean(),
      deadline: fc.boolean(),
    })
    .map(({ dag, style, typed, labelled, halves, deadline }) => {
      const spec = dagToSpec(dag);
      if (!deadline) delete spec.deadline;
      if (halves) for (const node of spec.nodes) node.wcet += 0.5;
      if (style === 'stg') return buildDag(stgShaped(spec));
      const rename = (i: number): NodeId =>
        style === 'plain' ? `v${i}` : style === 'int' ? 1000 - 7 * i : `n ${i} "x"#`;
      const index = new Map(spec.nodes.map((node, i) => [String(node.id), i]));
      spec.nodes = spec.nodes.map((node, i) => ({
        ...node,
        id: rename(i),
        ...(typed && { type: i % 2 === 0 ? 'big' : 'LITTLE' }),
        ...(labelled && { label: `task ${i}` }),
      }));
      spec.edges = spec.edges.map(([a, b]) => [rename(index.get(String(a))!), rename(index.get(String(b))!)]);
      return buildDag(spec);
    });
}

/** Adds a zero-WCET entry 0 before every source and exit n+1 after every sink; ids become 0 … n+1. */
function stgShaped(spec: DagTaskSpec): DagTaskSpec {
  const n = spec.nodes.length;
  const index = new Map(spec.nodes.map((node, i) => [String(node.id), i + 1]));
  const edges: [NodeId, NodeId][] = spec.edges.map(([a, b]) => [
    index.get(String(a))!,
    index.get(String(b))!,
  ]);
  const hasPred = new Set(edges.map(([, b]) => b));
  const hasSucc = new Set(edges.map(([a]) => a));
  for (let i = 1; i <= n; i++) {
    if (!hasPred.has(i)) edges.push([0, i]);
    if (!hasSucc.has(i)) edges.push([i, n + 1]);
  }
  return {
    ...spec,
    nodes: [
      { id: 0, wcet: 0 },
      ...spec.nodes.map((node, i) => ({ id: i + 1, wcet: node.wcet })),
      { id: n + 1, wcet: 0 },
    ],
    edges,
  };
}

/** The numbers of an STG text, line by line, without comments and blank lines. */
export function stgNumbers(text: string): number[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/).map(Number));
}
