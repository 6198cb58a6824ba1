import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { analyzeDag } from '../../src/dag/analysis/analyze-dag.js';
import { coreLowerBound } from '../../src/dag/analysis/core-lower-bound.js';
import { buildDag } from '../../src/dag/build-dag.js';
import type { DagTaskSpec } from '../../src/dag/dag-task.js';
import { parseDag } from '../../src/dag/io/read-dag-file.js';
import { checkSchedule } from '../../src/dag/schedule/check-schedule.js';
import { scheduleAllMethods } from '../../src/dag/schedule/schedule-dag.js';
import {
  ceilLowerBound,
  ceilTolerant,
  MAX_TIME,
  TIME_EPS,
  timeEq,
  timeLeq,
  timeLt,
  withinDeadline,
} from '../../src/dag/time-tolerance.js';
import { validationErrorOf } from './io/io-test-helpers.js';

const errorOf = (spec: unknown): ValidationError =>
  validationErrorOf(() => buildDag(spec as DagTaskSpec, { source: 'task.json' }));

describe('the one time tolerance', () => {
  it('treats rounding noise as equal, is exact at 0 and never lets a non-finite value through', () => {
    expect(0.1 + 0.2 <= 0.3).toBe(false); // the float fact the tolerance exists for
    expect(withinDeadline(0.1 + 0.2, 0.3)).toBe(true);
    expect(withinDeadline(0.3 * (1 + 10 * TIME_EPS), 0.3)).toBe(false);
    expect(timeLeq(0, 0)).toBe(true);
    expect(timeLeq(1e-300, 0)).toBe(false);
    expect(timeLeq(-1e-300, 0)).toBe(true);
    expect(withinDeadline(Infinity, 1e15)).toBe(false);
    expect(withinDeadline(NaN, 5)).toBe(false);
    expect(timeLeq(Infinity, Infinity)).toBe(true);
    // A scale widens the tolerance (times subtracted from D), an infinite one is ignored.
    expect(timeLeq(1e-12, 0, 1)).toBe(true);
    expect(timeLeq(1e-12, 0, Infinity)).toBe(false);
    expect(timeLt(0.3, 0.1 + 0.2)).toBe(false);
    expect(timeLt(0.3, 0.31)).toBe(true);
    expect(timeEq(0.1 + 0.2, 0.3)).toBe(true);
  });

  it('rounds counts up only past rounding noise; lower bounds more conservatively', () => {
    expect(ceilTolerant((0.1 + 0.2) / 0.3)).toBe(1);
    expect(ceilTolerant(2 + 1e-6)).toBe(3);
    expect(ceilLowerBound(2 + 1e-7)).toBe(2);
    expect(ceilLowerBound(2.001)).toBe(3);
    // Never above a core count that meets D within the time tolerance, however many cores.
    for (const m of [1, 7, 2000, 1e6]) expect(ceilLowerBound(m * (1 + TIME_EPS))).toBe(m);
  });

  it('property: a chain of decimal WCETs against the decimal sum as D is met on 1 core by every method', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 2, maxLength: 8 }),
        async (tenths) => {
          // D is the exact decimal sum; the analysis adds the doubles k/10, which may land above it.
          const D = tenths.reduce((a, b) => a + b, 0) / 10;
          const dag = buildDag({
            deadline: D,
            nodes: tenths.map((k, i) => ({ id: i, wcet: k / 10 })),
            edges: tenths.slice(1).map((_, i) => [i, i + 1]),
          });
          expect(analyzeDag(dag).lowerBound).toBe(1);
          for (const r of await scheduleAllMethods(dag, { timeLimitS: 2 })) {
            expect(r.feasible, r.method).toBe(true);
            expect(r.cores, r.method).toBe(1);
            expect(checkSchedule(dag, r).violations, r.method).toEqual([]);
          }
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });

  it('a 0.1 + 0.2 chain against D = 0.3 beside a 0.3 node is met on 2 cores, not "infeasible"', async () => {
    const dag = buildDag({
      deadline: 0.3,
      nodes: [
        { id: 'a', wcet: 0.1 },
        { id: 'b', wcet: 0.2 },
        { id: 'c', wcet: 0.3 },
      ],
      edges: [['a', 'b']],
    });
    expect(analyzeDag(dag).lowerBound).toBe(2);
    const results = await scheduleAllMethods(dag, { timeLimitS: 2 });
    for (const r of results) expect(checkSchedule(dag, r).violations, r.method).toEqual([]);
    // D = L leaves graham's bound L + (vol − L)/m nothing to spare; the timetable methods answer.
    for (const r of results.filter((x) => ['listsched', 'egs-greedy', 'optimal'].includes(x.method))) {
      expect(r.feasible, r.method).toBe(true);
      expect(r.cores, r.method).toBe(2);
    }
  });
});

