/**
 * `PolicyNetGenerator` for CNN policies (OD3, Jang et al. 2020, Alg. 1 line 1, as the paper ran
 * it on pixels): from an edge device's budget — parameters, bytes, multiply-accumulates per
 * decision or a measured decision latency — the widest CNN of a family that fits every limit.
 *
 * The family scales every layer of a base network (default the paper's cloud "largenet",
 * `CNN_LARGENET`) by one factor s: each convolution keeps `max(minFilters, round(s · filters))`
 * filters and each fully connected layer `max(minFilters, round(s · units))` units; kernels,
 * strides and depth stay the base's, as the paper's edge "smallnet" keeps largenet's layers and
 * narrows them (16, 16, 16, 128 of 32, 64, 64, 512). Scales lie on a grid of `scaleStep`
 * (default 1/64) up to 1, and every cost grows with s, so the widest fitting scale is found by
 * bisection. Parameters, bytes and MACs are exact arithmetic; latency is measured on the
 * project's inference runtime with random weights and dense random inputs (the runtime skips
 * zero pixels, so sparse images decide faster than measured). Imports no TensorFlow.js.
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { CNN_LARGENET, cnnConvShapes, cnnCost, type CnnNetConfig } from '../nn/cnn-architecture.js';
import {
  POLICY_ARTIFACT_CNN_VERSION,
  POLICY_ARTIFACT_FORMAT,
  type FloatArtifactLayer,
  type FloatConvArtifactLayer,
  type FloatPolicyArtifact,
} from './policy-artifact.js';
import {
  brokenExactLimit,
  budgetLimits,
  medianDecisionUs,
  type ResourceBudget,
} from './policy-net-generator.js';

/** The CNN family searched by {@link generateCnnPolicyNet}. */
export interface CnnFamily {
  /** Observation image `[rows, cols, channels]`. */
  inputShape: readonly [number, number, number];
  /** Number of outputs (actions). */
  outputDim: number;
  /** The network whose layers are scaled. Default `CNN_LARGENET` (the paper's cloud network). */
  base?: CnnNetConfig;
  /** Grid of scales: `scaleStep, 2·scaleStep, …, 1`. Default 1/64. */
  scaleStep?: number;
  /** Fewest filters (units) a scaled layer keeps. Default 1. */
  minFilters?: number;
  /**
   * How the weights are stored for `maxBytes`: `'float32'` (4 B per parameter) or `'int8'` (1 B
   * per weight, Float32 bias and scale per filter or unit). Default `'float32'`.
   */
  precision?: 'float32' | 'int8';
}

/** Size figures of one scaled CNN. */
export interface CnnArchitectureCost {
  /** The architecture. */
  net: CnnNetConfig;
  /** Its scale of the base network. */
  scale: number;
  /** Scalar parameters. */
  params: number;
  /** Bytes of the stored weights at the family's precision. */
  bytes: number;
  /** Multiply-accumulates per decision. */
  macs: number;
  /** Measured median latency in µs (only when the budget has `maxLatencyUs`). */
  latencyUs?: number;
}

/** What {@link generateCnnPolicyNet} chose, and why. */
export interface CnnPolicyNetChoice extends CnnArchitectureCost {
  /** The budget it was chosen for. */
  budget: ResourceBudget;
  /** Parameters of the base network (the teacher's size, for the ratio). */
  baseParams: number;
  /** Candidates of the scale grid. */
  candidates: number;
  /** The next wider scale and the limit it breaks (none when the grid ends at 1). */
  nextLarger?: CnnArchitectureCost & { exceeds: string };
  /** Human-readable account of the choice. */
  explanation: string;
}

/** Measures the median single-decision latency (µs) of a CNN on `inputShape` images. */
export type CnnLatencyProbe = (
  inputShape: readonly [number, number, number],
  net: CnnNetConfig,
  outputDim: number,
) => number;

/** Options of {@link generateCnnPolicyNet}. */
export interface CnnPolicyNetGeneratorOptions {
  /** Latency measurement (default: {@link measureCnnLatencyUs}). */
  latencyProbe?: CnnLatencyProbe;
}

