/**
 * `npm run bench -- egs-sets [timeLimit=S]`: makes the held-out sets of the issue-16 EGS benchmark
 * (src/experiments/egs-held-out-sets.ts) with D = the best makespan known on m cores, and writes
 * them atomically to bench/data/egs-sets-v1.json, which `npm run bench -- egs` reads. `timeLimit`:
 * seconds per `bestKnownMakespan` call (default 60).
 */
import { execSync } from 'node:child_process';
import { EGS_SET_DECLARATION, generateEgsHeldOutSets } from '../src/experiments/egs-held-out-sets.js';
import {
  EGS_SET_FILE,
  EGS_SET_FILE_FORMAT,
  readEgsSetFile,
  writeEgsSetFile,
} from '../src/experiments/egs-set-file.js';

/** Parses `timeLimit=S` (the only argument). */
export function parseEgsSetsArgs(args: readonly string[]): { timeLimitS: number } {
  let timeLimitS = 60;
  for (const a of args) {
    const [key, value] = a.split('=');
    const x = Number(value);
    if (key !== 'timeLimit' || value === undefined || !(x > 0))
      throw new Error(`egs-sets bench: unknown or bad argument '${a}' (timeLimit=S, S > 0 seconds)`);
    timeLimitS = x;
  }
  return { timeLimitS };
}

/** Generates the set file (see the file comment). */
export async function runEgsSetsBench(args: readonly string[]): Promise<void> {
  const { timeLimitS } = parseEgsSetsArgs(args);
  const t0 = performance.now();
  const load0 = execSync('uptime').toString().trim();
  let done = 0;
  const all = await generateEgsHeldOutSets(EGS_SET_DECLARATION, {
    timeLimitS,
    onItem: (set, dag, item) => {
      done++;
      console.log(
        `egs-sets: ${done} ${set} ${dag} D=${item.D}${item.proven ? ' (proven)' : ''} by ${item.by}`,
      );
    },
  });
  const by = new Map<string, number>();
  for (const set of all.sets) for (const it of set.items) by.set(it.by, (by.get(it.by) ?? 0) + 1);
  await writeEgsSetFile(EGS_SET_FILE, {
    format: EGS_SET_FILE_FORMAT,
    declaration: EGS_SET_DECLARATION,
    generatedBy: {
      command: ['npm run bench -- egs-sets', ...args].join(' '),
      timeLimitS,
      makespanMethod: `bestKnownMakespan (src/dag/optimal/best-known-makespan.ts); D found by ${[...by].map(([k, n]) => `${k} ×${n}`).join(', ')}`,
    },
    ...all,
  });
  await readEgsSetFile(EGS_SET_FILE, EGS_SET_DECLARATION); // what was written reads back current
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(
    `wrote ${EGS_SET_FILE}: ${all.dags.length} DAGs, ${all.sets.length} sets, ${s} s (load at start: ${load0})`,
  );
}
