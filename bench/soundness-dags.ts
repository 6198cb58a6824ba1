import type { Dag } from '../src/dag/dag-task.js';
import { DAG_SHAPES, shapedDag, type DagShape } from '../test/helpers/shaped-dag.js';

/**
 * The DAG seeds of `npm run bench -- soundness`, declared before its first run: task k of shape
 * s (s = index in DAG_SHAPES) has seed `SOUNDNESS_SEED + 100000·s + k`, n = 8 + (k mod 23) nodes
 * and slack `SOUNDNESS_SLACKS[k mod 5]`.
 */
export const SOUNDNESS_SEED = 1_300_000;

/** Slack factors cycled over the tasks: from tight to loose deadlines. */
export const SOUNDNESS_SLACKS = [0.05, 0.15, 0.3, 0.5, 0.7] as const;

/** One task of the soundness set with its shape and seed. */
export interface SoundnessTask {
  shape: DagShape;
  seed: number;
  dag: Dag;
}

/** The first `perShape` tasks of every shape of the soundness set. */
export function soundnessDagSet(perShape: number): SoundnessTask[] {
  const out: SoundnessTask[] = [];
  DAG_SHAPES.forEach((shape, s) => {
    for (let k = 0; k < perShape; k++) {
      const seed = SOUNDNESS_SEED + 100000 * s + k;
      out.push({ shape, seed, dag: shapedDag(shape, seed, 8 + (k % 23), SOUNDNESS_SLACKS[k % 5]!) });
    }
  });
  return out;
}
