/**
 * The `arbiter` command tree and its runner: registers every command and turns errors into exit
 * codes and short messages (0 success, 1 Arbiter error, 2 usage error).
 */
import { Command, CommanderError } from 'commander';
import { ArbiterError } from '../core/errors.js';
import { errnoOf, fileErrorFrom } from '../core/file-error.js';
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
import { registerSweep } from './commands/sweep.js';
import { registerWorker } from './commands/worker.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerHsoc } from './commands/hsoc.js';

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
  registerSweep(program);
  registerWorker(program);
  registerLogic(program);
  registerHsoc(program);
  registerDemo(program);
  registerDashboard(program);
  const bench = program.command('bench').description('evaluation harnesses (tables + SVG plots)');
  registerBenchEgs(bench);
  registerBenchHsoc(bench);
  return program;
}

/** What a failed system call was doing, in the words of {@link FileError} messages. */
const SYSCALL_ACTIONS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create folder',
  rename: 'replace',
  scandir: 'list folder',
  stat: 'read',
  unlink: 'remove',
};

/**
 * A Node.js file-system error that escaped its caller as the `FileError` it stands for (naming the
 * path, the action and the reason), or the error unchanged.
 */
function asFileError(e: unknown): unknown {
  const { syscall, path } = (e ?? {}) as { syscall?: unknown; path?: unknown };
  if (errnoOf(e) === undefined || typeof syscall !== 'string' || typeof path !== 'string') return e;
  return fileErrorFrom(e, SYSCALL_ACTIONS[syscall] ?? syscall, path);
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 on an Arbiter error (message on
 * stderr, no stack trace unless `--verbose`; a file-system error reads like
 * `cannot write 'out/a.svg': read-only file system (EROFS)`), 2 on a usage error.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (caught) {
    const e = asFileError(caught);
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
