/**
 * The `arbiter dag generate` command: seeded random DAG tasks (layered or fork-join) with a
 * slack-based deadline, printed or written as files in any DAG format.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ArbiterError } from '../../core/errors.js';
import {
  DAG_KINDS,
  generateDag,
  type DagKind,
  type GenerateDagOptions,
} from '../../dag/generate/generate-dag.js';
import type { DagFormat } from '../../dag/io/dag-format.js';
import { formatDag, writeDagFile } from '../../dag/io/write-dag-file.js';
import { parseInteger, parseNumber, parsePositiveInt, parseRange } from '../parse-number.js';
import { startProgress } from '../progress.js';
import { makeDirs } from '../../core/make-dirs.js';

interface GenerateCliOptions {
  nodes: number;
  seed: number;
  kind: string;
  meanPreds?: number;
  slack: number;
  layers?: number;
  density?: number;
  wcet?: [number, number];
  format: string;
  count?: number;
  out?: string;
}

/** `arbiter dag generate --nodes 20 --seed 1 [--format json|stg|dot] [--count K --out DIR]`. */
export function registerDagGenerate(dag: Command): void {
  dag
    .command('generate')
    .description(
      'generate seeded random DAG tasks (layered, nested fork-join, or Kasahara-style same-probability / same-predecessors) with deadlines set by slack factor',
    )
    .option('-n, --nodes <n>', 'number of nodes', parsePositiveInt, 20)
    .option('-s, --seed <seed>', 'random seed (task i of a batch uses seed + i)', parseInteger, 1)
    .option('-k, --kind <kind>', DAG_KINDS.join(' | '), 'layered')
    .option('--slack <s>', 'slack factor s in D = L + s·(vol − L), 0…1', parseNumber, 0.5)
    .option('--layers <k>', 'layered: number of layers (default ≈ √n)', parsePositiveInt)
    .option('--density <p>', 'layered: edge probability between consecutive layers', parseNumber)
    .option(
      '--mean-preds <k>',
      'same-probability / same-predecessors: mean number of predecessors per node',
      parseNumber,
    )
    .option('--wcet <lo:hi>', 'integer WCET range', parseRange)
    .option('-f, --format <format>', 'json | stg | dot', 'json')
    .option('-c, --count <k>', 'generate a batch of k tasks into --out', parsePositiveInt)
    .option('-o, --out <path>', 'output file (single task) or folder (batch); default stdout')
    .action(async (opts: GenerateCliOptions) => {
      if (!(DAG_KINDS as readonly string[]).includes(opts.kind))
        throw new ArbiterError(
          'bad-option',
          `--kind must be one of ${DAG_KINDS.join(', ')}, got '${opts.kind}'`,
        );
      const kasahara = opts.kind === 'same-probability' || opts.kind === 'same-predecessors';
      if (opts.meanPreds !== undefined && !kasahara)
        throw new ArbiterError(
          'bad-option',
          `--mean-preds applies to same-probability / same-predecessors, not ${opts.kind}`,
        );
      if (!['json', 'stg', 'dot'].includes(opts.format))
        throw new ArbiterError('bad-option', `--format must be json, stg or dot, got '${opts.format}'`);
      if (!(opts.slack >= 0 && opts.slack <= 1))
        throw new ArbiterError('bad-option', `--slack must be in [0, 1], got ${opts.slack}`);
      const format = opts.format as DagFormat;
      const make = (seed: number): ReturnType<typeof generateDag> => {
        const o: GenerateDagOptions = {
          kind: opts.kind as DagKind,
          nodes: opts.nodes,
          seed,
          slack: opts.slack,
        };
        if (opts.layers !== undefined) o.layers = opts.layers;
        if (opts.density !== undefined) o.edgeProbability = opts.density;
        if (opts.meanPreds !== undefined) o.meanPredecessors = opts.meanPreds;
        if (opts.wcet !== undefined) [o.wcetMin, o.wcetMax] = opts.wcet;
        return generateDag(o);
      };
      if (opts.count === undefined) {
        const task = make(opts.seed);
        if (opts.out) await writeDagFile(opts.out, task, format);
        else process.stdout.write(formatDag(task, format));
        return;
      }
      if (!opts.out) throw new ArbiterError('bad-option', '--count needs --out DIR');
      await makeDirs(opts.out);
      const progress = startProgress(opts.count, 'generating');
      for (let i = 0; i < opts.count; i++) {
        const task = make(opts.seed + i);
        await writeDagFile(path.join(opts.out, `${task.name}.${format}`), task, format);
        progress.tick(task.name);
      }
      progress.stop();
      process.stderr.write(`wrote ${opts.count} tasks to ${opts.out}\n`);
    });
}
