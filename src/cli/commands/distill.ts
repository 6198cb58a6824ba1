/**
 * The `arbiter distill` command: OD3 distillation of a trained teacher into the largest MLP student
 * that fits a parameter budget, written as a run folder that `eval` and `export` accept.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { registeredEnvIds } from '../../core/registry.js';
import { registerBuiltinEnvs } from '../../envs/register-envs.js';
import { formatTable } from '../../report/table.js';
import { writeJson } from '../output.js';
import { parseInteger, parseNumber, parsePositiveInt } from '../parse-number.js';
import { startProgress, type Progress } from '../progress.js';
import { readJsonObjectOption } from '../../core/read-json-object.js';

interface DistillOptions {
  teacher: string;
  budgetParams: number;
  env?: string;
  envOptions?: string;
  steps: number;
  seed: number;
  tau: number;
  minibatch: number;
  updateFreq: number;
  collector: 'student' | 'teacher';
  config?: string;
  evalEvery?: number;
  evalEpisodes: number;
  runs: string;
  name?: string;
  json?: boolean;
}

function parseCollector(v: string): 'student' | 'teacher' {
  if (v !== 'student' && v !== 'teacher') throw new InvalidArgumentError("expected 'student' or 'teacher'");
  return v;
}

/**
 * `arbiter distill --teacher RUN --budget-params N [--tau 0.01] --env ENV [--steps N] [--seed S]
 * [--minibatch 32] [--update-freq 4] [--collector student|teacher] [--json]`: OD3 distillation of
 * a trained teacher into the largest MLP student within the parameter budget; writes a run
 * folder that `arbiter eval` and `arbiter export` accept.
 */
export function registerDistill(program: Command): void {
  registerBuiltinEnvs();
  program
    .command('distill')
    .description(
      'distill a trained teacher into a small student within a parameter budget (OD3); writes runs/<id>/',
    )
    .requiredOption(
      '-t, --teacher <run>',
      'teacher: a run folder (its latest checkpoint) or a checkpoint folder',
    )
    .requiredOption(
      '-b, --budget-params <N>',
      'most parameters of the student decision network',
      parsePositiveInt,
    )
    .option('-e, --env <id>', `environment (default: the teacher run’s): ${registeredEnvIds().join(', ')}`)
    .option('--env-options <file.json>', 'environment options (default: the teacher run’s)')
    .option('-n, --steps <N>', 'environment steps', parsePositiveInt, 50_000)
    .option('-s, --seed <S>', 'seed of everything random', parseInteger, 0)
    .option('--tau <τ>', 'temperature of the teacher softmax (< 1 sharpens)', parseNumber, 0.01)
    .option('--minibatch <N>', 'states per minibatch (32, 16, 8, 4 in the seed)', parsePositiveInt, 32)
    .option('--update-freq <N>', 'environment steps between updates (4…32 in the seed)', parsePositiveInt, 4)
    .option(
      '--collector <who>',
      'who acts: student (OD3) | teacher (policy distillation)',
      parseCollector,
      'student',
    )
    .option(
      '-c, --config <json|file>',
      'further distiller settings (learningRate, exploration…, memorySize), inline JSON or a file; unknown keys are errors',
    )
    .option('--eval-every <N>', 'evaluate every N steps (default steps/20)', parsePositiveInt)
    .option('--eval-episodes <N>', 'episodes per evaluation', parsePositiveInt, 10)
    .option('--runs <dir>', 'folder of run folders', 'runs')
    .option('--name <id>', 'run folder name (default od3-<env>-<seed>-<time>)')
    .option('--json', 'print one JSON document with runDir, the student choice and the final evaluation')
    .action(async (opts: DistillOptions) => {
      const config = opts.config ? await readJsonObjectOption(opts.config, '--config') : undefined;
      const { distillRun } = await import('../../experiments/distill-run.js'); // loads TensorFlow.js only here
      const progress: Progress = startProgress(opts.steps, 'distill', !opts.json);
      let result;
      try {
        result = await distillRun({
          teacher: opts.teacher,
          budgetParams: opts.budgetParams,
          ...(opts.env !== undefined && { env: opts.env }),
          ...(opts.envOptions !== undefined && { envOptions: opts.envOptions }),
          steps: opts.steps,
          seed: opts.seed,
          tau: opts.tau,
          minibatch: opts.minibatch,
          updateFreq: opts.updateFreq,
          collector: opts.collector,
          ...(config && { config: config.value, configSource: config.source }),
          ...(opts.evalEvery !== undefined && { evalEvery: opts.evalEvery }),
          evalEpisodes: opts.evalEpisodes,
          runsRoot: opts.runs,
          ...(opts.name !== undefined && { name: opts.name }),
          onProgress: (done, _total, metrics) => {
            const kl = metrics['train/kl_loss'];
            progress.update(done, kl === undefined ? '' : `KL ${kl.toFixed(4)}`);
          },
        });
      } finally {
        progress.stop();
      }
      if (opts.json) {
        writeJson(result);
        return;
      }
      process.stdout.write(result.student.explanation + '\n');
      process.stdout.write(
        formatTable(
          [
            'run',
            'env',
            'student',
            'params',
            'teacher params',
            'steps',
            'student eval',
            'teacher eval',
            'wall s',
          ],
          [
            [
              result.runDir,
              result.env,
              result.student.hiddenSizes.join('×'),
              result.student.params,
              result.teacher.decisionParams,
              result.steps,
              `${result.finalEvalMeanReturn.toFixed(2)} ± ${result.finalEvalStdReturn.toFixed(2)}`,
              result.teacherEvalMeanReturn.toFixed(2),
              result.wallSeconds.toFixed(1),
            ],
          ],
        ) + '\n',
      );
      if (result.learningCurve) process.stdout.write(`learning curve: ${result.learningCurve}\n`);
    });
}
