/**
 * Arbiter's HSoC workload file: the DAG types of a workload (Arbiter JSON DAGs whose nodes may
 * carry per-type profiles) and a trace of jobs over them. `importStompWorkload` builds one from
 * STOMP's inputs; `parseHsocWorkloadFile` reads one back as the `trace` option of the HSoC
 * simulator and env.
 *
 * ```json
 * { "format": "arbiter-hsoc-workload", "version": 1, "name": "pm",
 *   "dags": { "5": { "name": "dag5", "nodes": [ … ], "edges": [ … ] } },
 *   "trace": [ { "arrival": 0, "id": 0, "dag": "5", "criticality": 3, "deadline": 537 } ] }
 * ```
 *
 * `deadline` is relative to `arrival`; a job is high priority when its criticality is at least
 * the reader's `highCriticality` (default 2: STOMP's normal level is 1).
 */
import { ValidationError } from '../../core/errors.js';
import { buildDag } from '../../dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../dag/dag-task.js';
import type { PeType } from './hsoc-platform.js';
import type { HsocTraceJob } from './hsoc-simulator.js';
import { readTaskProfiles } from './hsoc-task-profile.js';
import {
  checkArrivalOrder,
  parseStompComputationCsv,
  parseStompGraphml,
  parseStompTrace,
  stompDagSpec,
} from './stomp-format.js';

/** The `format` tag of a workload file. */
export const HSOC_WORKLOAD_FORMAT = 'arbiter-hsoc-workload';

/** One job of a workload file's trace. */
export interface HsocWorkloadFileJob {
  /** Arrival time. */
  arrival: number;
  /** Job id (unique). */
  id: number;
  /** Key of the job's DAG in `dags`. */
  dag: string;
  /** Criticality level (≥ `highCriticality` = high priority). */
  criticality: number;
  /** Relative deadline. */
  deadline: number;
}

/** A workload file as JSON. */
export interface HsocWorkloadFileSpec {
  /** Always {@link HSOC_WORKLOAD_FORMAT}. */
  format: typeof HSOC_WORKLOAD_FORMAT;
  /** Format version (1). */
  version: 1;
  /** Optional name. */
  name?: string;
  /** DAG types by key. */
  dags: Record<string, DagTaskSpec>;
  /** Jobs in arrival order. */
  trace: HsocWorkloadFileJob[];
}

/** A text input with the name of the file it came from (for messages). */
export interface NamedText {
  /** The file's content. */
  text: string;
  /** The file's name. */
  file: string;
}

/** STOMP's inputs: the arrival trace and, per DAG type it names, the GraphML and computation CSV. */
export interface StompInputs {
  /** Workload name. */
  name?: string;
  /** The arrival trace. */
  trace: NamedText;
  /** GraphML DAG and computation CSV per DAG type. */
  dags: ReadonlyMap<string, { graphml: NamedText; computation: NamedText }>;
  /** PE type of each server-type column (null = ignore). Default STOMP's `cpu, gpu, fft`. */
  servers?: readonly (PeType | null)[];
}

/** STOMP's power configuration's server columns: `cpu_core, gpu, fft_accel`. */
export const STOMP_SERVER_COLUMNS: readonly PeType[] = ['cpu', 'gpu', 'fft'];

/** The DAG types an arrival trace names, in first-use order (to know which files to read). */
export function stompTraceDagTypes(trace: NamedText): string[] {
  return [...new Set(parseStompTrace(trace.text, trace.file).map((a) => a.dagType))];
}

