/**
 * Checkpoints on disk: everything needed to resume training on the same curve (weights,
 * optimizer state, RNG state, counters, normalizer statistics). A checkpoint is a directory with
 * `checkpoint.json` (metadata, small state, tensor index) and `tensors.bin` (all Float32 arrays,
 * little-endian, back to back). Each file is written to a temporary name and renamed into place,
 * and the JSON records the binary file's length and checksum, so a crash never leaves a
 * checkpoint that loads silently with mixed contents.
 *
 * Every algorithm's `load` fails with one of three codes, each for one situation:
 * - `checkpoint-missing`: no checkpoint file at that path;
 * - `checkpoint-corrupt`: the files are there but unreadable, torn or inconsistent with each
 *   other (bad JSON, wrong format, checksum, a missing field or tensor, a replay memory that does
 *   not match its JSON); a run's older checkpoint may still be good;
 * - `checkpoint-mismatch`: an intact checkpoint that does not fit what it is loaded into (written
 *   by another algorithm, or trained on other spaces or sizes); no older checkpoint of the same
 *   run would fit better, so the loader stops instead of falling back.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ArbiterError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { RngState } from '../core/rng.js';
import { makeDirs } from '../core/make-dirs.js';

/** Step counters an algorithm carries across save/resume. */
export interface CheckpointCounters {
  /** Environment steps taken (summed over vector copies). */
  numTimesteps: number;
  /** Gradient updates (or rollouts, per algorithm) done. */
  numUpdates: number;
  /** Episodes finished. */
  numEpisodes: number;
}

/** The contents of a checkpoint. */
export interface Checkpoint {
  /** Algorithm name, e.g. `"ppo"`; checked on load. */
  algo: string;
  /** The algorithm's full configuration (plain JSON). */
  config: unknown;
  /** Step counters. */
  counters: CheckpointCounters;
  /** State of the algorithm's main RNG. */
  rngState: RngState;
  /** Named Float32 arrays: network weights, optimizer moments and step count, normalizers. */
  tensors: Record<string, Float32Array>;
  /** Any other plain-JSON state (extra RNG states, env state, episode statistics). */
  extra?: Record<string, unknown>;
}

/** File names inside a checkpoint directory. */
export const CHECKPOINT_JSON = 'checkpoint.json';
/** Binary tensor file inside a checkpoint directory. */
export const CHECKPOINT_TENSORS = 'tensors.bin';

const FORMAT_VERSION = 1;

interface TensorEntry {
  name: string;
  /** Offset in Float32 elements from the start of tensors.bin. */
  offset: number;
  length: number;
}

interface CheckpointJson extends Omit<Checkpoint, 'tensors'> {
  format: number;
  tensorIndex: TensorEntry[];
  tensorBytes: number;
  tensorChecksum: number;
}

/**
 * Writes `ckpt` into directory `dir` (created if needed), replacing an older checkpoint there.
 * Refuses (`non-finite`) a checkpoint with a NaN or ±Infinity tensor, leaving `dir` as it was.
 */
export async function saveCheckpoint(dir: string, ckpt: Checkpoint): Promise<void> {
  assertFiniteTensors(dir, ckpt.tensors);
  await makeDirs(dir);
  const index: TensorEntry[] = [];
  let total = 0;
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    index.push({ name, offset: total, length: t.length });
    total += t.length;
  }
  const all = new Float32Array(total);
  for (const e of index) all.set(ckpt.tensors[e.name]!, e.offset);
  const bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  const meta: CheckpointJson = {
    format: FORMAT_VERSION,
    algo: ckpt.algo,
    config: ckpt.config,
    counters: ckpt.counters,
    rngState: ckpt.rngState,
    ...(ckpt.extra !== undefined ? { extra: ckpt.extra } : {}),
    tensorIndex: index,
    tensorBytes: bytes.byteLength,
    tensorChecksum: fnv1a(bytes),
  };
  // Binary first, JSON last: the JSON names the binary's checksum, so a torn pair is detected.
  await writeFileAtomic(path.join(dir, CHECKPOINT_TENSORS), bytes);
  await writeFileAtomic(path.join(dir, CHECKPOINT_JSON), JSON.stringify(meta, null, 2) + '\n');
}

/**
 * Throws `non-finite` naming the first tensor with NaN or ±Infinity: a diverged model must never
 * replace the last good checkpoint in `dir`. Call before writing anything there.
 */
