#!/usr/bin/env node
import { exitQuietlyOnBrokenPipe } from './output.js';
import { runCli } from './run-cli.js';

exitQuietlyOnBrokenPipe(process.stdout);
exitQuietlyOnBrokenPipe(process.stderr);
process.exitCode = await runCli(process.argv);
