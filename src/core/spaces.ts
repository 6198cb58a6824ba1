/**
 * Spaces, as in Gymnasium: what an observation or action may be. Each space can
 * sample a value from a seeded {@link Rng}, test membership, and say how a value flattens into a
 * Float32Array for a network.
 */
import { ArbiterError } from './errors.js';
import type { Rng } from './rng.js';

/** Any space. */
export type Space = Discrete | Box | MultiDiscrete | DictSpace | GraphSpace;

/** `{start, …, start + n − 1}`; values are integers (plain `number`). */
export class Discrete {
  /** Discriminant for exhaustive switches. */
  readonly kind = 'discrete' as const;

  /**
   * @param n - number of values (≥ 1)
   * @param start - smallest value (default 0)
   */
  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Discrete: n must be an integer ≥ 1, got ${n}`);
  }

  /** A uniform value; with a mask, uniform among the allowed values (`mask[i] = 1`). */
  sample(rng: Rng, mask?: Uint8Array): number {
    if (!mask) return this.start + rng.int(this.n);
    let count = 0;
    for (let i = 0; i < this.n; i++) if (mask[i]) count++;
    if (count === 0) throw new RangeError('Discrete.sample: the mask allows no action');
    let k = rng.int(count);
    for (let i = 0; i < this.n; i++) if (mask[i] && k-- === 0) return this.start + i;
    throw new Error('unreachable');
  }

  /** Whether x is an integer in range. */
  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }
}

/** A box `low ≤ x ≤ high` of Float32 values with a shape; values are flat Float32Arrays. */
export class Box {
  /** Discriminant for exhaustive switches. */
  readonly kind = 'box' as const;
  /** Lower bounds, flat, one per element (may be −Infinity). */
  readonly low: Float32Array;
  /** Upper bounds, flat (may be +Infinity). */
  readonly high: Float32Array;
  /** Number of elements (product of the shape). */
  readonly size: number;

  /**
   * @param low - one bound for all elements, or one per element
   * @param high - same
   * @param shape - dimensions (default `[low.length]`)
   */
  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    readonly shape: readonly number[] = [typeof low === 'number' ? 1 : low.length],
  ) {
    this.size = shape.reduce((a, b) => a * b, 1);
    this.low = typeof low === 'number' ? new Float32Array(this.size).fill(low) : Float32Array.from(low);
    this.high = typeof high === 'number' ? new Float32Array(this.size).fill(high) : Float32Array.from(high);
    if (this.low.length !== this.size || this.high.length !== this.size)
      throw new RangeError(`Box: bounds must have ${this.size} elements`);
    for (let i = 0; i < this.size; i++)
      if (!(this.low[i]! <= this.high[i]!)) throw new RangeError(`Box: low[${i}] > high[${i}]`);
  }

  /** Uniform on bounded dimensions, normal on unbounded ones, exponential on half-bounded ones. */
  sample(rng: Rng): Float32Array {
    const x = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      const loF = Number.isFinite(lo);
      const hiF = Number.isFinite(hi);
      if (loF && hiF) x[i] = rng.uniform(lo, hi);
      else if (!loF && !hiF) x[i] = rng.normal();
      else if (loF) x[i] = lo - Math.log(1 - rng.random());
      else x[i] = hi + Math.log(1 - rng.random());
    }
    return x;
  }

  /** Whether x is a Float32Array of the right size inside the bounds (NaN is never inside). */
  contains(x: unknown): x is Float32Array {
    if (!(x instanceof Float32Array) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) if (!(x[i]! >= this.low[i]! && x[i]! <= this.high[i]!)) return false;
    return true;
  }
}

/** A vector of independent discrete choices `x[i] ∈ {0, …, nvec[i] − 1}`; values are Int32Arrays. */
export class MultiDiscrete {
  /** Discriminant for exhaustive switches. */
  readonly kind = 'multi-discrete' as const;
  /** Number of values of each component. */
  readonly nvec: Int32Array;

  /** @param nvec - number of values of each component (each ≥ 1) */
  constructor(nvec: ArrayLike<number>) {
    this.nvec = Int32Array.from(nvec);
    for (const k of this.nvec) if (k < 1) throw new RangeError('MultiDiscrete: every nvec entry must be ≥ 1');
  }

  /** A uniform value per component. */
  sample(rng: Rng): Int32Array {
    return Int32Array.from(this.nvec, (k) => rng.int(k));
  }

  /** Whether x is an Int32Array with every component in range. */
  contains(x: unknown): x is Int32Array {
    if (!(x instanceof Int32Array) || x.length !== this.nvec.length) return false;
    for (let i = 0; i < x.length; i++) if (!(x[i]! >= 0 && x[i]! < this.nvec[i]!)) return false;
    return true;
  }
}

/** A record of named sub-spaces; values are plain objects with the same keys. */
export class DictSpace {
  /** Discriminant for exhaustive switches. */
  readonly kind = 'dict' as const;

  /** @param spaces - the sub-space of each key */
  constructor(readonly spaces: Readonly<Record<string, Space>>) {}

  /** A sample of every sub-space. */
  sample(rng: Rng): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(this.spaces)) out[k] = s.sample(rng);
    return out;
  }

  /** Whether x has exactly the keys and each value is in its sub-space. */
  contains(x: unknown): x is Record<string, unknown> {
    if (typeof x !== 'object' || x === null) return false;
    const rec = x as Record<string, unknown>;
    const keys = Object.keys(this.spaces);
    if (Object.keys(rec).length !== keys.length) return false;
    return keys.every((k) => this.spaces[k]!.contains(rec[k]));
  }
}

/**
 * A graph observation with a variable number of nodes (EGS): `numNodes` nodes with
 * `nodeFeatureDim` features each (row-major in `nodeFeatures`) and `relationDim` relation
 * channels per ordered node pair (row-major `numNodes × numNodes × relationDim` in `relations`).
 */
export interface GraphObservation {
  /** Number of nodes n. */
  numNodes: number;
  /** n × nodeFeatureDim features. */
  nodeFeatures: Float32Array;
  /** n × n × relationDim pairwise relations (e.g. edge, reachability). */
  relations: Uint8Array;
}

/** Space of {@link GraphObservation}s with at most `maxNodes` nodes. */
export class GraphSpace {
  /** Discriminant for exhaustive switches. */
  readonly kind = 'graph' as const;

  /**
   * @param nodeFeatureDim - features per node
   * @param relationDim - relation channels per node pair
   * @param maxNodes - largest allowed graph
   */
  constructor(
    readonly nodeFeatureDim: number,
    readonly relationDim: number,
    readonly maxNodes: number,
  ) {}

  /** A random graph of 1…maxNodes nodes with uniform features in [0, 1) and random relations. */
  sample(rng: Rng): GraphObservation {
    const n = 1 + rng.int(this.maxNodes);
    const nodeFeatures = new Float32Array(n * this.nodeFeatureDim);
    for (let i = 0; i < nodeFeatures.length; i++) nodeFeatures[i] = rng.random();
    const relations = new Uint8Array(n * n * this.relationDim);
    for (let i = 0; i < relations.length; i++) relations[i] = rng.int(2);
    return { numNodes: n, nodeFeatures, relations };
  }

  /** Whether x is a graph observation of consistent sizes within maxNodes. */
  contains(x: unknown): x is GraphObservation {
    if (typeof x !== 'object' || x === null) return false;
    const g = x as GraphObservation;
    return (
      Number.isInteger(g.numNodes) &&
      g.numNodes >= 1 &&
      g.numNodes <= this.maxNodes &&
      g.nodeFeatures instanceof Float32Array &&
      g.nodeFeatures.length === g.numNodes * this.nodeFeatureDim &&
      g.relations instanceof Uint8Array &&
      g.relations.length === g.numNodes * g.numNodes * this.relationDim
    );
  }
}

/**
 * Length of the flat Float32 encoding of a space's values: Discrete → one-hot n; Box → size;
 * MultiDiscrete → Σ nvec (one-hot each); Dict → sum over keys in insertion order. Graph spaces
 * have no fixed flat size and throw.
 */
export function flatDim(space: Space): number {
  switch (space.kind) {
    case 'discrete':
      return space.n;
    case 'box':
      return space.size;
    case 'multi-discrete':
      return space.nvec.reduce((a, b) => a + b, 0);
    case 'dict':
      return Object.values(space.spaces).reduce((a, s) => a + flatDim(s), 0);
    case 'graph':
      throw new ArbiterError(
        'unsupported-space',
        'a Graph observation space has no fixed flat size: MLP policies and vector envs need Discrete, Box, MultiDiscrete or Dict spaces (graph environments need a graph policy)',
      );
  }
}

/**
 * Writes the flat encoding of `x` (see {@link flatDim}) into `out` at `offset`; returns the offset
 * after it. Allocation-free, for use in rollout loops.
 */
export function flattenInto(space: Space, x: unknown, out: Float32Array, offset = 0): number {
  switch (space.kind) {
    case 'discrete': {
      out.fill(0, offset, offset + space.n);
      out[offset + (x as number) - space.start] = 1;
      return offset + space.n;
    }
    case 'box':
      out.set(x as Float32Array, offset);
      return offset + space.size;
    case 'multi-discrete': {
      const v = x as Int32Array;
      for (let i = 0; i < space.nvec.length; i++) {
        const k = space.nvec[i]!;
        out.fill(0, offset, offset + k);
        out[offset + v[i]!] = 1;
        offset += k;
      }
      return offset;
    }
    case 'dict': {
      const rec = x as Record<string, unknown>;
      for (const [k, s] of Object.entries(space.spaces)) offset = flattenInto(s, rec[k], out, offset);
      return offset;
    }
    case 'graph':
      throw new ArbiterError('unsupported-space', 'a Graph observation space has no fixed flat size');
  }
}

/** The flat Float32 encoding of `x` as a new array. */
export function flatten(space: Space, x: unknown): Float32Array {
  const out = new Float32Array(flatDim(space));
  flattenInto(space, x, out, 0);
  return out;
}

/** Whether `x` is one of the space classes of this module. */
export function isSpace(x: unknown): x is Space {
  return (
    x instanceof Discrete ||
    x instanceof Box ||
    x instanceof MultiDiscrete ||
    x instanceof DictSpace ||
    x instanceof GraphSpace
  );
}

/** A Box bound in JSON: a number, or the strings `"Infinity"` / `"-Infinity"` (JSON has no infinities). */
export type JsonBound = number | 'Infinity' | '-Infinity';

/** Plain-JSON description of a space (for worker threads, checkpoints and model files). */
export type SpaceJson =
  | { kind: 'discrete'; n: number; start: number }
  | { kind: 'box'; low: JsonBound[]; high: JsonBound[]; shape: number[] }
  | { kind: 'multi-discrete'; nvec: number[] }
  | { kind: 'dict'; spaces: Record<string, SpaceJson> }
  | { kind: 'graph'; nodeFeatureDim: number; relationDim: number; maxNodes: number };

/** The plain-JSON description of a space; {@link spaceFromJson} rebuilds an equal space. */
export function spaceToJson(space: Space): SpaceJson {
  const bound = (v: number): JsonBound => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);
  switch (space.kind) {
    case 'discrete':
      return { kind: 'discrete', n: space.n, start: space.start };
    case 'box':
      return {
        kind: 'box',
        low: Array.from(space.low, bound),
        high: Array.from(space.high, bound),
        shape: [...space.shape],
      };
    case 'multi-discrete':
      return { kind: 'multi-discrete', nvec: Array.from(space.nvec) };
    case 'dict': {
      const spaces: Record<string, SpaceJson> = {};
      for (const [k, s] of Object.entries(space.spaces)) spaces[k] = spaceToJson(s);
      return { kind: 'dict', spaces };
    }
    case 'graph':
      return {
        kind: 'graph',
        nodeFeatureDim: space.nodeFeatureDim,
        relationDim: space.relationDim,
        maxNodes: space.maxNodes,
      };
  }
}

/** Rebuilds a space from {@link spaceToJson}'s description. */
export function spaceFromJson(json: SpaceJson): Space {
  const bound = (v: JsonBound): number => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
  switch (json.kind) {
    case 'discrete':
      return new Discrete(json.n, json.start);
    case 'box':
      return new Box(json.low.map(bound), json.high.map(bound), json.shape);
    case 'multi-discrete':
      return new MultiDiscrete(json.nvec);
    case 'dict': {
      const spaces: Record<string, Space> = {};
      for (const [k, s] of Object.entries(json.spaces)) spaces[k] = spaceFromJson(s);
      return new DictSpace(spaces);
    }
    case 'graph':
      return new GraphSpace(json.nodeFeatureDim, json.relationDim, json.maxNodes);
  }
}
