/**
 * Readers of the input format of IBM's STOMP simulator, so that its users can bring their
 * workloads to the HSoC environment. Per DAG type STOMP takes two files, plus one arrival trace:
 *
 * - a GraphML DAG (`dag{T}.graphml`): directed `<node id="k">` elements with integer ids 0 … n−1
 *   and `<edge source="a" target="b"/>` precedences (node data such as `t` or `server_id` are kept
 *   as `stompData` on the node);
 * - a computation CSV (`dag_{T}.txt`): a header line, then one row per task in node-id order:
 *   `task type, sub-deadline ratio, time on server type 1, …, time on server type m`, where `None`
 *   means the server type cannot run the task;
 * - an arrival trace (`.trc`): one line per DAG job, `arrival time, id, DAG type, criticality,
 *   deadline` (relative deadline).
 *
 * Server-type columns follow STOMP's server ids; the caller maps them to Arbiter PE types
 * (STOMP's power configuration: `cpu_core, gpu, fft_accel` = `cpu, gpu, fft`). Every problem is a
 * {@link ValidationError} naming the file, the line or item, and the rule.
 */
import { ValidationError, type InputLocation } from '../../core/errors.js';
import type { DagNodeSpec, DagTaskSpec } from '../../dag/dag-task.js';
import type { PeType } from './hsoc-platform.js';

/** One row of a computation CSV. */
export interface StompComputationRow {
  /** Task type (e.g. `fft_256`). */
  type: string;
  /** Sub-deadline ratio, in [0, 1]. */
  subDeadline: number;
  /** Time per server-type column; null = cannot run there. */
  times: (number | null)[];
  /** 1-based line in the file. */
  line: number;
}

/** A GraphML DAG as read: nodes in document order with their data, and the edges. */
export interface StompGraph {
  /** Nodes: id, line, data by attribute name. */
  nodes: { id: string; line: number; data: Record<string, string> }[];
  /** Edges: source and target ids, line. */
  edges: { source: string; target: string; line: number }[];
}

/** One job of an arrival trace. */
export interface StompArrival {
  /** Arrival time. */
  arrival: number;
  /** Job id (unique in the trace). */
  id: number;
  /** DAG type (selects the GraphML and computation files). */
  dagType: string;
  /** Criticality level (STOMP: 1 = normal; higher = more critical). */
  criticality: number;
  /** Relative deadline. */
  deadline: number;
  /** 1-based line in the file. */
  line: number;
}

/** A strict decimal number (no empty strings, hex or trailing garbage). */
function parseDecimal(s: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN;
}

/** Non-empty lines with their 1-based numbers (comments `#…` and blank lines skipped). */
function contentLines(text: string): { text: string; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
}

/**
 * Reads a computation CSV with `servers` server-type columns: the first line is a header
 * (skipped, as STOMP does), then one row per task.
 */
export function parseStompComputationCsv(text: string, file: string, servers: number): StompComputationRow[] {
  const lines = contentLines(text);
  if (lines.length === 0)
    throw new ValidationError('csv-header', 'empty file: expected a header line', { file });
  return lines.slice(1).map(({ text: t, line }) => {
    const cells = t.split(',').map((c) => c.trim());
    const where = { file, line };
    if (cells.length !== 2 + servers)
      throw new ValidationError(
        'csv-columns',
        `expected ${2 + servers} columns (task type, sub-deadline ratio, ${servers} server times), got ${cells.length}`,
        where,
      );
    const [type, sdr, ...rest] = cells as [string, string, ...string[]];
    if (type === '') throw new ValidationError('task-type', 'empty task type', where);
    const subDeadline = parseDecimal(sdr);
    if (!(subDeadline >= 0 && subDeadline <= 1))
      throw new ValidationError(
        'sub-deadline',
        `sub-deadline ratio must be a number in [0, 1], got '${sdr}'`,
        where,
      );
    const times = rest.map((c, k) => {
      if (c === 'None') return null;
      const x = parseDecimal(c);
      if (!(x > 0 && Number.isFinite(x)))
        throw new ValidationError(
          'server-time',
          `time on server type ${k + 1} must be a number > 0 or None, got '${c}'`,
          where,
        );
      return x;
    });
    if (times.every((x) => x === null))
      throw new ValidationError(
        'server-time',
        `task type '${type}' can run on no server type (all None)`,
        where,
      );
    return { type, subDeadline, times, line };
  });
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : XML_ENTITIES[e]!,
  );
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g))
    out[m[1]!] = unescapeXml(m[3] ?? m[4] ?? '');
  return out;
}

