/**
 * `PolicyNetGenerator` of the OD3 algorithm (Jang et al., IEEE Access 2020, Alg. 1 line 1): from a
 * resource budget of an edge device — parameters, bytes, multiply-accumulates per decision, or a
 * target decision latency — the largest MLP policy of a family that fits every given limit.
 *
 * The family is `inputDim → w × depth → outputDim` (all hidden layers the same width, the shape
 * the RL baselines use), with widths on a grid (`widthStep`, default 8) and depths from a list
 * (default `[2]`). "Largest" means most parameters; between equal counts the shallower network
 * wins (one layer less is one dependency step less per decision). Parameters, bytes and MACs
 * are exact arithmetic; latency is measured on the project's own inference runtime
 * (`inference-runtime.ts`) with random weights, so it is a measurement on this machine, with its
 * noise. This module imports no TensorFlow.js.
 *
 * It is in deploy/ (not with the rest of OD3 in `src/agents/od3/`) because it runs the deploy
 * inference runtime and its budget type is shared with the EGS graph generator.
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { createPolicyRuntime } from './inference-runtime.js';
import {
  POLICY_ARTIFACT_FORMAT,
  POLICY_ARTIFACT_VERSION,
  type FloatArtifactLayer,
  type FloatPolicyArtifact,
  type PolicyArtifact,
} from './policy-artifact.js';

/** The limits of an edge device; give at least one. Every given limit must hold. */
export interface ResourceBudget {
  /** Most scalar parameters (weights + biases) of the decision network. */
  maxParams?: number;
  /** Most bytes of the deployed weights (see {@link MlpFamily.precision}). */
  maxBytes?: number;
  /** Most multiply-accumulates per decision (Σ inputs × outputs over layers). */
  maxMacs?: number;
  /** Longest median single-decision latency on this machine, in microseconds. */
  maxLatencyUs?: number;
}

/** The MLP family searched by {@link generatePolicyNet}. */
export interface MlpFamily {
  /** Flat observation length. */
  inputDim: number;
  /** Number of outputs (actions). */
  outputDim: number;
  /** Candidate numbers of hidden layers. Default `[2]`. */
  depths?: readonly number[];
  /** Smallest hidden width. Default 4. */
  minWidth?: number;
  /** Largest hidden width. Default 1024. */
  maxWidth?: number;
  /** Width grid: widths are minWidth and the multiples of widthStep above it. Default 8. */
  widthStep?: number;
  /**
   * How the weights are stored for `maxBytes`: `'float32'` (4 B per parameter) or `'int8'`
   * (1 B per weight, Float32 bias and per-output scale, as `quantize-int8.ts`). Default `'float32'`.
   */
  precision?: 'float32' | 'int8';
}

/** Measures the median single-decision latency (µs) of an MLP `[inputDim, ...hidden, outputDim]`. */
export type LatencyProbe = (dims: readonly number[]) => number;

/** Options of {@link generatePolicyNet}. */
export interface PolicyNetGeneratorOptions {
  /** Latency measurement (default: {@link measureMlpLatencyUs} on random weights). */
  latencyProbe?: LatencyProbe;
}

/** Size figures of one architecture. */
export interface ArchitectureCost {
  /** Hidden layer widths. */
  hiddenSizes: number[];
  /** Scalar parameters. */
  params: number;
  /** Bytes of the stored weights at the family's precision. */
  bytes: number;
  /** Multiply-accumulates per decision. */
  macs: number;
  /** Measured median latency in µs (only when the budget has `maxLatencyUs`). */
  latencyUs?: number;
}

/** What {@link generatePolicyNet} chose, and why. */
export interface PolicyNetChoice extends ArchitectureCost {
  /** The budget it was chosen for. */
  budget: ResourceBudget;
  /** Candidates considered (depth × width grid). */
  candidates: number;
  /** The next larger candidate of the family and the limit it breaks (none when the grid ends). */
  nextLarger?: ArchitectureCost & { exceeds: string };
  /** Human-readable account of the choice. */
  explanation: string;
}

/** Parameters, bytes and MACs of the MLP `dims = [inputDim, ...hidden, outputDim]`. */
export function mlpCost(
  dims: readonly number[],
  precision: 'float32' | 'int8' = 'float32',
): Omit<ArchitectureCost, 'latencyUs'> {
  let params = 0;
  let macs = 0;
  let bytes = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const n = dims[l]! * dims[l + 1]!;
    macs += n;
    params += n + dims[l + 1]!;
    bytes += precision === 'int8' ? n + 8 * dims[l + 1]! : 4 * (n + dims[l + 1]!);
  }
  return { hiddenSizes: dims.slice(1, -1), params, bytes, macs };
}

/**
 * Median µs per decision of the Float32 runtime on an MLP of shape `dims` with seeded random
 * weights (tanh hidden layers), over `repeats` timings of `decisions` calls each.
 */
