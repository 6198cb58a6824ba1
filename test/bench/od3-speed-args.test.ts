import { describe, expect, it } from 'vitest';
import { parseOd3SpeedArgs } from '../../bench/od3-speed-bench.js';

describe('parseOd3SpeedArgs', () => {
  it('has the documented defaults and reads key=value arguments', () => {
    expect(parseOd3SpeedArgs([])).toEqual({
      env: 'PixelPong-v0',
      steps: 3000,
      repeats: 1,
      learningStarts: 200,
      seed: 1,
      out: 'bench/results/od3-speed.md',
    });
    const a = parseOd3SpeedArgs([
      'env=Jobs-v0',
      'steps=500',
      'repeats=3',
      'learningStarts=50',
      'seed=7',
      'out=/tmp/x.md',
    ]);
    expect(a).toEqual({
      env: 'Jobs-v0',
      steps: 500,
      repeats: 3,
      learningStarts: 50,
      seed: 7,
      out: '/tmp/x.md',
    });
  });

  it('refuses unknown keys, envs, non-integers and bare words', () => {
    for (const bad of ['env=CartPole-v1', 'steps=1e3', 'steps=-5', 'foo=1', 'steps'])
      expect(() => parseOd3SpeedArgs([bad]), bad).toThrow(/od3-speed/);
  });
});
