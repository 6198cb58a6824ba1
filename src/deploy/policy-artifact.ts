/**
 * The standalone policy artifact: everything needed to take decisions with a trained MLP policy
 * (actor logits of PPO/A2C/REINFORCE, or DQN Q-values) without TensorFlow.js or the training code.
 * Two encodings: JSON (weights as number arrays) and a compact binary file (a JSON header and a
 * little-endian payload). Both round-trip the Float32 weights exactly; observation normalization
 * statistics stay doubles in both, so the exported runtime normalizes exactly as the model did.
 * This module imports nothing but the core errors, so a deployment can ship it alone.
 */
import { ArbiterError, ValidationError } from '../core/errors.js';

/** Format tag of every artifact. */
export const POLICY_ARTIFACT_FORMAT = 'arbiter-policy' as const;
/** Current artifact version. */
export const POLICY_ARTIFACT_VERSION = 1 as const;
/** First four bytes of the binary encoding ("ARBP"). */
export const POLICY_ARTIFACT_MAGIC = 'ARBP';

/** Nonlinearity applied after a layer (the output layer is `'linear'`). */
export type ArtifactActivation = 'tanh' | 'relu' | 'linear';

/** A Float32 dense layer `y = act(x · W + b)`, `W` row-major `inputDim × outputDim`. */
export interface FloatArtifactLayer {
  /** Input width. */
  inputDim: number;
  /** Output width. */
  outputDim: number;
  /** Nonlinearity after the layer. */
  activation: ArtifactActivation;
  /** Row-major `inputDim × outputDim` kernel. */
  weights: Float32Array;
  /** `outputDim` biases. */
  bias: Float32Array;
}

/**
 * An int8 dense layer: `W[i][j] ≈ scales[j] · weights[i][j]` (symmetric, one scale per output
 * channel), Float32 bias.
 */
export interface Int8ArtifactLayer {
  /** Input width. */
  inputDim: number;
  /** Output width. */
  outputDim: number;
  /** Nonlinearity after the layer. */
  activation: ArtifactActivation;
  /** Row-major `inputDim × outputDim` quantized kernel in [−127, 127]. */
  weights: Int8Array;
  /** `outputDim` dequantization scales (one per output channel). */
  scales: Float32Array;
  /** `outputDim` biases. */
  bias: Float32Array;
}

/** Observation normalization as the model applied it: `clip((x − mean) / √(var + epsilon), ±clip)`. */
export interface ArtifactNormalization {
  /** Per-component running mean (doubles). */
  mean: number[];
  /** Per-component running population variance (doubles). */
  var: number[];
  /** Clip of the normalized value. */
  clip: number;
  /** Variance offset. */
  epsilon: number;
}

/** The action space the decision indexes: actions `start … start + n − 1`. */
export interface ArtifactActionSpace {
  /** Only discrete action spaces are exported. */
  kind: 'discrete';
  /** Number of actions (= outputDim). */
  n: number;
  /** Environment value of action index 0. */
  start: number;
}

/** Where the network came from (informative; not needed to run it). */
export interface ArtifactSource {
  /** Algorithm name, e.g. `ppo` or `dqn`. */
  algo: string;
  /** What the outputs mean. */
  outputs: 'logits' | 'q-values';
  /** Environment steps the model was trained for, when known. */
  timesteps?: number;
}

interface ArtifactCommon {
  /** Always {@link POLICY_ARTIFACT_FORMAT}. */
  format: typeof POLICY_ARTIFACT_FORMAT;
  /** Always {@link POLICY_ARTIFACT_VERSION}. */
  version: typeof POLICY_ARTIFACT_VERSION;
  /** Flat observation length. */
  inputDim: number;
  /** Output length (number of actions). */
  outputDim: number;
  /** Observation normalization, when the model used it. */
  normalization?: ArtifactNormalization;
  /** The action space. */
  actionSpace: ArtifactActionSpace;
  /** How an action is chosen from the outputs: the largest allowed one. */
  decision: 'argmax';
  /** Provenance. */
  source?: ArtifactSource;
}

/** A Float32 MLP artifact. */
export interface FloatPolicyArtifact extends ArtifactCommon {
  kind: 'mlp';
  /** Layers in order. */
  layers: FloatArtifactLayer[];
}

/** An int8-weight MLP artifact (see `quantize-int8.ts`). */
export interface Int8PolicyArtifact extends ArtifactCommon {
  kind: 'mlp-int8';
  /** Layers in order. */
  layers: Int8ArtifactLayer[];
}

/** A standalone policy (see module doc). */
export type PolicyArtifact = FloatPolicyArtifact | Int8PolicyArtifact;

const ACTIVATIONS: readonly string[] = ['tanh', 'relu', 'linear'];

