/**
 * The file format of a trained EGS graph policy (`arbiter-egs-graph-policy/2`): the network
 * dimensions, the observation feature set it was trained on (`features`: `v1` or `v2`), named
 * Float32 weights (as JSON numbers) and free metadata (how it was trained, its held-out score).
 * Files of format `/1` predate feature sets and read as `v1`. The package ships two: a small one ({@link SMALL_EGS_MODEL_PATH}), which `arbiter
 * schedule --method egs` uses, and a large one ({@link LARGE_EGS_MODEL_PATH}) for `egs-search`,
 * unless `--model` names another. Reading them needs no TensorFlow.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import { graphNetParams, validateGraphNetDims, type GraphNetDims } from '../nn/graph-net-f32.js';
import {
  EGS_FEATURE_SETS,
  egsFeatureSetOfDim,
  egsNodeFeatureDim,
  type EgsFeatureSet,
} from '../envs/egs/egs-observation.js';

/** Format tag of the {@link EgsPolicyModel} files written now. */
export const EGS_MODEL_FORMAT = 'arbiter-egs-graph-policy/2';

/** Format tag of the files written before feature sets (read as feature set `v1`). */
export const EGS_MODEL_FORMAT_V1 = 'arbiter-egs-graph-policy/1';

/** A trained EGS graph policy: dimensions, feature set, weights by parameter name, metadata. */
export interface EgsPolicyModel {
  /** The file's format tag ({@link EGS_MODEL_FORMAT}, or {@link EGS_MODEL_FORMAT_V1} as read). */
  format: typeof EGS_MODEL_FORMAT | typeof EGS_MODEL_FORMAT_V1;
  /** Network dimensions. */
  dims: GraphNetDims;
  /**
   * Observation feature set the network reads (default: the set of `dims.nodeFeatureDim`, `v1`
   * for six features); `dims.nodeFeatureDim` must be its dimension.
   */
  features?: EgsFeatureSet;
  /** One array per parameter of `graphNetParams(dims)`. */
  weights: Record<string, Float32Array>;
  /** Anything else the file carries (training command, steps, held-out score …). */
  meta: Record<string, unknown>;
}

/**
 * Path of the large shipped policy (`models/egs-graph-policy.json`: d = 32, two attention layers,
 * 21,953 parameters, `v2` features; `npm run bench -- egs-train-large` reproduces it), the default
 * of `egs-search`: a greedy episode about 4–5× the small one's time
 * (bench/results/egs/large-train/validation.md).
 */
export const LARGE_EGS_MODEL_PATH = fileURLToPath(
  new URL('../../models/egs-graph-policy.json', import.meta.url),
);

/**
 * Path of the small shipped policy (`models/egs-graph-policy-small.json`: d = 16, one attention
 * layer, `v2` features), the default of `egs`: a greedy 50-node decision sequence in milliseconds
 * (bench/results/egs.md); chosen on the learning ablation's validation set (bench/results/egs-learn.md).
 */
export const SMALL_EGS_MODEL_PATH = fileURLToPath(
  new URL('../../models/egs-graph-policy-small.json', import.meta.url),
);

/** The policy a method uses unless told otherwise: small for `egs`, large for `egs-search`. */
export function defaultEgsModelPath(method: 'egs' | 'egs-search'): string {
  return method === 'egs' ? SMALL_EGS_MODEL_PATH : LARGE_EGS_MODEL_PATH;
}

/**
 * A model file path from a CLI value: `small`, `large`, a path, or `default`/nothing for the
 * method's own ({@link defaultEgsModelPath}).
 */
export function resolveEgsModelPath(
  nameOrPath: string | undefined,
  method: 'egs' | 'egs-search' = 'egs',
): string {
  if (nameOrPath === undefined || nameOrPath === 'default') return defaultEgsModelPath(method);
  if (nameOrPath === 'small') return SMALL_EGS_MODEL_PATH;
  if (nameOrPath === 'large') return LARGE_EGS_MODEL_PATH;
  return nameOrPath;
}

