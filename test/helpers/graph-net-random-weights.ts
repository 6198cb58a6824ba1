import type { Rng } from '../../src/core/rng.js';
import { graphNetParams, type GraphNetDims } from '../../src/nn/graph-net-f32.js';

/** Seeded normal weights of a graph network (times `scale`), for the kernel comparison tests. */
export function randomGraphNetWeights(
  dims: GraphNetDims,
  rng: Rng,
  scale: number,
): Record<string, Float32Array> {
  const w: Record<string, Float32Array> = {};
  for (const p of graphNetParams(dims)) {
    const size = p.shape.reduce((s, x) => s * x, 1);
    w[p.name] = Float32Array.from({ length: size }, () => scale * rng.normal());
  }
  return w;
}
