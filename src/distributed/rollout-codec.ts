/**
 * Env-runner messages as JSON for queue jobs: typed arrays travel as base64 of their bytes
 * (little-endian, as on every platform Node runs on), numbers and RNG states as they are. The
 * decoders check every field and each array's length, so a malformed job fails with a
 * `ValidationError` naming its source instead of training on garbage.
 */
import { z } from 'zod';
import type { CollectedRollout } from '../agents/rollout-source.js';
import { parseConfig } from '../core/config-schema.js';
import { ValidationError } from '../core/errors.js';
import { paddedGraphLayout } from '../core/wrappers/pad-graph-observation.js';
import type { RunnerRolloutRequest } from './env-runner.js';

type TypedArray = Float32Array | Int32Array | Uint8Array;

function toBase64(a: TypedArray): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64<A extends TypedArray>(
  s: string,
  make: (b: ArrayBuffer) => A,
  what: string,
  source: string,
): A {
  const bytes = Uint8Array.from(Buffer.from(s, 'base64'));
  const width = make(new ArrayBuffer(0)).BYTES_PER_ELEMENT;
  if (bytes.byteLength % width !== 0)
    throw new ValidationError(
      'array-length',
      `${source}: ${what} has ${bytes.byteLength} bytes, not a multiple of ${width}`,
    );
  return make(bytes.buffer);
}

const f32 = (b: ArrayBuffer): Float32Array => new Float32Array(b);
const i32 = (b: ArrayBuffer): Int32Array => new Int32Array(b);
const u8 = (b: ArrayBuffer): Uint8Array => new Uint8Array(b);

const RNG_STATE = z
  .object({
    s: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
    spareNormal: z.number().nullable(),
  })
  .strict();

const POSITIVE_INT = z.number().int().min(1);

// A graph policy's weights: its padded layout, sizes and every named Float32 weight as base64.
const GRAPH_WEIGHTS_SCHEMA = z
  .object({
    kind: z.literal('graph'),
    layout: z
      .object({
        maxNodes: POSITIVE_INT,
        nodeFeatureDim: POSITIVE_INT,
        relationDim: POSITIVE_INT,
        featuresOffset: z.literal(1),
        relationsOffset: POSITIVE_INT,
        size: POSITIVE_INT,
      })
      .strict(),
    dims: z
      .object({
        nodeFeatureDim: POSITIVE_INT,
        relationDim: POSITIVE_INT,
        hiddenDim: POSITIVE_INT,
        numHeads: POSITIVE_INT,
        numLayers: POSITIVE_INT,
        ffnDim: POSITIVE_INT,
        valueHiddenDim: POSITIVE_INT,
        logitClip: z.number().min(0),
      })
      .strict(),
    weights: z.record(z.string(), z.string()),
  })
  .strict();

const MLP_WEIGHTS_SCHEMA = z
  .object({ actor: z.string(), critic: z.string(), logStd: z.string().optional() })
  .strict();

