/**
 * Validation of a DAG task spec and its indexed form {@link Dag}: every rule of the DAG task
 * formats is checked once here, so every reader and generator gives the same errors, plus the
 * conversions back to a spec and copies with another deadline or extra edges.
 */
import { ValidationError } from '../core/errors.js';
import { describeEdge, describeNode, type Dag, type DagTaskSpec, type NodeId } from './dag-task.js';
import { MAX_TIME } from './time-tolerance.js';

/** Options of {@link buildDag}. */
export interface BuildDagOptions {
  /** File name (or other label) used in error messages. */
  source?: string;
  /** Name used when the spec has none. */
  defaultName?: string;
}

const NODE_KEYS = new Set(['id', 'wcet', 'type']);
const TASK_KEYS = new Set(['name', 'deadline', 'nodes', 'edges']);

/** `2^53 − 1 (≈ 9.007e15)`: {@link MAX_TIME} as messages name it. */
const MAX_TIME_TEXT = '2^53 − 1 (≈ 9.007e15)';

/**
 * What is wrong with a deadline value, or `undefined` when it is one: a finite number with
 * `0 < D ≤ MAX_TIME` (2⁵³ − 1). The one deadline rule of every loader and entry point.
 */
export function deadlineProblem(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    return `deadline must be a finite number > 0, got ${describeValue(value)}`;
  if (value > MAX_TIME)
    return `deadline must be at most ${MAX_TIME_TEXT}, got ${value}; use a coarser time unit`;
  return undefined;
}

/** A value for messages; a non-finite number (JSON reads 1e309 as Infinity) says so. */
function describeValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value))
    return `${value}, which is not a finite number${Number.isNaN(value) ? '' : ' (numbers beyond ±1.8e308, such as 1e309, read as Infinity)'}`;
  return JSON.stringify(value ?? null);
}

/**
 * Validates a DAG task spec and builds its indexed form. Applies every rule of the DAG task formats: empty
 * graph, ids, duplicate ids, WCET (finite, ≥ 0; 0 only on a source or sink), deadline (> 0),
 * dangling endpoints, self-loops, cycles (one cycle is named); duplicate edges are merged with a
 * warning. Input limits: every time (each WCET, their sum vol(G), D) is at most
 * {@link MAX_TIME} = 2⁵³ − 1 (rules `wcet`, `volume`, `deadline`), so no sum overflows and integer
 * times stay exact. A task whose WCETs are all 0 is valid (it needs no processor time: one core
 * meets any deadline) and gets a `zero-work` warning. Throws {@link ValidationError} naming the
 * file, the item and the rule.
 */
export function buildDag(spec: DagTaskSpec, options: BuildDagOptions = {}): Dag {
  const file = options.source;
  const fail = (rule: string, detail: string, item?: string): never => {
    throw new ValidationError(rule, detail, {
      ...(file !== undefined && { file }),
      ...(item !== undefined && { item }),
    });
  };
  if (spec === null || typeof spec !== 'object') fail('format', 'a DAG task must be an object');
  if (!Array.isArray(spec.nodes)) fail('format', '"nodes" must be an array', 'nodes');
  if (!Array.isArray(spec.edges)) fail('format', '"edges" must be an array', 'edges');
  if (spec.nodes.length === 0) fail('empty-graph', 'the task has no nodes', 'nodes');
  if (spec.name !== undefined && typeof spec.name !== 'string')
    fail('format', '"name" must be a string', 'name');

  let deadline: number | undefined;
  if (spec.deadline !== undefined && spec.deadline !== null) {
    const problem = deadlineProblem(spec.deadline);
    if (problem !== undefined) fail('deadline', problem, 'deadline');
    deadline = spec.deadline as number;
  }

  const n = spec.nodes.length;
  const ids: NodeId[] = [];
  const wcet = new Float64Array(n);
  const types: (string | undefined)[] = [];
  const nodeExtras: (Record<string, unknown> | undefined)[] = [];
  const indexOf = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    const where = `node #${i}`;
    if (node === null || typeof node !== 'object')
      fail('format', 'a node must be an object {id, wcet}', where);
    const id = node.id;
    if (!(typeof id === 'string' && id.length > 0) && !(typeof id === 'number' && Number.isInteger(id))) {
      fail('node-id', `id must be a non-empty string or an integer, got ${JSON.stringify(id)}`, where);
    }
    const key = String(id);
    const prior = indexOf.get(key);
    if (prior !== undefined)
      fail('duplicate-id', `id is used by node #${prior} and node #${i}`, describeNode(id));
    if (typeof node.wcet !== 'number' || !Number.isFinite(node.wcet) || node.wcet < 0)
      fail('wcet', `wcet must be a finite number >= 0, got ${describeValue(node.wcet)}`, describeNode(id));
    if (node.wcet > MAX_TIME) {
      fail(
        'wcet',
        `wcet must be at most ${MAX_TIME_TEXT}, got ${node.wcet}; use a coarser time unit`,
        describeNode(id),
      );
    }
    if (node.type !== undefined && typeof node.type !== 'string')
      fail('node-type', '"type" must be a string', describeNode(id));
    indexOf.set(key, i);
    ids.push(id);
    wcet[i] = node.wcet;
    types.push(node.type);
    nodeExtras.push(pickExtras(node, NODE_KEYS));
  });

  let volume = 0;
  for (let i = 0; i < n; i++) volume += wcet[i]!;
  if (!(volume <= MAX_TIME)) {
    fail(
      'volume',
      `the sum of the WCETs, vol(G), must be at most ${MAX_TIME_TEXT}, got ${volume}; use a coarser time unit`,
      'nodes',
    );
  }

  const warnings: string[] = [];
  if (volume === 0) {
    warnings.push(
      `${file !== undefined ? `${file}: ` : ''}nodes: zero-work: every wcet is 0, so the task needs no processor time; 1 core meets any deadline`,
    );
  }
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  const edges: [number, number][] = [];
  const seen = new Set<number>();
  spec.edges.forEach((edge, k) => {
    if (!Array.isArray(edge) || edge.length !== 2)
      fail('format', 'an edge must be a pair [from, to]', `edge #${k}`);
    const [a, b] = edge;
    const item = describeEdge(a, b);
    const u = indexOf.get(String(a));
    const v = indexOf.get(String(b));
    if (u === undefined) fail('dangling-edge', `endpoint ${JSON.stringify(a)} is not a node`, item);
    if (v === undefined) fail('dangling-edge', `endpoint ${JSON.stringify(b)} is not a node`, item);
    if (u === v) fail('self-loop', 'a node cannot precede itself', item);
    const code = (u as number) * n + (v as number);
    if (seen.has(code)) {
      warnings.push(
        `${file !== undefined ? `${file}: ` : ''}${item}: duplicate-edge: merged with the earlier identical edge`,
      );
      return;
    }
    seen.add(code);
    succ[u as number]!.push(v as number);
    pred[v as number]!.push(u as number);
    edges.push([u as number, v as number]);
  });

  const topoOrder = topologicalOrder(n, succ, pred);
  if (topoOrder === undefined) {
    const cycle = findCycle(n, succ);
    const names = cycle.map((i) => String(ids[i]));
    fail(
      'cycle',
      `the graph has a cycle: ${[...names, names[0]].join(' -> ')}`,
      describeNode(ids[cycle[0]!]!),
    );
  }

  for (let i = 0; i < n; i++) {
    if (wcet[i] === 0 && pred[i]!.length > 0 && succ[i]!.length > 0) {
      fail(
        'wcet',
        'wcet 0 is allowed only on dummy source or sink nodes (no predecessors or no successors)',
        describeNode(ids[i]!),
      );
    }
  }

  return {
    name: spec.name ?? options.defaultName ?? 'dag',
    deadline,
    n,
    ids,
    wcet,
    types,
    succ,
    pred,
    edges,
    topoOrder: topoOrder as Int32Array,
    indexOf,
    nodeExtras,
    extras: pickExtras(spec, TASK_KEYS),
    warnings,
    source: file,
  };
}

