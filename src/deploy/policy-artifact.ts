/**
 * The standalone policy artifact: everything needed to take decisions with a trained MLP or CNN
 * policy (actor logits of PPO/A2C/REINFORCE, or DQN Q-values) without TensorFlow.js or the
 * training code. Version 1 holds dense layers only (`kind` `mlp`, `mlp-int8`); version 2 adds
 * convolution layers before them (`kind` `cnn`, `cnn-int8`, with `inputShape` and `conv`).
 * Readers take both versions; MLPs are still written as version 1, so older readers load them.
 * Two encodings: JSON (weights as number arrays) and a compact binary file (a JSON header and a
 * little-endian payload). Both round-trip the Float32 weights exactly; observation normalization
 * statistics stay doubles in both, so the exported runtime normalizes exactly as the model did.
 * This module imports nothing but the core errors, so a deployment can ship it alone.
 */
import { ArbiterError, ValidationError } from '../core/errors.js';

/** Format tag of every artifact. */
export const POLICY_ARTIFACT_FORMAT = 'arbiter-policy' as const;
/** Version of MLP artifacts (dense layers only). */
export const POLICY_ARTIFACT_VERSION = 1 as const;
/** Version of CNN artifacts (convolutions, then dense layers). */
export const POLICY_ARTIFACT_CNN_VERSION = 2 as const;
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

/**
 * Geometry of a convolution layer: 'valid' padding, a square `kernel`, `stride` in both directions,
 * NHWC images (`[row][col][channel]`) as TensorFlow's.
 */
export interface ConvArtifactGeometry {
  /** Input `[rows, cols, channels]`. */
  inputShape: [number, number, number];
  /** Output channels. */
  filters: number;
  /** Side of the square kernel. */
  kernel: number;
  /** Stride. */
  stride: number;
  /** Nonlinearity after the layer. */
  activation: ArtifactActivation;
}

/** A Float32 convolution layer: `weights` row-major `[kernel][kernel][inC][filters]`. */
export interface FloatConvArtifactLayer extends ConvArtifactGeometry {
  /** `kernel² · inC · filters` weights. */
  weights: Float32Array;
  /** `filters` biases. */
  bias: Float32Array;
}

/** An int8 convolution layer: `W ≈ scales[f] · weights` per filter f (as {@link Int8ArtifactLayer}). */
export interface Int8ConvArtifactLayer extends ConvArtifactGeometry {
  /** `kernel² · inC · filters` quantized weights in [−127, 127]. */
  weights: Int8Array;
  /** `filters` dequantization scales. */
  scales: Float32Array;
  /** `filters` biases. */
  bias: Float32Array;
}

