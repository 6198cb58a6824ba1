/**
 * CRC-32C (Castagnoli), the checksum of TFRecord framing in TensorBoard event files.
 * Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF.
 */

const POLY = 0x82f63b78;

/** Lookup tables for slicing-by-4: `TABLE[k * 256 + b]` is the CRC of byte b followed by k zero bytes. */
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const t = new Uint32Array(4 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b]!;
    for (let k = 1; k < 4; k++) {
      c = (c >>> 8) ^ t[c & 0xff]!;
      t[k * 256 + b] = c >>> 0;
    }
  }
  return t;
}

/**
 * CRC-32C of `data[start, end)` as an unsigned 32-bit integer; e.g. `crc32c("123456789")`
 * (as ASCII bytes) is 0xE3069283. Pass a previous result as `seed` to continue a checksum over
 * several chunks.
 */
export function crc32c(data: Uint8Array, seed = 0, start = 0, end = data.length): number {
  let crc = ~seed >>> 0;
  let i = start;
  // Four bytes per iteration with four tables (slicing-by-4); the tail goes byte by byte.
  for (; i + 4 <= end; i += 4) {
    crc ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    crc =
      TABLE[768 + (crc & 0xff)]! ^
      TABLE[512 + ((crc >>> 8) & 0xff)]! ^
      TABLE[256 + ((crc >>> 16) & 0xff)]! ^
      TABLE[crc >>> 24]!;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]!) & 0xff]!;
  return ~crc >>> 0;
}

/**
 * The masked CRC-32C that TFRecord stores: `((crc >>> 15) | (crc << 17)) + 0xa282ead8` modulo
 * 2^32 (masking keeps a CRC of data that itself contains CRCs from being degenerate).
 */
export function maskedCrc32c(data: Uint8Array, start = 0, end = data.length): number {
  const crc = crc32c(data, 0, start, end);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
