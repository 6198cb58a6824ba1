/**
 * The DAG set of the soundness benchmark: seeded shaped tasks, fixed before its first run, so any
 * task (and any counterexample) replays from its shape and seed alone.
 */
import type { Dag } from '../dag/dag-task.js';
import { DAG_SHAPES, shapedDag, type DagShape } from './shaped-dag.js';

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
  /** Shape. */
  shape: DagShape;
  /** Seed of the task. */
  seed: number;
  /** The task. */
  dag: Dag;
}

/** The first `perShape` tasks of every shape of the soundness set (`seed` in place of {@link SOUNDNESS_SEED}). */
export function soundnessDagSet(perShape: number, seed0: number = SOUNDNESS_SEED): SoundnessTask[] {
  const out: SoundnessTask[] = [];
  DAG_SHAPES.forEach((shape, s) => {
    for (let k = 0; k < perShape; k++) {
      const seed = seed0 + 100000 * s + k;
      out.push({ shape, seed, dag: shapedDag(shape, seed, 8 + (k % 23), SOUNDNESS_SLACKS[k % 5]!) });
    }
  });
  return out;
}