/** Converts a {@link Dag} back to the canonical JSON spec, preserving unknown keys. */
export function dagToSpec(dag: Dag): DagTaskSpec {
  const spec: DagTaskSpec = {
    ...(dag.extras ?? {}),
    name: dag.name,
    ...(dag.deadline !== undefined && { deadline: dag.deadline }),
    nodes: dag.ids.map((id, i) => ({
      id,
      wcet: dag.wcet[i]!,
      ...(dag.types[i] !== undefined && { type: dag.types[i] }),
      ...(dag.nodeExtras[i] ?? {}),
    })),
    edges: dag.edges.map(([u, v]) => [dag.ids[u]!, dag.ids[v]!]),
  };
  return spec;
}

/** Returns a copy of the DAG with another deadline. */
export function withDeadline(dag: Dag, deadline: number | undefined): Dag {
  const spec = dagToSpec(dag);
  if (deadline === undefined) delete spec.deadline;
  else spec.deadline = deadline;
  return buildDag(spec, { ...(dag.source !== undefined && { source: dag.source }) });
}

/** Returns a copy of the DAG with extra edges (node indices); throws if they close a cycle. */
export function withEdges(dag: Dag, extra: readonly (readonly [number, number])[]): Dag {
  const spec = dagToSpec(dag);
  for (const [u, v] of extra) spec.edges.push([dag.ids[u]!, dag.ids[v]!]);
  return buildDag(spec, { ...(dag.source !== undefined && { source: dag.source }) });
}

function pickExtras(obj: object, known: Set<string>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (known.has(k)) continue;
    (out ??= {})[k] = v;
  }
  return out;
}

/** Kahn's algorithm; smallest ready index first so the order is deterministic. */
function topologicalOrder(n: number, succ: number[][], pred: number[][]): Int32Array | undefined {
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = pred[i]!.length;
  const order = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  let head = 0;
  while (head < queue.length) {
    const u = queue[head++]!;
    order[head - 1] = u;
    for (const v of succ[u]!) if (--indeg[v]! === 0) queue.push(v);
  }
  return head === n ? order : undefined;
}

/** Finds one directed cycle (as node indices, in order) in a graph known to have one. */
function findCycle(n: number, succ: number[][]): number[] {
  const color = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const parent = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (color[s] !== 0) continue;
    const stack: [number, number][] = [[s, 0]];
    color[s] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [u, k] = top;
      if (k < succ[u]!.length) {
        top[1] = k + 1;
        const v = succ[u]![k]!;
        if (color[v] === 0) {
          color[v] = 1;
          parent[v] = u;
          stack.push([v, 0]);
        } else if (color[v] === 1) {
          const cycle = [v];
          for (let w = u; w !== v; w = parent[w]!) cycle.push(w);
          cycle.push(v);
          cycle.reverse();
          cycle.pop();
          return cycle;
        }
      } else {
        color[u] = 2;
        stack.pop();
      }
    }
  }
  return [];
}
