import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  Box,
  DictSpace,
  Discrete,
  GraphSpace,
  MultiDiscrete,
  isSpace,
  spaceFromJson,
  spaceToJson,
} from '../../src/core/spaces.js';

describe('spaceToJson / spaceFromJson', () => {
  it('round-trips every space kind through JSON text, infinite bounds included', () => {
    const space = new DictSpace({
      d: new Discrete(4, 1),
      b: new Box([-Infinity, 0], [Infinity, 2.5], [2]),
      m: new MultiDiscrete([2, 3]),
      g: new GraphSpace(3, 2, 5),
    });
    const back = spaceFromJson(JSON.parse(JSON.stringify(spaceToJson(space))));
    expect(back).toEqual(space);
    expect(back.sample(new Rng(4))).toEqual(space.sample(new Rng(4)));
  });

  it('isSpace accepts space instances only', () => {
    expect(isSpace(new Discrete(2))).toBe(true);
    expect(isSpace({ kind: 'discrete', n: 2 })).toBe(false);
    expect(isSpace(null)).toBe(false);
  });
});