export function measureMlpLatencyUs(dims: readonly number[], decisions = 500, repeats = 5): number {
  const rng = new Rng(1);
  const layers: FloatArtifactLayer[] = [];
  for (let l = 0; l + 1 < dims.length; l++)
    layers.push({
      inputDim: dims[l]!,
      outputDim: dims[l + 1]!,
      activation: l + 2 === dims.length ? 'linear' : 'tanh',
      weights: Float32Array.from({ length: dims[l]! * dims[l + 1]! }, () => rng.normal() * 0.1),
      bias: new Float32Array(dims[l + 1]!),
    });
  const artifact: FloatPolicyArtifact = {
    format: POLICY_ARTIFACT_FORMAT,
    version: POLICY_ARTIFACT_VERSION,
    kind: 'mlp',
    inputDim: dims[0]!,
    outputDim: dims[dims.length - 1]!,
    layers,
    actionSpace: { kind: 'discrete', n: dims[dims.length - 1]!, start: 0 },
    decision: 'argmax',
  };
  return medianDecisionUs(artifact, rng, decisions, repeats);
}

/**
 * Median µs per decision of the Float32 runtime on `artifact`, with 16 random normal
 * observations from `rng`, over `repeats` timings of `decisions` calls each (after a warm-up of
 * `decisions` calls for the JIT).
 */
export function medianDecisionUs(
  artifact: PolicyArtifact,
  rng: Rng,
  decisions: number,
  repeats: number,
): number {
  const rt = createPolicyRuntime(artifact);
  const states = Array.from({ length: 16 }, () =>
    Float32Array.from({ length: artifact.inputDim }, () => rng.normal()),
  );
  let sink = 0;
  for (let i = 0; i < decisions; i++) sink += rt.act(states[i & 15]!); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < decisions; i++) sink += rt.act(states[i & 15]!);
    times.push(((performance.now() - t0) * 1000) / decisions);
  }
  times.sort((a, b) => a - b);
  return sink < 0 ? Number.NaN : times[times.length >> 1]!;
}

/**
 * The first exact limit of `budget` (parameters, bytes, MACs) that `cost` breaks, as text naming
 * the limit and the need, or undefined when all hold. Latency is checked apart (it is measured).
 */
export function brokenExactLimit(
  budget: ResourceBudget,
  cost: { params: number; bytes: number; macs: number },
): string | undefined {
  if (budget.maxParams !== undefined && cost.params > budget.maxParams)
    return `maxParams ${fmt(budget.maxParams)} (needs ${fmt(cost.params)})`;
  if (budget.maxBytes !== undefined && cost.bytes > budget.maxBytes)
    return `maxBytes ${fmt(budget.maxBytes)} (needs ${fmt(cost.bytes)})`;
  if (budget.maxMacs !== undefined && cost.macs > budget.maxMacs)
    return `maxMacs ${fmt(budget.maxMacs)} (needs ${fmt(cost.macs)})`;
  return undefined;
}

