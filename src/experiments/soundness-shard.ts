/**
 * One shard of the soundness benchmark: a contiguous slice of the soundness DAG set and some of
 * its methods, each checked on each of the slice's tasks under random and adversarial execution times ≤ WCET, as plain data
 * in and out, so that shards can run anywhere (a sweep's processes or machines). The tasks are
 * drawn again from their seeds where the shard runs, and every seed depends on the task alone, so
 * `soundnessRows` of shards that cover the set gives the rows of one run over it, bit for bit.
 */
import { createAnalysisContext } from '../dag/analysis/analysis-context.js';
import type { Dag } from '../dag/dag-task.js';
import { checkSchedule } from '../dag/schedule/check-schedule.js';
import { ranksFromKeys } from '../dag/schedule/priority-order.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import {
  BOUND_METHODS,
  SCHEDULE_METHODS,
  scheduleDag,
  type ScheduleMethod,
} from '../dag/schedule/schedule-dag.js';
import { loadEgsPolicyModel, SMALL_EGS_MODEL_PATH } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import {
  adversarialSearch,
  drawExecutionTimes,
  EXECUTION_TIME_MODELS,
  seededRandom,
  simulateDynamic,
  simulateStaticOrder,
} from './execution-time-simulator.js';
import { soundnessDagSet } from './soundness-dags.js';

/**
 * The methods a shard can check, in the order of the benchmark's rows: the analytic bounds under
 * dynamic dispatch (graham also under a random order) and every timetable under static order.
 */
export const SOUNDNESS_METHODS: readonly [SoundnessMethod, ...SoundnessMethod[]] = [
  'graham',
  'graham (random order)',
  ...SCHEDULE_METHODS.filter((m) => m !== 'graham'),
  'egs',
  'egs-search',
];

/** One of {@link SOUNDNESS_METHODS}: a schedule method, graham under a random order, or a learned policy. */
export type SoundnessMethod = ScheduleMethod | 'graham (random order)' | 'egs' | 'egs-search';

/** The counts of a soundness run (`npm run bench -- soundness key=value …`). */
export interface SoundnessCounts {
  /** Tasks per shape (4 shapes). */
  perShape: number;
  /** Random execution-time vectors per model (3 models) per check. */
  draws: number;
  /** Adversarial evaluations per dynamic-dispatch check. */
  budget: number;
  /** Adversarial evaluations per static-order check. */
  staticBudget: number;
  /** egs and egs-search on every k-th task. */
  egsEvery: number;
  /** optimal on every k-th task with n ≤ 14. */
  optimalEvery: number;
}

/** The counts of the committed run of `npm run bench -- soundness`. */
export const SOUNDNESS_DEFAULTS: Readonly<SoundnessCounts> = {
  perShape: 1000,
  draws: 10,
  budget: 400,
  staticBudget: 150,
  egsEvery: 8,
  optimalEvery: 40,
};

/** Everything a shard depends on (a sweep cell's id is a hash of this). */
export interface SoundnessShardInput extends SoundnessCounts {
  /** Seed of the DAG set (`soundnessDagSet(perShape, seed)`). */
  seed: number;
  /** First task (index into the whole set, shapes one after another). */
  from: number;
  /** One past the last task. */
  to: number;
  /** The methods checked (rows of other methods are not computed). */
  methods: SoundnessMethod[];
}

/** What one (method, dispatch, shape) has seen so far. */
export interface SoundnessAcc {
  /** Tasks checked (dynamic: tasks the bound proved; static: timetables). */
  dags: number;
  /** Simulated schedules. */
  simulations: number;
  /** Checks that failed. */
  violations: number;
  /** Sum of boundCores (dynamic). */
  cores: number;
  /** (worst − L)/(R − L) per task with R > L (dynamic). */
  tight: number[];
  /** The same over tasks with boundCores ≥ 2. */
  tightMulticore: number[];
  /** Max of worst makespan / WCET makespan (static). */
  ratio: number;
  /** The first few violations, in words. */
  examples: string[];
}