const REQUEST_SCHEMA = z
  .object({
    weights: z.union([MLP_WEIGHTS_SCHEMA, GRAPH_WEIGHTS_SCHEMA]),
    numSteps: z.number().int().min(1),
    actionRngState: RNG_STATE,
    resetSeed: z.number().int(),
    replay: z
      .object({
        resetSeed: z.number().int(),
        numSteps: z.number().int().min(0),
        actionKind: z.enum(['discrete', 'box']),
        actions: z.string(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A {@link RunnerRolloutRequest} as JSON. */
export type RunnerRequestJson = z.infer<typeof REQUEST_SCHEMA>;

/**
 * Encodes a rollout request for a queue job: the MLP actor-critic's two Float32 artifacts (the
 * binary format `arbiter export` writes), or a graph policy's layout, sizes and named Float32
 * weights, each as base64 of its bytes (exact).
 */
export function encodeRunnerRequest(req: RunnerRolloutRequest): RunnerRequestJson {
  const w = req.weights;
  const weights: RunnerRequestJson['weights'] =
    w.kind === 'graph'
      ? {
          kind: 'graph',
          layout: { ...w.layout, featuresOffset: 1 },
          dims: { ...w.dims },
          weights: Object.fromEntries(Object.entries(w.weights).map(([k, v]) => [k, toBase64(v)])),
        }
      : {
          actor: toBase64(w.actor),
          critic: toBase64(w.critic),
          ...(w.logStd && { logStd: toBase64(w.logStd) }),
        };
  return {
    weights,
    numSteps: req.numSteps,
    actionRngState: { s: [...req.actionRngState.s], spareNormal: req.actionRngState.spareNormal ?? null },
    resetSeed: req.resetSeed,
    ...(req.replay && {
      replay: {
        resetSeed: req.replay.resetSeed,
        numSteps: req.replay.numSteps,
        actionKind: req.replay.actions instanceof Int32Array ? 'discrete' : 'box',
        actions: toBase64(req.replay.actions),
      },
    }),
  };
}

/** Decodes and checks a rollout request from a queue job (`source` names it in errors). */
export function decodeRunnerRequest(input: unknown, source: string): RunnerRolloutRequest {
  const r = parseConfig(REQUEST_SCHEMA, input, { source, what: 'rollout request' }) as RunnerRequestJson;
  const w = r.weights;
  if ('kind' in w) {
    const { maxNodes, nodeFeatureDim, relationDim } = w.layout;
    const own = paddedGraphLayout(maxNodes, nodeFeatureDim, relationDim);
    if (own.relationsOffset !== w.layout.relationsOffset || own.size !== w.layout.size)
      throw new ValidationError(
        'graph-layout',
        `${source}: weights.layout has relationsOffset ${w.layout.relationsOffset} and size ${w.layout.size}, expected ${own.relationsOffset} and ${own.size} for ${maxNodes} nodes`,
      );
  }
  return {
    weights:
      'kind' in w
        ? {
            kind: 'graph',
            layout: w.layout,
            dims: w.dims,
            // Sizes are checked against the network's parameters when the runner loads them.
            weights: Object.fromEntries(
              Object.entries(w.weights).map(([k, v]) => [k, fromBase64(v, f32, `weights.${k}`, source)]),
            ),
          }
        : {
            actor: fromBase64(w.actor, u8, 'weights.actor', source),
            critic: fromBase64(w.critic, u8, 'weights.critic', source),
            ...(w.logStd !== undefined && { logStd: fromBase64(w.logStd, f32, 'weights.logStd', source) }),
          },
    numSteps: r.numSteps,
    actionRngState: { s: r.actionRngState.s, spareNormal: r.actionRngState.spareNormal },
    resetSeed: r.resetSeed,
    // The runner checks the replay's length against its slice.
    ...(r.replay && {
      replay: {
        resetSeed: r.replay.resetSeed,
        numSteps: r.replay.numSteps,
        actions:
          r.replay.actionKind === 'discrete'
            ? fromBase64(r.replay.actions, i32, 'replay.actions', source)
            : fromBase64(r.replay.actions, f32, 'replay.actions', source),
      },
    }),
  };
}

const ROLLOUT_SCHEMA = z
  .object({
    obs: z.string(),
    masks: z.string().nullable(),
    actions: z.string(),
    actionKind: z.enum(['discrete', 'box']),
    logProbs: z.string(),
    values: z.string(),
    rewards: z.string(),
    terminated: z.string(),
    truncated: z.string(),
    finalValues: z.string(),
    lastObs: z.string(),
    lastMasks: z.string().nullable(),
    actionRngState: RNG_STATE,
  })
  .strict();

/** A runner's {@link CollectedRollout} as JSON. */
export type RolloutJson = z.infer<typeof ROLLOUT_SCHEMA>;

/** Encodes a runner's rollout as a job's return value. */
export function encodeRollout(r: CollectedRollout): RolloutJson {
  return {
    obs: toBase64(r.obs),
    masks: r.masks ? toBase64(r.masks) : null,
    actions: toBase64(r.actions),
    actionKind: r.actions instanceof Int32Array ? 'discrete' : 'box',
    logProbs: toBase64(r.logProbs),
    values: toBase64(r.values),
    rewards: toBase64(r.rewards),
    terminated: toBase64(r.terminated),
    truncated: toBase64(r.truncated),
    finalValues: toBase64(r.finalValues),
    lastObs: toBase64(r.lastObs),
    lastMasks: r.lastMasks ? toBase64(r.lastMasks) : null,
    actionRngState: { s: [...r.actionRngState.s], spareNormal: r.actionRngState.spareNormal ?? null },
  };
}

/**
 * Decodes a runner's rollout of `numSteps` steps of `copies` env copies with observations of
 * `obsDim` values, checking every array's length.
 */
export function decodeRollout(
  input: unknown,
  shape: { numSteps: number; copies: number; obsDim: number },
  source: string,
): CollectedRollout {
  const r = parseConfig(ROLLOUT_SCHEMA, input, { source, what: 'rollout' }) as RolloutJson;
  const rows = shape.numSteps * shape.copies;
  const arr = <A extends TypedArray>(
    s: string,
    make: (b: ArrayBuffer) => A,
    what: string,
    per: number,
  ): A => {
    const a = fromBase64(s, make, what, source);
    if (a.length !== per * (what.startsWith('last') ? shape.copies : rows))
      throw new ValidationError(
        'array-length',
        `${source}: ${what} has ${a.length} values, expected ${per} per row`,
      );
    return a;
  };
  // Widths that the shape does not give (Box action dimensions, mask widths) come from the data.
  const width = (s: string, bytes: number): number => Buffer.byteLength(s, 'base64') / bytes / rows;
  const actionWidth = r.actionKind === 'discrete' ? 1 : width(r.actions, 4);
  const maskWidth = r.masks === null ? 0 : width(r.masks, 1);
  return {
    obs: arr(r.obs, f32, 'obs', shape.obsDim),
    masks: r.masks === null ? undefined : arr(r.masks, u8, 'masks', maskWidth),
    actions:
      r.actionKind === 'discrete'
        ? arr(r.actions, i32, 'actions', 1)
        : arr(r.actions, f32, 'actions', actionWidth),
    logProbs: arr(r.logProbs, f32, 'logProbs', 1),
    values: arr(r.values, f32, 'values', 1),
    rewards: arr(r.rewards, f32, 'rewards', 1),
    terminated: arr(r.terminated, u8, 'terminated', 1),
    truncated: arr(r.truncated, u8, 'truncated', 1),
    finalValues: arr(r.finalValues, f32, 'finalValues', 1),
    lastObs: arr(r.lastObs, f32, 'lastObs', shape.obsDim),
    lastMasks: r.lastMasks === null ? undefined : arr(r.lastMasks, u8, 'lastMasks', maskWidth),
    actionRngState: { s: r.actionRngState.s, spareNormal: r.actionRngState.spareNormal },
  };
}
