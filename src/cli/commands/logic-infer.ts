/**
 * The `arbiter logic` command group: `logic infer` loads an LNN / PLNN knowledge base, runs bound
 * inference to a fixed point and prints (or draws) the resulting truth bounds.
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { infer, type InferenceResult } from '../../logic/infer.js';
import { readKnowledgeBaseFile } from '../../logic/knowledge-base.js';
import { describeLogicNode, type LogicGraph } from '../../logic/logic-graph.js';
import { lnnNodeRule } from '../../logic/rule-text.js';
import { renderLogicGraphSvg } from '../../report/logic-graph-svg.js';
import { formatTable } from '../../report/table.js';
import { parseNumber, parsePositiveInt } from '../parse-number.js';
import { writeJson } from '../output.js';

interface InferOptions {
  json?: boolean;
  log?: boolean;
  svg?: string;
  all?: boolean;
  frechet?: boolean;
  epsilon: number;
  maxIterations: number;
}

/** `arbiter logic infer FILE.json [--json] [--log] [--svg graph.svg]`: the `logic` command group. */
export function registerLogic(program: Command): void {
  const logic = program
    .command('logic')
    .description('neuro-symbolic logic: LNN / PLNN knowledge bases with inspectable bound inference');
  logic
    .command('infer')
    .description('upward-downward inference on a knowledge base: query bounds, contradictions, step log')
    .argument('<file>', 'knowledge base (.json, see examples/logic/README.md)')
    .option('--json', 'print one JSON document')
    .option('--log', 'also print the step log (which rule moved which bound, from what to what)')
    .option('--svg <file.svg>', 'write the graph with every node’s bounds, contradictions in red')
    .option('--all', 'report every node, not only the queries')
    .option('--frechet', 'PLNN: ignore J (plain Fréchet bounds), to see what the correlations add')
    .option('--epsilon <e>', 'stop when no bound moves by more than e', parseNumber, 1e-6)
    .option('--max-iterations <n>', 'at most n upward+downward iterations', parsePositiveInt, 100)
    .action(async (file: string, opts: InferOptions) => {
      const graph = await readKnowledgeBaseFile(file);
      const result = infer(graph, {
        epsilon: opts.epsilon,
        maxIterations: opts.maxIterations,
        ignoreJ: opts.frechet === true,
      });
      const shown = opts.all ? graph.nodes.map((_, k) => k) : [...graph.queries];
      if (opts.svg) await writeFileAtomic(opts.svg, renderLogicGraphSvg(result));
      if (opts.json) {
        writeJson(toJson(file, result, shown, opts.log === true));
        return;
      }
      printHuman(file, result, shown, opts.log === true);
    });
}

function nodeRows(result: InferenceResult, shown: readonly number[]): (string | number)[][] {
  const g = result.graph;
  return shown.map((k) => {
    const node = g.nodes[k]!;
    const L = result.lower[k]!;
    const U = result.upper[k]!;
    return [
      node.id,
      node.kind === 'proposition' ? 'proposition' : describeLogicNode(g, k),
      `[${L.toFixed(3)}, ${U.toFixed(3)}]`,
      result.contradicted[k] ? 'contradiction' : (U - L).toFixed(3),
    ];
  });
}

function printHuman(file: string, result: InferenceResult, shown: readonly number[], log: boolean): void {
  const g = result.graph;
  const props = g.nodes.filter((x) => x.kind === 'proposition').length;
  const lines: string[] = [];
  lines.push(
    `${file}: ${g.mode.toUpperCase()} knowledge base${g.name ? ` '${g.name}'` : ''}, ${g.nodes.length} nodes (${props} propositions), ${g.facts.length} facts`,
  );
  lines.push(
    `${result.converged ? 'converged' : 'NOT converged'} after ${result.iterations} iteration(s), ` +
      `${result.steps.filter((s) => s.rule !== 'fact').length} bound updates, ${result.contradictions.length} contradiction(s)`,
  );
  lines.push('');
  lines.push(
    formatTable(['node', 'formula', 'bounds', 'width'], nodeRows(result, shown), [
      'left',
      'left',
      'left',
      'right',
    ]),
  );
  const rules = lnnRules(g);
  if (rules.length > 0) {
    lines.push('', 'rules (weights < 0.1 dropped):');
    for (const r of rules) lines.push(`  ${r}`);
  }
  if (result.contradictions.length > 0) {
    lines.push('', 'contradictions (localized: the node is quarantined, nothing propagates from it):');
    lines.push(
      formatTable(
        ['node', 'bounds', 'extent', 'rule', 'via', 'iteration', 'nodes involved'],
        result.contradictions.map((c) => [
          c.node,
          `[${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}]`,
          c.extent.toFixed(3),
          c.rule,
          c.via,
          c.iteration,
          c.nodes.join(', '),
        ]),
        ['left', 'left', 'right', 'left', 'left', 'right', 'left'],
      ),
    );
  }
  if (log) {
    lines.push('', 'step log:');
    lines.push(
      formatTable(
        ['iter', 'rule', 'via', 'node', 'bound', 'from', 'to', 'sources'],
        result.steps.map((s) => [
          s.iteration,
          s.rule,
          s.via,
          s.node,
          s.bound,
          s.from.toFixed(4),
          s.to.toFixed(4),
          s.sources.join(', '),
        ]),
        ['right', 'left', 'left', 'left', 'left', 'right', 'right', 'left'],
      ),
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function lnnRules(g: LogicGraph): string[] {
  const out: string[] = [];
  g.nodes.forEach((_, k) => {
    const r = lnnNodeRule(g, k);
    if (r) out.push(r.text);
  });
  return out;
}

function toJson(file: string, result: InferenceResult, shown: readonly number[], log: boolean): unknown {
  const g = result.graph;
  const facts = new Map(g.facts.map((f) => [f.node, [f.lower, f.upper]]));
  const nodeJson = (k: number): Record<string, unknown> => {
    const node = g.nodes[k]!;
    return {
      id: node.id,
      kind: node.kind,
      formula: describeLogicNode(g, k),
      lower: result.lower[k],
      upper: result.upper[k],
      ...(facts.has(k) && { fact: facts.get(k) }),
      ...(node.j !== undefined && { j: node.j }),
      ...(node.weights !== undefined && { weights: node.weights, beta: node.beta }),
      contradicted: result.contradicted[k] === 1,
      ...(node.hidden && { hidden: true }),
    };
  };
  return {
    file,
    ...(g.name !== undefined && { name: g.name }),
    mode: g.mode,
    iterations: result.iterations,
    converged: result.converged,
    lastChange: result.lastChange,
    queries: g.queries.map((k) => ({ node: g.nodes[k]!.id, lower: result.lower[k], upper: result.upper[k] })),
    nodes: shown.map(nodeJson),
    ...(g.mode === 'lnn' && { rules: lnnRules(g) }),
    contradictions: result.contradictions,
    ...(log && { steps: result.steps }),
  };
}
