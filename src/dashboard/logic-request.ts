/**
 * The logic view's requests: a knowledge base (under the dashboard folder, a shipped example, or an
 * upload) read by the CLI's reader, inferred as `arbiter logic infer --log` does, answered with
 * every node's bounds, the step log, the contradictions and the graph drawn.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import { infer } from '../logic/infer.js';
import { parseKnowledgeBase } from '../logic/knowledge-base.js';
import { describeLogicNode } from '../logic/logic-graph.js';
import { renderLogicGraphSvg } from '../report/logic-graph-svg.js';
import { confinedPath } from './confined-path.js';
import type { LogicAnswer, LogicFileList, LogicRequest } from './dashboard-api.js';
import { listKnowledgeBaseFiles } from './file-index.js';
import { MAX_DAG_UPLOAD_CHARS } from './schedule-request.js';

/** Most step-log entries sent (a long log is cut; the final bounds are always complete). */
const MAX_STEPS = 20_000;

/** The shipped examples' folder (`examples/logic/` of the checkout; absent from the npm package). */
export function logicExamplesDir(): string {
  return fileURLToPath(new URL('../../examples/logic/', import.meta.url));
}

/** The knowledge bases under `root` and the shipped examples. */
export async function listLogicFiles(root: string, examplesDir = logicExamplesDir()): Promise<LogicFileList> {
  const [files, examples] = await Promise.all([
    listKnowledgeBaseFiles(root),
    existsSync(examplesDir) ? listKnowledgeBaseFiles(examplesDir) : Promise.resolve([]),
  ]);
  return { files, examples: examples.filter((e) => !e.path.includes('/')).map((e) => e.path) };
}

/**
 * Reads the request's knowledge base, runs inference to a fixed point with the step log, and
 * answers with every node's bounds, the log, the contradictions and the SVG graph. Errors are
 * `ArbiterError`s (`bad-request`, the reader's `ValidationError`s, confinement errors).
 */
export async function runLogicRequest(
  root: string,
  request: LogicRequest,
  examplesDir = logicExamplesDir(),
): Promise<LogicAnswer> {
  if (request === null || typeof request !== 'object')
    throw new ArbiterError('bad-request', 'the request body must be a JSON object');
  let text: string;
  let source: string;
  if (typeof request.file === 'string') {
    text = await readFile(await confinedPath(root, request.file), 'utf8');
    source = request.file;
  } else if (typeof request.example === 'string') {
    const { examples } = await listLogicFiles(root, examplesDir);
    if (!examples.includes(request.example))
      throw new ArbiterError('bad-request', `no shipped example '${request.example}'`);
    text = await readFile(path.join(examplesDir, request.example), 'utf8');
    source = request.example;
  } else if (typeof request.text === 'string') {
    if (request.text.length > MAX_DAG_UPLOAD_CHARS)
      throw new ArbiterError('bad-request', `an upload may have at most ${MAX_DAG_UPLOAD_CHARS} characters`);
    text = request.text;
    source = typeof request.name === 'string' ? path.basename(request.name) : 'upload.json';
  } else throw new ArbiterError('bad-request', 'give a knowledge base: `file`, `example` or `text`');
  const graph = parseKnowledgeBase(text, source);
  const result = infer(graph, { log: true, ignoreJ: request.frechet === true });
  const queries = new Set(graph.queries);
  return {
    name: graph.name ?? source,
    mode: graph.mode,
    iterations: result.iterations,
    converged: result.converged,
    nodes: graph.nodes.map((node, k) => ({
      id: node.id,
      formula: node.kind === 'proposition' ? 'proposition' : describeLogicNode(graph, k),
      lower: result.lower[k]!,
      upper: result.upper[k]!,
      contradicted: result.contradicted[k] === 1,
      query: queries.has(k),
    })),
    contradictions: result.contradictions.map((c) => ({ ...c, nodes: [...c.nodes] })),
    steps: result.steps.slice(0, MAX_STEPS).map((s) => ({ ...s, sources: [...s.sources] })),
    svg: renderLogicGraphSvg(result),
  };
}
