/**
 * TensorBoard event files written without TensorFlow: the protobuf encoding of the events Arbiter
 * needs (file version, scalars, session start), TFRecord framing, and the metrics sink that writes
 * them.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ArbiterError } from '../core/errors.js';
import type { MetricsSink } from '../core/metrics-sink.js';
import { maskedCrc32c } from './crc32c.js';
import { makeDirsSync } from '../core/make-dirs.js';

/*
 * TensorBoard event files, written without TensorFlow. A file is a sequence of TFRecords:
 *   uint64 length (LE) | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data
 * and each record's data is a protobuf `Event` (tensorflow/core/util/event.proto):
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5;
 *             SessionLog session_log = 6; }
 *   Summary { repeated Value value = 1; }   Value { string tag = 1; float simple_value = 2; }
 *   SessionLog { SessionStatus status = 1; }   (START = 1)
 * The protobuf is encoded by hand below: only these fields are needed.
 */

/** Version string of the first event in every file; TensorBoard rejects files without it. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** Protobuf wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** A growable byte buffer with the few protobuf encoders an Event needs. */
class ProtoWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A non-negative integer up to 2^53 as a base-128 varint. */
  varint(value: number): void {
    this.reserve(10);
    let v = value;
    // Division instead of bit shifts: shifts would cut the value to 32 bits.
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.len, value, true);
    this.len += 8;
  }

  float(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.reserve(4);
    this.view.setFloat32(this.len, value, true);
    this.len += 4;
  }

  uint(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field: number, text: string): void {
    this.bytes(field, Buffer.from(text, 'utf8'));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function checkStep(step: number): void {
  if (!Number.isSafeInteger(step) || step < 0)
    throw new ArbiterError(
      'metrics/invalid-step',
      `metrics step must be a non-negative integer, got ${step}`,
    );
}

/** Common head of every Event: wall time (seconds since the Unix epoch) and step. */
function eventHead(wallTime: number, step: number): ProtoWriter {
  checkStep(step);
  const w = new ProtoWriter();
  w.double(1, wallTime);
  w.uint(2, step);
  return w;
}

/** The protobuf bytes of the `Event { wall_time, step, file_version }` that opens a file. */
export function encodeFileVersionEvent(wallTime: number, step = 0): Uint8Array {
  const w = eventHead(wallTime, step);
  w.string(3, EVENT_FILE_VERSION);
  return w.finish();
}

/**
 * The protobuf bytes of an `Event` carrying one `Summary` with a `simple_value` (32-bit float) per
 * entry of `scalars`, tagged by its key; `wallTime` in seconds since the Unix epoch, `step` a
 * non-negative integer.
 */
export function encodeScalarsEvent(
  wallTime: number,
  step: number,
  scalars: Readonly<Record<string, number>>,
): Uint8Array {
  const summary = new ProtoWriter();
  for (const [tag, value] of Object.entries(scalars)) {
    const v = new ProtoWriter();
    v.string(1, tag);
    v.float(2, value);
    summary.bytes(1, v.finish());
  }
  const w = eventHead(wallTime, step);
  w.bytes(5, summary.finish());
  return w.finish();
}

/**
 * The protobuf bytes of an `Event { session_log { status: START } }` at `step`. TensorBoard's
 * loader takes it as a restart and discards the events of earlier files with a step ≥ `step`, so
 * a resumed run's curve does not show the steps it redid twice.
 */
export function encodeSessionStartEvent(wallTime: number, step: number): Uint8Array {
  const log = new ProtoWriter();
  log.uint(1, 1); // SessionLog.START
  const w = eventHead(wallTime, step);
  w.bytes(6, log.finish());
  return w.finish();
}

/** Frames `data` as one TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function frameTfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  // uint64 length as two uint32 halves (a record never reaches 2^32 bytes here).
  view.setUint32(0, data.length % 0x1_0000_0000, true);
  view.setUint32(4, Math.floor(data.length / 0x1_0000_0000), true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Options of {@link TensorBoardSink}. */
export interface TensorBoardSinkOptions {
  /**
   * Resuming a run: writes a session-start event at this step, so TensorBoard drops the events of
   * the older files in the folder whose step is ≥ this one (see {@link encodeSessionStartEvent}).
   */
  purgeStep?: number;
  /** Clock for `wall_time`, in seconds since the Unix epoch. Default `Date.now() / 1000`. */
  now?: () => number;
  /** Host name in the file name. Default the machine's. */
  host?: string;
}

/**
 * A {@link MetricsSink} that writes TensorBoard scalars: it creates a new event file
 * `events.out.tfevents.<unix seconds>.<host>` in `logDir` (with `.1`, `.2`, … appended if that
 * name is taken), opened with a `file_version` event, and adds one event per
 * {@link MetricsSink.write} holding every metric as a scalar whose tag is the metric key (32-bit
 * float precision). Records go to the OS as soon as they are written. Point `tensorboard
 * --logdir` at `logDir` (or a parent of it).
 */
export class TensorBoardSink implements MetricsSink {
  /** Path of the event file being written. */
  readonly path: string;
  private readonly now: () => number;
  private fd: number | undefined;

  constructor(logDir: string, options: TensorBoardSinkOptions = {}) {
    this.now = options.now ?? ((): number => Date.now() / 1000);
    makeDirsSync(logDir);
    const wallTime = this.now();
    const host = (options.host ?? hostname()).replace(/[^A-Za-z0-9._-]/g, '_') || 'localhost';
    const base = join(logDir, `events.out.tfevents.${Math.floor(wallTime)}.${host}`);
    let path = base;
    for (let n = 1; ; n++) {
      try {
        this.fd = openSync(path, 'wx');
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 10_000) throw e;
        path = `${base}.${n}`;
      }
    }
    this.path = path;
    this.append(encodeFileVersionEvent(wallTime));
    if (options.purgeStep !== undefined) this.append(encodeSessionStartEvent(wallTime, options.purgeStep));
  }

  /** Writes one event with every entry of `metrics` as a scalar at `step`. */
  write(step: number, metrics: Readonly<Record<string, number>>): void {
    if (this.fd === undefined)
      throw new ArbiterError('metrics/closed', `TensorBoard sink ${this.path} is closed`);
    this.append(encodeScalarsEvent(this.now(), step, metrics));
  }

  /** Closes the file; later writes throw. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(event: Uint8Array): void {
    const record = frameTfRecord(event);
    let off = 0;
    while (off < record.length) off += writeSync(this.fd!, record, off, record.length - off);
  }
}
