import { describe, expect, it } from 'vitest';
import { devSetPer } from '../../bench/egs-search-dev-set.js';

describe('devSetPer (per= of the EGS development benches)', () => {
  it('defaults to 8, reads integers ≥ 1 and names a bad value', () => {
    expect(devSetPer(undefined)).toBe(8);
    expect(devSetPer('20')).toBe(20);
    expect(() => devSetPer('x')).toThrow(/per=x: .*integer ≥ 1/);
    expect(() => devSetPer('0')).toThrow(/per=0/);
    expect(() => devSetPer('2.5')).toThrow(/per=2\.5/);
  });
});
