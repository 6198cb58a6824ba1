/**
 * The `arbiter bench egs` command. By default the issue-16 benchmark on the held-out sets of a set
 * file (`bench-egs-held-out.ts`); with `--generated` or `--set DIR` the older regime: every method
 * on generated 10–50-node sets at slack deadlines or on DAG folders, written as a Markdown report
 * with one acceptance-curve SVG per set.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { ArbiterError } from '../../core/errors.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from '../../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../deploy/egs-policy-scheduler.js';
import type { EgsBenchmarkSet } from '../../experiments/egs-benchmark-sets.js';
import { writeJson } from '../output.js';
import { parseInteger, parseNumber, parsePositiveInt } from '../parse-number.js';
import { startProgress } from '../progress.js';
import { makeDirs } from '../../core/make-dirs.js';
import { runBenchEgsHeldOut, type BenchEgsHeldOutOptions } from './bench-egs-held-out.js';

interface BenchEgsOptions extends BenchEgsHeldOutOptions {
  generated?: boolean;
  set?: string[];
  count?: number;
  seed?: number;
  slack?: number;
  samples?: number;
  timeLimit?: number;
  out: string;
}

// Which options belong to which mode, to refuse a mix (a flag silently ignored is a wrong run).
const GENERATED_ONLY = ['count', 'seed', 'slack', 'samples', 'timeLimit'] as const;
const HELD_OUT_ONLY = ['sets', 'only', 'methods', 'optimalLimit', 'budget'] as const;
const FLAG: Record<string, string> = { timeLimit: '--time-limit', optimalLimit: '--optimal-limit' };
const flagOf = (k: string): string => FLAG[k] ?? `--${k}`;

/**
 * `arbiter bench egs [--sets FILE] [--only SETS] [--methods M] [--optimal-limit S] [--budget S]
 * [--model FILE] [--out DIR] [--json]`: the issue-16 benchmark (see `bench-egs-held-out.ts`).
 * `arbiter bench egs --generated|--set DIR… [--count N] [--seed S] [--slack s] [--samples K]
 * [--time-limit S]`: every method on generated held-out sets or the DAG files of each DIR (files
 * without a deadline get `D = L + s·(vol − L)`), written to `DIR/egs.md` and one acceptance-curve
 * SVG per set.
 */