export function assertFiniteTensors(dir: string, tensors: Readonly<Record<string, Float32Array>>): void {
  for (const [name, t] of Object.entries(tensors)) {
    const i = t.findIndex((x) => !Number.isFinite(x));
    if (i >= 0)
      throw new ArbiterError(
        'non-finite',
        `${dir}: checkpoint not written: tensor '${name}' value ${i} is ${t[i]} (diverged training?); the checkpoint there, if any, is kept`,
      );
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}. Throws an `ArbiterError` with code
 * `checkpoint-missing` or `checkpoint-corrupt` naming the offending file.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const jsonPath = path.join(dir, CHECKPOINT_JSON);
  const binPath = path.join(dir, CHECKPOINT_TENSORS);
  const text = await readOrThrow(jsonPath);
  let meta: CheckpointJson;
  try {
    meta = JSON.parse(text.toString('utf8')) as CheckpointJson;
  } catch (e) {
    throw new ArbiterError('checkpoint-corrupt', `${jsonPath}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof meta !== 'object' || meta === null || meta.format !== FORMAT_VERSION)
    throw new ArbiterError(
      'checkpoint-corrupt',
      `${jsonPath}: unsupported checkpoint format ${String((meta as Partial<CheckpointJson> | null)?.format)} (expected ${FORMAT_VERSION})`,
    );
  for (const key of ['algo', 'counters', 'rngState', 'tensorIndex'] as const)
    if (meta[key] === undefined)
      throw new ArbiterError('checkpoint-corrupt', `${jsonPath}: missing field '${key}'`);
  const bin = await readOrThrow(binPath);
  if (bin.byteLength !== meta.tensorBytes || fnv1a(bin) !== meta.tensorChecksum)
    throw new ArbiterError(
      'checkpoint-corrupt',
      `${binPath}: ${bin.byteLength} bytes with a checksum that does not match ${jsonPath} (torn or mixed checkpoint)`,
    );
  // Copy into an aligned buffer (Buffer slices may start at any byte offset).
  const all = new Float32Array(bin.byteLength / 4);
  new Uint8Array(all.buffer).set(bin);
  const tensors: Record<string, Float32Array> = {};
  for (const e of meta.tensorIndex) {
    if (e.offset + e.length > all.length)
      throw new ArbiterError('checkpoint-corrupt', `${jsonPath}: tensor '${e.name}' lies outside ${binPath}`);
    tensors[e.name] = all.slice(e.offset, e.offset + e.length);
  }
  return {
    algo: meta.algo,
    config: meta.config,
    counters: meta.counters,
    rngState: meta.rngState,
    tensors,
    ...(meta.extra !== undefined ? { extra: meta.extra } : {}),
  };
}

/**
 * Throws `checkpoint-mismatch` unless `ckpt` was written by algorithm `algo` (checked before the
 * checkpoint's config is read as that algorithm's).
 */
export function assertCheckpointAlgo(ckpt: Checkpoint, algo: string, dir: string): void {
  if (ckpt.algo.toLowerCase() !== algo)
    throw new ArbiterError('checkpoint-mismatch', `${dir}: checkpoint is for '${ckpt.algo}', not '${algo}'`);
}

/** The tensor `name` of a checkpoint; throws `checkpoint-corrupt` if absent or of the wrong length. */
export function checkpointTensor(ckpt: Checkpoint, name: string, length?: number): Float32Array {
  const t = ckpt.tensors[name];
  if (!t) throw new ArbiterError('checkpoint-corrupt', `checkpoint (${ckpt.algo}): missing tensor '${name}'`);
  if (length !== undefined && t.length !== length)
    throw new ArbiterError(
      'checkpoint-corrupt',
      `checkpoint (${ckpt.algo}): tensor '${name}' has ${t.length} values, expected ${length}`,
    );
  return t;
}

/**
 * Runs `read`, which reads a part of a checkpoint beside its JSON (a replay memory, say), and
 * reports any failure as `checkpoint-corrupt` naming `what`: the JSON promised that part, so its
 * absence or damage is a torn checkpoint, whatever the reader's own error code.
 */
export function readCheckpointPart<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ArbiterError && e.code === 'checkpoint-corrupt') throw e;
    throw new ArbiterError('checkpoint-corrupt', `${what}: ${(e as Error).message} (torn checkpoint?)`);
  }
}

async function readOrThrow(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArbiterError(
      code === 'ENOENT' ? 'checkpoint-missing' : 'checkpoint-corrupt',
      `${file}: cannot read checkpoint file (${code ?? (e as Error).message})`,
    );
  }
}

/** 32-bit FNV-1a hash of the bytes. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
