/**
 * Standard Task Graph Set (Kasahara lab) format. A file is a task count `n`, then one line
 * `id wcet npred pred1 pred2 …` for each task `0 … n+1` in order, where `0` and `n+1` are the
 * dummy entry and exit tasks (WCET 0); `#` starts a comment that runs to the end of the line.
 * The set's files end with a `#` summary block, which is read as comments.
 *
 * STG has no deadline, name or string ids, so Arbiter writes them as comments that its reader
 * understands and other readers skip:
 * - `# name: ex1` — the task name;
 * - `# deadline: 8` — the relative deadline D;
 * - `# id 3 = v2` (after a task line or on a line of its own) — task 3 has the id `v2`. An
 *   integer id is written bare (`# id 3 = 7`); a string id that could be misread (it looks like a
 *   number, has spaces, …) is written as a JSON string (`# id 3 = "7"`).
 */
import { ValidationError } from '../../core/errors.js';
import { describeEdge, describeNode, type Dag, type DagTaskSpec, type NodeId } from '../dag-task.js';
import { buildDagWithLines, fileStem } from './locate-error.js';
import { notFiniteNote, NUMBER } from './number-text.js';

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const NATURAL = /^\d+$/;
const NAME_DIRECTIVE = /^#\s*name\s*:\s*(.*?)\s*$/i;
const DEADLINE_DIRECTIVE = /^#\s*deadline\s*:\s*(.*?)\s*$/i;
const ID_DIRECTIVE = /^#\s*id\s+(\S+)\s*=\s*(.*?)\s*$/;

/**
 * Reads an STG file into a {@link Dag} whose nodes are the tasks `0 … n+1` in order (the dummy
 * entry and exit are kept as real nodes) with integer ids, or the ids restored from `# id`
 * comments. Every malformed line throws a {@link ValidationError} naming `source`, the line, the
 * task and the rule (`stg-syntax`, `stg-sequence`, `stg-pred-count`, `stg-missing-tasks`,
 * `stg-dummy`, `stg-comment`, `wcet`, `deadline`, `dangling-edge`, and the graph rules of
 * buildDag).
 */
export function parseStgDag(text: string, source?: string): Dag {
  const lines = text.split(/\r\n|\n|\r/);
  const fail = (rule: string, detail: string, line: number, item?: string): never => {
    throw new ValidationError(rule, detail, {
      ...(source !== undefined && { file: source }),
      line,
      ...(item !== undefined && { item }),
    });
  };

  let count: number | undefined; // n, the number of real tasks
  let headerLine = 0;
  let name: string | undefined;
  let deadline: number | undefined;
  let deadlineLine = 0;
  const directiveLine = new Map<string, number>();
  const idComments = new Map<number, { id: NodeId; line: number }>();
  const tasks: { wcet: number; preds: number[]; line: number }[] = [];

  const readComment = (comment: string, line: number): void => {
    let m = NAME_DIRECTIVE.exec(comment);
    if (m !== null) {
      once('name', line);
      name = m[1]!;
      return;
    }
    m = DEADLINE_DIRECTIVE.exec(comment);
    if (m !== null) {
      once('deadline', line);
      const d = NUMBER.test(m[1]!) ? Number(m[1]) : NaN;
      if (!Number.isFinite(d) || d <= 0)
        fail(
          'deadline',
          `deadline must be a finite number > 0, got '${m[1]!}'${notFiniteNote(m[1]!)}`,
          line,
          'deadline',
        );
      deadline = d;
      deadlineLine = line;
      return;
    }
    m = ID_DIRECTIVE.exec(comment);
    if (m !== null) {
      if (!NATURAL.test(m[1]!))
        fail('stg-comment', `'# id' needs a task number, got '${m[1]!}'`, line, `task ${m[1]!}`);
      const task = Number(m[1]);
      const prior = idComments.get(task);
      if (prior !== undefined)
        fail('stg-comment', `task ${task} already has an id (line ${prior.line})`, line, `task ${task}`);
      idComments.set(task, {
        id: parseIdText(m[2]!, (d) => fail('stg-comment', d, line, `task ${task}`)),
        line,
      });
    }
  };
  const once = (key: string, line: number): void => {
    const prior = directiveLine.get(key);
    if (prior !== undefined)
      fail('stg-comment', `'# ${key}:' is given twice (first on line ${prior})`, line, key);
    directiveLine.set(key, line);
  };

  lines.forEach((raw, k) => {
    const line = k + 1;
    const hash = raw.indexOf('#');
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (hash >= 0) readComment(raw.slice(hash).trim(), line);
    if (content === '') return;
    const tokens = content.split(/\s+/);
    if (count === undefined) {
      if (tokens.length !== 1 || !NATURAL.test(tokens[0]!)) {
        fail(
          'stg-syntax',
          `expected the task count \`n\` on the first line, got '${content}'`,
          line,
          'header',
        );
      }
      count = Number(tokens[0]);
      headerLine = line;
      return;
    }
    const expected = tasks.length;
    if (expected > count + 1) {
      fail(
        'stg-syntax',
        `unexpected line after the last task ${count + 1} (n = ${count} on line ${headerLine}): '${content}'`,
        line,
        `task ${expected}`,
      );
    }
    tasks.push(parseTaskLine(tokens, content, expected, count, line, fail));
  });

  if (count === undefined) {
    fail(
      'stg-syntax',
      'the file has no task count `n` (it is empty or all comments)',
      Math.max(lines.length, 1),
      'header',
    );
  }
  const total = count! + 2;
  if (tasks.length < total) {
    fail(
      'stg-missing-tasks',
      `n = ${count!} (line ${headerLine}) promises tasks 0 … ${total - 1}, but the file ends after ` +
        (tasks.length === 0 ? 'the header' : `task ${tasks.length - 1}`),
      lines.length,
      `task ${tasks.length}`,
    );
  }
  for (const [task, { line }] of idComments) {
    if (task >= total)
      fail('stg-comment', `there is no task ${task} (tasks are 0 … ${total - 1})`, line, `task ${task}`);
  }

  const ids = tasks.map((_, i) => idComments.get(i)?.id ?? i);
  const lineOf = new Map<string, number>();
  const spec: DagTaskSpec = {
    ...(name !== undefined && { name }),
    ...(deadline !== undefined && { deadline }),
    nodes: [],
    edges: [],
  };
  tasks.forEach((task, i) => {
    const id = ids[i]!;
    spec.nodes.push({ id, wcet: task.wcet });
    lineOf.set(describeNode(id), task.line);
    for (const p of task.preds) {
      spec.edges.push([ids[p]!, id]);
      lineOf.set(describeEdge(ids[p]!, id), task.line);
    }
  });
  if (deadline !== undefined) lineOf.set('deadline', deadlineLine);
  const stem = fileStem(source);
  return buildDagWithLines(
    spec,
    { ...(source !== undefined && { source }), ...(stem !== undefined && { defaultName: stem }) },
    lineOf,
  );
}