/** `base` with every layer's filters (units) scaled by `scale`, at least `minFilters` each. */
export function scaleCnn(base: CnnNetConfig, scale: number, minFilters = 1): CnnNetConfig {
  const w = (n: number): number => Math.max(minFilters, Math.round(scale * n));
  return {
    type: 'cnn',
    conv: base.conv.map((l) => ({ ...l, filters: w(l.filters) })),
    fc: (base.fc ?? []).map(w),
  };
}

/** Bytes of a CNN's weights: 4 per parameter, or (int8) 1 per weight plus 8 per filter or unit. */
export function cnnBytes(
  inputShape: readonly [number, number, number],
  net: CnnNetConfig,
  outputDim: number,
  precision: 'float32' | 'int8',
): number {
  const { params } = cnnCost(inputShape, net, outputDim);
  if (precision === 'float32') return 4 * params;
  const channels = [...net.conv.map((l) => l.filters), ...(net.fc ?? []), outputDim];
  const perChannel = channels.reduce((s, c) => s + c, 0);
  return params - perChannel + 8 * perChannel;
}

/**
 * A Float32 CNN artifact of `net` with seeded random weights (He-scaled normals), for latency
 * measurements.
 */
export function randomCnnArtifact(
  inputShape: readonly [number, number, number],
  net: CnnNetConfig,
  outputDim: number,
  seed = 1,
): FloatPolicyArtifact {
  const rng = new Rng(seed);
  const shapes = cnnConvShapes(inputShape, net.conv, 'randomCnnArtifact');
  const normals = (n: number, fanIn: number): Float32Array =>
    Float32Array.from({ length: n }, () => rng.normal() * Math.sqrt(2 / fanIn));
  const conv: FloatConvArtifactLayer[] = shapes.map((s) => ({
    inputShape: [s.inH, s.inW, s.inC],
    filters: s.outC,
    kernel: s.kernel,
    stride: s.stride,
    activation: 'relu',
    weights: normals(s.kernel * s.kernel * s.inC * s.outC, s.kernel * s.kernel * s.inC),
    bias: new Float32Array(s.outC),
  }));
  const last = shapes.at(-1)!;
  const dims = [last.outH * last.outW * last.outC, ...(net.fc ?? []), outputDim];
  const layers: FloatArtifactLayer[] = [];
  for (let l = 0; l + 1 < dims.length; l++)
    layers.push({
      inputDim: dims[l]!,
      outputDim: dims[l + 1]!,
      activation: l + 2 === dims.length ? 'linear' : 'relu',
      weights: normals(dims[l]! * dims[l + 1]!, dims[l]!),
      bias: new Float32Array(dims[l + 1]!),
    });
  const inputDim = inputShape[0] * inputShape[1] * inputShape[2];
  return {
    format: POLICY_ARTIFACT_FORMAT,
    version: POLICY_ARTIFACT_CNN_VERSION,
    kind: 'cnn',
    inputDim,
    outputDim,
    inputShape: [...inputShape],
    conv,
    layers,
    actionSpace: { kind: 'discrete', n: outputDim, start: 0 },
    decision: 'argmax',
  };
}

/**
 * Median µs per decision of the Float32 runtime on a CNN with random weights and dense random
 * inputs, over `repeats` timings of `decisions` calls each.
 */
export function measureCnnLatencyUs(
  inputShape: readonly [number, number, number],
  net: CnnNetConfig,
  outputDim: number,
  decisions = 200,
  repeats = 5,
): number {
  return medianDecisionUs(randomCnnArtifact(inputShape, net, outputDim), new Rng(2), decisions, repeats);
}

const fmt = (x: number): string => x.toLocaleString('en-US');

/** `conv 16-16-16, fc 128` of a CNN. */
function describeNet(net: CnnNetConfig): string {
  const fc = net.fc ?? [];
  return `conv ${net.conv.map((l) => l.filters).join('-')}` + (fc.length ? `, fc ${fc.join('-')}` : '');
}

/**
 * The widest scaled CNN of `family` that fits `budget` (see module doc). Throws `invalid-config`
 * for a malformed budget or family, and `budget-infeasible` when even the smallest scale breaks it.
 */
