import { describe, expect, it } from 'vitest';
import { parseOd3PixelArgs } from '../../bench/od3-pixel-bench.js';

describe('parseOd3PixelArgs', () => {
  it('reads key=value arguments, lists and scale', () => {
    expect(
      parseOd3PixelArgs([
        'env=Jobs-v0',
        'steps=900',
        'od3steps=300',
        'seeds=1,2',
        'mb=16,8',
        'uf=',
        'points=5',
        'evalEpisodes=2',
        'testEpisodes=4',
        'reportOnly=1',
      ]),
    ).toEqual({
      env: 'Jobs-v0',
      steps: 900,
      od3Steps: 300,
      seeds: [1, 2],
      minibatches: [16, 8],
      updateFreqs: [],
      points: 5,
      evalEpisodes: 2,
      testEpisodes: 4,
      reportOnly: true,
    });
    expect(parseOd3PixelArgs(['scale=2.5'])).toEqual({ scale: 2.5 });
  });

  it('refuses unknown keys and values that are not positive integers, naming the argument', () => {
    expect(() => parseOd3PixelArgs(['stepz=10'])).toThrow(/unknown argument 'stepz=10'/);
    expect(() => parseOd3PixelArgs(['steps=abc'])).toThrow(/'steps=abc'.*integer ≥ 1/);
    expect(() => parseOd3PixelArgs(['steps=0'])).toThrow(/'steps=0'/);
    expect(() => parseOd3PixelArgs(['mb=16,x'])).toThrow(/'mb=16,x'.*got 'x'/);
    expect(() => parseOd3PixelArgs(['evalEpisodes=1.5'])).toThrow(/integer/);
    expect(() => parseOd3PixelArgs(['testEpisodes=0'])).toThrow(/'testEpisodes=0'.*integer ≥ 1/);
    expect(() => parseOd3PixelArgs(['scale=-1'])).toThrow(/'scale=-1'.*> 0/);
    expect(() => parseOd3PixelArgs(['scale=x'])).toThrow(/'scale=x'/);
  });
});
