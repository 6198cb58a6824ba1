import { describe, expect, it } from 'vitest';
import type { Callback, TrainingContext } from '../../src/agents/algorithm.js';
import { CurveRecorder } from '../../bench/od3-bench.js';

/** The steps at which a recorder evaluates over `total` env steps taken `stride` at a time. */
function schedule(every: number, total: number, stride = 1): number[] {
  let evals = 0;
  const rec = new CurveRecorder(every, () => ++evals);
  const ctx = (n: number): TrainingContext => ({ numTimesteps: n }) as TrainingContext;
  rec.onTrainingStart();
  for (let n = stride; n <= total; n += stride) rec.onStep(ctx(n));
  // Called as the training session calls it (optional hook).
  void (rec as Callback).onTrainingEnd?.(ctx(Math.floor(total / stride) * stride));
  expect(rec.points.map((p) => p.ret)).toEqual(rec.points.map((_, i) => i + 1));
  return rec.points.map((p) => p.step);
}

describe('CurveRecorder schedule', () => {
  it('evaluates at the last step when the budget is no multiple of the interval', () => {
    // The od3 pixel students: 5,000 steps evaluated every round(5000 / 12) = 417.
    const pong = schedule(417, 5_000);
    expect(pong).toEqual([...Array.from({ length: 12 }, (_, i) => 417 * i), 5_000]);
    expect(schedule(278, 3_333).slice(-2)).toEqual([3_058, 3_333]);
  });

  it('does not evaluate the last step twice when it is a grid point', () => {
    expect(schedule(1_250, 15_000)).toEqual(Array.from({ length: 13 }, (_, i) => 1_250 * i));
    // Vector steps of 4 pass 500 at 500 and 1,000 at 1,000: one point each.
    expect(schedule(500, 1_000, 4)).toEqual([0, 500, 1_000]);
    // 1,000 is evaluated at step 1,002, the last one: not again.
    expect(schedule(500, 1_003, 3)).toEqual([0, 500, 1_000]);
    expect(schedule(500, 1_010, 3)).toEqual([0, 500, 1_000, 1_008]);
  });
});