/** The limits `budget` gives, checked: at least one, each a number > 0 (`invalid-config` naming `where`). */
export function budgetLimits(
  budget: ResourceBudget,
  where: string,
): ('maxParams' | 'maxBytes' | 'maxMacs' | 'maxLatencyUs')[] {
  const limits = (['maxParams', 'maxBytes', 'maxMacs', 'maxLatencyUs'] as const).filter(
    (k) => budget[k] !== undefined,
  );
  if (limits.length === 0)
    throw new ArbiterError(
      'invalid-config',
      `${where}: budget: give at least one of maxParams, maxBytes, maxMacs, maxLatencyUs`,
    );
  for (const k of limits)
    if (!(typeof budget[k] === 'number' && budget[k]! > 0))
      throw new ArbiterError(
        'invalid-config',
        `${where}: budget.${k} must be a number > 0, got ${budget[k]}`,
      );
  return limits;
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/**
 * The largest MLP of `family` that fits `budget` (see module doc). Throws `invalid-config` for a
 * malformed budget or family, and `budget-infeasible` when even the smallest candidate breaks it.
 */
export function generatePolicyNet(
  budget: ResourceBudget,
  family: MlpFamily,
  options: PolicyNetGeneratorOptions = {},
): PolicyNetChoice {
  const where = 'PolicyNetGenerator';
  const limits = budgetLimits(budget, where);
  const depths = family.depths ?? [2];
  const minWidth = family.minWidth ?? 4;
  const maxWidth = family.maxWidth ?? 1024;
  const step = family.widthStep ?? 8;
  const precision = family.precision ?? 'float32';
  const intAtLeast = (name: string, v: number, lo: number): void => {
    if (!Number.isInteger(v) || v < lo)
      throw new ArbiterError(
        'invalid-config',
        `${where}: family.${name} must be an integer ≥ ${lo}, got ${v}`,
      );
  };
  intAtLeast('inputDim', family.inputDim, 1);
  intAtLeast('outputDim', family.outputDim, 1);
  intAtLeast('minWidth', minWidth, 1);
  intAtLeast('maxWidth', maxWidth, minWidth);
  intAtLeast('widthStep', step, 1);
  if (depths.length === 0)
    throw new ArbiterError('invalid-config', `${where}: family.depths must list at least one depth`);
  depths.forEach((d) => intAtLeast('depths[]', d, 0));
  if (precision !== 'float32' && precision !== 'int8')
    throw new ArbiterError('invalid-config', `${where}: family.precision must be 'float32' or 'int8'`);

  const widths: number[] = [minWidth];
  for (let w = (Math.floor(minWidth / step) + 1) * step; w <= maxWidth; w += step) widths.push(w);
  const probe = options.latencyProbe ?? ((dims: readonly number[]) => measureMlpLatencyUs(dims));
  const latencyCache = new Map<string, number>();
  const cost = (hidden: number[]): ArchitectureCost => {
    const dims = [family.inputDim, ...hidden, family.outputDim];
    const c: ArchitectureCost = mlpCost(dims, precision);
    if (budget.maxLatencyUs !== undefined) {
      const key = dims.join(',');
      if (!latencyCache.has(key)) latencyCache.set(key, probe(dims));
      c.latencyUs = latencyCache.get(key)!;
    }
    return c;
  };
  // The first limit a candidate breaks, exact ones first so latency is measured only when needed.
  const breaks = (hidden: number[]): { c: ArchitectureCost; limit: string | undefined } => {
    const c = mlpCost([family.inputDim, ...hidden, family.outputDim], precision) as ArchitectureCost;
    const exact = brokenExactLimit(budget, c);
    if (exact !== undefined) return { c, limit: exact };
    const full = cost(hidden);
    if (budget.maxLatencyUs !== undefined && full.latencyUs! > budget.maxLatencyUs)
      return {
        c: full,
        limit: `maxLatencyUs ${budget.maxLatencyUs} (measured ${full.latencyUs!.toFixed(2)} µs)`,
      };
    return { c: full, limit: undefined };
  };

  let best: ArchitectureCost | undefined;
  let bestDepth = 0;
  let nextLarger: (ArchitectureCost & { exceeds: string }) | undefined;
  for (const depth of [...depths].sort((a, b) => a - b)) {
    const hiddenOf = (w: number): number[] => Array.from({ length: depth }, () => w);
    let fit: ArchitectureCost | undefined;
    let over: (ArchitectureCost & { exceeds: string }) | undefined;
    if (depth === 0) {
      const r = breaks([]);
      if (r.limit === undefined) fit = r.c;
      else over = { ...r.c, exceeds: r.limit };
    } else {
      // Every cost grows with the width, so the widest fitting width is found by bisection.
      let lo = -1;
      let hi = widths.length;
      const verdicts = new Map<number, ReturnType<typeof breaks>>();
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const r = breaks(hiddenOf(widths[mid]!));
        verdicts.set(mid, r);
        if (r.limit === undefined) lo = mid;
        else hi = mid;
      }
      if (lo >= 0) fit = verdicts.get(lo)!.c;
      if (hi < widths.length) {
        const r = verdicts.get(hi) ?? breaks(hiddenOf(widths[hi]!));
        over = { ...r.c, exceeds: r.limit ?? 'the budget' };
      }
    }
    if (fit && (!best || fit.params > best.params)) {
      best = fit;
      bestDepth = depth;
      nextLarger = over;
    } else if (!best && over && (!nextLarger || over.params < nextLarger.params)) nextLarger = over;
  }
  const budgetText = limits.map((k) => `${k} ${fmt(budget[k]!)}`).join(', ');
  if (!best)
    throw new ArbiterError(
      'budget-infeasible',
      `${where}: no MLP ${family.inputDim}→…→${family.outputDim} of depth ${depths.join('/')} and width ≥ ${minWidth} fits ${budgetText}` +
        (nextLarger ? `; the smallest breaks ${nextLarger.exceeds}` : ''),
    );
  const arch = (c: ArchitectureCost): string =>
    [family.inputDim, ...c.hiddenSizes, family.outputDim].join('→');
  const figures = (c: ArchitectureCost): string =>
    `${fmt(c.params)} params, ${fmt(c.bytes)} B (${precision}), ${fmt(c.macs)} MACs` +
    (c.latencyUs !== undefined ? `, ${c.latencyUs.toFixed(2)} µs/decision` : '');
  const candidates = depths.reduce((s, d) => s + (d === 0 ? 1 : widths.length), 0);
  const explanation =
    `Budget ${budgetText}: chose MLP ${arch(best)} (${bestDepth} hidden layer${bestDepth === 1 ? '' : 's'}) — ` +
    `${figures(best)}; the largest by parameters of ${candidates} candidates ` +
    `(depths ${depths.join('/')}, widths ${minWidth}…${maxWidth} step ${step}).` +
    (nextLarger
      ? ` The next wider at that depth, ${arch(nextLarger)}, breaks ${nextLarger.exceeds}.`
      : ' No wider candidate exists in the family.');
  return {
    ...best,
    budget: { ...budget },
    candidates,
    ...(nextLarger && { nextLarger }),
    explanation,
  };
}
