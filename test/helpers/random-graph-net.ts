/** A small EGS graph network with random weights: a policy that knows nothing, for tests that must hold whatever the weights. */
import { Rng } from '../../src/core/rng.js';
import { GraphNetF32, graphNetParams, type GraphNetDims } from '../../src/nn/graph-net-f32.js';

/** Dimensions of {@link randomGraphNet} (the EGS observation: 6 node features, 4 relations). */
export const RANDOM_NET_DIMS: GraphNetDims = {
  nodeFeatureDim: 6,
  relationDim: 4,
  hiddenDim: 8,
  numHeads: 2,
  numLayers: 1,
  ffnDim: 16,
  valueHiddenDim: 8,
  logitClip: 10,
};

/** A network of `dims` (default {@link RANDOM_NET_DIMS}) with N(0, 1) weights drawn from `seed`. */
export function randomGraphNet(seed: number, dims: GraphNetDims = RANDOM_NET_DIMS): GraphNetF32 {
  const rng = new Rng(seed);
  const w: Record<string, Float32Array> = {};
  for (const p of graphNetParams(dims))
    w[p.name] = Float32Array.from({ length: p.shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1));
  return new GraphNetF32(dims, w);
}
