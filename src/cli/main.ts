#!/usr/bin/env node
/**
 * The `arbiter` executable: runs the CLI on the process arguments and sets the exit code; a closed
 * stdout or stderr pipe ends it quietly.
 */
import { exitQuietlyOnBrokenPipe } from './output.js';
import { runCli } from './run-cli.js';

exitQuietlyOnBrokenPipe(process.stdout);
exitQuietlyOnBrokenPipe(process.stderr);
process.exitCode = await runCli(process.argv);
