/**
 * The schedules view's requests: a DAG task from a file under the dashboard folder or from an
 * upload, read by the CLI's readers, scheduled by the library's methods, answered with the CLI's
 * table row, timetable and Gantt chart per method.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError, ValidationError } from '../core/errors.js';
import type { Dag } from '../dag/dag-task.js';
import { detectFormat, isDagFormat } from '../dag/io/dag-format.js';
import { parseDag } from '../dag/io/read-dag-file.js';
import { isAnyScheduleMethod, scheduleWithMethod, type MethodOptions } from '../deploy/schedule-method.js';
import { DEFAULT_TIME_BUDGET_S } from '../dag/schedule/time-budget.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { analyzeDag } from '../dag/analysis/analyze-dag.js';
import { renderDagSvg } from '../report/dag-svg.js';
import { renderGanttSvg } from '../report/gantt-svg.js';
import {
  SCHEDULE_TABLE_HEAD,
  scheduleTableRow,
  strongestLowerBound,
} from '../report/schedule-result-table.js';
import { confinedPath } from './confined-path.js';
import type { MethodAnswer, ScheduleRequest, ScheduleResponse } from './dashboard-api.js';

/** Largest uploaded DAG text, in characters (the server's body limit is set just above it). */
export const MAX_DAG_UPLOAD_CHARS = 1024 * 1024;
/** Largest task drawn as a graph (beyond it a drawing is a hairball). */
const MAX_DRAWN_NODES = 300;
/** Most methods one request may run. */
const MAX_METHODS = 12;
/** Longest time budget a request may ask for, in seconds (the page waits for the answer). */
const MAX_BUDGET_S = 60;

/**
 * Reads the request's DAG (a confined file, or uploaded text checked by the same parsers as the
 * CLI), runs each requested method in order and answers with the CLI's table rows, timetables and
 * Gantt charts. Bad requests are `ArbiterError`s (`bad-request`, the readers' `ValidationError`s,
 * `unknown-method`, the schedulers' own errors such as an infeasible deadline).
 */
export async function runScheduleRequest(root: string, request: ScheduleRequest): Promise<ScheduleResponse> {
  const dag = await readRequestedDag(root, request);
  const methods = request.methods;
  if (!Array.isArray(methods) || methods.length === 0 || methods.length > MAX_METHODS)
    throw new ArbiterError('bad-request', `choose between 1 and ${MAX_METHODS} methods`);
  for (const m of methods)
    if (typeof m !== 'string' || !isAnyScheduleMethod(m))
      throw new ArbiterError('unknown-method', `unknown method '${String(m)}'`);
  const budgetS = request.budgetS ?? DEFAULT_TIME_BUDGET_S;
  if (typeof budgetS !== 'number' || !(budgetS > 0 && budgetS <= MAX_BUDGET_S))
    throw new ArbiterError(
      'bad-request',
      `the time budget must be a number of seconds in (0, ${MAX_BUDGET_S}]`,
    );
  if (request.deadline !== undefined && !(typeof request.deadline === 'number' && request.deadline > 0))
    throw new ArbiterError('bad-request', 'the deadline must be a number > 0');
  const options: MethodOptions = {
    ...(request.deadline !== undefined && { deadline: request.deadline }),
    timeLimitS: budgetS,
    budgetS,
  };
  const results: MethodAnswer[] = [];
  const rawResults: ScheduleResult[] = [];
  let deadline = request.deadline ?? dag.deadline ?? 0;
  for (const method of methods) {
    if (!isAnyScheduleMethod(method)) continue;
    const r = await scheduleWithMethod(dag, method, options);
    rawResults.push(r);
    deadline = r.deadline; // every method reports the same deadline
    results.push({
      method: r.method,
      row: scheduleTableRow(r),
      cores: r.cores,
      feasible: r.feasible,
      schedule: r.schedule.map((s) => ({ node: s.node, core: s.core, start: s.start, finish: s.finish })),
      ...(r.schedule.length > 0 && {
        gantt: renderGanttSvg(r, { title: `${dag.name}: ${r.method}`, width: 640 }),
      }),
      ...(r.note !== undefined && { note: r.note }),
    });
  }
  const optimum = optimumOf(results, rawResults);
  if (optimum !== undefined)
    for (const a of results) if (a.feasible && a.cores > 0) a.gapToOptimum = (a.cores - optimum) / optimum;
  // As the CLI's heading: the strongest bound any method found.
  const lowerBound = rawResults.length > 0 ? strongestLowerBound(rawResults).lowerBound : 0;
  return {
    name: dag.name,
    nodes: dag.n,
    deadline,
    lowerBound,
    ...(optimum !== undefined && { optimum }),
    head: [...SCHEDULE_TABLE_HEAD],
    results,
    ...(dag.n <= MAX_DRAWN_NODES && { dagSvg: drawDag(dag, deadline)! }),
  };
}

/** The task with one critical path and one maximum antichain highlighted (tasks ≤ {@link MAX_DRAWN_NODES} nodes). */
export function drawDag(dag: Dag, deadline: number): string | undefined {
  if (dag.n > MAX_DRAWN_NODES) return undefined;
  const a = analyzeDag(dag, deadline);
  return renderDagSvg(dag, {
    criticalPath: a.criticalPathNodes,
    antichain: a.antichain,
    title: `${dag.name}: L = ${a.criticalPath}, W = ${a.width}`,
  });
}

/** The core count `optimal` proved minimal, if it ran and proved it. */
function optimumOf(answers: readonly MethodAnswer[], raw: readonly ScheduleResult[]): number | undefined {
  const k = raw.findIndex((r) => r.method === 'optimal' && r.optimal === true && r.feasible);
  return k >= 0 ? answers[k]!.cores : undefined;
}

/**
 * The DAG task a request names: a file under `root` (confined, read by the CLI's parsers under its
 * relative name) or uploaded `text` (at most {@link MAX_DAG_UPLOAD_CHARS}, format from `format`,
 * else from `name`'s extension, else JSON). Errors are `ArbiterError`s a user can act on.
 */
export async function readRequestedDag(
  root: string,
  request: Pick<ScheduleRequest, 'file' | 'text' | 'format' | 'name'>,
): Promise<Dag> {
  if (request === null || typeof request !== 'object')
    throw new ArbiterError('bad-request', 'the request body must be a JSON object');
  if (typeof request.file === 'string') {
    const file = await confinedPath(root, request.file);
    // Parsed under its name relative to the folder: messages then never show the server's paths.
    return parseDag(await readFile(file, 'utf8'), detectFormat(request.file), request.file);
  }
  if (typeof request.text !== 'string')
    throw new ArbiterError('bad-request', 'give a DAG file (`file`) or the text of one (`text`)');
  if (request.text.length > MAX_DAG_UPLOAD_CHARS)
    throw new ArbiterError('bad-request', `a DAG upload may have at most ${MAX_DAG_UPLOAD_CHARS} characters`);
  const name = typeof request.name === 'string' ? path.basename(request.name) : 'upload.json';
  let format = request.format;
  if (format === undefined) {
    try {
      format = detectFormat(name);
    } catch {
      format = 'json';
    }
  }
  if (!isDagFormat(format))
    throw new ValidationError('file-format', `unknown DAG format '${String(format)}'`);
  return parseDag(request.text, format, name);
}
