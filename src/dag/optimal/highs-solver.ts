/**
 * A small typed wrapper around the HiGHS MILP solver (npm `highs`, WebAssembly): lazy, cached
 * loading of the module and one call that solves a model written in CPLEX LP format.
 */
import highsPackage, { type Highs, type Model } from 'highs';
import { ArbiterError } from '../../core/errors.js';

type HighsLoader = typeof highsPackage.default;
// Under NodeNext the package's types read as CommonJS (loader at `.default`); the ESM build
// actually imported at run time exports the loader itself as default.
const highsLoader: HighsLoader =
  typeof highsPackage === 'function' ? (highsPackage as HighsLoader) : highsPackage.default;

/** Options of {@link solveLp}. */
export interface SolveLpOptions {
  /** Wall-clock limit of the solve, in seconds (default: none). */
  timeLimitS?: number;
  /** Relative MIP gap at which HiGHS stops (HiGHS default 1e-4). */
  mipRelGap?: number;
  /** Absolute MIP gap at which HiGHS stops (HiGHS default 1e-6). */
  mipAbsGap?: number;
  /** A starting solution (MIP start) by column name; names absent from the model are ignored. */
  start?: ReadonlyMap<string, number>;
  /** Further HiGHS options by their snake_case names, applied last. */
  highsOptions?: Readonly<Record<string, boolean | number | string>>;
}

/**
 * How a solve ended: `optimal` — proved optimal (within the gap options); `infeasible`;
 * `unbounded` (or infeasible-or-unbounded); `limit` — a time/iteration/other limit stopped it,
 * with or without a solution; `error` — HiGHS reported a load, model or solve error.
 */
export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'limit' | 'error';

/** What {@link solveLp} returns. */
export interface LpSolution {
  /** Outcome class. */
  status: LpStatus;
  /** HiGHS's own model status name, e.g. `"timeLimit"`, for messages. */
  highsStatus: string;
  /** Whether a feasible primal solution is available (`values` and `objective` are set). */
  hasSolution: boolean;
  /** Objective of the best solution found (including any constant term). */
  objective: number | undefined;
  /** Primal values of the best solution, by column name (empty without a solution). */
  values: Map<string, number>;
  /** MIP only: best proved bound on the objective (a lower bound when minimizing). */
  dualBound: number | undefined;
  /** MIP only: HiGHS's relative gap between `objective` and `dualBound`. */
  gap: number | undefined;
  /** Wall time of the solve, in milliseconds. */
  timeMs: number;
}

let highsPromise: Promise<Highs> | undefined;

/**
 * The HiGHS module, loaded on first use and cached for the life of the process. A failed load is
 * not cached, so a later call tries again.
 */
export function loadHighs(): Promise<Highs> {
  highsPromise ??= highsLoader().catch((err: unknown) => {
    highsPromise = undefined;
    throw new ArbiterError('solver-unavailable', `could not load the HiGHS solver: ${message(err)}`);
  });
  return highsPromise;
}

/** Drops the cached module; the next {@link loadHighs} instantiates a fresh one. */
export function resetHighs(): void {
  highsPromise = undefined;
}

/**
 * Solves an LP/MILP given as CPLEX LP-format text with HiGHS. Limits and infeasibility are
 * reported in `status`, not thrown. A parse error or a crash of the WebAssembly module throws an
 * {@link ArbiterError} with code `solver-failed`; the module is then discarded and re-created on
 * the next call, because an aborted Emscripten module may be left in an unusable state.
 */
export async function solveLp(lpText: string, options: SolveLpOptions = {}): Promise<LpSolution> {
  const highs = await loadHighs();
  const t0 = performance.now();
  let model: Model | undefined;
  try {
    model = highs.createModel({ format: 'lp', data: lpText });
    model.options.set({ output_flag: false });
    if (options.timeLimitS !== undefined) model.options.set('time_limit', Math.max(0, options.timeLimitS));
    if (options.mipRelGap !== undefined) model.options.set('mip_rel_gap', options.mipRelGap);
    if (options.mipAbsGap !== undefined) model.options.set('mip_abs_gap', options.mipAbsGap);
    if (options.highsOptions) model.options.set(options.highsOptions);
    if (options.start && options.start.size > 0) setStart(model, options.start);

    const { modelStatus } = model.run();
    const codes = highs.constants.modelStatus;
    const highsStatus = statusName(highs, modelStatus);
    const status: LpStatus =
      modelStatus === codes.optimal
        ? 'optimal'
        : modelStatus === codes.infeasible
          ? 'infeasible'
          : modelStatus === codes.unbounded || modelStatus === codes.unboundedOrInfeasible
            ? 'unbounded'
            : modelStatus <= codes.postsolveError
              ? 'error'
              : 'limit';
    // primal_solution_status 2 = feasible; limits may or may not leave an incumbent.
    const hasSolution = Number(infoOr(model, 'primal_solution_status', 0)) === 2;
    const values = new Map<string, number>();
    if (hasSolution) {
      const colValue = model.getSolution().colValue;
      for (let j = 0; j < colValue.length; j++) values.set(model.getColName(j), colValue[j]!);
    }
    // mip_node_count is −1 when HiGHS solved the model as a plain LP (no integer columns).
    const isMip = infoOr(model, 'mip_node_count', -1) >= 0;
    const dualBound = isMip ? finiteOrUndefined(infoOr(model, 'mip_dual_bound', NaN)) : undefined;
    const gap = isMip ? finiteOrUndefined(infoOr(model, 'mip_gap', NaN)) : undefined;
    return {
      status,
      highsStatus,
      hasSolution,
      objective: hasSolution ? model.getObjectiveValue() : undefined,
      values,
      dualBound,
      gap,
      timeMs: performance.now() - t0,
    };
  } catch (err) {
    if (err instanceof ArbiterError) throw err;
    resetHighs();
    throw new ArbiterError('solver-failed', `the HiGHS solver failed: ${message(err)}`);
  } finally {
    try {
      model?.dispose();
    } catch {
      // A crashed module cannot free its model; it is discarded anyway.
    }
  }
}

function setStart(model: Model, start: ReadonlyMap<string, number>): void {
  const indices: number[] = [];
  const values: number[] = [];
  const cols = model.getDimensions().numCols;
  const seen = new Set<number>();
  for (let j = 0; j < cols; j++) {
    const v = start.get(model.getColName(j));
    if (v === undefined || seen.has(j)) continue;
    seen.add(j);
    indices.push(j);
    values.push(v);
  }
  if (indices.length > 0) model.setSolution({ indices, values });
}

function infoOr(model: Model, name: string, fallback: number): number {
  try {
    return Number(model.info.get(name));
  } catch {
    return fallback; // Not every info item exists for every model type.
  }
}

function finiteOrUndefined(x: number): number | undefined {
  return Number.isFinite(x) ? x : undefined;
}

function statusName(highs: Highs, code: number): string {
  for (const [name, value] of Object.entries(highs.constants.modelStatus)) if (value === code) return name;
  return `status ${code}`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
