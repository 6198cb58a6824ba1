/**
 * The DAG task model: the plain JSON-shaped spec users write, and the validated, indexed form
 * that every analysis and scheduler works on.
 */

/** A node identifier as written by the user: a string or an integer. */
export type NodeId = string | number;

/** One node of a DAG task as written in the canonical JSON format. */
export interface DagNodeSpec {
  /** Unique identifier (string or integer). */
  id: NodeId;
  /** Worst-case execution time, a finite number ≥ 0 (0 only for dummy source/sink nodes). */
  wcet: number;
  /** Optional task type, used by heterogeneous environments. */
  type?: string;
  /** Unknown keys are preserved through every reader and writer. */
  [key: string]: unknown;
}

/** A DAG task `(G, D)` in the canonical JSON format. */
export interface DagTaskSpec {
  /** Optional name of the task. */
  name?: string;
  /** Optional relative deadline D > 0, in the same time unit as the WCETs. */
  deadline?: number;
  /** The nodes (subtasks). */
  nodes: DagNodeSpec[];
  /** Precedence edges `[from, to]`: `to` may start only after `from` finished. */
  edges: [NodeId, NodeId][];
  /** Unknown keys are preserved. */
  [key: string]: unknown;
}

/**
 * A validated DAG task with nodes numbered `0 … n-1` in input order. Immutable: functions that
 * change the graph (e.g. adding edges) return a new `Dag`.
 */
export interface Dag {
  /** Task name (file stem when read from a file without a name). */
  readonly name: string;
  /** Relative deadline D, if the task has one. */
  readonly deadline: number | undefined;
  /** Number of nodes. */
  readonly n: number;
  /** User identifiers, by node index. */
  readonly ids: readonly NodeId[];
  /** WCET by node index. */
  readonly wcet: Float64Array;
  /** Optional node types, by node index. */
  readonly types: readonly (string | undefined)[];
  /** Successor lists (node indices), by node index; no duplicates. */
  readonly succ: readonly (readonly number[])[];
  /** Predecessor lists (node indices), by node index; no duplicates. */
  readonly pred: readonly (readonly number[])[];
  /** All edges as `[from, to]` index pairs, in input order, duplicates merged. */
  readonly edges: readonly (readonly [number, number])[];
  /** A topological order of the node indices. */
  readonly topoOrder: Int32Array;
  /** Node index by `String(id)`. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** Unknown per-node keys, preserved for writers. */
  readonly nodeExtras: readonly (Readonly<Record<string, unknown>> | undefined)[];
  /** Unknown top-level keys, preserved for writers. */
  readonly extras: Readonly<Record<string, unknown>> | undefined;
  /** Non-fatal findings (e.g. merged duplicate edges). */
  readonly warnings: readonly string[];
  /** Where the task came from (file name), for messages. */
  readonly source: string | undefined;
}

/** Formats a node for messages: `node 'v3'` for string ids, `node 3` for integer ids. */
export function describeNode(id: NodeId): string {
  return typeof id === 'number' ? `node ${id}` : `node '${id}'`;
}

/** Formats an edge for messages: `edge v1 -> v3`. */
export function describeEdge(from: NodeId, to: NodeId): string {
  return `edge ${String(from)} -> ${String(to)}`;
}
