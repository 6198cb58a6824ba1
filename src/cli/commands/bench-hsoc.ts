/**
 * The `arbiter bench hsoc` command: trains the LNN rules and compares them with the uniform,
 * dynamic-rule and ideal static policies on the HSoC workloads at three loads, written as a
 * Markdown report with a completion-rate plot.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import type { KnowledgeBaseSpec } from '../../logic/knowledge-base-spec.js';
import { writeJson } from '../output.js';
import { parseInteger, parsePositiveInt } from '../parse-number.js';
import { startProgress } from '../progress.js';
import { makeDirs } from '../../core/make-dirs.js';

interface BenchHsocOptions {
  seeds: number;
  episodes: number;
  restarts: number;
  poweredSeeds: number;
  ppoSteps: number;
  idealSearch: boolean;
  kb: string;
  out: string;
  json?: boolean;
}

/**
 * `arbiter bench hsoc [--seeds N] [--powered-seeds N] [--episodes E] [--restarts R] [--ppo-steps S] [--no-ideal-search] [--kb FILE]
 * [--out DIR] [--json]`: trains the LNN
 * rules, evaluates uniform / LNN rules / dynamic rules / ideal static on the 5-task and AV DAGs at
 * light, medium and heavy load, and writes `DIR/hsoc.md` with `DIR/hsoc-completion.svg`.
 */
export function registerBenchHsoc(bench: Command): void {
  bench
    .command('hsoc')
    .description('HSoC power sharing: uniform vs LNN rules vs dynamic (PLNN) rules vs ideal static')
    .option('--seeds <n>', 'held-out evaluation seeds per cell (every policy)', parsePositiveInt, 20)
    .option(
      '--powered-seeds <n>',
      'further seeds for the runnable policies against the control, used by the acceptance checks (0: leave out)',
      parseInteger,
      200,
    )
    .option('--episodes <n>', 'REINFORCE episodes of each LNN training', parsePositiveInt, 2000)
    .option(
      '--restarts <n>',
      'independent LNN trainings; the best on validation seeds is evaluated',
      parsePositiveInt,
      8,
    )
    .option(
      '--ppo-steps <n>',
      'training steps of the shared PPO baseline (0: leave it out)',
      parseInteger,
      60000,
    )
    .option('--no-ideal-search', 'ideal static: split rules only, no per-task search (fast)')
    .option('--kb <file.json>', 'LightLoad PLNN knowledge base', 'examples/logic/light-load.json')
    .option('-o, --out <dir>', 'output folder', 'hsoc-bench')
    .option('--json', 'print the rows and rules as one JSON document')
    .action(async (opts: BenchHsocOptions) => {
      // Loaded here so that other commands never import TensorFlow.js (the PPO baseline) or Vega.
      const [{ runHsocBenchmark }, { hsocBenchmarkMarkdown }, { renderHsocBarChartSvg }] = await Promise.all([
        import('../../experiments/hsoc-benchmark.js'),
        import('../../report/hsoc-benchmark-markdown.js'),
        import('../../report/hsoc-bar-chart.js'),
      ]);
      const kb = JSON.parse(await readFile(opts.kb, 'utf8')) as KnowledgeBaseSpec;
      await makeDirs(opts.out); // before the run: a bad --out fails in a second, not after it
      const bar = startProgress(6, 'bench hsoc', !opts.json);
      const result = await runHsocBenchmark({
        seeds: opts.seeds,
        trainEpisodes: opts.episodes,
        restarts: opts.restarts,
        poweredSeeds: opts.poweredSeeds,
        ppoSteps: opts.ppoSteps,
        idealTaskSearch: opts.idealSearch,
        knowledgeBase: kb,
        onCell: (done) => bar.update(done),
      });
      bar.stop();
      const svg = path.join(opts.out, 'hsoc-completion.svg');
      await writeFileAtomic(svg, await renderHsocBarChartSvg(result.rows));
      const md = path.join(opts.out, 'hsoc.md');
      await writeFileAtomic(
        md,
        `# arbiter bench hsoc\n\n![completion](hsoc-completion.svg)\n\n${hsocBenchmarkMarkdown(result, opts.seeds)}`,
      );
      if (opts.json)
        writeJson({ rows: result.rows, rules: result.rules, latencyUs: result.latencyUs, files: [md, svg] });
      else process.stdout.write(hsocBenchmarkMarkdown(result, opts.seeds) + `\nwritten: ${md}, ${svg}\n`);
    });
}
