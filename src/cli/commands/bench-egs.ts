/**
 * The `arbiter bench egs` command: every scheduling method on held-out DAG sets, written as a
 * Markdown report with one acceptance-curve SVG per set.
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

interface BenchEgsOptions {
  set?: string[];
  count: number;
  seed: number;
  slack: number;
  model?: string;
  samples: number;
  timeLimit: number;
  out: string;
  json?: boolean;
}

/**
 * `arbiter bench egs [--set DIR]… [--count N] [--seed S] [--slack s] [--model FILE] [--out DIR]
 * [--json]`: every method on held-out DAG sets (generated, or the DAG files of each DIR; files
 * without a deadline get `D = L + s·(vol − L)`), written to `DIR/egs.md` and one acceptance-curve
 * SVG per set.
 */
export function registerBenchEgs(bench: Command): void {
  bench
    .command('egs')
    .description(
      'compare the learned EGS policy with every heuristic and the exact optimum on held-out DAG sets',
    )
    .option(
      '--set <dir>',
      'a folder of DAG files (.json, .stg, .dot); repeatable (default: generated sets)',
      collect,
    )
    .option('--count <n>', 'generated DAGs per size band (10–20, 21–35, 36–50 nodes)', parsePositiveInt, 16)
    .option(
      '--seed <s>',
      'seed of the generated sets (default: one never used in training)',
      parseInteger,
      0xbe4c0e65,
    )
    .option(
      '--slack <s>',
      'slack factor: generated sets draw in [0, s]; files without a deadline get s',
      parseNumber,
      0.3,
    )
    .option(
      '--model <file.json|small|large>',
      'trained EGS policy for egs and egs-search, or a shipped one (default: small for egs, large for egs-search)',
    )
    .option('--samples <K>', 'egs-search: policy episodes besides the beam', parseInteger, 16)
    .option('--time-limit <seconds>', 'optimal: solver time limit per DAG (≤ 20 nodes only)', parseNumber, 5)
    .option('-o, --out <dir>', 'output folder', 'egs-bench')
    .option('--json', 'print the summary as one JSON document')
    .action(async (opts: BenchEgsOptions) => {
      // Loaded here so that other commands never import Vega (the plots).
      const [{ heldOutEgsSets, readEgsBenchmarkSet }, { runEgsBenchmark, summarizeEgsBenchmark }, report] =
        await Promise.all([
          import('../../experiments/egs-benchmark-sets.js'),
          import('../../experiments/egs-benchmark.js'),
          import('../../report/egs-benchmark-report.js'),
        ]);
      const { egsAcceptanceSvg, egsBenchmarkTables, egsBenchmarkText } = report;
      const sets: EgsBenchmarkSet[] = opts.set?.length
        ? await Promise.all(opts.set.map((dir) => readEgsBenchmarkSet(dir, opts.slack)))
        : heldOutEgsSets(opts.count, opts.seed, opts.slack);
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
        searchSamples: opts.samples,
        optimalTimeLimitS: opts.timeLimit,
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
