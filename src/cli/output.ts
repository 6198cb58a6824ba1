/**
 * What the CLI writes to the terminal besides its reports: the `--json` document on stdout,
 * warnings on stderr, and a quiet exit when the reader of a pipe goes away.
 */
import { errnoOf } from '../core/file-error.js';

/**
 * Makes a closed reader of `stream` (`arbiter … | head -1`) end the process quietly, as it ends a
 * Unix tool: no stack trace, exit status 141 (128 + SIGPIPE), whatever was still to be printed
 * dropped. Other stream errors stay fatal.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e) => {
    if (errnoOf(e) === 'EPIPE') process.exit(141);
    throw e;
  });
}

/** Prints one JSON document on stdout (the `--json` contract: nothing else goes to stdout). */
export function writeJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Prints non-fatal warnings on stderr. */
export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}
