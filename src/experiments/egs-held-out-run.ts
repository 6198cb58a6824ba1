/**
 * The issue-16 EGS benchmark as `npm run bench -- egs`, `arbiter bench egs --sets FILE` and the
 * sweep's `egs-held-out` cells all run it: the shipped policies (small for `egs` and
 * `egs-policy`, large for `egs-search`), the declared limits, the fast methods on the 1,000-node
 * set, and a choice of sets and methods checked against the set file. One place, so that every
 * entry point measures the same thing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import { loadEgsPolicyModel, resolveEgsModelPath, type EgsPolicyModel } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import {
  EGS_HELD_OUT_METHODS,
  type EgsHeldOutMethod,
  type EgsHeldOutOptions,
} from './egs-held-out-benchmark.js';
import { EGS_SET_DECLARATION, type EgsHeldOutSet, type EgsHeldOutSets } from './egs-held-out-sets.js';
import { EGS_SET_FILE, readEgsSetFile, type EgsSetFile } from './egs-set-file.js';

/** The package's own set file (`bench/data/egs-sets-v1.json` under the package root). */
export const PACKAGE_EGS_SET_FILE = fileURLToPath(new URL(`../../${EGS_SET_FILE}`, import.meta.url));

/** The package root, where the set file's STG samples are read from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The declared limits: `optimal` 20 s per DAG, every other method a 10 s budget per DAG. */
export const EGS_HELD_OUT_LIMITS = Object.freeze({ optimalTimeLimitS: 20, budgetS: 10 });

/** The methods run on the sets above 300 nodes (the fast ones). */
export const EGS_HELD_OUT_LARGE_METHODS: readonly EgsHeldOutMethod[] = Object.freeze([
  'egs',
  'egs-policy',
  'listsched',
  'graham',
  'zhao2020',
  'he2019',
  'he2021',
]);

/** What a run may change from the declared regime. */
export interface EgsHeldOutRunChoice {
  /** `optimal` solver limit per DAG in seconds (default {@link EGS_HELD_OUT_LIMITS}). */
  optimalTimeLimitS?: number;
  /** Budget of every other method per DAG in seconds (default {@link EGS_HELD_OUT_LIMITS}). */
  budgetS?: number;
  /** Methods (default all of {@link EGS_HELD_OUT_METHODS}). */
  methods?: readonly EgsHeldOutMethod[];
  /** One policy (`small`, `large` or a file) for `egs`, `egs-policy` and `egs-search` (default: small, large). */
  model?: string;
}

/** The two policies of a run, with the models they were loaded from (for the report). */
export interface EgsHeldOutPolicies {
  small: EgsPolicyModel;
  large: EgsPolicyModel;
  smallPath: string;
  largePath: string;
  scheduler: EgsPolicyScheduler;
  searchScheduler: EgsPolicyScheduler;
}

const loaded = new Map<string, { model: EgsPolicyModel; scheduler: EgsPolicyScheduler }>();

// Loaded once per process: a sweep worker runs many cells with the same policies.
function load(file: string): { model: EgsPolicyModel; scheduler: EgsPolicyScheduler } {
  let p = loaded.get(file);
  if (p === undefined) {
    const model = loadEgsPolicyModel(file);
    p = { model, scheduler: new EgsPolicyScheduler(model) };
    loaded.set(file, p);
  }
  return p;
}

/** The policies of a run (`model` as in {@link EgsHeldOutRunChoice}). */
export function egsHeldOutPolicies(model?: string): EgsHeldOutPolicies {
  const smallPath = resolveEgsModelPath(model, 'egs');
  const largePath = resolveEgsModelPath(model, 'egs-search');
  const s = load(smallPath);
  const l = load(largePath);
  return {
    small: s.model,
    large: l.model,
    smallPath,
    largePath,
    scheduler: s.scheduler,
    searchScheduler: l.scheduler,
  };
}

/** Checks the limits of `choice` (positive seconds; an {@link ArbiterError} names the bad one). */
export function checkEgsHeldOutChoice(choice: EgsHeldOutRunChoice): void {
  for (const [key, v] of [
    ['optimal limit', choice.optimalTimeLimitS],
    ['budget', choice.budgetS],
  ] as const)
    if (v !== undefined && !(v > 0 && Number.isFinite(v)))
      throw new ArbiterError('egs-bench-option', `the ${key} must be a positive number of seconds, not ${v}`);
}

/** The benchmark options of a run: the declared regime with `choice` applied. */
export function egsHeldOutRunOptions(
  choice: EgsHeldOutRunChoice,
  policies: EgsHeldOutPolicies = egsHeldOutPolicies(choice.model),
): EgsHeldOutOptions & { optimalTimeLimitS: number; budgetS: number } {
  checkEgsHeldOutChoice(choice);
  return {
    scheduler: policies.scheduler,
    searchScheduler: policies.searchScheduler,
    optimalTimeLimitS: choice.optimalTimeLimitS ?? EGS_HELD_OUT_LIMITS.optimalTimeLimitS,
    budgetS: choice.budgetS ?? EGS_HELD_OUT_LIMITS.budgetS,
    largeMethods: EGS_HELD_OUT_LARGE_METHODS,
    ...(choice.methods !== undefined && { methods: choice.methods }),
  };
}

/** Checks method names against {@link EGS_HELD_OUT_METHODS} (an {@link ArbiterError} names the bad one). */
export function parseEgsHeldOutMethods(names: readonly string[]): EgsHeldOutMethod[] {
  const known: readonly string[] = EGS_HELD_OUT_METHODS;
  for (const n of names)
    if (!known.includes(n))
      throw new ArbiterError(
        'egs-bench-option',
        `unknown method '${n}' (methods: ${EGS_HELD_OUT_METHODS.join(', ')})`,
      );
  if (names.length === 0) throw new ArbiterError('egs-bench-option', 'no method chosen');
  // Report order, whatever the order given.
  return EGS_HELD_OUT_METHODS.filter((m) => names.includes(m));
}

/**
 * The sets of `file` named in `only` (all when undefined), in the file's order; an unknown name
 * is an {@link ArbiterError} naming it, the file and the sets it holds.
 */
export function selectEgsHeldOutSets<T extends EgsHeldOutSets>(
  file: T,
  only: readonly string[] | undefined,
  source: string,
): T {
  if (only === undefined) return file;
  const names = file.sets.map((s) => s.name);
  for (const n of only)
    if (!names.includes(n))
      throw new ArbiterError('egs-bench-option', `no set '${n}' in ${source} (sets: ${names.join(', ')})`);
  if (only.length === 0) throw new ArbiterError('egs-bench-option', 'no set chosen');
  const sets: EgsHeldOutSet[] = file.sets.filter((s) => only.includes(s.name));
  return { ...file, sets };
}

/**
 * The set file of a run: `file`, or the package's own (default). The package's file is also
 * checked to be current (its declaration and DAGs as the code makes them now; a stale or missing
 * one is an {@link ArbiterError} naming it and the command that remakes it); another file is a
 * set of the user's own, so only its format and DAGs are checked.
 */
export async function openEgsHeldOutSetFile(file?: string): Promise<{ path: string; file: EgsSetFile }> {
  const own = file === undefined || path.resolve(file) === PACKAGE_EGS_SET_FILE;
  const p = file ?? PACKAGE_EGS_SET_FILE;
  return { path: p, file: await readEgsSetFile(p, own ? EGS_SET_DECLARATION : null, PACKAGE_ROOT) };
}
