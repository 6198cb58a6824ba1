/**
 * One way to check a configuration object (algorithm hyper-parameters, environment options)
 * against its zod schema: every problem becomes a {@link ValidationError} naming where the
 * options came from (`--config`, `--env-options`, a file path, or the class for library calls),
 * the key, and the rule (`type`, `range`, `enum`, `unknown-key` with a "did you mean").
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';

/** Where a configuration object came from and what it configures, for error messages. */
export interface ConfigSource {
  /** The option source, e.g. `"--config"`, `"--env-options"`, `"ppo.json"`, `"PPO config"`. */
  source: string;
  /** What is configured, e.g. `"PPO"` or `"Jobs-v0"` (named in unknown-key messages). */
  what: string;
}

/** Levenshtein distance of two short strings (keys), in O(|a|·|b|) time and O(|b|) memory. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The known key closest to `key` (case-insensitive equality first, then edit distance ≤ 1/3 of
 * the key's length, at least 2), or undefined when none is close.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = known.find((k) => k.toLowerCase() === lower);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/**
 * Parses `input` with `schema` (a strict object schema) and returns the parsed value, or throws a
 * {@link ValidationError} for the first problem: `source: key 'a.b': rule: detail`.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: ConfigSource,
): z.output<S> {
  const value = input ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw issueError(schema, value, pickIssue(result.error.issues, []), where);
}

/**
 * The issue to report: unknown keys first (a typo explains the rest); inside a union, the member
 * that matched the value's kind (its own issue, with the full path).
 */
function pickIssue(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): z.core.$ZodIssue {
  const first = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const path = [...prefix, ...first.path];
  if (first.code !== 'invalid_union' || first.errors.length === 0)
    return { ...first, path } as z.core.$ZodIssue;
  const score = (branch: readonly z.core.$ZodIssue[]): number => {
    const root = branch.every((i) => i.path.length === 0 && i.code !== 'unrecognized_keys');
    if (root && branch.every((i) => i.code === 'invalid_type')) return 0; // another kind of value
    if (root && branch.every((i) => i.code === 'invalid_value')) return 1; // a literal alternative
    return 2;
  };
  let best = first.errors[0]!;
  for (const b of first.errors) if (score(b) > score(best)) best = b;
  if (score(best) === 0) {
    const kinds = first.errors.map((b) => (b[0] as { expected?: string }).expected ?? 'value');
    return {
      ...first,
      path,
      code: 'invalid_type',
      expected: kinds.join(' or '),
    } as unknown as z.core.$ZodIssue;
  }
  return pickIssue(best, path);
}

function issueError(
  schema: z.ZodType,
  input: unknown,
  issue: z.core.$ZodIssue,
  where: ConfigSource,
): ValidationError {
  const path = issue.path.map(String);
  const file = where.source;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = knownKeys(schema, issue.path);
    const near = closestKey(key, known);
    const owner = path.length ? `${where.what} option '${path.join('.')}'` : where.what;
    return new ValidationError(
      'unknown-key',
      `${owner} has no option '${key}'${near !== undefined ? `; did you mean '${near}'?` : ''} (known: ${known.join(', ')})`,
      { file, item: `key '${[...path, key].join('.')}'` },
    );
  }
  const item = path.length ? `key '${path.join('.')}'` : where.what;
  const got = describe(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      return new ValidationError(
        'type',
        issue.expected === 'int'
          ? `must be an integer, got ${got}`
          : `expected ${article(issue.expected)}, got ${got}`,
        { file, item },
      );
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      const what = issue.origin === 'array' ? 'length' : 'value';
      return new ValidationError('range', `${what} must be ${op} ${String(bound)}, got ${got}`, {
        file,
        item,
      });
    }
    case 'invalid_value':
      return new ValidationError(
        'enum',
        `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`,
        { file, item },
      );
    default:
      return new ValidationError(issue.code === 'custom' ? 'range' : 'type', `${issue.message}, got ${got}`, {
        file,
        item,
      });
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `an array ${truncate(JSON.stringify(v))}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object ${truncate(JSON.stringify(v))}`;
  return String(v);
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Keys of the object schema at `path` inside `schema` (through optional/nullable/unions). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const k of path) s = s && objectOf(s)?.shape[String(k)];
  const obj = s && objectOf(s);
  return obj ? Object.keys(obj.shape) : [];
}

function objectOf(s: z.ZodType): z.ZodObject | undefined {
  // Unwrap optional/nullable/default layers, and take the object member of a union.
  for (let depth = 0; depth < 8; depth++) {
    if (s instanceof z.ZodObject) return s;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault)
      s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      const o = (s.options as z.ZodType[]).find((x) => objectOf(x) !== undefined);
      if (!o) return undefined;
      s = o;
    } else return undefined;
  }
  return undefined;
}

/** Common value rules, so every config states them the same way. */
export const zc = {
  /** An integer ≥ `min`. */
  int: (min: number) => z.number().int().min(min),
  /** A finite number > 0. */
  positive: () => z.number().positive(),
  /** A finite number ≥ 0. */
  nonNegative: () => z.number().min(0),
  /** A finite number in [0, 1]. */
  unit: () => z.number().min(0).max(1),
  /** A finite number (any sign). */
  finite: () => z.number(),
  /** A number > 0, or Infinity (e.g. "no gradient clipping"). */
  positiveOrInfinity: () => z.union([z.number().positive(), z.literal(Number.POSITIVE_INFINITY)]),
  /** A list of integers ≥ 1 (hidden layer widths; empty = linear). */
  layerSizes: () => z.array(z.number().int().min(1)),
  /** A seed: a safe integer. */
  seed: () => z.number().int(),
};

/**
 * The schema's shape for a config interface `T`: every key of `T`, nothing else (a compile-time
 * check that schema and interface describe the same options).
 */
export type ConfigShape<T> = { [K in keyof Required<T>]-?: z.ZodType };
