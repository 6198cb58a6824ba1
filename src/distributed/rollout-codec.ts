/**
 * Env-runner messages as JSON for queue jobs: typed arrays travel as base64 of their bytes
 * (little-endian, as on every platform Node runs on), numbers and RNG states as they are. The
 * decoders check every field and each array's length, so a malformed job fails with a
 * `ValidationError` naming its source instead of training on garbage.
 */
import { z } from 'zod';
import type { CollectedRollout } from '../agents/rollout-source.js';
import { parseConfig } from '../core/config-schema.js';
import { ArbiterError, ValidationError } from '../core/errors.js';
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

const REQUEST_SCHEMA = z
  .object({
    weights: z.object({ actor: z.string(), critic: z.string(), logStd: z.string().optional() }).strict(),
    numSteps: z.number().int().min(1),
    actionRngState: RNG_STATE,
    resetSeed: z.number().int(),
  })
  .strict();

/** A {@link RunnerRolloutRequest} as JSON. */
export type RunnerRequestJson = z.infer<typeof REQUEST_SCHEMA>;

/**
 * Encodes a rollout request for a queue job. Graph-policy weights throw `unsupported-model`:
 * queue runners take the MLP actor-critic only.
 */
export function encodeRunnerRequest(req: RunnerRolloutRequest): RunnerRequestJson {
  const w = req.weights;
  if (w.kind === 'graph')
    throw new ArbiterError(
      'unsupported-model',
      'queue env runners support the MLP actor-critic only; run a graph policy on local env runners (no --queue)',
    );
  return {
    weights: {
      actor: toBase64(w.actor),
      critic: toBase64(w.critic),
      ...(w.logStd && { logStd: toBase64(w.logStd) }),
    },
    numSteps: req.numSteps,
    actionRngState: { s: [...req.actionRngState.s], spareNormal: req.actionRngState.spareNormal ?? null },
    resetSeed: req.resetSeed,
  };
}

/** Decodes and checks a rollout request from a queue job (`source` names it in errors). */
export function decodeRunnerRequest(input: unknown, source: string): RunnerRolloutRequest {
  const r = parseConfig(REQUEST_SCHEMA, input, { source, what: 'rollout request' }) as RunnerRequestJson;
  return {
    weights: {
      actor: fromBase64(r.weights.actor, u8, 'weights.actor', source),
      critic: fromBase64(r.weights.critic, u8, 'weights.critic', source),
      ...(r.weights.logStd !== undefined && {
        logStd: fromBase64(r.weights.logStd, f32, 'weights.logStd', source),
      }),
    },
    numSteps: r.numSteps,
    actionRngState: { s: r.actionRngState.s, spareNormal: r.actionRngState.spareNormal },
    resetSeed: r.resetSeed,
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