/** A finished shard: its accumulators and zhao2020's boundCores per task. */
export interface SoundnessShardResult {
  /** First task. */
  from: number;
  /** One past the last task. */
  to: number;
  /** The methods checked. */
  methods: SoundnessMethod[];
  /** `[method|dispatch|shape, accumulator]`. */
  groups: [string, SoundnessAcc][];
  /** boundCores of zhao2020 per task of the shard (null: not proved; empty without zhao2020). */
  zhao2020: (number | null)[];
}

/** A fresh accumulator. */
export function newSoundnessAcc(): SoundnessAcc {
  return {
    dags: 0,
    simulations: 0,
    violations: 0,
    cores: 0,
    tight: [],
    tightMulticore: [],
    ratio: 0,
    examples: [],
  };
}

/** Adds `a` into `into` (in this order, so the arrays keep the task order). */
export function addSoundnessAcc(into: SoundnessAcc, a: SoundnessAcc): void {
  into.dags += a.dags;
  into.simulations += a.simulations;
  into.violations += a.violations;
  into.cores += a.cores;
  into.tight.push(...a.tight);
  into.tightMulticore.push(...a.tightMulticore);
  into.ratio = Math.max(into.ratio, a.ratio);
  into.examples.push(...a.examples);
}

/** Worst makespan over random draws of every model and an adversarial search; adds the count. */
function worst(
  wcet: ArrayLike<number>,
  makespan: (x: Float64Array) => number,
  seed: number,
  draws: number,
  budget: number,
  acc: SoundnessAcc,
): number {
  const rand = seededRandom(seed);
  let w = 0;
  for (const model of EXECUTION_TIME_MODELS) {
    for (let k = 0; k < draws; k++) w = Math.max(w, makespan(drawExecutionTimes(wcet, model, rand)));
  }
  const adv = adversarialSearch(wcet, makespan, budget, rand);
  acc.simulations += EXECUTION_TIME_MODELS.length * draws + adv.evaluations;
  return Math.max(w, adv.makespan);
}

function checkDynamic(
  dag: Dag,
  r: ScheduleResult,
  ranks: Int32Array,
  L: number,
  seed: number,
  o: SoundnessCounts,
  acc: SoundnessAcc,
): void {
  if (!r.feasible) return;
  const R = r.responseTimeBound!;
  const m = r.boundCores!;
  acc.dags++;
  acc.cores += m;
  const w = worst(dag.wcet, (x) => simulateDynamic(dag, m, ranks, x).makespan, seed, o.draws, o.budget, acc);
  if (w > R * (1 + 1e-9) + 1e-9 || R > r.deadline * (1 + 1e-9)) {
    acc.violations++;
    if (acc.examples.length < 5)
      acc.examples.push(`${dag.name}: m = ${m}, R = ${R}, D = ${r.deadline}, simulated ${w}`);
  }
  if (R - L > 1e-9) {
    acc.tight.push((w - L) / (R - L));
    if (m >= 2) acc.tightMulticore.push((w - L) / (R - L));
  }
}

function checkStatic(dag: Dag, r: ScheduleResult, seed: number, o: SoundnessCounts, acc: SoundnessAcc): void {
  if (r.schedule.length === 0) return;
  acc.dags++;
  const check = checkSchedule(dag, r);
  const index = (id: string | number): number => dag.indexOf.get(String(id))!;
  const added = r.addedEdges.map(([u, v]) => [index(u), index(v)] as const);
  const run = (x: Float64Array): number => simulateStaticOrder(dag, r.schedule, x, added).makespan;
  const w = worst(dag.wcet, run, seed, o.draws, o.staticBudget, acc);
  if (!check.ok || w > r.makespan * (1 + 1e-9) + 1e-9) {
    acc.violations++;
    if (acc.examples.length < 5)
      acc.examples.push(
        `${dag.name} (${r.method}): WCET makespan ${r.makespan}, static-order ${w}; ${check.violations.join('; ')}`,
      );
  }
  if (r.makespan > 0) acc.ratio = Math.max(acc.ratio, w / r.makespan);
}

