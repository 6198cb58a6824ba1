/**
 * `arbiter schedule`: reads a DAG task, runs one method or all, and prints a table (with what each
 * core count proves, per dispatch rule) or one JSON document; the Gantt chart is written after the
 * results are printed, so a failing write never loses them.
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { ArbiterError } from '../../core/errors.js';
import { readDagFile } from '../../dag/io/read-dag-file.js';
import { SCHEDULE_METHODS } from '../../dag/schedule/schedule-dag.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import {
  ALL_METHODS,
  isAnyScheduleMethod,
  POLICY_METHODS,
  scheduleEveryMethod,
  scheduleWithMethod,
  type MethodOptions,
} from '../../deploy/schedule-method.js';
import { renderGanttSvg } from '../../report/gantt-svg.js';
import { formatTable } from '../../report/table.js';
import {
  SCHEDULE_TABLE_ALIGN,
  SCHEDULE_TABLE_HEAD,
  scheduleTableRow,
  strongestLowerBound,
} from '../../report/schedule-result-table.js';
import { parseNumber } from '../parse-number.js';
import { printWarnings, writeJson } from '../output.js';
import { startProgress } from '../progress.js';
import { DEFAULT_TIME_BUDGET_S } from '../../dag/schedule/time-budget.js';

interface ScheduleCliOptions {
  deadline?: number;
  method: string;
  timeLimit: number;
  budget: number;
  model?: string;
  samples?: number;
  lookahead: number;
  refresh: number;
  fromScratch?: boolean;
  localSearch: boolean;
  stall?: number;
  beam: number;
  seed: number;
  json?: boolean;
  gantt?: string;
}

/**
 * `arbiter schedule FILE [--deadline D] [--method M|all] [--time-limit S] [--budget S] [--model FILE] [--samples K] [--lookahead K]
 * [--from-scratch] [--no-local-search] [--refresh R] [--stall S] [--beam B]
 * [--json] [--gantt out.svg]`. `egs` uses the small pretrained policy shipped in `models/`,
 * `egs-search` the large one, unless `--model` names another.
 */
