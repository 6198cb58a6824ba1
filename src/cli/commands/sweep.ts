/**
 * The `arbiter sweep` command: a grid or seeded random search of training runs from a sweep file,
 * or the cells of a benchmark, on local trial processes or queue workers, with a summary (JSON,
 * Markdown, SVG) rewritten as trials finish.
 */
import type { Command } from 'commander';
import { ArbiterError } from '../../core/errors.js';
import { formatTable } from '../../report/table.js';
import { writeJson } from '../output.js';
import { parsePositiveInt, parsePositiveNumber } from '../parse-number.js';
import { startProgress } from '../progress.js';

interface SweepOptions {
  workers?: number;
  queue?: string;
  out?: string;
  resume?: boolean;
  json?: boolean;
  connectTimeout: number;
}

/** The `--json` view of a trial: what it tried and what it got. */
function trialView(r: {
  id: string;
  params: Record<string, unknown>;
  seed: number;
  runDir: string;
  finalEvalMeanReturn: number;
}): Record<string, unknown> {
  return {
    id: r.id,
    params: r.params,
    seed: r.seed,
    runDir: r.runDir,
    finalEvalMeanReturn: r.finalEvalMeanReturn,
  };
}

/** `arbiter sweep SWEEP.json [--workers N | --queue URL] [--out DIR] [--resume] [--json]`. */
export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description(
      'grid or seeded random search of training runs, or benchmark cells (HSoC, EGS in either regime, soundness shards), on local processes or on `arbiter worker`s with --queue; writes <out>/trials/<id>/ run folders (or <out>/cells/<id>.json) and summary.json, summary.md',
    )
    .argument(
      '<sweep.json>',
      'sweep file: {"algo","env","steps","seeds","grid","random","config","envOptions"}, or benchmark cells {"benchmark": "hsoc" | "egs" | "egs-held-out" | "soundness", …} (docs/sweeps.md)',
    )
    .option('-w, --workers <N>', 'local trial processes (default: the number of cores)', parsePositiveInt)
    .option(
      '-q, --queue <url>',
      'send trials as jobs to `arbiter worker`s through Redis: redis://[user:password@]HOST:PORT[/db], rediss:// for TLS',
    )
    .option(
      '--connect-timeout <seconds>',
      'with --queue: fail when Redis cannot be reached at the start within this time',
      parsePositiveNumber,
      10,
    )
    .option('-o, --out <dir>', 'sweep folder (default sweeps/<file name>)')
    .option('--resume', 'continue the sweep in the folder: finished trials are not run again')
    .option('--json', 'print one JSON document: {"trials": [...], "best": ...}')
    .action(async (file: string, opts: SweepOptions) => {
      const [{ readJsonObjectFile }, { isCellSweep }] = await Promise.all([
        import('../../core/read-json-object.js'),
        import('../../distributed/cell-sweep-spec.js'),
      ]);
      const cells = isCellSweep(await readJsonObjectFile(file));
      if (opts.queue !== undefined) {
        const { parseRedisUrl, redactRedisUrl } = await import('../../distributed/redis-url.js');
        parseRedisUrl(opts.queue);
        const url = redactRedisUrl(opts.queue);
        process.stderr.write(
          `${cells ? 'cells' : 'trials'} go to ${url}: start workers with \`arbiter worker --queue ${url}\`\n`,
        );
      }
      const { runCellSweepCommand, sweepRunOptions } = await import('./sweep-cells.js');
      if (cells) return runCellSweepCommand(file, opts);
      const { runSweep } = await import('../../distributed/run-sweep.js');
      let progress: ReturnType<typeof startProgress> | undefined;
      const result = await runSweep({
        ...sweepRunOptions(file, opts),
        onTrial: (e) => {
          progress ??= startProgress(e.total, 'sweep', !opts.json);
          progress.update(
            e.settled,
            e.result ? `${e.trial.id}: ${e.result.finalEvalMeanReturn.toFixed(1)}` : '',
          );
          if (e.failure) process.stderr.write(`trial ${e.trial.id} failed: ${e.failure.error}\n`);
        },
      });
      progress?.stop();
      if (opts.json)
        writeJson({
          trials: result.trials.map(trialView),
          best: result.best && trialView(result.best),
          failed: result.failed,
          out: result.out,
        });
      else {
        const names = [...new Set(result.trials.flatMap((t) => Object.keys(t.params)))];
        process.stdout.write(
          formatTable(
            ['trial', ...names, 'seed', 'final eval', 'wall s'],
            result.trials.map((t) => [
              t.id + (t.id === result.best?.id ? ' *' : ''),
              ...names.map((n) => JSON.stringify(t.params[n])),
              String(t.seed),
              `${t.finalEvalMeanReturn.toFixed(2)} ± ${t.finalEvalStdReturn.toFixed(2)}`,
              t.wallSeconds.toFixed(1),
            ]),
          ) + '\n',
        );
        process.stdout.write(
          `${result.trials.length}/${result.total} trials finished in ${result.wallSeconds.toFixed(1)} s; best (*): ${result.best?.runDir ?? 'none'}\n` +
            `summary: ${result.out}/summary.{json,md,svg}\n`,
        );
      }
      if (result.failed.length > 0)
        throw new ArbiterError(
          'sweep-failed-trials',
          `${result.failed.length} of ${result.total} trials failed (see ${result.out}/summary.md)`,
        );
    });
}
