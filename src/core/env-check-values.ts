/**
 * What the env checkers (`checkEnv`, the multi-agent checkers) compare environments' returns
 * with: deep equality and a short rendering for messages, a copy of a returned value to find an
 * env that mutates it later, and the first difference of two same-seed trajectories.
 */

/**
 * Deep equality of observation-like values: typed arrays (same type, elements equal, NaN equal to
 * NaN), arrays and plain records key by key, other values by `Object.is`.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!(x[i] === y[i] || (x[i] !== x[i] && y[i] !== y[i]))) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => valuesEqual(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** A short human-readable rendering of a value for error messages (long arrays are cut). */
export function describeValue(x: unknown): string {
  if (ArrayBuffer.isView(x)) {
    const arr = Array.from(x as unknown as ArrayLike<number>);
    const shown = arr.slice(0, 8).join(', ') + (arr.length > 8 ? `, … (${arr.length})` : '');
    return `${x.constructor.name}[${shown}]`;
  }
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x !== 'object' || x === null) return String(x);
  if (Array.isArray(x)) return `[${x.slice(0, 8).map(describeValue).join(', ')}${x.length > 8 ? ', …' : ''}]`;
  const entries = Object.entries(x).slice(0, 8);
  return `{ ${entries.map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ')} }`;
}

/**
 * A value an env returned and a deep copy taken at once: agents may keep what an env returns, so
 * the env must not change it afterwards; {@link ReturnedValueSnapshot.intact} tells.
 */
export class ReturnedValueSnapshot {
  private ref: unknown;
  private copy: unknown;

  /** Remembers `value` and returns its deep copy (what a trajectory record keeps). */
  take<T>(value: T): T {
    this.ref = value;
    this.copy = structuredClone(value);
    return this.copy as T;
  }

  /** Whether the value of the last `take` still equals the copy taken then. */
  intact(): boolean {
    return valuesEqual(this.ref, this.copy);
  }
}

/**
 * The first record where two trajectories of the same seed and actions differ, as
 * `record i: a vs b`, or undefined when they are equal.
 */
export function firstTraceDifference(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (!valuesEqual(a[i], b[i])) return `record ${i}: ${describeValue(a[i])} vs ${describeValue(b[i])}`;
  return undefined;
}
