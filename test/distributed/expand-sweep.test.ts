import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { applyParams, expandSweep } from '../../src/distributed/expand-sweep.js';
import { parseSweepSpec } from '../../src/distributed/sweep-spec.js';
import { parseSweepTrial, trialId } from '../../src/distributed/sweep-trial.js';

const base = { algo: 'ppo', env: 'CartPole-v1', steps: 512 };
const expand = (s: object): ReturnType<typeof expandSweep> =>
  expandSweep(parseSweepSpec(s, 'sweep.json'), 'sweep.json');

function errorOf(s: object): ValidationError {
  try {
    expand(s);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('expandSweep', () => {
  it('a grid is the Cartesian product (last key fastest), each point with every seed', () => {
    const trials = expand({
      ...base,
      seeds: [1, 2],
      grid: { learningRate: [0.001, 0.002], entCoef: [0, 0.01, 0.02] },
      envOptions: {},
    });
    expect(trials).toHaveLength(12);
    expect(trials.slice(0, 4).map((t) => [t.params, t.seed])).toEqual([
      [{ learningRate: 0.001, entCoef: 0 }, 1],
      [{ learningRate: 0.001, entCoef: 0 }, 2],
      [{ learningRate: 0.001, entCoef: 0.01 }, 1],
      [{ learningRate: 0.001, entCoef: 0.01 }, 2],
    ]);
    expect(trials[11]!.config).toEqual({ learningRate: 0.002, entCoef: 0.02 });
    expect(new Set(trials.map((t) => t.id)).size).toBe(12);
  });

  it('random search is seeded: the same file gives the same trials, another seed others, within bounds', () => {
    const spec = (seed: number): object => ({
      ...base,
      grid: { numEnvs: [2, 4] },
      random: {
        count: 3,
        seed,
        params: {
          learningRate: { dist: 'log-uniform', min: 1e-4, max: 1e-2 },
          updateEpochs: { dist: 'int', min: 1, max: 4 },
          'policy.activation': { dist: 'choice', values: ['tanh', 'relu'] },
        },
      },
    });
    const a = expand(spec(7));
    expect(a).toHaveLength(6);
    expect(expand(spec(7))).toEqual(a);
    expect(expand(spec(8)).map((t) => t.id)).not.toEqual(a.map((t) => t.id));
    for (const t of a) {
      expect(t.params.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(t.params.learningRate).toBeLessThan(1e-2);
      expect([1, 2, 3, 4]).toContain(t.params.updateEpochs);
      expect(t.config.policy).toEqual({ activation: t.params['policy.activation'] });
    }
  });

  it('envOptions.* parameters set environment options, on top of the base options', () => {
    const [t] = expand({
      ...base,
      env: 'Jobs-v0',
      envOptions: { horizon: 20 },
      grid: { 'envOptions.load': ['high'] },
    });
    expect(t!.envOptions).toEqual({ horizon: 20, load: 'high' });
    expect(t!.config).toEqual({});
    expect(
      applyParams(
        { config: { policy: { hiddenSizes: [8] } }, envOptions: {} },
        { 'policy.activation': 'relu' },
      ).config,
    ).toEqual({
      policy: { hiddenSizes: [8], activation: 'relu' },
    });
  });

  it('refuses unknown keys, wrong types and out-of-range values, naming the file, the item and the rule', () => {
    expect(errorOf({ ...base, grdi: {} })).toMatchObject({ rule: 'unknown-key', file: 'sweep.json' });
    expect(errorOf({ ...base, grdi: {} }).message).toContain("did you mean 'grid'");
    expect(errorOf({ ...base, steps: '512' })).toMatchObject({ rule: 'type', item: "key 'steps'" });
    expect(errorOf({ ...base, seeds: [] })).toMatchObject({ rule: 'range', item: "key 'seeds'" });
    const lr = errorOf({ ...base, grid: { learningRate: [0.001, -1] } });
    expect(lr.message).toBe(
      "sweep.json grid.learningRate[1]: key 'learningRate': range: value must be > 0, got -1",
    );
    expect(errorOf({ ...base, grid: { learningRat: [0.1] } }).message).toContain(
      "did you mean 'learningRate'",
    );
    const bounds = { dist: 'uniform', min: 1, max: 0.5 };
    expect(errorOf({ ...base, random: { count: 1, params: { entCoef: bounds } } })).toMatchObject({
      rule: 'range',
      item: "key 'random.params.entCoef.max'",
    });
    expect(errorOf({ ...base, env: 'Jobs-v0', grid: { 'envOptions.load': ['huge'] } }).message).toContain(
      'grid.envOptions.load[0]',
    );
    expect(errorOf({ ...base, env: 'Nope-v0' })).toMatchObject({ rule: 'unknown-env', item: "key 'env'" });
  });
});

describe('trial ids', () => {
  it('property: an id depends on the content, not on the order of keys, and never on params', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.double({ noNaN: true })),
        fc.integer(),
        (config, seed) => {
          const run = {
            seed,
            algo: 'ppo' as const,
            env: 'CartPole-v1',
            steps: 8,
            config,
            envOptions: {},
            evalEpisodes: 1,
          };
          const reversed = Object.fromEntries(Object.entries(config).reverse());
          expect(trialId({ ...run, config: reversed, params: { x: 1 } })).toBe(trialId(run));
          expect(trialId({ ...run, seed: seed + 1 })).not.toBe(trialId(run));
        },
      ),
    );
  });

  it('a trial received from elsewhere must carry the id of its content', () => {
    const [t] = expand(base);
    expect(parseSweepTrial(JSON.parse(JSON.stringify(t)), 'job')).toEqual(t);
    expect(() => parseSweepTrial({ ...t, seed: 99 }, 'job')).toThrow(/does not match/);
    expect(() => parseSweepTrial({ ...t, code: 'process.exit()' }, 'job')).toThrow(/unknown-key/);
  });
});