// ───────────────────────────── validation ─────────────────────────────

/**
 * Checks a decoded artifact (plain object with typed or plain-number arrays) and returns it with
 * typed arrays. Throws a {@link ValidationError} naming `file`, the item and the violated rule.
 */
export function validatePolicyArtifact(raw: unknown, file = '<artifact>'): PolicyArtifact {
  const fail = (rule: string, detail: string, item?: string): never => {
    throw new ValidationError(rule, detail, item === undefined ? { file } : { file, item });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('artifact-object', 'the artifact must be a JSON object');
  const a = raw as Record<string, unknown>;
  if (a.format !== POLICY_ARTIFACT_FORMAT)
    fail('format', `'format' must be '${POLICY_ARTIFACT_FORMAT}', got ${JSON.stringify(a.format)}`);
  if (a.version !== POLICY_ARTIFACT_VERSION)
    fail('version', `'version' must be ${POLICY_ARTIFACT_VERSION}, got ${JSON.stringify(a.version)}`);
  if (a.kind !== 'mlp' && a.kind !== 'mlp-int8')
    fail('kind', `'kind' must be 'mlp' or 'mlp-int8', got ${JSON.stringify(a.kind)}`);
  const kind = a.kind as 'mlp' | 'mlp-int8';
  const dim = (v: unknown, item: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      fail('dimension', `must be an integer ≥ 1, got ${JSON.stringify(v)}`, item);
    return v as number;
  };
  const inputDim = dim(a.inputDim, 'inputDim');
  const outputDim = dim(a.outputDim, 'outputDim');
  if (a.decision !== 'argmax')
    fail('decision', `'decision' must be 'argmax', got ${JSON.stringify(a.decision)}`);

  const s = a.actionSpace as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null || s.kind !== 'discrete')
    fail('action-space', `'actionSpace' must be {kind: 'discrete', n, start}`, 'actionSpace');
  const n = dim(s!.n, 'actionSpace.n');
  if (n !== outputDim)
    fail('action-space', `n = ${n} differs from outputDim = ${outputDim}`, 'actionSpace.n');
  const start = s!.start ?? 0;
  if (typeof start !== 'number' || !Number.isInteger(start))
    fail('action-space', `start must be an integer, got ${JSON.stringify(start)}`, 'actionSpace.start');

  if (!Array.isArray(a.layers) || a.layers.length === 0)
    fail('layers', `'layers' must be a non-empty array`, 'layers');
  const rawLayers = a.layers as unknown[];
  const floats = (v: unknown, len: number, item: string): Float32Array => {
    if (!(v instanceof Float32Array) && !Array.isArray(v))
      fail('weights', 'must be an array of numbers', item);
    const arr = v as ArrayLike<unknown>;
    if (arr.length !== len) fail('weights-length', `has ${arr.length} values, expected ${len}`, item);
    const out = new Float32Array(len);
    for (let i = 0; i < len; i++) {
      const x = arr[i];
      if (typeof x !== 'number' || !Number.isFinite(x))
        fail('finite', `value ${i} is ${JSON.stringify(x)}, expected a finite number`, item);
      out[i] = x as number;
    }
    return out;
  };
  const int8s = (v: unknown, len: number, item: string): Int8Array => {
    if (!(v instanceof Int8Array) && !Array.isArray(v)) fail('weights', 'must be an array of integers', item);
    const arr = v as ArrayLike<unknown>;
    if (arr.length !== len) fail('weights-length', `has ${arr.length} values, expected ${len}`, item);
    const out = new Int8Array(len);
    for (let i = 0; i < len; i++) {
      const x = arr[i];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < -127 || x > 127)
        fail('int8-range', `value ${i} is ${JSON.stringify(x)}, expected an integer in [−127, 127]`, item);
      out[i] = x as number;
    }
    return out;
  };
  let width = inputDim;
  const layers = rawLayers.map((rl, l) => {
    const item = `layers[${l}]`;
    if (typeof rl !== 'object' || rl === null) return fail('layers', 'must be an object', item);
    const L = rl as Record<string, unknown>;
    const inDim = dim(L.inputDim, `${item}.inputDim`);
    const outDim = dim(L.outputDim, `${item}.outputDim`);
    if (inDim !== width)
      fail('layer-chain', `inputDim ${inDim} differs from the previous width ${width}`, item);
    width = outDim;
    if (typeof L.activation !== 'string' || !ACTIVATIONS.includes(L.activation))
      fail(
        'activation',
        `must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(L.activation)}`,
        item,
      );
    const activation = L.activation as ArtifactActivation;
    const bias = floats(L.bias, outDim, `${item}.bias`);
    if (kind === 'mlp')
      return {
        inputDim: inDim,
        outputDim: outDim,
        activation,
        weights: floats(L.weights, inDim * outDim, `${item}.weights`),
        bias,
      };
    return {
      inputDim: inDim,
      outputDim: outDim,
      activation,
      weights: int8s(L.weights, inDim * outDim, `${item}.weights`),
      scales: floats(L.scales, outDim, `${item}.scales`),
      bias,
    };
  });
  if (width !== outputDim)
    fail('layer-chain', `the last layer has ${width} outputs, outputDim is ${outputDim}`, 'layers');

  let normalization: ArtifactNormalization | undefined;
  if (a.normalization !== undefined && a.normalization !== null) {
    const N = a.normalization as Record<string, unknown>;
    const vec = (v: unknown, item: string): number[] => {
      if (!Array.isArray(v) || v.length !== inputDim)
        fail('normalization', `must be an array of ${inputDim} numbers`, item);
      const arr = v as unknown[];
      arr.forEach((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x))
          fail('finite', `value ${i} is ${JSON.stringify(x)}, expected a finite number`, item);
      });
      return arr as number[];
    };
    const mean = vec(N.mean, 'normalization.mean');
    const variance = vec(N.var, 'normalization.var');
    variance.forEach((v, i) => {
      if (v < 0) fail('normalization', `variance ${i} is negative (${v})`, 'normalization.var');
    });
    if (typeof N.clip !== 'number' || !(N.clip > 0))
      fail('normalization', `clip must be a number > 0, got ${JSON.stringify(N.clip)}`, 'normalization.clip');
    if (typeof N.epsilon !== 'number' || !(N.epsilon >= 0))
      fail('normalization', `epsilon must be ≥ 0, got ${JSON.stringify(N.epsilon)}`, 'normalization.epsilon');
    normalization = {
      mean: [...mean],
      var: [...variance],
      clip: N.clip as number,
      epsilon: N.epsilon as number,
    };
  }
  const common = {
    format: POLICY_ARTIFACT_FORMAT,
    version: POLICY_ARTIFACT_VERSION,
    inputDim,
    outputDim,
    ...(normalization && { normalization }),
    actionSpace: { kind: 'discrete' as const, n, start: start as number },
    decision: 'argmax' as const,
    ...(typeof a.source === 'object' && a.source !== null && { source: a.source as ArtifactSource }),
  };
  return kind === 'mlp'
    ? { ...common, kind, layers: layers as FloatArtifactLayer[] }
    : { ...common, kind, layers: layers as Int8ArtifactLayer[] };
}

