import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closestKey, editDistance, parseConfig } from '../../src/core/config-schema.js';
import { ValidationError } from '../../src/core/errors.js';

const where = { source: '--config', what: 'Thing' };
const schema = z
  .object({
    learningRate: z.number().positive().optional(),
    mode: z.enum(['a', 'b']).optional(),
    nested: z
      .object({ start: z.number().min(0) })
      .strict()
      .optional(),
    clip: z
      .union([z.number().min(0), z.object({ kind: z.literal('linear'), start: z.number() }).strict()])
      .optional(),
  })
  .strict();

function errorOf(input: unknown): ValidationError {
  try {
    parseConfig(schema, input, where);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('editDistance / closestKey', () => {
  it('is a metric on small strings (symmetric, 0 iff equal, triangle inequality)', () => {
    const s = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(s, s, s, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
    );
  });

  it('suggests the case-insensitive match, a near key, or nothing', () => {
    expect(closestKey('learningrate', ['gamma', 'learningRate'])).toBe('learningRate');
    expect(closestKey('lod', ['load', 'horizon'])).toBe('load');
    expect(closestKey('bogusKey', ['load', 'horizon'])).toBeUndefined();
  });
});

describe('parseConfig', () => {
  it('returns the parsed value when valid', () => {
    expect(parseConfig(schema, { learningRate: 0.1 }, where)).toEqual({ learningRate: 0.1 });
    expect(parseConfig(schema, undefined, where)).toEqual({});
  });

  it('names the source, the key and the rule', () => {
    const t = errorOf({ learningRate: 'fast' });
    expect(t.rule).toBe('type');
    expect(t.message).toBe(`--config: key 'learningRate': type: expected a number, got string "fast"`);
    expect(errorOf({ learningRate: -1 }).message).toBe(
      `--config: key 'learningRate': range: value must be > 0, got -1`,
    );
    expect(errorOf({ mode: 'c' }).rule).toBe('enum');
    const typo = errorOf({ learningrate: 1 });
    expect(typo.rule).toBe('unknown-key');
    expect(typo.message).toContain(`did you mean 'learningRate'?`);
    expect(errorOf({ bogusKey: 5 }).message).not.toContain('did you mean');
  });

  it('reports nested and union members by their full path', () => {
    expect(errorOf({ nested: { strat: 1 } }).message).toContain(`key 'nested.strat'`);
    expect(errorOf({ nested: { strat: 1 } }).message).toContain(`did you mean 'start'`);
    const u = errorOf({ clip: { kind: 'linear', strat: 1 } });
    expect(u.message).toContain(`key 'clip.strat'`);
    expect(errorOf({ clip: 'x' }).message).toContain('expected a number or object');
  });
});
