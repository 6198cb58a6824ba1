/**
 * The `arbiter train` command: trains a registered algorithm on a registered environment into a run
 * folder (config, metrics, checkpoints), or resumes one.
 */
import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../agents/algorithm-names.js';
import { registeredEnvIds } from '../../core/registry.js';
import { registerBuiltinEnvs } from '../../envs/register-envs.js';
import { formatTable } from '../../report/table.js';
import { writeJson } from '../output.js';
import { parseInteger, parsePositiveInt } from '../parse-number.js';
import { startProgress, type Progress } from '../progress.js';
import { readJsonObjectOption } from '../../core/read-json-object.js';
import { ArbiterError } from '../../core/errors.js';
import type { RolloutSource } from '../../agents/rollout-source.js';
import type { RolloutSourceRequest } from '../../experiments/train-run.js';

interface TrainOptions {
  env?: string;
  steps?: number;
  seed: number;
  config?: string;
  envOptions?: string;
  policy?: string;
  evalEvery?: number;
  evalEpisodes: number;
  checkpointEvery?: number;
  runs: string;
  name?: string;
  resume?: string;
  envRunners?: number;
  queue?: string;
  asyncRollouts?: boolean;
  json?: boolean;
}

/** The env runners' rollout source for `trainRun`: K local threads, or K queue workers' slots. */
async function envRunnersFactory(
  runners: number,
  queue: string | undefined,
): Promise<(run: RolloutSourceRequest) => Promise<RolloutSource>> {
  if (queue === undefined) {
    const { LocalEnvRunners } = await import('../../distributed/env-runner-pool.js');
    return (run) =>
      LocalEnvRunners.start({ env: { id: run.env, options: run.envOptions }, numEnvs: run.numEnvs, runners });
  }
  const { QueueEnvRunners } = await import('../../distributed/env-runner-queue.js');
  const { parseRedisUrl, redactRedisUrl } = await import('../../distributed/redis-url.js');
  parseRedisUrl(queue);
  return (run) => {
    process.stderr.write(
      `env runners wait for ${runners} worker slot(s) on ${redactRedisUrl(queue)}: start \`arbiter worker --queue ${redactRedisUrl(queue)}\`\n`,
    );
    return QueueEnvRunners.start({
      url: queue,
      env: { id: run.env, options: run.envOptions },
      numEnvs: run.numEnvs,
      runners,
    });
  };
}

/** `factory`'s sources wrapped in {@link PipelinedRollouts} (`--async-rollouts`). */
async function pipelined(
  factory: (run: RolloutSourceRequest) => Promise<RolloutSource>,
): Promise<(run: RolloutSourceRequest) => Promise<RolloutSource>> {
  const { PipelinedRollouts } = await import('../../distributed/pipelined-rollouts.js');
  return async (run) => new PipelinedRollouts(await factory(run));
}

/**
 * `arbiter train ALGO --env ENV [--steps N] [--seed S] [--config file.json] [--policy file.json]
 * [--resume RUN] [--env-runners K [--queue URL] [--async-rollouts]] [--json]`.
 */
