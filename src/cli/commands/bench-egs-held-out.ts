/**
 * `arbiter bench egs [--sets FILE]`: the issue-16 EGS benchmark (tight deadlines, the held-out
 * sets of a set file) through the same code as `npm run bench -- egs`, written to `DIR/egs.md`,
 * `DIR/egs.json` (one row per set and method) and `DIR/rows.json` (one per DAG and method).
 * `--only`, `--methods`, `--optimal-limit` and `--budget` choose a slice small enough for seconds.
 */
import { execSync } from 'node:child_process';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { describeMachine } from '../../core/describe-machine.js';
import { ArbiterError } from '../../core/errors.js';
import { makeDirs } from '../../core/make-dirs.js';
import { writeJson } from '../output.js';
import { startProgress } from '../progress.js';

/** The options of the issue-16 mode. */
export interface BenchEgsHeldOutOptions {
  sets?: string;
  only?: string;
  methods?: string;
  optimalLimit?: number;
  budget?: number;
  model?: string;
  out: string;
  json?: boolean;
}

/** A comma-separated list (`a,b`), blanks dropped. */
function list(v: string | undefined): string[] | undefined {
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
}

// `uptime` for the report; a machine without it still runs the benchmark.
function uptime(): string {
  try {
    return execSync('uptime').toString().trim();
  } catch {
    return 'unknown (no uptime command)';
  }
}

/** The command as the reader would type it again, for the report. */
function commandOf(o: BenchEgsHeldOutOptions): string {
  const flags: [string, unknown][] = [
    ['--sets', o.sets],
    ['--only', o.only],
    ['--methods', o.methods],
    ['--optimal-limit', o.optimalLimit],
    ['--budget', o.budget],
    ['--model', o.model],
    ['--out', o.out],
  ];
  return [
    'arbiter bench egs',
    ...flags.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${String(v)}`),
  ].join(' ');
}

/** Runs the issue-16 mode (see the module doc). */
export async function runBenchEgsHeldOut(opts: BenchEgsHeldOutOptions): Promise<void> {
  const [bench, run, { egsHeldOutMarkdown }] = await Promise.all([
    import('../../experiments/egs-held-out-benchmark.js'),
    import('../../experiments/egs-held-out-run.js'),
    import('../../experiments/egs-held-out-markdown.js'),
  ]);
  const t0 = performance.now();
  const loadStart = uptime();
  // Every option is checked before the (slow) run: a typo fails at once.
  const methods = opts.methods !== undefined ? run.parseEgsHeldOutMethods(list(opts.methods)!) : undefined;
  const choice = {
    ...(opts.optimalLimit !== undefined && { optimalTimeLimitS: opts.optimalLimit }),
    ...(opts.budget !== undefined && { budgetS: opts.budget }),
    ...(methods !== undefined && { methods }),
    ...(opts.model !== undefined && { model: opts.model }),
  };
  run.checkEgsHeldOutChoice(choice);
  const opened = await run.openEgsHeldOutSetFile(opts.sets).catch((e: unknown) => {
    // The default file is only in a checkout of the repository (not in the npm package).
    if (opts.sets === undefined && e instanceof ArbiterError && e.code === 'egs-sets-missing')
      throw new ArbiterError(e.code, `${e.message}, or name a set file with --sets FILE`);
    throw e;
  });
  const file = run.selectEgsHeldOutSets(opened.file, list(opts.only), opened.path);
  const policies = run.egsHeldOutPolicies(opts.model);
  const options = run.egsHeldOutRunOptions(choice, policies);
  await makeDirs(opts.out); // before the run: a bad --out fails in a second, not after it
  const total = file.sets.reduce(
    (s, set) => s + set.items.length * bench.egsHeldOutMethodsOf(set, options).length,
    0,
  );
  const bar = startProgress(total, 'bench egs', !opts.json);
  let done = 0;
  const rows = await bench.runEgsHeldOutBenchmark(file, {
    ...options,
    onResult: (r) => bar.update(++done, `${r.set} ${r.method}`),
  });
  bar.stop();
  const summary = bench.summarizeEgsHeldOut(rows, file.sets);
  const benchS = (performance.now() - t0) / 1000;
  const files = ['egs.md', 'egs.json', 'rows.json'].map((f) => path.join(opts.out, f));
  await writeFileAtomic(files[1]!, JSON.stringify(summary, null, 1) + '\n');
  await writeFileAtomic(files[2]!, JSON.stringify(rows) + '\n');
  const chosen = new Set(file.sets.map((s) => s.name));
  const md = egsHeldOutMarkdown({
    machine: describeMachine(),
    command: commandOf(opts),
    wallS: (performance.now() - t0) / 1000,
    benchS,
    loadStart,
    loadEnd: uptime(),
    setFilePath: opened.path,
    file: opened.file,
    rows,
    summary,
    options,
    policies,
    skippedSets: opened.file.sets.filter((s) => !chosen.has(s.name)).map((s) => s.name),
    rowsFile: 'rows.json',
  });
  await writeFileAtomic(files[0]!, md);
  const invalid = rows.filter((r) => !r.valid).length;
  if (opts.json) writeJson({ rows: summary, files, invalid });
  else {
    const { egsHeldOutSummaryTable } = await import('../../report/egs-held-out-report.js');
    process.stdout.write(
      egsHeldOutSummaryTable(summary, bench.EGS_HELD_OUT_METHODS) + `\n\nwritten: ${files.join(', ')}\n`,
    );
  }
  if (invalid > 0)
    throw new ArbiterError(
      'invalid-schedule',
      `${invalid} timetables failed the schedule checker (see ${files[2]})`,
    );
}