describe('input limits on times (finite, ≥ 0, at most 2^53 − 1)', () => {
  it('two WCETs of 1e308 (whose sum overflows) are refused instead of "proving" 2 cores', () => {
    const e = errorOf({
      deadline: 1e15,
      nodes: [
        { id: 'a', wcet: 1e308 },
        { id: 'b', wcet: 1e308 },
      ],
      edges: [],
    });
    expect(e.rule).toBe('wcet');
    expect(e.message).toMatch(/^task\.json: node 'a': wcet: wcet must be at most 2\^53/);
  });

  it('a sum of WCETs above the limit is an error with rule volume', () => {
    const e = errorOf({
      nodes: [
        { id: 'a', wcet: MAX_TIME },
        { id: 'b', wcet: 1 },
      ],
      edges: [],
    });
    expect(e.rule).toBe('volume');
    expect(e.item).toBe('nodes');
    expect(e.message).toContain('vol(G)');
  });

  it('a deadline above the limit is refused', () => {
    const e = errorOf({ deadline: 1e308, nodes: [{ id: 'a', wcet: 1 }], edges: [] });
    expect(e.rule).toBe('deadline');
    expect(e.message).toContain('at most 2^53');
  });

  it('1e309 in a JSON file is reported as not a finite number (not as "got null"), with file, item and rule', () => {
    for (const [text, item, rule] of [
      ['{"deadline": 5, "nodes": [{"id": "a", "wcet": 1e309}], "edges": []}', "node 'a'", 'wcet'],
      ['{"deadline": 1e309, "nodes": [{"id": "a", "wcet": 1}], "edges": []}', 'deadline', 'deadline'],
    ] as const) {
      let error: unknown;
      try {
        parseDag(text, 'json', 'big.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const v = error as ValidationError;
      expect([v.file, v.item, v.rule]).toEqual(['big.json', item, rule]);
      expect(v.message).toContain('not a finite number');
      expect(v.message).not.toContain('null');
    }
  });

  it('1e309 in STG and DOT files says it is not a finite number', () => {
    const stg = '1\n0 0 0\n1 1e309 1 0\n2 0 1 1\n';
    expect(() => parseDag(stg, 'stg', 't.stg')).toThrow(
      /t\.stg:3: .*wcet: .*'1e309', which is not a finite number/,
    );
    expect(() => parseDag('digraph { a [C="1e309"] }', 'dot', 't.dot')).toThrow(
      /t\.dot:1: node 'a': wcet: .*which is not a finite number/,
    );
  });
});

describe('tasks without work (every WCET 0, STG with n = 0)', () => {
  const zero = {
    nodes: [
      { id: 'a', wcet: 0 },
      { id: 'b', wcet: 0 },
    ],
    edges: [],
  };

  it('have lower bound 1 (not NaN) also when D defaults to L = 0, and a zero-work warning', () => {
    const dag = buildDag(zero, { source: 'z.json' });
    expect(dag.warnings.join('\n')).toContain('zero-work');
    const a = analyzeDag(dag);
    expect(a.deadline).toBe(0);
    expect(a.lowerBound).toBe(1);
    expect(coreLowerBound(dag, 0).lowerBound).toBe(1);
    const stg = parseDag('0\n0 0 0\n1 0 1 0\n', 'stg', 'empty.stg');
    expect(analyzeDag(stg).lowerBound).toBe(1);
  });

  it('are met on 1 core with makespan 0 by every method', async () => {
    const dag = buildDag({ ...zero, deadline: 5 });
    for (const r of await scheduleAllMethods(dag, { timeLimitS: 2 })) {
      expect(r.feasible, r.method).toBe(true);
      expect(r.cores, r.method).toBe(1);
      expect(r.makespan, r.method).toBe(0);
      expect(checkSchedule(dag, r).ok, r.method).toBe(true);
    }
  });
});
