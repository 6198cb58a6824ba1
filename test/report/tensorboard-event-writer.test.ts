import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../src/report/crc32c.js';
import {
  encodeScalarsEvent,
  EVENT_FILE_VERSION,
  frameTfRecord,
  TensorBoardSink,
} from '../../src/report/tensorboard-event-writer.js';

// ---- An independent reader: TFRecord framing with CRC checks, then a generic protobuf decoder. ----

function unmask(masked: number): number {
  const rot = (masked - 0xa282ead8) >>> 0;
  return ((rot << 15) | (rot >>> 17)) >>> 0;
}

/** Splits a TFRecord file into record payloads, checking both CRCs of every record. */
function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  let off = 0;
  while (off < bytes.length) {
    const len = Number(view.getBigUint64(off, true));
    expect(unmask(view.getUint32(off + 8, true))).toBe(crc32c(bytes.subarray(off, off + 8)));
    const data = bytes.subarray(off + 12, off + 12 + len);
    expect(data.length).toBe(len);
    expect(unmask(view.getUint32(off + 12 + len, true))).toBe(crc32c(data));
    out.push(data);
    off += 12 + len + 4;
  }
  expect(off).toBe(bytes.length);
  return out;
}

type Field = { wire: number; varint?: bigint; bytes?: Uint8Array; raw?: DataView };

/** Decodes one protobuf message into its fields by number, in order. */
function decodeProto(buf: Uint8Array): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    let f: Field;
    if (wire === 0) f = { wire, varint: varint() };
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      f = { wire, raw: new DataView(buf.buffer, buf.byteOffset + i, n) };
      i += n;
    } else if (wire === 2) {
      const n = Number(varint());
      f = { wire, bytes: buf.subarray(i, i + n) };
      i += n;
    } else throw new Error(`unexpected wire type ${wire}`);
    expect(i).toBeLessThanOrEqual(buf.length);
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field)!.push(f);
  }
  return fields;
}

interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  sessionStatus?: number;
  scalars: [string, number][];
}

function decodeEvent(data: Uint8Array): DecodedEvent {
  const f = decodeProto(data);
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  const ev: DecodedEvent = {
    wallTime: f.get(1)![0]!.raw!.getFloat64(0, true),
    step: Number(f.get(2)?.[0]?.varint ?? 0n),
    scalars: [],
  };
  const version = f.get(3)?.[0]?.bytes;
  if (version) ev.fileVersion = text(version);
  const summary = f.get(5)?.[0]?.bytes;
  if (summary)
    for (const v of decodeProto(summary).get(1) ?? []) {
      const value = decodeProto(v.bytes!);
      expect(value.get(2)![0]!.wire).toBe(5);
      ev.scalars.push([text(value.get(1)![0]!.bytes!), value.get(2)![0]!.raw!.getFloat32(0, true)]);
    }
  const log = f.get(6)?.[0]?.bytes;
  if (log) ev.sessionStatus = Number(decodeProto(log).get(1)![0]!.varint);
  return ev;
}

const readEvents = (path: string): DecodedEvent[] =>
  readRecords(new Uint8Array(readFileSync(path))).map(decodeEvent);

// ---- Tests ----

const root = mkdtempSync(join(tmpdir(), 'arbiter-tb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('TensorBoardSink', () => {
  it('writes a file_version event, then one event of scalars per write, readable back', async () => {
    const dir = join(root, 'basic');
    let t = 1_700_000_000.25;
    const sink = new TensorBoardSink(dir, { now: () => t, host: 'box' });
    expect(sink.path).toBe(join(dir, 'events.out.tfevents.1700000000.box'));
    sink.write(0, { 'rollout/ep_rew_mean': 21.5, 'train/loss': -0.125 });
    t += 2;
    sink.write(2048, { 'rollout/ep_rew_mean': 37.75 });
    t += 1;
    sink.write(3_000_000_000, { 'eval/mean_return': 500, big: 1e39 }); // step past 2^31; float32 overflow
    await sink.close();

    const events = readEvents(sink.path);
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({ fileVersion: EVENT_FILE_VERSION, step: 0, wallTime: 1_700_000_000.25 });
    expect(events[1]).toMatchObject({
      step: 0,
      scalars: [
        ['rollout/ep_rew_mean', 21.5],
        ['train/loss', -0.125],
      ],
    });
    expect(events[2]).toMatchObject({
      step: 2048,
      wallTime: 1_700_000_002.25,
      scalars: [['rollout/ep_rew_mean', 37.75]],
    });
    expect(events[3]!.step).toBe(3_000_000_000);
    expect(events[3]!.scalars).toEqual([
      ['eval/mean_return', 500],
      ['big', Infinity],
    ]);
    expect(() => sink.write(1, { a: 1 })).toThrow(expect.objectContaining({ code: 'metrics/closed' }));
  });

  it('never overwrites an event file: a second sink in the same second gets a suffixed name', async () => {
    const dir = join(root, 'twice');
    const a = new TensorBoardSink(dir, { now: () => 5, host: 'h' });
    const b = new TensorBoardSink(dir, { now: () => 5, host: 'h' });
    await Promise.all([a.close(), b.close()]);
    expect(readdirSync(dir).sort()).toEqual(['events.out.tfevents.5.h', 'events.out.tfevents.5.h.1']);
  });

  it('writes a SessionLog START at purgeStep when resuming', async () => {
    const sink = new TensorBoardSink(join(root, 'purge'), { now: () => 9, purgeStep: 4097 });
    sink.write(6144, { x: 1 });
    await sink.close();
    const events = readEvents(sink.path);
    expect(events[1]).toMatchObject({ step: 4097, sessionStatus: 1, scalars: [] });
    expect(events[2]).toMatchObject({ step: 6144, scalars: [['x', 1]] });
  });

  it('rejects negative or fractional steps', async () => {
    const sink = new TensorBoardSink(join(root, 'bad'), { now: () => 1 });
    expect(() => sink.write(-1, { a: 1 })).toThrow(expect.objectContaining({ code: 'metrics/invalid-step' }));
    expect(() => sink.write(1.5, { a: 1 })).toThrow(
      expect.objectContaining({ code: 'metrics/invalid-step' }),
    );
    await sink.close();
  });
});

describe('event encoding', () => {
  it('round-trips any step, wall time, tags and float32 values through framing and protobuf', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 300 }), fc.float({ noNaN: true }), { maxKeys: 6 }),
        (step, wallTime, scalars) => {
          const [data] = readRecords(frameTfRecord(encodeScalarsEvent(wallTime, step, scalars)));
          const ev = decodeEvent(data!);
          expect(ev.step).toBe(step);
          expect(Object.is(ev.wallTime, wallTime)).toBe(true);
          expect(ev.scalars).toEqual(Object.entries(scalars));
        },
      ),
    );
  });
});