export function generateCnnPolicyNet(
  budget: ResourceBudget,
  family: CnnFamily,
  options: CnnPolicyNetGeneratorOptions = {},
): CnnPolicyNetChoice {
  const where = 'CnnPolicyNetGenerator';
  const limits = budgetLimits(budget, where);
  const base = family.base ?? CNN_LARGENET;
  const step = family.scaleStep ?? 1 / 64;
  const minFilters = family.minFilters ?? 1;
  const precision = family.precision ?? 'float32';
  const { inputShape, outputDim } = family;
  if (!(step > 0 && step <= 1))
    throw new ArbiterError('invalid-config', `${where}: family.scaleStep must be in (0, 1], got ${step}`);
  if (!Number.isInteger(minFilters) || minFilters < 1)
    throw new ArbiterError('invalid-config', `${where}: family.minFilters must be an integer ≥ 1`);
  if (!Number.isInteger(outputDim) || outputDim < 1)
    throw new ArbiterError('invalid-config', `${where}: family.outputDim must be an integer ≥ 1`);
  if (precision !== 'float32' && precision !== 'int8')
    throw new ArbiterError('invalid-config', `${where}: family.precision must be 'float32' or 'int8'`);
  cnnConvShapes(inputShape, base.conv, where); // the base's kernels must fit the image

  const scales: number[] = [];
  for (let k = 1; k * step <= 1 + 1e-12; k++) scales.push(Math.min(1, k * step));
  if (scales.at(-1)! < 1) scales.push(1);
  const probe =
    options.latencyProbe ??
    ((shape: readonly [number, number, number], net: CnnNetConfig, n: number) =>
      measureCnnLatencyUs(shape, net, n));
  const costOf = (scale: number): CnnArchitectureCost => {
    const net = scaleCnn(base, scale, minFilters);
    const { params, macs } = cnnCost(inputShape, net, outputDim);
    return { net, scale, params, macs, bytes: cnnBytes(inputShape, net, outputDim, precision) };
  };
  // The first limit a candidate breaks, exact ones first so latency is measured only when needed.
  const breaks = (scale: number): { c: CnnArchitectureCost; limit: string | undefined } => {
    const c = costOf(scale);
    const exact = brokenExactLimit(budget, c);
    if (exact !== undefined) return { c, limit: exact };
    if (budget.maxLatencyUs !== undefined) {
      c.latencyUs = probe(inputShape, c.net, outputDim);
      if (c.latencyUs > budget.maxLatencyUs)
        return { c, limit: `maxLatencyUs ${budget.maxLatencyUs} (measured ${c.latencyUs.toFixed(2)} µs)` };
    }
    return { c, limit: undefined };
  };
  let lo = -1;
  let hi = scales.length;
  const verdicts = new Map<number, ReturnType<typeof breaks>>();
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = breaks(scales[mid]!);
    verdicts.set(mid, r);
    if (r.limit === undefined) lo = mid;
    else hi = mid;
  }
  const budgetText = limits.map((k) => `${k} ${fmt(budget[k]!)}`).join(', ');
  const over = hi < scales.length ? (verdicts.get(hi) ?? breaks(scales[hi]!)) : undefined;
  const nextLarger = over && { ...over.c, exceeds: over.limit ?? 'the budget' };
  if (lo < 0)
    throw new ArbiterError(
      'budget-infeasible',
      `${where}: no scale of ${describeNet(base)} down to ${step} (${describeNet(scaleCnn(base, scales[0]!, minFilters))}) fits ${budgetText}` +
        (nextLarger ? `; it breaks ${nextLarger.exceeds}` : ''),
    );
  const best = verdicts.get(lo)!.c;
  const baseParams = cnnCost(inputShape, base, outputDim).params;
  const figures = (c: CnnArchitectureCost): string =>
    `${fmt(c.params)} params (${((100 * c.params) / baseParams).toFixed(1)} % of the base), ${fmt(c.bytes)} B (${precision}), ${fmt(c.macs)} MACs` +
    (c.latencyUs !== undefined ? `, ${c.latencyUs.toFixed(2)} µs/decision` : '');
  const explanation =
    `Budget ${budgetText}: chose ${describeNet(best.net)} (scale ${best.scale.toFixed(4)} of ${describeNet(base)}) — ` +
    `${figures(best)}; the widest of ${scales.length} scales (step ${step}, every layer scaled alike).` +
    (nextLarger
      ? ` The next wider, ${describeNet(nextLarger.net)}, breaks ${nextLarger.exceeds}.`
      : ' It is the base network itself.');
  return {
    ...best,
    budget: { ...budget },
    baseParams,
    candidates: scales.length,
    ...(nextLarger && { nextLarger }),
    explanation,
  };
}
