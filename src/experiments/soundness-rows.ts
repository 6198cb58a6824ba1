/**
 * The soundness benchmark's rows from its shards: the accumulators of every shard added in task
 * order (so the rows of any split, by tasks or by methods, equal those of one run over the whole
 * set), one row per method, dispatch and shape, and one per method and dispatch over all shapes,
 * in a fixed order: dynamic then static-order, methods and shapes in their lists' order.
 */
import type { SoundnessRow } from '../report/soundness-tables.js';
import { DAG_SHAPES } from './shaped-dag.js';
import {
  addSoundnessAcc,
  newSoundnessAcc,
  SOUNDNESS_METHODS,
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
  /** Tasks covered by the shards (by at least one method). */
  tasks: number;
}

/** Puts shards together (any order; two shards over the same task must check different methods). */
export function soundnessRows(shards: readonly SoundnessShardResult[]): SoundnessTotals {
  const sorted = [...shards].sort((a, b) => a.from - b.from);
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length && sorted[j]!.from < sorted[i]!.to; j++) {
      const [a, b] = [sorted[i]!, sorted[j]!];
      const both = a.methods.filter((m) => b.methods.includes(m));
      if (both.length > 0)
        throw new Error(
          `soundness shards [${a.from}, ${a.to}) and [${b.from}, ${b.to}) overlap (both check ${both.join(', ')})`,
        );
    }
  const acc = new Map<string, SoundnessAcc>(); // key: method|dispatch|shape
  for (const shard of sorted)
    for (const [key, a] of shard.groups) {
      if (!acc.has(key)) acc.set(key, newSoundnessAcc());
      const into = acc.get(key)!;
      addSoundnessAcc(into, a);
      into.examples.splice(5); // as if one run had seen them: the first five
    }
  const order = (key: string): number[] => {
    const [method, dispatch, shape] = key.split('|') as [string, string, string];
    const m = (SOUNDNESS_METHODS as readonly string[]).indexOf(method);
    const s = (DAG_SHAPES as readonly string[]).indexOf(shape);
    return [dispatch === 'dynamic' ? 0 : 1, m < 0 ? SOUNDNESS_METHODS.length : m, method.length, s];
  };
  const cmp = (x: string, y: string): number => {
    const [a, b] = [order(x), order(y)];
    const d = a.findIndex((v, i) => v !== b[i]);
    return d < 0 ? (x < y ? -1 : x > y ? 1 : 0) : a[d]! - b[d]!;
  };
  const keysInOrder = [...acc.keys()].sort(cmp);
  const rows: SoundnessRow[] = [];
  const keys = [...new Set(keysInOrder.map((k) => k.split('|').slice(0, 2).join('|')))];
  for (const key of keys) {
    const [method, dispatch] = key.split('|') as [string, SoundnessRow['dispatch']];
    const shapes = keysInOrder.filter((k) => k.startsWith(key + '|')).map((k) => k.split('|')[2]!);
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
    examples: keysInOrder.flatMap((k) => acc.get(k)!.examples),
    tasks: coveredTasks(sorted),
  };
}

/** Tasks in the union of the shards' slices (sorted by `from`). */
function coveredTasks(sorted: readonly SoundnessShardResult[]): number {
  let n = 0;
  let end = 0;
  for (const s of sorted) {
    n += Math.max(0, s.to - Math.max(s.from, end));
    end = Math.max(end, s.to);
  }
  return n;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