function parseTaskLine(
  tokens: string[],
  content: string,
  expected: number,
  count: number,
  line: number,
  fail: (rule: string, detail: string, line: number, item?: string) => never,
): { wcet: number; preds: number[]; line: number } {
  const item = `task ${expected}`;
  if (tokens.length < 3)
    fail('stg-syntax', `expected \`id wcet npred preds…\`, got '${content}'`, line, item);
  const [idText, wcetText, npredText, ...predTexts] = tokens as [string, string, string, ...string[]];
  if (!NATURAL.test(idText))
    fail(
      'stg-syntax',
      `task id '${idText}' is not a non-negative integer (expected ${expected})`,
      line,
      item,
    );
  const id = Number(idText);
  if (id !== expected) {
    fail(
      'stg-sequence',
      `tasks must be listed 0 … ${count + 1} in order: expected task ${expected}, got ${id}`,
      line,
      `task ${id}`,
    );
  }
  const value = Number(wcetText);
  if (NON_FINITE.test(wcetText) || (NUMBER.test(wcetText) && !(value >= 0 && Number.isFinite(value)))) {
    fail(
      'wcet',
      `wcet must be a finite number >= 0, got '${wcetText}'${notFiniteNote(wcetText)}`,
      line,
      item,
    );
  }
  if (!NUMBER.test(wcetText)) fail('stg-syntax', `wcet '${wcetText}' is not a number`, line, item);
  const wcet = Number(wcetText);
  if (!NATURAL.test(npredText))
    fail('stg-syntax', `predecessor count '${npredText}' is not a non-negative integer`, line, item);
  const npred = Number(npredText);
  if (predTexts.length !== npred) {
    fail(
      'stg-pred-count',
      `npred = ${npred} but the line lists ${predTexts.length} predecessor${predTexts.length === 1 ? '' : 's'}` +
        (predTexts.length > 0 ? ` (${predTexts.join(' ')})` : ''),
      line,
      item,
    );
  }
  const preds = predTexts.map((t) => {
    if (!NATURAL.test(t)) fail('stg-syntax', `predecessor '${t}' is not a task number`, line, item);
    const p = Number(t);
    if (p > count + 1)
      fail(
        'dangling-edge',
        `predecessor ${p} is not a task (tasks are 0 … ${count + 1})`,
        line,
        describeEdge(p, id),
      );
    return p;
  });
  const isDummy = id === 0 || id === count + 1;
  if (isDummy && wcet !== 0) {
    fail(
      'stg-dummy',
      `task ${id} is the dummy ${id === 0 ? 'entry' : 'exit'} and must have wcet 0, got ${wcetText}`,
      line,
      item,
    );
  }
  if (id === 0 && npred !== 0)
    fail('stg-dummy', 'task 0 is the dummy entry and cannot have predecessors', line, item);
  return { wcet, preds, line };
}

/** `v2` → "v2", `7` → 7, `"7"` → "7" (JSON string); see the module comment. */
function parseIdText(text: string, fail: (detail: string) => never): NodeId {
  if (text.startsWith('"')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      fail(`bad quoted id ${text}`);
    }
    if (typeof v !== 'string' || v.length === 0) fail(`bad quoted id ${text}`);
    return v as string;
  }
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  if (text === '') fail('the id after `=` is empty');
  return text;
}