/**
 * Throws a `ValidationError` (rule `finite`) naming the first layer array or normalizer statistic
 * that holds NaN or ±Infinity: such an artifact would be written but refused by every loader, so
 * no format is ever written from it. `source` names the model (e.g. its checkpoint folder).
 */
export function assertArtifactFinite(artifact: PolicyArtifact, source = '<artifact>'): void {
  const check = (arr: ArrayLike<number>, item: string): void => {
    for (let i = 0; i < arr.length; i++)
      if (!Number.isFinite(arr[i]!))
        throw new ValidationError(
          'finite',
          `value ${i} is ${arr[i]}: the model has non-finite weights (diverged training?), so nothing is exported`,
          { file: source, item },
        );
  };
  artifact.layers.forEach((l, k) => {
    check(l.weights, `layer ${k} weights`);
    if ('scales' in l) check(l.scales, `layer ${k} scales`);
    check(l.bias, `layer ${k} bias`);
  });
  if (artifact.normalization) {
    check(artifact.normalization.mean, 'normalization mean');
    check(artifact.normalization.var, 'normalization var');
  }
}

// ───────────────────────────── JSON ─────────────────────────────

/** The artifact as a JSON document (weights as number arrays; exact for Float32 and int8). */
export function policyArtifactToJson(artifact: PolicyArtifact): string {
  assertArtifactFinite(artifact);
  const layers = artifact.layers.map((l) => ({
    inputDim: l.inputDim,
    outputDim: l.outputDim,
    activation: l.activation,
    weights: Array.from(l.weights),
    ...('scales' in l && { scales: Array.from(l.scales) }),
    bias: Array.from(l.bias),
  }));
  return JSON.stringify({ ...artifact, layers }) + '\n';
}

/** Parses and validates a JSON artifact; `file` names the source in errors. */
export function policyArtifactFromJson(text: string, file = '<json>'): PolicyArtifact {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('json', e instanceof Error ? e.message : String(e), { file });
  }
  return validatePolicyArtifact(raw, file);
}

// ───────────────────────────── binary ─────────────────────────────
// Layout: "ARBP" | u32 header bytes | header JSON (UTF-8, the artifact without weight arrays),
// zero-padded to a multiple of 4 | per layer: weights (f32 or i8, padded to 4), [scales f32], bias f32.
// All numbers little-endian.

