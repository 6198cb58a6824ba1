/**
 * `PolicyNetGenerator` for the EGS graph policy family (OD3 distillation applied to EGS): from a resource
 * budget — parameters, bytes, multiply-accumulates per decision on a graph of `nodes` nodes, or a
 * measured decision latency — the largest graph network (embedding width d × attention layers L)
 * that fits every given limit. The MLP family is in `policy-net-generator.ts`; the budget type and
 * the meaning of "largest" (most parameters, then fewer layers) are the same.
 *
 * Costs count the decision path only (embedding, attention layers, final norm, pairwise decoder;
 * the value head is training-only). MACs per decision on n nodes:
 * `n·F·d + L·(4·n·d² + 2·n·d·f + 2·n²·d + n²·K·H) + 2·n·d² + n²·d` with f = 2d.
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { GraphNetF32, graphNetParams, type GraphNetDims } from '../nn/graph-net-f32.js';
import { budgetLimits, type ResourceBudget } from './policy-net-generator.js';

/** The graph-policy family searched by {@link generateGraphPolicyNet}. */
export interface GraphPolicyFamily {
  /** Features per node (EGS: 6). */
  nodeFeatureDim: number;
  /** Relation channels (EGS: 4). */
  relationDim: number;
  /** Node count at which MACs and latency are counted (default 50). */
  nodes?: number;
  /** Embedding widths tried (default 8, 16, 24, 32, 48, 64, 96, 128); each must be divisible by `numHeads`. */
  hiddenDims?: readonly number[];
  /** Attention layer counts tried (default 1, 2, 3). */
  layers?: readonly number[];
  /** Attention heads (default 4). */
  numHeads?: number;
}

/** Cost of one graph architecture. */
export interface GraphArchitectureCost {
  /** The network dimensions (value head included, as trained). */
  dims: GraphNetDims;
  /** Decision-path parameters. */
  params: number;
  /** Float32 bytes of those parameters. */
  bytes: number;
  /** Multiply-accumulates per decision on `nodes` nodes. */
  macs: number;
  /** Median measured latency of one decision (encode + pair logits), when a latency limit is given. */
  latencyUs?: number;
}

/** What {@link generateGraphPolicyNet} chose and why. */
export interface GraphPolicyNetChoice extends GraphArchitectureCost {
  /** The budget. */
  budget: ResourceBudget;
  /** Candidates considered. */
  candidates: number;
  /** Human-readable reason. */
  explanation: string;
}

/** Dimensions of one candidate. */
function dimsOf(family: GraphPolicyFamily, d: number, layers: number): GraphNetDims {
  return {
    nodeFeatureDim: family.nodeFeatureDim,
    relationDim: family.relationDim,
    hiddenDim: d,
    numHeads: family.numHeads ?? 4,
    numLayers: layers,
    ffnDim: 2 * d,
    valueHiddenDim: 64,
    logitClip: 10,
  };
}

/** Parameters, bytes and MACs of a graph network on `nodes` nodes (decision path only). */
export function graphPolicyCost(dims: GraphNetDims, nodes: number): GraphArchitectureCost {
  const params = graphNetParams(dims)
    .filter((p) => !p.name.startsWith('value/'))
    .reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
  const { nodeFeatureDim: F, relationDim: K, hiddenDim: d, numHeads: H, numLayers: L, ffnDim: f } = dims;
  const n = nodes;
  const macs =
    n * F * d +
    L * (4 * n * d * d + 2 * n * d * f + 2 * n * n * d + n * n * K * H) +
    2 * n * d * d +
    n * n * d;
  return { dims, params, bytes: 4 * params, macs };
}

