/**
 * The `arbiter dag analyze` command: prints {@link analyzeDag}'s measures (vol, L, width with its
 * witnesses, core lower bound, optionally per-node time windows) for each DAG file, as text or JSON.
 */
import type { Command } from 'commander';
import { analyzeDag, type DagAnalysis } from '../../dag/analysis/analyze-dag.js';
import { readDagFile } from '../../dag/io/read-dag-file.js';
import { formatTable } from '../../report/table.js';
import { parseNumber } from '../parse-number.js';
import { printWarnings, writeJson } from '../output.js';

/** `arbiter dag analyze FILE... [--deadline D] [--json]`. */
export function registerDagAnalyze(dag: Command): void {
  dag
    .command('analyze')
    .description(
      'analyse DAG tasks: vol, L, width with a maximum antichain and a minimum chain cover, core lower bound',
    )
    .argument('<files...>', 'DAG files (.json, .stg, .dot)')
    .option('-d, --deadline <D>', 'deadline to analyse for (default: the task deadline, else L)', parseNumber)
    .option('--timing', 'also print per-node EST/EFT/LST/LFT')
    .option('--json', 'print one JSON document (an object for one file, an array for several)')
    .action(async (files: string[], opts: { deadline?: number; json?: boolean; timing?: boolean }) => {
      const results: DagAnalysis[] = [];
      for (const file of files) {
        const dag = await readDagFile(file);
        printWarnings(dag.warnings);
        results.push(analyzeDag(dag, opts.deadline));
      }
      if (opts.json) {
        writeJson(results.length === 1 ? results[0] : results);
        return;
      }
      files.forEach((file, k) => printAnalysis(file, results[k]!, opts.timing === true));
    });
}

function printAnalysis(file: string, a: DagAnalysis, timing: boolean): void {
  const list = (ids: readonly (string | number)[]): string => ids.map(String).join(', ');
  const lines = [
    `${file}: ${a.name}`,
    `  nodes ${a.nodes}, edges ${a.edges} (${a.reducedEdges} after transitive reduction)`,
    `  volume vol(G) = ${a.volume}, critical path L(G) = ${a.criticalPath}  [${list(a.criticalPathNodes)}]`,
    `  deadline D = ${a.deadline} (${a.deadlineSource === 'critical-path' ? 'none given: D = L' : `from the ${a.deadlineSource}`})`,
    `  width W(G) = ${a.width}: trivially schedulable on ${a.triviallySchedulableOn} cores`,
    `  core lower bound = ${a.lowerBound}`,
    `  maximum antichain: {${list(a.antichain)}}`,
    `  minimum chain cover:`,
    ...a.chains.map((c, k) => `    chain ${k}: ${c.map(String).join(' -> ')}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (timing) {
    const rows = a.timing.map((t) => [String(t.id), t.wcet, t.est, t.eft, t.lst, t.lft]);
    process.stdout.write(formatTable(['node', 'wcet', 'EST', 'EFT', 'LST', 'LFT'], rows) + '\n');
  }
}
