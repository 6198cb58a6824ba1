/**
 * Configuration diffs of several runs: each `config.json` flattened to dotted keys, and the keys
 * whose values differ between the runs (a key missing from a run counts as a difference).
 */

/** One row of a config diff: a dotted key and its value in each run (undefined = absent). */
export interface ConfigDiffRow {
  /** Dotted path, e.g. `config.learningRate`. */
  key: string;
  /** The value's JSON text in each run, in the order the runs were given. */
  values: (string | undefined)[];
  /** Whether the runs disagree on this key. */
  differs: boolean;
}

/** A JSON value flattened to `dotted.key → JSON text` (arrays are compared whole). */
export function flattenConfig(
  value: unknown,
  prefix = '',
  out: Map<string, string> = new Map(),
): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix !== '') out.set(prefix, '{}');
    for (const [k, v] of entries) flattenConfig(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (prefix !== '') out.set(prefix, JSON.stringify(value));
  return out;
}

/** Rows for every key of any config, sorted by key; `differs` marks those not equal in all runs. */
export function diffConfigs(configs: readonly unknown[]): ConfigDiffRow[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = new Set<string>();
  for (const f of flat) for (const k of f.keys()) keys.add(k);
  return [...keys].sort().map((key) => {
    const values = flat.map((f) => f.get(key));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}