/**
 * Reads a GraphML DAG (the subset STOMP writes: `key`, `graph`, `node`, `data`, `edge`). Throws
 * for a malformed document, an undirected graph, duplicate node ids or edges to unknown nodes.
 */
export function parseStompGraphml(text: string, file: string): StompGraph {
  const lineAt = (pos: number): number => text.slice(0, pos).split('\n').length;
  const keys = new Map<string, string>();
  const nodes: StompGraph['nodes'] = [];
  const edges: StompGraph['edges'] = [];
  const seen = new Set<string>();
  let sawGraph = false;
  let node: StompGraph['nodes'][number] | undefined;
  let dataKey: string | undefined;
  let dataStart = 0;
  const body = text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)([^>]*?)(\/?)>/g)) {
    const [, close, tag, rawAttrs, selfClose] = m;
    const pos = m.index;
    const where = { file, line: lineAt(pos) };
    const attrs = attributes(rawAttrs!);
    if (close) {
      if (tag === 'node') node = undefined;
      else if (tag === 'data' && dataKey !== undefined) {
        if (node) node.data[keys.get(dataKey) ?? dataKey] = unescapeXml(body.slice(dataStart, pos).trim());
        dataKey = undefined;
      }
      continue;
    }
    if (tag === 'key' && attrs['id'] !== undefined) keys.set(attrs['id'], attrs['attr.name'] ?? attrs['id']);
    else if (tag === 'graph') {
      if (attrs['edgedefault'] === 'undirected')
        throw new ValidationError(
          'graphml-undirected',
          'the graph must be directed (edgedefault="directed")',
          where,
        );
      sawGraph = true;
    } else if (tag === 'node') {
      const id = attrs['id'];
      if (id === undefined) throw new ValidationError('graphml-node', '<node> without an id', where);
      if (seen.has(id)) throw new ValidationError('duplicate-node', `node id '${id}' appears twice`, where);
      seen.add(id);
      const n = { id, line: where.line, data: {} };
      nodes.push(n);
      if (!selfClose) node = n;
    } else if (tag === 'data' && !selfClose) {
      dataKey = attrs['key'];
      dataStart = pos + m[0].length;
    } else if (tag === 'edge') {
      const { source, target } = attrs;
      if (source === undefined || target === undefined)
        throw new ValidationError('graphml-edge', '<edge> needs a source and a target', where);
      edges.push({ source, target, line: where.line });
    }
  }
  if (!sawGraph)
    throw new ValidationError('graphml-graph', 'no <graph> element: not a GraphML file', { file });
  for (const e of edges)
    for (const end of [e.source, e.target])
      if (!seen.has(end))
        throw new ValidationError(
          'dangling-edge',
          `edge ${e.source} -> ${e.target} names unknown node '${end}'`,
          {
            file,
            line: e.line,
          },
        );
  return { nodes, edges };
}

/**
 * Checks that a trace's arrivals do not go back in time; returns the arrival (the new `last`).
 * Throws `ValidationError('arrival-order')` at `where` otherwise.
 */
export function checkArrivalOrder(arrival: number, last: number, where: InputLocation): number {
  if (arrival < last)
    throw new ValidationError(
      'arrival-order',
      `arrival ${arrival} is before the previous one (${last})`,
      where,
    );
  return arrival;
}