/**
 * Checks a parsed JSON document and returns the model; throws `invalid-model` naming `source`,
 * the item and the rule.
 */
export function parseEgsPolicyModel(doc: unknown, source = 'model'): EgsPolicyModel {
  const fail = (item: string, rule: string): never => {
    throw new ArbiterError('invalid-model', `${source}: ${item}: ${rule}`);
  };
  if (typeof doc !== 'object' || doc === null) return fail('document', 'must be a JSON object');
  const d = doc as Record<string, unknown>;
  const format = d['format'] as EgsPolicyModel['format'];
  if (format !== EGS_MODEL_FORMAT && format !== EGS_MODEL_FORMAT_V1)
    fail(
      'format',
      `must be '${EGS_MODEL_FORMAT}' or '${EGS_MODEL_FORMAT_V1}', got ${JSON.stringify(format)}`,
    );
  const dims = d['dims'] as GraphNetDims | undefined;
  if (typeof dims !== 'object' || dims === null) return fail('dims', 'missing');
  try {
    validateGraphNetDims(dims);
  } catch (e) {
    fail('dims', e instanceof Error ? e.message : String(e));
  }
  let features: EgsFeatureSet = 'v1';
  if (format === EGS_MODEL_FORMAT) {
    const f = d['features'];
    if (!EGS_FEATURE_SETS.includes(f as EgsFeatureSet))
      fail('features', `must be one of ${EGS_FEATURE_SETS.join(', ')}, got ${JSON.stringify(f)}`);
    features = f as EgsFeatureSet;
  }
  if (dims.nodeFeatureDim !== egsNodeFeatureDim(features))
    fail(
      'dims.nodeFeatureDim',
      `must be ${egsNodeFeatureDim(features)} for feature set ${features}, got ${dims.nodeFeatureDim}`,
    );
  const raw = d['weights'] as Record<string, unknown> | undefined;
  if (typeof raw !== 'object' || raw === null) return fail('weights', 'missing');
  const weights: Record<string, Float32Array> = {};
  for (const p of graphNetParams(dims)) {
    const a = raw[p.name];
    const size = p.shape.reduce((s, x) => s * x, 1);
    if (!Array.isArray(a) || a.length !== size)
      fail(`weights.${p.name}`, `must be an array of ${size} numbers (shape ${p.shape.join('×')})`);
    const w = Float32Array.from(a as number[]);
    if (!w.every(Number.isFinite)) fail(`weights.${p.name}`, 'must hold finite numbers');
    weights[p.name] = w;
  }
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d))
    if (k !== 'format' && k !== 'dims' && k !== 'weights' && k !== 'features') meta[k] = v;
  return { format, dims: { ...dims }, features, weights, meta };
}

/** Reads and checks a model file (default: the shipped policy of `egs`, the small one). */
export function loadEgsPolicyModel(file: string = SMALL_EGS_MODEL_PATH): EgsPolicyModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ArbiterError(
      'model-not-found',
      `cannot read EGS model ${file}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ArbiterError(
      'invalid-model',
      `${file}: not JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  return parseEgsPolicyModel(doc, file);
}

/** The feature set of a model: its own, else the one of its node feature dimension. */
export function egsModelFeatures(model: Pick<EgsPolicyModel, 'dims' | 'features'>): EgsFeatureSet {
  const f = model.features ?? egsFeatureSetOfDim(model.dims.nodeFeatureDim);
  if (f === undefined)
    throw new ArbiterError(
      'invalid-model',
      `EGS model: no feature set has ${model.dims.nodeFeatureDim} node features`,
    );
  return f;
}

/** The JSON document of a model (format {@link EGS_MODEL_FORMAT}, weights as plain number arrays). */
export function egsPolicyModelToJson(model: Omit<EgsPolicyModel, 'format'>): string {
  const weights: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(model.weights)) weights[k] = Array.from(v);
  return JSON.stringify({
    format: EGS_MODEL_FORMAT,
    dims: model.dims,
    features: egsModelFeatures(model),
    ...model.meta,
    weights,
  });
}
