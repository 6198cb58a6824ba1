import { Command, CommanderError } from 'commander';
import { ArbiterError } from '../core/errors.js';
import { registerDagAnalyze } from './commands/dag-analyze.js';
import { registerDagGenerate } from './commands/dag-generate.js';
import { registerDemo } from './commands/demo.js';
import { registerSchedule } from './commands/schedule.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerExport } from './commands/export.js';
import { registerBenchEgs } from './commands/bench-egs.js';
import { registerBenchHsoc } from './commands/bench-hsoc.js';
import { registerLogic } from './commands/logic-infer.js';
import { registerDistill } from './commands/distill.js';

/** Builds the `arbiter` command tree. */
export function buildProgram(): Command {
  const program = new Command('arbiter')
    .description('Arbiter: deep reinforcement learning for real-time resource management')
    .option('--verbose', 'print stack traces on errors')
    .showHelpAfterError()
    .exitOverride();
  const dag = program.command('dag').description('DAG tasks: generate and analyse');
  registerDagGenerate(dag);
  registerDagAnalyze(dag);
  registerSchedule(program);
  registerTrain(program);
  registerEval(program);
  registerExport(program);
  registerDistill(program);
  registerLogic(program);
  registerDemo(program);
  const bench = program.command('bench').description('evaluation harnesses (tables + SVG plots)');
  registerBenchEgs(bench);
  registerBenchHsoc(bench);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 on an Arbiter error (message on
 * stderr, no stack trace unless `--verbose`), 2 on a usage error.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed it
    const verbose = argv.includes('--verbose');
    if (e instanceof ArbiterError) {
      process.stderr.write(`error: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(e.stack + '\n');
      return 1;
    }
    process.stderr.write(
      `internal error: ${e instanceof Error ? (verbose ? e.stack : e.message) : String(e)}\n`,
    );
    return 1;
  }
}
