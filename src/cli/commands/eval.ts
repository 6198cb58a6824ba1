/**
 * The `arbiter eval` command: runs a trained policy (a run folder or a checkpoint) on its
 * environment for a number of seeded episodes and reports the mean and spread of the return.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { formatTable } from '../../report/table.js';
import { loadModelTarget } from '../../experiments/load-model-target.js';
import { writeJson } from '../output.js';
import { parseInteger, parsePositiveInt } from '../parse-number.js';
import { mean } from '../../core/statistics.js';

interface EvalOptions {
  env?: string;
  envOptions?: string;
  episodes: number;
  seed: number;
  stochastic?: boolean;
  json?: boolean;
}

/** `arbiter eval RUN|MODEL --env ENV [--episodes N] [--seed S] [--json]`. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate a trained policy: mean and spread of the episode return')
    .argument(
      '<run-or-model>',
      'a run folder (its newest good checkpoint), its latest/ or checkpoints/step-N, or any checkpoint folder',
    )
    .option('-e, --env <id>', 'environment (default: the run’s)')
    .option('--env-options <json|file>', 'environment options, inline JSON or a file (default: the run’s)')
    .option('-k, --episodes <N>', 'episodes', parsePositiveInt, 10)
    .option('-s, --seed <S>', 'seed of the first episode', parseInteger, 0)
    .option('--stochastic', 'sample actions instead of the most likely one')
    .option('--json', 'print one JSON document {meanReturn, stdReturn, episodes, …}')
    .action(async (target: string, opts: EvalOptions) => {
      const { algo, modelDir, env, makeEnv } = await loadModelTarget(target, opts);
      const { evaluateAlgorithm } = await import('../../experiments/train-run.js');
      const r = evaluateAlgorithm(algo, makeEnv(), opts.episodes, opts.seed, !opts.stochastic);
      const meanLength = mean(r.lengths);
      if (opts.json) {
        writeJson({
          meanReturn: r.meanReturn,
          stdReturn: r.stdReturn,
          episodes: r.episodes,
          meanLength,
          returns: r.returns,
          env,
          model: path.resolve(modelDir),
          steps: algo.counters.numTimesteps,
        });
        return;
      }
      process.stdout.write(
        formatTable(
          ['model', 'env', 'episodes', 'mean return', 'std', 'mean length'],
          [[modelDir, env, r.episodes, r.meanReturn, r.stdReturn, meanLength]],
        ) + '\n',
      );
    });
}