let egsScheduler: EgsPolicyScheduler | undefined;

/**
 * Runs one shard. Per task, of the shard's methods: every schedule method (optimal on every `optimalEvery`-th task with
 * n ≤ 14), each analytic bound under dynamic dispatch on its boundCores with the method's own
 * order (graham also with a random order, since its bound holds for any), and every timetable
 * (egs and egs-search of the shipped small model on every `egsEvery`-th task) under static-order
 * dispatch. `progress` is told after each task.
 */
export async function runSoundnessShard(
  input: SoundnessShardInput,
  progress?: (task: number) => void,
): Promise<SoundnessShardResult> {
  const tasks = soundnessDagSet(input.perShape, input.seed);
  if (!(0 <= input.from && input.from <= input.to && input.to <= tasks.length))
    throw new Error(`soundness shard [${input.from}, ${input.to}) is not within the ${tasks.length} tasks`);
  const chosen = new Set<string>(input.methods);
  const want = (method: string): boolean => chosen.has(method);
  if (want('egs') || want('egs-search'))
    egsScheduler ??= new EgsPolicyScheduler(loadEgsPolicyModel(SMALL_EGS_MODEL_PATH));
  const egs = egsScheduler!;
  const acc = new Map<string, SoundnessAcc>();
  const get = (method: string, dispatch: string, shape: string): SoundnessAcc => {
    const key = `${method}|${dispatch}|${shape}`;
    if (!acc.has(key)) acc.set(key, newSoundnessAcc());
    return acc.get(key)!;
  };
  const zhao2020: (number | null)[] = [];
  for (let k = input.from; k < input.to; k++) {
    const { shape, seed, dag } = tasks[k]!;
    const ctx = createAnalysisContext(dag);
    const L = ctx.timing.criticalPath;
    const withOptimal = k % input.optimalEvery === 0 && dag.n <= 14;
    const results: ScheduleResult[] = [];
    for (const method of SCHEDULE_METHODS)
      if (
        (method !== 'optimal' || withOptimal) &&
        (want(method) || (method === 'graham' && want('graham (random order)')))
      )
        results.push(await scheduleDag(dag, method, { timeLimitS: 2 }));
    const byName = new Map(results.map((r) => [r.method, r]));
    const graham = byName.get('graham');
    if (want('graham'))
      checkDynamic(
        dag,
        graham!,
        ranksFromKeys(ctx.timing.lst, 'ascending'),
        L,
        seed * 8 + 1,
        input,
        get('graham', 'dynamic', shape),
      );
    if (want('graham (random order)')) {
      const rand = seededRandom(seed * 8 + 2);
      const shuffled = Int32Array.from({ length: dag.n }, () => Math.floor(rand() * dag.n));
      checkDynamic(
        dag,
        graham!,
        shuffled,
        L,
        seed * 8 + 3,
        input,
        get('graham (random order)', 'dynamic', shape),
      );
    }
    BOUND_METHODS.forEach((method, q) => {
      if (!want(method.method)) return;
      const r = byName.get(method.method)!;
      checkDynamic(
        dag,
        r,
        method.priority(ctx),
        L,
        seed * 8 + 4 + q,
        input,
        get(method.method, 'dynamic', shape),
      );
    });
    const zhao = byName.get('zhao2020');
    if (zhao !== undefined) zhao2020.push(zhao.feasible ? zhao.boundCores! : null);
    const timetables = results.filter((r) => want(r.method));
    if (k % input.egsEvery === 0) {
      if (want('egs')) timetables.push(egs.greedy(dag));
      if (want('egs-search')) timetables.push(egs.search(dag, { beamWidth: 2, expand: 2 }));
    }
    for (const r of timetables)
      checkStatic(dag, r, seed * 8 + 7, input, get(r.method, 'static-order', shape));
    progress?.(k);
  }
  return {
    from: input.from,
    to: input.to,
    methods: [...input.methods],
    groups: [...acc.entries()],
    zhao2020,
  };
}