export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('find the number of cores a DAG task needs to meet its deadline, with a checkable timetable')
    .argument('<file>', 'DAG file (.json, .stg, .dot)')
    .option('-d, --deadline <D>', 'deadline (default: the task deadline)', parseNumber)
    .option('-m, --method <method>', `${[...SCHEDULE_METHODS, ...POLICY_METHODS].join(' | ')} | all`, 'all')
    .option(
      '--time-limit <seconds>',
      'optimal: time limit of the whole method, MILP building included (a model too large for it is not built)',
      parseNumber,
      10,
    )
    .option(
      '--budget <seconds>',
      'every other method: time budget, after which it answers with its best so far or declines (says so in its note)',
      parseNumber,
      DEFAULT_TIME_BUDGET_S,
    )
    .option(
      '--model <file.json|small|large>',
      'egs/egs-search: trained EGS policy: a file, or a shipped one (default: small for egs, large for egs-search)',
    )
    .option(
      '--samples <K>',
      'egs: best of K policy episodes (1 greedy + K−1 sampled); egs-search: episodes besides the beam',
      parseNumber,
    )
    .option(
      '--lookahead <K>',
      'egs: take the first of the K likeliest edges that lowers the width now (0 = argmax)',
      parseNumber,
      0,
    )
    .option(
      '--from-scratch',
      "egs: also run the policy's episodes from the DAG itself, not only from the list seed's G' (slower; rarely fewer cores)",
    )
    .option(
      '--no-local-search',
      'egs-search: skip the tabu search over core sequences that tries to beat the heuristic seed on fewer cores',
    )
    .option('--refresh <R>', 'egs: run the network every R steps and after each width drop', parseNumber, 1)
    .option('--stall <S>', 'egs/egs-search: stop after S steps without a width drop', parseNumber)
    .option('--beam <B>', 'egs-search: beam width', parseNumber, 4)
    .option('--seed <S>', 'egs/egs-search: seed of the sampled episodes', parseNumber, 0)
    .option('--json', 'print one JSON document (a result object, or an array for --method all)')
    .option('--gantt <file.svg>', 'write a Gantt chart (for all: of the best timetable)')
    .addHelpText('after', GUARANTEE_HELP)
    .action(async (file: string, opts: ScheduleCliOptions) => {
      const dag = await readDagFile(file);
      printWarnings(dag.warnings);
      const all = opts.method === 'all';
      if (!all && !isAnyScheduleMethod(opts.method))
        throw new ArbiterError(
          'unknown-method',
          `unknown method '${opts.method}': use one of ${[...SCHEDULE_METHODS, ...POLICY_METHODS].join(', ')}, all`,
        );
      if (!(opts.budget > 0))
        throw new ArbiterError(
          'invalid-option',
          `--budget must be a number of seconds > 0, got ${opts.budget}`,
        );
      if (!(opts.timeLimit >= 0))
        throw new ArbiterError(
          'invalid-option',
          `--time-limit must be a number of seconds ≥ 0, got ${opts.timeLimit}`,
        );
      const methodCount = all ? ALL_METHODS.length : 1;
      const progress = startProgress(methodCount + 1, `${dag.name} (${dag.n} nodes)`, !opts.json);
      let done = 0;
      const starting = (method: string): void => progress.update(done++, `running ${method}`);
      const options = {
        ...(opts.deadline !== undefined && { deadline: opts.deadline }),
        timeLimitS: opts.timeLimit,
        budgetS: opts.budget,
        onMethodStart: starting,
      };
      let results: ScheduleResult[] = [];
      try {
        const methodOptions: MethodOptions = {
          ...options,
          ...(opts.model !== undefined && { model: opts.model }),
          ...(opts.samples !== undefined && { samples: opts.samples }),
          ...(opts.stall !== undefined && { stallLimit: opts.stall }),
          ...(opts.fromScratch === true && { fromScratch: true }),
          ...(!opts.localSearch && { localSearch: false }),
          seed: opts.seed,
          lookahead: opts.lookahead,
          refresh: opts.refresh,
          beamWidth: opts.beam,
        };
        if (all) results = await scheduleEveryMethod(dag, methodOptions);
        else if (isAnyScheduleMethod(opts.method)) {
          starting(opts.method);
          results = [await scheduleWithMethod(dag, opts.method, methodOptions)];
        }
      } finally {
        progress.stop();
      }

      // The chart is written after the results are printed: one that cannot be written (a
      // read-only folder, …) fails the command but must not throw the results away.
      const writeGantt = async (): Promise<void> => {
        if (!opts.gantt) return;
        const best = pickBest(results);
        if (!best) throw new ArbiterError('no-timetable', 'no method produced a timetable to draw');
        await writeFileAtomic(opts.gantt, renderGanttSvg(best, { title: `${dag.name}: ${best.method}` }));
      };
      if (opts.json) {
        writeJson(opts.method === 'all' ? results : results[0]);
        await writeGantt();
        return;
      }
      const D = results[0]!.deadline;
      const bound = strongestLowerBound(results);
      process.stdout.write(
        `${dag.name}: ${dag.n} nodes, deadline D = ${D}, lower bound ${bound.lowerBound} cores` +
          `${bound.lowerBoundBy !== undefined ? ` (${bound.lowerBoundBy})` : ''}\n`,
      );
      process.stdout.write(
        formatTable(SCHEDULE_TABLE_HEAD, results.map(scheduleTableRow), SCHEDULE_TABLE_ALIGN) + '\n',
      );
      process.stdout.write(TABLE_LEGEND);
      for (const r of results) if (r.note) process.stdout.write(`  ${r.method}: ${r.note}\n`);
      await writeGantt();
      if (opts.gantt) process.stdout.write(`Gantt chart: ${opts.gantt}\n`);
    });
}

/** The feasible result with the fewest cores (ties: first in method order). */
export function pickBest(results: readonly ScheduleResult[]): ScheduleResult | undefined {
  let best: ScheduleResult | undefined;
  for (const r of results)
    if (r.feasible && r.schedule.length > 0 && (!best || r.cores < best.cores)) best = r;
  return best;
}

/**
 * What the two core columns prove, printed under the table and in `--help`: each is a guarantee
 * for every execution time ≤ WCET under its own dispatch rule.
 */
const TABLE_LEGEND =
  "  static-order cores: proved when each core runs its timetable's nodes in that order (anomaly-free).\n" +
  "  list-dispatch cores: proved by R ≤ D for fixed-priority list dispatch with the method's order; '-' = not proved (see --help).\n" +
  '  lower bound: no schedule on fewer cores meets D; gap: (static-order cores − lower bound) / cores (0%: proved optimal).\n';

const GUARANTEE_HELP = `
What each number proves (every guarantee holds for all execution times <= WCET):
  static-order cores   every method: its WCET timetable, dispatched in static order
                       (each core runs its nodes in the timetable's order; a node starts once
                       its predecessors and the previous node on its core are done), never
                       finishes later than under WCETs, so it meets D on that many cores.
  list-dispatch cores  graham, he2019, zhao2020, he2021 only: the response-time bound R <= D
                       on that many cores under non-preemptive, work-conserving global
                       fixed-priority list dispatch with the method's priority order. It can be
                       more than the static-order count. listsched's list dispatch is only
                       simulated at WCET (timing anomalies possible), so it proves nothing there.
In --json, "guarantees" lists each proved claim with its dispatch rule, cores and makespan bound.
`;
