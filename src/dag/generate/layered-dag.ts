/**
 * The random layered DAG family: nodes split into layers, edges only from earlier to later layers,
 * each node's layer equal to its depth.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { DagNodeSpec, DagTaskSpec, NodeId } from '../dag-task.js';

/** Options of {@link generateLayeredDag}. */
export interface LayeredDagOptions {
  /** Total number of nodes, dummy source/sink included (integer ≥ 1; ≥ 3 with `singleSourceSink`). */
  nodes: number;
  /**
   * Number of layers of the random nodes: a count, or an inclusive range `[lo, hi]` drawn
   * uniformly. Clamped to `[1, number of random nodes]`. Default `round(√n)`.
   */
  layers?: number | [number, number];
  /** Probability of an edge between two nodes of adjacent layers, in [0, 1]. Default 0.3. */
  edgeProbability?: number;
  /**
   * Skip-layer edges: an edge from layer `a` to layer `b > a + 1` appears with probability
   * `edgeProbability · skipLayerFactor^(b − a − 1)`, in [0, 1]. 0 gives adjacent-layer edges
   * only. Default 0.2.
   */
  skipLayerFactor?: number;
  /**
   * Every node of a layer before the last gets at least one successor (one in the next layer is
   * added when the random edges gave it none), so no path ends early. Default true.
   */
  requireSuccessor?: boolean;
  /**
   * Adds a zero-WCET dummy source (`v0`) before the first layer and a zero-WCET dummy sink
   * (`v{n−1}`) after the last; they count towards `nodes`. Default false.
   */
  singleSourceSink?: boolean;
  /** Smallest WCET, an integer ≥ 1 (time units). Default 1. */
  wcetMin?: number;
  /** Largest WCET, an integer ≥ `wcetMin` (time units). Default 20. */
  wcetMax?: number;
  /** Task name. Default `layered-n{nodes}`. */
  name?: string;
}

/**
 * A random layered DAG task (no deadline; see `withSlackDeadline`). Nodes are split into layers
 * (each layer gets at least one node, the rest are spread uniformly); edges go only from earlier to
 * later layers. Every node of layer k > 0 has a predecessor in layer k − 1, so a node's layer is
 * exactly its depth (edges on the longest hop-path from a source). Ids are `v0 … v{n−1}`, numbered
 * layer by layer, so the id order is a topological order. WCETs are integers drawn uniformly from
 * `[wcetMin, wcetMax]`. The same options and Rng state give the same spec.
 */
export function generateLayeredDag(options: LayeredDagOptions, rng: Rng): DagTaskSpec {
  const {
    nodes,
    edgeProbability = 0.3,
    skipLayerFactor = 0.2,
    requireSuccessor = true,
    singleSourceSink = false,
    wcetMin = 1,
    wcetMax = 20,
  } = options;
  checkCount('nodes', nodes, singleSourceSink ? 3 : 1);
  checkProbability('edgeProbability', edgeProbability);
  checkProbability('skipLayerFactor', skipLayerFactor);
  checkWcetRange(wcetMin, wcetMax);

  const offset = singleSourceSink ? 1 : 0;
  const m = nodes - 2 * offset; // random (non-dummy) nodes
  const layerCount = drawLayerCount(options.layers, m, rng);

  // Layer sizes: one node per layer first (no empty layer), the others spread uniformly.
  const sizes = new Array<number>(layerCount).fill(1);
  for (let k = layerCount; k < m; k++) sizes[rng.int(layerCount)]! += 1;
  const layerOf: number[] = [];
  const firstOf: number[] = []; // first node index (among random nodes) of each layer
  sizes.forEach((size, layer) => {
    firstOf.push(layerOf.length);
    for (let k = 0; k < size; k++) layerOf.push(layer);
  });
  firstOf.push(m);

  const edges: [number, number][] = [];
  const hasPred = new Uint8Array(m);
  const hasSucc = new Uint8Array(m);
  for (let u = 0; u < m; u++) {
    for (let v = firstOf[layerOf[u]! + 1]!; v < m; v++) {
      const gap = layerOf[v]! - layerOf[u]!;
      const p = gap === 1 ? edgeProbability : edgeProbability * skipLayerFactor ** (gap - 1);
      if (rng.bernoulli(p)) {
        edges.push([u, v]);
        if (gap === 1) hasPred[v] = 1; // only an adjacent-layer predecessor fixes v's depth
        hasSucc[u] = 1;
      }
    }
  }
  // Connectivity repairs, in a fixed order so the result stays a function of the seed.
  for (let v = firstOf[1] ?? m; v < m; v++) {
    if (hasPred[v]) continue;
    const layer = layerOf[v]!;
    const u = firstOf[layer - 1]! + rng.int(sizes[layer - 1]!);
    edges.push([u, v]);
    hasSucc[u] = 1;
  }
  if (requireSuccessor) {
    for (let u = 0; u < firstOf[layerCount - 1]!; u++) {
      if (hasSucc[u]) continue;
      const layer = layerOf[u]!;
      edges.push([u, firstOf[layer + 1]! + rng.int(sizes[layer + 1]!)]);
      hasSucc[u] = 1;
    }
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const id = (i: number): NodeId => `v${i}`;
  const specNodes: DagNodeSpec[] = [];
  if (singleSourceSink) specNodes.push({ id: id(0), wcet: 0 });
  for (let i = 0; i < m; i++) specNodes.push({ id: id(i + offset), wcet: rng.intBetween(wcetMin, wcetMax) });
  if (singleSourceSink) specNodes.push({ id: id(nodes - 1), wcet: 0 });

  const specEdges: [NodeId, NodeId][] = [];
  // The dummies attach to every random source / sink, so they are the only source and sink.
  if (singleSourceSink) for (let v = 0; v < firstOf[1]!; v++) specEdges.push([id(0), id(v + 1)]);
  for (const [u, v] of edges) specEdges.push([id(u + offset), id(v + offset)]);
  if (singleSourceSink)
    for (let u = 0; u < m; u++) if (!hasSucc[u]) specEdges.push([id(u + 1), id(nodes - 1)]);

  return { name: options.name ?? `layered-n${nodes}`, nodes: specNodes, edges: specEdges };
}

function drawLayerCount(layers: LayeredDagOptions['layers'], m: number, rng: Rng): number {
  let k: number;
  if (layers === undefined) k = Math.round(Math.sqrt(m));
  else if (typeof layers === 'number') {
    checkCount('layers', layers, 1);
    k = layers;
  } else {
    const [lo, hi] = layers;
    checkCount('layers', lo, 1);
    checkCount('layers', hi, lo);
    k = rng.intBetween(lo, hi);
  }
  return Math.min(Math.max(k, 1), m);
}

function checkCount(what: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min)
    throw new ArbiterError('bad-option', `${what} must be an integer >= ${min}, got ${x}`);
}

function checkProbability(what: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new ArbiterError('bad-option', `${what} must be in [0, 1], got ${p}`);
}

function checkWcetRange(lo: number, hi: number): void {
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi < lo)
    throw new ArbiterError(
      'bad-option',
      `the WCET range must be integers 1 <= wcetMin <= wcetMax, got [${lo}, ${hi}]`,
    );
}