export function registerTrain(program: Command): void {
  registerBuiltinEnvs();
  program
    .command('train')
    .description(
      'train a policy; writes runs/<id>/ (config, metrics CSV/JSONL, TensorBoard, checkpoints, curve)',
    )
    .argument('[algo]', ALGORITHM_NAMES.join(' | ') + ' (omit with --resume)')
    .option('-e, --env <id>', `environment: ${registeredEnvIds().join(', ')}`)
    .option(
      '-n, --steps <N>',
      'total environment steps (default 100000; with --resume the run total)',
      parsePositiveInt,
    )
    .option('-s, --seed <S>', 'seed of everything random', parseInteger, 0)
    .option(
      '-c, --config <json|file>',
      'hyper-parameters: overrides of the defaults, inline JSON or a JSON file; unknown keys, wrong types and out-of-range values are errors',
    )
    .option(
      '--env-options <json|file>',
      'environment options, inline JSON or a JSON file (e.g. \'{"load":"high"}\' for Jobs-v0); checked like --config',
    )
    .option(
      '--policy <json|file>',
      'graph policy sizes for envs with graph observations (EGS-v0, trained with ppo, a2c or reinforce): {"hiddenDim":32,"numHeads":4,"numLayers":2,"ffnDim":64,"valueHiddenDim":64,"logitClip":10} (these are the defaults); PPO on EGS-v0 starts from the EGS training settings (8 envs × 64 steps, lr 1e-3 annealed, γ 0.995), which --config overrides',
    )
    .option('--eval-every <N>', 'evaluate every N steps (default steps/20)', parsePositiveInt)
    .option('--eval-episodes <N>', 'episodes per evaluation', parsePositiveInt, 10)
    .option('--checkpoint-every <N>', 'checkpoint every N steps (default steps/10)', parsePositiveInt)
    .option('--runs <dir>', 'folder of run folders', 'runs')
    .option('--name <id>', 'run folder name (default <algo>-<env>-<seed>-<time>)')
    .option(
      '--resume <run-dir>',
      'continue a run bit-exactly from its latest checkpoint (a corrupt latest/ falls back to the newest good checkpoints/step-N); algo, --env, --seed, --config given too must match the run',
    )
    .option(
      '--env-runners <K>',
      'collect on-policy rollouts on K env runners, each stepping a fixed slice of the numEnvs copies (local threads, or workers with --queue); the same run as with 0 (its own envs), bit for bit',
      parseInteger,
    )
    .option(
      '-q, --queue <url>',
      'with --env-runners: the runners are `arbiter worker`s on this Redis (redis://[user:password@]HOST:PORT[/db], rediss:// for TLS), one worker slot each',
    )
    .option(
      '--async-rollouts',
      'with --env-runners: the runners collect the next rollout while the learner trains on this one (faster on few cores; rollout i then uses the weights from before update i − 1, one update behind: a different run from K = 0, deterministic for a seed; a --resume of it is not bit-identical to the uninterrupted run, since its first rollout after the resume uses the current weights)',
    )
    .option('--json', 'print one JSON document with runDir and finalEvalMeanReturn')
    .action(async (algo: string | undefined, opts: TrainOptions, cmd: Command) => {
      const config = opts.config ? await readJsonObjectOption(opts.config, '--config') : undefined;
      const envOptions = opts.envOptions
        ? await readJsonObjectOption(opts.envOptions, '--env-options')
        : undefined;
      const policy = opts.policy ? await readJsonObjectOption(opts.policy, '--policy') : undefined;
      // With --resume, a seed counts as given only when typed (the default 0 must not clash).
      const seedGiven = opts.resume === undefined || cmd.getOptionValueSource('seed') === 'cli';
      // Created at the first report, which knows the run's total (also when resuming).
      let progress: Progress | undefined;
      const { trainRun } = await import('../../experiments/train-run.js'); // loads TensorFlow.js only when training
      if (opts.queue !== undefined && opts.envRunners === undefined)
        throw new ArbiterError('invalid-option', '--queue needs --env-runners K (the number of runners)');
      if (opts.envRunners !== undefined && opts.envRunners < 0)
        throw new ArbiterError('invalid-option', `--env-runners must be 0 or more, got ${opts.envRunners}`);
      // 0 runners: the algorithm steps its own envs.
      if (opts.asyncRollouts && !opts.envRunners)
        throw new ArbiterError('invalid-option', '--async-rollouts needs --env-runners K (1 or more)');
      const runnersSource = opts.envRunners
        ? await envRunnersFactory(opts.envRunners, opts.queue)
        : undefined;
      const rolloutSource =
        runnersSource && opts.asyncRollouts ? await pipelined(runnersSource) : runnersSource;
      const t0 = performance.now();
      let result;
      try {
        result = await trainRun({
          ...(algo !== undefined && { algo }),
          ...(opts.env !== undefined && { env: opts.env }),
          ...(opts.steps !== undefined && { steps: opts.steps }),
          ...(seedGiven && { seed: opts.seed }),
          ...(config && { config: config.value, configSource: config.source }),
          ...(envOptions && { envOptions: envOptions.value, envOptionsSource: envOptions.source }),
          ...(policy && { policy: policy.value, policySource: policy.source }),
          ...(opts.evalEvery !== undefined && { evalEvery: opts.evalEvery }),
          evalEpisodes: opts.evalEpisodes,
          ...(opts.checkpointEvery !== undefined && { checkpointEvery: opts.checkpointEvery }),
          runsRoot: opts.runs,
          ...(opts.name !== undefined && { name: opts.name }),
          ...(opts.resume !== undefined && { resume: opts.resume }),
          ...(rolloutSource && { rolloutSource }),
          onProgress: (done, total, metrics) => {
            progress ??= startProgress(total, `train ${algo ?? 'resume'}`, !opts.json);
            const secs = (performance.now() - t0) / 1000;
            const rew = metrics['rollout/ep_rew_mean'];
            progress.update(
              done,
              `${rew === undefined ? '' : `reward ${rew.toFixed(1)} · `}${Math.round(done / Math.max(secs, 1e-3))} steps/s`,
            );
          },
        });
      } finally {
        progress?.stop();
      }
      if (opts.json) {
        writeJson(result);
        return;
      }
      process.stdout.write(
        formatTable(
          ['run', 'algo', 'env', 'seed', 'steps', 'final eval', 'best eval', 'wall s'],
          [
            [
              result.runDir,
              result.algo,
              result.env,
              String(result.seed),
              String(result.steps),
              `${result.finalEvalMeanReturn.toFixed(2)} ± ${result.finalEvalStdReturn.toFixed(2)}`,
              Number.isNaN(result.bestEvalMeanReturn) ? '-' : result.bestEvalMeanReturn.toFixed(2),
              result.wallSeconds.toFixed(1),
            ],
          ],
        ) + '\n',
      );
      if (result.learningCurve) process.stdout.write(`learning curve: ${result.learningCurve}\n`);
    });
}