/** Output `[rows, cols, channels]` of a convolution layer ('valid' padding). */
export function convOutputShape(l: ConvArtifactGeometry): [number, number, number] {
  const [h, w] = l.inputShape;
  return [Math.floor((h - l.kernel) / l.stride) + 1, Math.floor((w - l.kernel) / l.stride) + 1, l.filters];
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
  /** 1 for MLPs, 2 for CNNs ({@link POLICY_ARTIFACT_CNN_VERSION}). */
  version: typeof POLICY_ARTIFACT_VERSION | typeof POLICY_ARTIFACT_CNN_VERSION;
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

/** A Float32 MLP artifact, or a CNN one (`kind: 'cnn'`: convolutions, flatten, dense layers). */
export interface FloatPolicyArtifact extends ArtifactCommon {
  kind: 'mlp' | 'cnn';
  /** Image shape of the (flat, NHWC) observation; CNNs only. */
  inputShape?: [number, number, number];
  /** Convolution layers before the dense ones; CNNs only. */
  conv?: FloatConvArtifactLayer[];
  /** Dense layers in order (the first reads the flattened last convolution of a CNN). */
  layers: FloatArtifactLayer[];
}

/** An int8-weight MLP or CNN artifact (see `quantize-int8.ts`). */
export interface Int8PolicyArtifact extends ArtifactCommon {
  kind: 'mlp-int8' | 'cnn-int8';
  /** Image shape of the observation; CNNs only. */
  inputShape?: [number, number, number];
  /** Convolution layers; CNNs only. */
  conv?: Int8ConvArtifactLayer[];
  /** Dense layers in order. */
  layers: Int8ArtifactLayer[];
}

/** Whether the artifact's weights are int8 (`mlp-int8`, `cnn-int8`). */
export function isInt8Artifact(a: PolicyArtifact): a is Int8PolicyArtifact {
  return a.kind === 'mlp-int8' || a.kind === 'cnn-int8';
}

/** A standalone policy (see module doc). */
export type PolicyArtifact = FloatPolicyArtifact | Int8PolicyArtifact;

const ACTIVATIONS: readonly string[] = ['tanh', 'relu', 'linear'];
const KINDS: readonly string[] = ['mlp', 'mlp-int8', 'cnn', 'cnn-int8'];

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
  if (a.version !== POLICY_ARTIFACT_VERSION && a.version !== POLICY_ARTIFACT_CNN_VERSION)
    fail(
      'version',
      `'version' must be ${POLICY_ARTIFACT_VERSION} or ${POLICY_ARTIFACT_CNN_VERSION}, got ${JSON.stringify(a.version)}`,
    );
  if (!KINDS.includes(a.kind as string))
    fail('kind', `'kind' must be one of ${KINDS.join(', ')}, got ${JSON.stringify(a.kind)}`);
  const kind = a.kind as PolicyArtifact['kind'];
  const isCnn = kind === 'cnn' || kind === 'cnn-int8';
  const int8 = kind === 'mlp-int8' || kind === 'cnn-int8';
  if (isCnn && a.version !== POLICY_ARTIFACT_CNN_VERSION)
    fail(
      'version',
      `a '${kind}' artifact needs version ${POLICY_ARTIFACT_CNN_VERSION}, got ${JSON.stringify(a.version)}`,
    );
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
  const activationOf = (v: unknown, item: string): ArtifactActivation => {
    if (typeof v !== 'string' || !ACTIVATIONS.includes(v))
      fail('activation', `must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(v)}`, item);
    return v as ArtifactActivation;
  };
  let width = inputDim;
  let inputShape: [number, number, number] | undefined;
  let conv: (FloatConvArtifactLayer | Int8ConvArtifactLayer)[] | undefined;
  if (isCnn) {
    const shape = a.inputShape;
    if (!Array.isArray(shape) || shape.length !== 3)
      fail('input-shape', `'inputShape' must be [rows, cols, channels]`, 'inputShape');
    inputShape = (shape as unknown[]).map((v, i) => dim(v, `inputShape[${i}]`)) as [number, number, number];
    if (inputShape[0] * inputShape[1] * inputShape[2] !== inputDim)
      fail(
        'input-shape',
        `[${inputShape.join(', ')}] does not hold inputDim = ${inputDim} values`,
        'inputShape',
      );
    if (!Array.isArray(a.conv) || a.conv.length === 0)
      fail('conv', `'conv' must be a non-empty array of convolution layers`, 'conv');
    let here = inputShape;
    conv = (a.conv as unknown[]).map((rc, l) => {
      const item = `conv[${l}]`;
      if (typeof rc !== 'object' || rc === null) return fail('conv', 'must be an object', item);
      const C = rc as Record<string, unknown>;
      const given = C.inputShape;
      if (!Array.isArray(given) || given.join(',') !== here.join(','))
        fail(
          'layer-chain',
          `inputShape ${JSON.stringify(given)} differs from the previous output [${here.join(', ')}]`,
          item,
        );
      const geometry: ConvArtifactGeometry = {
        inputShape: [...here],
        filters: dim(C.filters, `${item}.filters`),
        kernel: dim(C.kernel, `${item}.kernel`),
        stride: dim(C.stride, `${item}.stride`),
        activation: activationOf(C.activation, item),
      };
      if (geometry.kernel > here[0] || geometry.kernel > here[1])
        fail('conv', `kernel ${geometry.kernel} does not fit the ${here[0]}×${here[1]} input`, item);
      const count = geometry.kernel * geometry.kernel * here[2] * geometry.filters;
      here = convOutputShape(geometry);
      const bias = floats(C.bias, geometry.filters, `${item}.bias`);
      return int8
        ? {
            ...geometry,
            weights: int8s(C.weights, count, `${item}.weights`),
            scales: floats(C.scales, geometry.filters, `${item}.scales`),
            bias,
          }
        : { ...geometry, weights: floats(C.weights, count, `${item}.weights`), bias };
    });
    width = here[0] * here[1] * here[2];
  } else if (a.conv !== undefined || a.inputShape !== undefined)
    fail('kind', `'conv' and 'inputShape' need kind 'cnn' or 'cnn-int8', not '${kind}'`, 'conv');
  const layers = rawLayers.map((rl, l) => {
    const item = `layers[${l}]`;
    if (typeof rl !== 'object' || rl === null) return fail('layers', 'must be an object', item);
    const L = rl as Record<string, unknown>;
    const inDim = dim(L.inputDim, `${item}.inputDim`);
    const outDim = dim(L.outputDim, `${item}.outputDim`);
    if (inDim !== width)
      fail('layer-chain', `inputDim ${inDim} differs from the previous width ${width}`, item);
    width = outDim;
    const activation = activationOf(L.activation, item);
    const bias = floats(L.bias, outDim, `${item}.bias`);
    if (!int8)
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
    version: isCnn ? POLICY_ARTIFACT_CNN_VERSION : POLICY_ARTIFACT_VERSION,
    inputDim,
    outputDim,
    ...(normalization && { normalization }),
    actionSpace: { kind: 'discrete' as const, n, start: start as number },
    decision: 'argmax' as const,
    ...(typeof a.source === 'object' && a.source !== null && { source: a.source as ArtifactSource }),
  };
  const cnnPart = isCnn ? { inputShape: inputShape!, conv: conv! } : {};
  return int8
    ? {
        ...common,
        kind: kind as Int8PolicyArtifact['kind'],
        ...(cnnPart as { conv?: Int8ConvArtifactLayer[] }),
        layers: layers as Int8ArtifactLayer[],
      }
    : {
        ...common,
        kind: kind as FloatPolicyArtifact['kind'],
        ...(cnnPart as { conv?: FloatConvArtifactLayer[] }),
        layers: layers as FloatArtifactLayer[],
      };
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
  (artifact.conv ?? []).forEach((l, k) => {
    check(l.weights, `conv ${k} weights`);
    if ('scales' in l) check(l.scales, `conv ${k} scales`);
    check(l.bias, `conv ${k} bias`);
  });
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
  const conv = artifact.conv?.map((l) => ({
    ...l,
    inputShape: [...l.inputShape],
    weights: Array.from(l.weights),
    ...('scales' in l && { scales: Array.from(l.scales) }),
    bias: Array.from(l.bias),
  }));
  return JSON.stringify({ ...artifact, ...(conv && { conv }), layers }) + '\n';
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
// zero-padded to a multiple of 4 | per conv layer (CNNs), then per dense layer: weights (f32 or
// i8, padded to 4), [scales f32], bias f32. All numbers little-endian.

const pad4 = (n: number): number => (n + 3) & ~3;

/** The artifact as compact binary (see the layout above). */
export function encodePolicyArtifact(artifact: PolicyArtifact): Uint8Array {
  assertArtifactFinite(artifact);
  const header = {
    ...artifact,
    ...(artifact.conv && {
      conv: artifact.conv.map((l) => ({
        inputShape: l.inputShape,
        filters: l.filters,
        kernel: l.kernel,
        stride: l.stride,
        activation: l.activation,
      })),
    }),
    layers: artifact.layers.map((l) => ({
      inputDim: l.inputDim,
      outputDim: l.outputDim,
      activation: l.activation,
    })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const blocks: { weights: Float32Array | Int8Array; scales?: Float32Array; bias: Float32Array }[] = [
    ...(artifact.conv ?? []),
    ...artifact.layers,
  ];
  let size = 8 + pad4(headerBytes.length);
  for (const l of blocks) {
    size += pad4(l.weights.byteLength) + 4 * l.bias.length;
    if (l.scales) size += 4 * l.scales.length;
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
  for (const l of blocks) {
    if (l.weights instanceof Int8Array) {
      for (let i = 0; i < l.weights.length; i++) view.setInt8(off + i, l.weights[i]!);
      off += pad4(l.weights.length);
      putF32(l.scales!);
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
  const int8 = kind === 'mlp-int8' || kind === 'cnn-int8';
  /** Reads one layer's block: `count` weights, then (int8) `outDim` scales, then `outDim` biases. */
  const block = (L: Record<string, unknown>, count: number, outDim: number, item: string) => {
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(outDim) || outDim < 1)
      throw new ValidationError('dimension', 'layer sizes must be integers ≥ 1', { file, item });
    if (int8) {
      need(count, `${item}.weights`);
      const weights = new Int8Array(count);
      for (let i = 0; i < count; i++) weights[i] = view.getInt8(off + i);
      off += pad4(count);
      const scales = getF32(outDim, `${item}.scales`);
      return { ...L, weights, scales, bias: getF32(outDim, `${item}.bias`) };
    }
    const weights = getF32(count, `${item}.weights`);
    return { ...L, weights, bias: getF32(outDim, `${item}.bias`) };
  };
  const conv = Array.isArray(header.conv)
    ? (header.conv as Record<string, unknown>[]).map((C, l) => {
        const shape = C.inputShape as unknown[] | undefined;
        const k = Number(C.kernel);
        const inC = Number(Array.isArray(shape) ? shape[2] : NaN);
        return block(C, k * k * inC * Number(C.filters), Number(C.filters), `conv[${l}]`);
      })
    : undefined;
  const layers = (header.layers as Record<string, unknown>[]).map((L, l) =>
    block(L, Number(L.inputDim) * Number(L.outputDim), Number(L.outputDim), `layers[${l}]`),
  );
  if (off !== bytes.length)
    throw new ValidationError('trailing-bytes', `${bytes.length - off} bytes after the last layer`, { file });
  return validatePolicyArtifact({ ...header, ...(conv && { conv }), layers }, file);
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

/** Number of scalar parameters (weights and biases, convolutions included; int8 scales not counted). */
export function artifactParamCount(artifact: PolicyArtifact): number {
  const blocks: { weights: ArrayLike<number>; bias: ArrayLike<number> }[] = [
    ...(artifact.conv ?? []),
    ...artifact.layers,
  ];
  return blocks.reduce((s, l) => s + l.weights.length + l.bias.length, 0);
}