/** Median latency (µs) of one decision (encode + pair logits) on a random graph of `nodes` nodes. */
export function measureGraphPolicyLatencyUs(dims: GraphNetDims, nodes: number, repeats = 7): number {
  const rng = new Rng(7);
  const w: Record<string, Float32Array> = {};
  for (const p of graphNetParams(dims))
    w[p.name] = Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.1);
  const net = new GraphNetF32(dims, w);
  const g = {
    numNodes: nodes,
    nodeFeatures: Float32Array.from({ length: nodes * dims.nodeFeatureDim }, () => rng.random()),
    relations: Uint8Array.from({ length: nodes * nodes * dims.relationDim }, () =>
      rng.random() < 0.3 ? 1 : 0,
    ),
    relStride: nodes,
  };
  const out = new Float32Array(nodes * nodes);
  const run = (): void => {
    net.encode(g);
    net.pairLogits(nodes, out, nodes);
  };
  for (let i = 0; i < 3; i++) run(); // warm-up (JIT)
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    run();
    times.push((performance.now() - t0) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/**
 * The largest graph policy of `family` that fits `budget` (see the file comment). Throws
 * `invalid-config` for a malformed budget or family and `budget-infeasible` when nothing fits.
 */
export function generateGraphPolicyNet(
  budget: ResourceBudget,
  family: GraphPolicyFamily,
  options: { latencyProbe?: (dims: GraphNetDims, nodes: number) => number } = {},
): GraphPolicyNetChoice {
  const where = 'PolicyNetGenerator (graph)';
  const limits = budgetLimits(budget, where);
  const nodes = family.nodes ?? 50;
  const H = family.numHeads ?? 4;
  const hiddenDims = family.hiddenDims ?? [8, 16, 24, 32, 48, 64, 96, 128];
  const layers = family.layers ?? [1, 2, 3];
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new ArbiterError('invalid-config', `${where}: family.nodes must be an integer ≥ 1, got ${nodes}`);
  for (const d of hiddenDims)
    if (!Number.isInteger(d) || d < 1 || d % H !== 0)
      throw new ArbiterError(
        'invalid-config',
        `${where}: family.hiddenDims: ${d} is not a positive multiple of numHeads ${H}`,
      );
  for (const l of layers)
    if (!Number.isInteger(l) || l < 0)
      throw new ArbiterError('invalid-config', `${where}: family.layers: ${l} is not an integer ≥ 0`);
  const probe = options.latencyProbe ?? measureGraphPolicyLatencyUs;
  const fmt = (x: number): string => x.toLocaleString('en-US');

  // Exact limits first, so latency is measured only for candidates that pass them.
  const verdict = (c: GraphArchitectureCost): string | undefined => {
    if (budget.maxParams !== undefined && c.params > budget.maxParams)
      return `maxParams (needs ${fmt(c.params)})`;
    if (budget.maxBytes !== undefined && c.bytes > budget.maxBytes) return `maxBytes (needs ${fmt(c.bytes)})`;
    if (budget.maxMacs !== undefined && c.macs > budget.maxMacs) return `maxMacs (needs ${fmt(c.macs)})`;
    if (budget.maxLatencyUs !== undefined) {
      c.latencyUs = probe(c.dims, nodes);
      if (c.latencyUs > budget.maxLatencyUs) return `maxLatencyUs (measured ${c.latencyUs.toFixed(0)} µs)`;
    }
    return undefined;
  };
  let best: GraphArchitectureCost | undefined;
  let smallestOver: { c: GraphArchitectureCost; why: string } | undefined;
  let candidates = 0;
  for (const l of [...layers].sort((a, b) => a - b))
    for (const d of [...hiddenDims].sort((a, b) => a - b)) {
      candidates++;
      const c = graphPolicyCost(dimsOf(family, d, l), nodes);
      if (best && c.params <= best.params) continue; // cannot win: skip the (maybe measured) check
      const why = verdict(c);
      if (why === undefined) best = c;
      else if (!smallestOver || c.params < smallestOver.c.params) smallestOver = { c, why };
    }
  const budgetText = limits.map((k) => `${k} ${fmt(budget[k]!)}`).join(', ');
  if (!best)
    throw new ArbiterError(
      'budget-infeasible',
      `${where}: no graph policy (d ∈ {${hiddenDims.join(', ')}}, layers ∈ {${layers.join(', ')}}) fits ${budgetText}` +
        (smallestOver ? `; the smallest breaks ${smallestOver.why}` : ''),
    );
  const name = (c: GraphArchitectureCost): string =>
    `d = ${c.dims.hiddenDim}, ${c.dims.numLayers} layer${c.dims.numLayers === 1 ? '' : 's'}`;
  const explanation =
    `Budget ${budgetText} (costs on ${nodes}-node graphs): chose graph policy ${name(best)}, ${H} heads — ` +
    `${fmt(best.params)} decision params, ${fmt(best.bytes)} B, ${fmt(best.macs)} MACs` +
    (best.latencyUs !== undefined ? `, ${best.latencyUs.toFixed(0)} µs/decision` : '') +
    `; the largest by parameters of ${candidates} candidates.`;
  return { ...best, budget: { ...budget }, candidates, explanation };
}
