/**
 * JSON with object keys sorted, so that equal data has one text (`{a, b}` and `{b, a}` alike):
 * for comparing configurations and for content hashes such as sweep trial ids.
 */

/** `JSON.stringify` of `value` with every object's keys in sorted order (arrays keep theirs). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