/** Converts STOMP's inputs into a workload file; every problem names its file, line and rule. */
export function importStompWorkload(inputs: StompInputs): HsocWorkloadFileSpec {
  const servers = inputs.servers ?? STOMP_SERVER_COLUMNS;
  const arrivals = parseStompTrace(inputs.trace.text, inputs.trace.file);
  const dags: Record<string, DagTaskSpec> = {};
  for (const a of arrivals) {
    if (dags[a.dagType]) continue;
    const files = inputs.dags.get(a.dagType);
    if (!files)
      throw new ValidationError('dag-type', `DAG type '${a.dagType}' has no GraphML and computation files`, {
        file: inputs.trace.file,
        line: a.line,
      });
    const graph = parseStompGraphml(files.graphml.text, files.graphml.file);
    const rows = parseStompComputationCsv(files.computation.text, files.computation.file, servers.length);
    const spec = stompDagSpec(
      `dag${a.dagType}`,
      graph,
      files.graphml.file,
      rows,
      files.computation.file,
      servers,
    );
    // Cycles and profiles are checked here, so that a bad DAG fails at import, not at run time.
    readTaskProfiles(buildDag(spec, { source: files.graphml.file }));
    dags[a.dagType] = spec;
  }
  return {
    format: HSOC_WORKLOAD_FORMAT,
    version: 1,
    ...(inputs.name !== undefined && { name: inputs.name }),
    dags,
    trace: arrivals.map(({ arrival, id, dagType, criticality, deadline }) => ({
      arrival,
      id,
      dag: dagType,
      criticality,
      deadline,
    })),
  };
}

/** A workload file read back: its DAGs and the simulator trace. */
export interface HsocWorkloadTrace {
  /** Name (file name when the file has none). */
  name: string;
  /** DAGs by key. */
  dags: ReadonlyMap<string, Dag>;
  /** Jobs for `HsocSimulatorOptions.trace`, in arrival order. */
  trace: HsocTraceJob[];
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads a workload file (JSON text). Throws a {@link ValidationError} naming the file, the item
 * (`dags['5']`, `trace[3]`) and the rule for anything malformed.
 */
export function parseHsocWorkloadFile(
  text: string,
  file: string,
  options: { highCriticality?: number } = {},
): HsocWorkloadTrace {
  const high = options.highCriticality ?? 2;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('json', (e as Error).message, { file });
  }
  if (!isObject(json) || json['format'] !== HSOC_WORKLOAD_FORMAT)
    throw new ValidationError('format', `expected an object with "format": "${HSOC_WORKLOAD_FORMAT}"`, {
      file,
    });
  if (json['version'] !== 1)
    throw new ValidationError('version', `unsupported version ${JSON.stringify(json['version'])} (1)`, {
      file,
    });
  if (!isObject(json['dags']))
    throw new ValidationError('dags', '"dags" must be an object of DAG specs', { file });
  const dags = new Map<string, Dag>();
  for (const [key, spec] of Object.entries(json['dags'])) {
    if (!isObject(spec) || !Array.isArray(spec['nodes']))
      throw new ValidationError('dag', 'a DAG spec needs "nodes" and "edges"', {
        file,
        item: `dags['${key}']`,
      });
    const dag = buildDag({ name: `dag${key}`, ...spec } as DagTaskSpec, { source: `${file} dags['${key}']` });
    readTaskProfiles(dag);
    dags.set(key, dag);
  }
  const rawTrace = json['trace'];
  if (!Array.isArray(rawTrace) || rawTrace.length === 0)
    throw new ValidationError('trace', '"trace" must be a non-empty array of jobs', { file });
  let last = 0;
  const trace = rawTrace.map((j: unknown, i): HsocTraceJob => {
    const where = { file, item: `trace[${i}]` };
    if (!isObject(j)) throw new ValidationError('trace', 'a job must be an object', where);
    const { arrival, dag, criticality, deadline } = j;
    if (!(typeof arrival === 'number' && arrival >= 0))
      throw new ValidationError(
        'arrival',
        `arrival must be a number ≥ 0, got ${JSON.stringify(arrival)}`,
        where,
      );
    last = checkArrivalOrder(arrival, last, where);
    const d = typeof dag === 'string' ? dags.get(dag) : undefined;
    if (!d) throw new ValidationError('dag', `unknown DAG ${JSON.stringify(dag)} (not in "dags")`, where);
    if (!(typeof deadline === 'number' && deadline > 0))
      throw new ValidationError(
        'deadline',
        `deadline must be a number > 0, got ${JSON.stringify(deadline)}`,
        where,
      );
    const c = criticality ?? 1;
    if (!(typeof c === 'number' && Number.isInteger(c) && c >= 0))
      throw new ValidationError(
        'criticality',
        `criticality must be an integer ≥ 0, got ${JSON.stringify(c)}`,
        where,
      );
    return { dag: d, arrival, deadline, highPriority: c >= high };
  });
  const name = typeof json['name'] === 'string' ? json['name'] : file;
  return { name, dags, trace };
}