/** Reads an arrival trace: `arrival time, id, DAG type, criticality, deadline` per line. */
export function parseStompTrace(text: string, file: string): StompArrival[] {
  const ids = new Set<number>();
  let last = 0;
  return contentLines(text).map(({ text: t, line }) => {
    const cells = t.split(',').map((c) => c.trim());
    const where = { file, line };
    if (cells.length !== 5)
      throw new ValidationError(
        'trace-columns',
        `expected 5 columns (arrival time, id, DAG type, criticality, deadline), got ${cells.length}`,
        where,
      );
    const [a, i, dagType, c, d] = cells as [string, string, string, string, string];
    const arrival = parseDecimal(a);
    const id = parseDecimal(i);
    const criticality = parseDecimal(c);
    const deadline = parseDecimal(d);
    if (!(arrival >= 0))
      throw new ValidationError('arrival', `arrival time must be a number ≥ 0, got '${a}'`, where);
    last = checkArrivalOrder(arrival, last, where);
    if (!(Number.isInteger(id) && id >= 0))
      throw new ValidationError('job-id', `id must be an integer ≥ 0, got '${i}'`, where);
    if (ids.has(id)) throw new ValidationError('job-id', `id ${id} appears twice`, where);
    ids.add(id);
    if (!/^[\w.-]+$/.test(dagType))
      throw new ValidationError(
        'dag-type',
        `DAG type must be a name of letters, digits, '_', '.', '-', got '${dagType}'`,
        where,
      );
    if (!(Number.isInteger(criticality) && criticality >= 0))
      throw new ValidationError('criticality', `criticality must be an integer ≥ 0, got '${c}'`, where);
    if (!(deadline > 0))
      throw new ValidationError('deadline', `deadline must be a number > 0, got '${d}'`, where);
    return { arrival, id, dagType, criticality, deadline, line };
  });
}

/**
 * One DAG type as an Arbiter DAG spec with per-type profiles: node k gets row k of the
 * computation CSV (nodes ordered by their integer ids 0 … n−1, as STOMP indexes them),
 * `times` per mapped PE type (columns mapped to null are dropped), `subDeadline`, and
 * `wcet` = its best-case time (STOMP ranks and splits deadlines on best-case times).
 *
 * @param servers - PE type of each server-type column, or null to ignore a column
 */
export function stompDagSpec(
  name: string,
  graph: StompGraph,
  graphFile: string,
  rows: readonly StompComputationRow[],
  computationFile: string,
  servers: readonly (PeType | null)[],
): DagTaskSpec {
  const byId = new Map<number, StompGraph['nodes'][number]>();
  for (const n of graph.nodes) {
    const k = parseDecimal(n.id);
    if (!(Number.isInteger(k) && k >= 0 && k < graph.nodes.length))
      throw new ValidationError(
        'node-id',
        `STOMP node ids are the integers 0 … n−1 (n = ${graph.nodes.length}), got '${n.id}'`,
        { file: graphFile, line: n.line },
      );
    byId.set(k, n);
  }
  if (rows.length !== graph.nodes.length)
    throw new ValidationError(
      'csv-rows',
      `${rows.length} task rows for the ${graph.nodes.length} nodes of ${graphFile} (one row per node, in node-id order)`,
      { file: computationFile },
    );
  const nodes: DagNodeSpec[] = rows.map((row, k) => {
    const times: Partial<Record<PeType, number | null>> = {};
    servers.forEach((pe, c) => {
      if (pe !== null) times[pe] = row.times[c] ?? null;
    });
    const finite = Object.values(times).filter((t): t is number => t !== null);
    if (finite.length === 0)
      throw new ValidationError(
        'server-time',
        `task ${k} ('${row.type}') can run on none of the mapped PE types (${servers.filter((s) => s !== null).join(', ')})`,
        { file: computationFile, line: row.line },
      );
    const data = byId.get(k)!.data;
    return {
      id: k,
      wcet: Math.min(...finite),
      type: row.type,
      times,
      subDeadline: row.subDeadline,
      ...(Object.keys(data).length > 0 && { stompData: data }),
    };
  });
  return { name, nodes, edges: graph.edges.map((e) => [Number(e.source), Number(e.target)]) };
}