const pad4 = (n: number): number => (n + 3) & ~3;

/** The artifact as compact binary (see the layout above). */
export function encodePolicyArtifact(artifact: PolicyArtifact): Uint8Array {
  assertArtifactFinite(artifact);
  const header = {
    ...artifact,
    layers: artifact.layers.map((l) => ({
      inputDim: l.inputDim,
      outputDim: l.outputDim,
      activation: l.activation,
    })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let size = 8 + pad4(headerBytes.length);
  for (const l of artifact.layers) {
    size += pad4(l.weights.byteLength) + 4 * l.outputDim;
    if ('scales' in l) size += 4 * l.outputDim;
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(POLICY_ARTIFACT_MAGIC), 0);
  view.setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, 8);
  let off = 8 + pad4(headerBytes.length);
  const putF32 = (arr: Float32Array): void => {
    for (let i = 0; i < arr.length; i++, off += 4) view.setFloat32(off, arr[i]!, true);
  };
  for (const l of artifact.layers) {
    if ('scales' in l) {
      for (let i = 0; i < l.weights.length; i++) view.setInt8(off + i, l.weights[i]!);
      off += pad4(l.weights.length);
      putF32(l.scales);
    } else putF32(l.weights);
    putF32(l.bias);
  }
  return bytes;
}

/** Whether `bytes` start with the binary magic. */
export function isBinaryPolicyArtifact(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === POLICY_ARTIFACT_MAGIC;
}

/** Decodes and validates a binary artifact; `file` names the source in errors. */
export function decodePolicyArtifact(bytes: Uint8Array, file = '<binary>'): PolicyArtifact {
  if (!isBinaryPolicyArtifact(bytes))
    throw new ValidationError('magic', `not a binary policy artifact (expected '${POLICY_ARTIFACT_MAGIC}')`, {
      file,
    });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  if (8 + headerLen > bytes.length)
    throw new ValidationError('truncated', `header of ${headerLen} bytes runs past the end of the file`, {
      file,
    });
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<
      string,
      unknown
    >;
  } catch (e) {
    throw new ValidationError('header', e instanceof Error ? e.message : String(e), { file });
  }
  const kind = header.kind;
  if (!Array.isArray(header.layers))
    throw new ValidationError('layers', `'layers' must be a non-empty array`, { file, item: 'layers' });
  let off = 8 + pad4(headerLen);
  const need = (n: number, item: string): void => {
    if (off + n > bytes.length)
      throw new ValidationError('truncated', `payload ends before ${item}`, { file, item });
  };
  const getF32 = (n: number, item: string): Float32Array => {
    need(4 * n, item);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++, off += 4) out[i] = view.getFloat32(off, true);
    return out;
  };
  const layers = (header.layers as Record<string, unknown>[]).map((L, l) => {
    const inDim = Number(L.inputDim);
    const outDim = Number(L.outputDim);
    const count = inDim * outDim;
    if (!Number.isInteger(count) || count < 1)
      throw new ValidationError('dimension', 'inputDim and outputDim must be integers ≥ 1', {
        file,
        item: `layers[${l}]`,
      });
    if (kind === 'mlp-int8') {
      need(count, `layers[${l}].weights`);
      const weights = new Int8Array(count);
      for (let i = 0; i < count; i++) weights[i] = view.getInt8(off + i);
      off += pad4(count);
      const scales = getF32(outDim, `layers[${l}].scales`);
      return { ...L, weights, scales, bias: getF32(outDim, `layers[${l}].bias`) };
    }
    const weights = getF32(count, `layers[${l}].weights`);
    return { ...L, weights, bias: getF32(outDim, `layers[${l}].bias`) };
  });
  if (off !== bytes.length)
    throw new ValidationError('trailing-bytes', `${bytes.length - off} bytes after the last layer`, { file });
  return validatePolicyArtifact({ ...header, layers }, file);
}

// ───────────────────────────── files ─────────────────────────────

/** Reads an artifact file, JSON or binary (told apart by the magic bytes). */
export async function readPolicyArtifactFile(file: string): Promise<PolicyArtifact> {
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ArbiterError('file-not-found', `${file}: cannot read (${(e as Error).message})`);
  }
  return isBinaryPolicyArtifact(bytes)
    ? decodePolicyArtifact(bytes, file)
    : policyArtifactFromJson(new TextDecoder().decode(bytes), file);
}

/** Number of scalar parameters (weights and biases; int8 scales not counted). */
export function artifactParamCount(artifact: PolicyArtifact): number {
  return artifact.layers.reduce((s, l) => s + l.weights.length + l.bias.length, 0);
}