/** Writes an id for an `# id` comment so that {@link parseIdText} reads it back unchanged. */
function formatIdText(id: NodeId): string {
  if (typeof id === 'number') return String(id);
  return /^[A-Za-z_][\w.:@/+-]*$/.test(id) ? id : JSON.stringify(id);
}

/**
 * Writes a DAG as STG. A DAG that is already STG-shaped (integer ids `0 … n+1` in order, edges
 * from lower to higher numbers, a unique source 0 and a unique sink n+1, both with WCET 0) is
 * written as it is. Any other DAG is renumbered in a topological order (its own node order when
 * that is one), between a dummy entry 0
 * and exit n+1 (an existing unique zero-WCET source or sink serves as the dummy instead of a new
 * one), and every task gets an `# id` comment, so reading the file back restores the original
 * ids and the only difference is the added dummies (ids `entry` and `exit`, or `entry_2`, … when
 * those are taken). Name and deadline are written as comments; node types and unknown keys are
 * not carried (STG has no place for them; use JSON).
 */
export function formatStgDag(dag: Dag): string {
  const out: string[] = [
    '# Standard Task Graph (STG): n, then `id wcet npred preds…` for tasks 0 … n+1',
    `# name: ${dag.name.replace(/[\r\n]+/g, ' ')}`,
  ];
  if (dag.deadline !== undefined) out.push(`# deadline: ${dag.deadline}`);
  const taskLine = (id: number, wcet: number, preds: readonly number[]): string =>
    [id, wcet, preds.length, ...preds].map(String).join(' ');

  if (isStgShaped(dag)) {
    out.push(String(dag.n - 2));
    for (let i = 0; i < dag.n; i++) out.push(taskLine(i, dag.wcet[i]!, dag.pred[i]!));
    return out.join('\n') + '\n';
  }

  // Renumber: reuse a unique zero-WCET source/sink as the dummy entry/exit, else add one.
  const sources = range(dag.n).filter((v) => dag.pred[v]!.length === 0);
  const sinks = range(dag.n).filter((v) => dag.succ[v]!.length === 0);
  const entry = sources.length === 1 && dag.wcet[sources[0]!] === 0 ? sources[0] : undefined;
  let exit = sinks.length === 1 && dag.wcet[sinks[0]!] === 0 ? sinks[0] : undefined;
  if (exit === entry) exit = undefined; // a one-node graph cannot be both
  // Keep the input order when it is already topological, so that rewriting a file this writer
  // produced gives the same numbers.
  const order = dag.edges.every(([u, v]) => u < v) ? range(dag.n) : [...dag.topoOrder];
  const inner = order.filter((v) => v !== entry && v !== exit);
  const number = new Int32Array(dag.n);
  inner.forEach((v, k) => (number[v] = k + 1));
  const last = inner.length + 1;
  if (entry !== undefined) number[entry] = 0;
  if (exit !== undefined) number[exit] = last;
  const taken = new Set(dag.ids.map(String));
  const fresh = (base: string): string => {
    let id = base;
    for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
    taken.add(id);
    return id;
  };
  const entryId: NodeId = entry !== undefined ? dag.ids[entry]! : fresh('entry');
  const exitId: NodeId = exit !== undefined ? dag.ids[exit]! : fresh('exit');

  out.push(`# tasks renumbered in topological order; '# id k = x' gives task k's original id`);
  out.push(String(last - 1));
  const idComment = (k: number, id: NodeId): string => `  # id ${k} = ${formatIdText(id)}`;
  out.push(taskLine(0, 0, []) + idComment(0, entryId));
  for (const v of inner) {
    const preds = dag.pred[v]!.map((u) => number[u]!).sort((a, b) => a - b);
    out.push(
      taskLine(number[v]!, dag.wcet[v]!, preds.length > 0 ? preds : [0]) + idComment(number[v]!, dag.ids[v]!),
    );
  }
  const exitPreds =
    exit !== undefined ? dag.pred[exit]!.map((u) => number[u]!) : sinks.map((u) => number[u]!);
  out.push(
    taskLine(
      last,
      0,
      exitPreds.sort((a, b) => a - b),
    ) + idComment(last, exitId),
  );
  return out.join('\n') + '\n';
}

/** True when the DAG can be written as STG without renumbering (see {@link formatStgDag}). */
export function isStgShaped(dag: Dag): boolean {
  const last = dag.n - 1;
  if (dag.n < 2) return false;
  for (let i = 0; i < dag.n; i++) {
    if (dag.ids[i] !== i) return false;
    const isSource = dag.pred[i]!.length === 0;
    const isSink = dag.succ[i]!.length === 0;
    if (isSource !== (i === 0) || isSink !== (i === last)) return false;
  }
  return dag.wcet[0] === 0 && dag.wcet[last] === 0 && dag.edges.every(([u, v]) => u < v);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
