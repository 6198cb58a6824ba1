import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmaxAmong, maskedArgmax, maskedArgmaxOrNone } from '../../src/core/masked-argmax.js';

// Values with many ties, so the lowest-index rule is exercised.
const arbRow = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 12 });

describe('masked argmax (the one greedy decision)', () => {
  it('picks the largest allowed value, the lowest index on ties; −1 / empty-mask when none is allowed', () => {
    fc.assert(
      fc.property(arbRow, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (row, bits) => {
        const mask = Uint8Array.from(bits.slice(0, row.length), (b) => (b ? 1 : 0));
        const allowed = row.map((_, i) => i).filter((i) => mask[i]);
        const got = maskedArgmaxOrNone(row, 0, row.length, mask);
        if (allowed.length === 0) {
          expect(got).toBe(-1);
          expect(() => maskedArgmax(row, 0, row.length, mask, 0, 'test')).toThrow(
            /test: the action mask allows no action/,
          );
          return;
        }
        const top = Math.max(...allowed.map((i) => row[i]!));
        expect(got).toBe(allowed.find((i) => row[i] === top));
        expect(maskedArgmax(row, 0, row.length, mask)).toBe(got);
        // The index-list form decides the same, whatever the list's order.
        expect(argmaxAmong(row, [...allowed].reverse())).toBe(got);
      }),
    );
  });

  it('reads a row at its offset and the mask at maskOffset; no mask allows everything', () => {
    const values = [9, 9, 1, 5, 5, 2];
    expect(maskedArgmaxOrNone(values, 2, 4)).toBe(1);
    expect(maskedArgmaxOrNone(values, 2, 4, Uint8Array.of(1, 0, 1, 1), 0)).toBe(2);
    expect(argmaxAmong(values, [])).toBe(-1);
  });
});
