import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../src/report/crc32c.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Bit-at-a-time CRC-32C straight from the definition, to check the table-driven one against. */
function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check value and the RFC 3720 (iSCSI) test vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('equals the bitwise definition on any bytes (slicing tables are right)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        expect(crc32c(data)).toBe(crc32cBitwise(data));
      }),
    );
  });

  it('continues over chunks: crc(a ++ b) = crc(b, seed = crc(a)), and honours start/end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a);
        ab.set(b, a.length);
        expect(crc32c(b, crc32c(a))).toBe(crc32c(ab));
        expect(crc32c(ab, 0, a.length)).toBe(crc32c(b));
        expect(crc32c(ab, 0, 0, a.length)).toBe(crc32c(a));
      }),
    );
  });

  it('masks as TFRecord does: rotate right by 15, add 0xa282ead8 modulo 2^32', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const crc = BigInt(crc32c(data));
        const rotated = ((crc >> 15n) | (crc << 17n)) & 0xffffffffn;
        expect(maskedCrc32c(data)).toBe(Number((rotated + 0xa282ead8n) & 0xffffffffn));
      }),
    );
  });
});
