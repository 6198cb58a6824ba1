import os from 'node:os';
export { describeMachine } from '../src/core/describe-machine.js';

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Times `fn` `repeat` times after `warmup` runs; returns the per-run times in ms. */
export async function timeIt(fn: () => unknown, repeat: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** The 1-, 5- and 15-minute load averages, as a bench file states them ("2.10, 1.95, 1.80"). */
export function loadAverages(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
}