export function registerBenchEgs(bench: Command): void {
  bench
    .command('egs')
    .description(
      'compare the learned EGS policy with every heuristic and the exact optimum on held-out DAG sets ' +
        '(default: the issue-16 benchmark at tight deadlines, D = the best makespan known on m cores)',
    )
    .option(
      '--sets <file>',
      "issue-16 set file (egs-sets format; default: the package's bench/data/egs-sets-v1.json)",
    )
    .option('--only <sets>', 'issue-16: comma-separated set names to run, e.g. gen-50-m4,stg-50-m2')
    .option(
      '--methods <list>',
      'issue-16: comma-separated methods (egs, egs-search, egs-policy, egs-greedy, listsched, optimal, zhao2020, graham, he2021, he2019)',
    )
    .option('--optimal-limit <seconds>', 'issue-16: optimal solver limit per DAG (default 20)', parseNumber)
    .option('--budget <seconds>', 'issue-16: budget of every other method per DAG (default 10)', parseNumber)
    .option(
      '--generated',
      'older regime: generated 10–50-node sets at slack deadlines (--count, --seed, --slack)',
    )
    .option('--set <dir>', 'older regime: a folder of DAG files (.json, .stg, .dot); repeatable', collect)
    .option(
      '--count <n>',
      '--generated: DAGs per size band (10–20, 21–35, 36–50 nodes; default 16)',
      parsePositiveInt,
    )
    .option('--seed <s>', '--generated: seed of the sets (default: one never used in training)', parseInteger)
    .option(
      '--slack <s>',
      'older regime: generated sets draw the slack in [0, s]; files without a deadline get s (default 0.3)',
      parseNumber,
    )
    .option(
      '--model <file.json|small|large>',
      'trained EGS policy for egs and egs-search, or a shipped one (default: small for egs, large for egs-search)',
    )
    .option(
      '--samples <K>',
      'older regime: egs-search policy episodes besides the beam (default 16)',
      parseInteger,
    )
    .option(
      '--time-limit <seconds>',
      'older regime: optimal solver limit per DAG, ≤ 20 nodes only (default 5)',
      parseNumber,
    )
    .option('-o, --out <dir>', 'output folder', 'egs-bench')
    .option('--json', 'print the rows (issue-16: one per set and method) as one JSON document')
    .action(async (opts: BenchEgsOptions) => {
      const older = opts.generated === true || (opts.set?.length ?? 0) > 0;
      const wrong = (older ? HELD_OUT_ONLY : GENERATED_ONLY).filter((k) => opts[k] !== undefined);
      if (wrong.length > 0)
        throw new ArbiterError(
          'bad-option',
          older
            ? `${wrong.map(flagOf).join(', ')}: only for the issue-16 benchmark, not with --generated or --set`
            : `${wrong.map(flagOf).join(', ')}: only with --generated or --set (the older regime)`,
        );
      if (!older) return runBenchEgsHeldOut(opts);
      const count = opts.count ?? 16;
      const seed = opts.seed ?? 0xbe4c0e65;
      const slack = opts.slack ?? 0.3;
      // Loaded here so that other commands never import Vega (the plots).
      const [{ heldOutEgsSets, readEgsBenchmarkSet }, { runEgsBenchmark, summarizeEgsBenchmark }, report] =
        await Promise.all([
          import('../../experiments/egs-benchmark-sets.js'),
          import('../../experiments/egs-benchmark.js'),
          import('../../report/egs-benchmark-report.js'),
        ]);
      const { egsAcceptanceSvg, egsBenchmarkTables, egsBenchmarkText } = report;
      const sets: EgsBenchmarkSet[] = opts.set?.length
        ? await Promise.all(opts.set.map((dir) => readEgsBenchmarkSet(dir, slack)))
        : heldOutEgsSets(count, seed, slack);
      const scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(opts.model, 'egs')));
      const searchScheduler = new EgsPolicyScheduler(
        loadEgsPolicyModel(resolveEgsModelPath(opts.model, 'egs-search')),
      );
      await makeDirs(opts.out); // before the run: a bad --out fails in a second, not after it
      const total = sets.reduce((s, x) => s + x.dags.length, 0);
      const bar = startProgress(total, 'bench egs', !opts.json);
      const rows = await runEgsBenchmark(sets, {
        scheduler,
        searchScheduler,
        searchSamples: opts.samples ?? 16,
        optimalTimeLimitS: opts.timeLimit ?? 5,
        onDag: (done) => bar.update(done),
      });
      bar.stop();
      const summary = summarizeEgsBenchmark(rows);
      const files: string[] = [];
      for (const set of sets) {
        const file = path.join(opts.out, `egs-acceptance-${set.name}.svg`);
        await writeFileAtomic(file, await egsAcceptanceSvg(summary, set.name));
        files.push(file);
      }
      const md = path.join(opts.out, 'egs.md');
      await writeFileAtomic(
        md,
        `# arbiter bench egs\n\nMean cores per method (a bound that cannot prove D counts as n cores), gap to the proven optimum, time per DAG, timetables failing the checker.\n\n` +
          egsBenchmarkTables(summary) +
          '\n' +
          files.map((f) => `![${path.basename(f)}](${path.basename(f)})`).join('\n') +
          '\n',
      );
      await writeFileAtomic(path.join(opts.out, 'egs-rows.json'), JSON.stringify(rows, null, 1) + '\n');
      files.unshift(md);
      const invalid = rows.filter((r) => !r.valid).length;
      if (opts.json) writeJson({ summary, files, invalid });
      else process.stdout.write(egsBenchmarkText(summary) + `\nwritten: ${files.join(', ')}\n`);
      if (invalid > 0)
        throw new ArbiterError(
          'invalid-schedule',
          `${invalid} timetables failed the schedule checker (see egs-rows.json)`,
        );
    });
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}
