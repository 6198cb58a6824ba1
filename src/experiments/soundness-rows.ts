/**
 * The soundness benchmark's rows from its shards: the accumulators of every shard added in task
 * order (so the rows of any split equal those of one run over the whole set), one row per method,
 * dispatch and shape, and one per method and dispatch over all shapes.
 */
import type { SoundnessRow } from '../report/soundness-tables.js';
import {
  addSoundnessAcc,
  newSoundnessAcc,
  type SoundnessAcc,
  type SoundnessShardResult,
} from './soundness-shard.js';

/** The shards put together. */
export interface SoundnessTotals {
  /** The rows, in the order the benchmark's report lists them. */
  rows: SoundnessRow[];
  /** zhao2020's boundCores per task (null: not proved), in task order. */
  zhao2020: (number | null)[];
  /** The first few violations of each row, in words. */
  examples: string[];
  /** Tasks covered by the shards. */
  tasks: number;
}

/** Puts shards together (any order; they are sorted by their first task and must not overlap). */
export function soundnessRows(shards: readonly SoundnessShardResult[]): SoundnessTotals {
  const sorted = [...shards].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.from < sorted[i - 1]!.to)
      throw new Error(
        `soundness shards [${sorted[i - 1]!.from}, ${sorted[i - 1]!.to}) and [${sorted[i]!.from}, ${sorted[i]!.to}) overlap`,
      );
  const acc = new Map<string, SoundnessAcc>(); // key: method|dispatch|shape, in first-seen order
  for (const shard of sorted)
    for (const [key, a] of shard.groups) {
      if (!acc.has(key)) acc.set(key, newSoundnessAcc());
      const into = acc.get(key)!;
      addSoundnessAcc(into, a);
      into.examples.splice(5); // as if one run had seen them: the first five
    }
  const rows: SoundnessRow[] = [];
  const keys = [...new Set([...acc.keys()].map((k) => k.split('|').slice(0, 2).join('|')))];
  for (const key of keys) {
    const [method, dispatch] = key.split('|') as [string, SoundnessRow['dispatch']];
    const shapes = [...acc.keys()].filter((k) => k.startsWith(key + '|')).map((k) => k.split('|')[2]!);
    const all = newSoundnessAcc();
    for (const shape of [...shapes, 'all']) {
      const a = shape === 'all' ? all : acc.get(`${key}|${shape}`)!;
      if (shape !== 'all') addSoundnessAcc(all, a);
      const row: SoundnessRow = {
        method,
        dispatch,
        shape,
        dags: a.dags,
        simulations: a.simulations,
        violations: a.violations,
      };
      if (dispatch === 'dynamic') {
        row.meanBoundCores = round(a.cores / Math.max(1, a.dags));
        row.tightnessMax = round(Math.max(0, ...a.tight));
        row.tightnessMean = round(a.tight.reduce((s, x) => s + x, 0) / Math.max(1, a.tight.length));
        row.tightnessMaxMulticore = round(Math.max(0, ...a.tightMulticore));
      } else row.worstRatio = round(a.ratio);
      rows.push(row);
    }
  }
  return {
    rows,
    zhao2020: sorted.flatMap((s) => s.zhao2020),
    examples: [...acc.values()].flatMap((a) => a.examples),
    tasks: sorted.reduce((n, s) => n + s.to - s.from, 0),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
