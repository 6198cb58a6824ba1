/**
 * DOT (Graphviz) reader and writer for DAG tasks, compatible with the public EGS code's files:
 * the graph attribute `T=` (or `D=`) is the deadline, at top level (`T=8;`) or in `graph [T=8]`;
 * a node's WCET is its `C=` (or `wcet=`) attribute, or `C=` inside its label
 * (`1 [label="v2, C=5"]`); the rest of the label (`v2`) is kept in the node's extra key `label`.
 * Edges may be chained (`a -> b -> c`) and may join subgraphs (`a -> {b c}`). Default `node [...]`
 * statements supply `C`, `wcet` and `type` to the nodes created after them; every other attribute
 * is read and ignored. Integer-looking ids (`3`, `"3"`) become numbers. A node's `C`, `wcet`,
 * `type` and `label`, and the graph's `T` and `D`, may be given more than once (in one list or in
 * several statements) only with the same value: a different one is refused (rule `dot-conflict`,
 * naming the line and column of both), as a `node [...]` default is overridden, not contradicted.
 */
import { ValidationError } from '../../core/errors.js';
import { describeEdge, describeNode, type Dag, type DagTaskSpec, type NodeId } from '../dag-task.js';
import { tokenizeDot, type DotToken } from './dot-lexer.js';
import { buildDagWithLines, fileStem } from './locate-error.js';
import { notFiniteNote, NUMBER } from './number-text.js';

const LABEL_WCET = /^\s*C\s*=\s*(.*?)\s*$/;
const KEYWORDS = new Set(['node', 'edge', 'graph', 'digraph', 'subgraph', 'strict']);
/** Node attributes that default `node [...]` statements pass on. */
const INHERITED = new Set(['C', 'wcet', 'type']);
/** Node attributes that carry task data: a second, different value is a conflict. */
const NODE_DATA = new Set([...INHERITED, 'label']);
/** Graph attributes that carry task data (the deadline). */
const GRAPH_DATA = new Set(['T', 'D']);

interface Attr {
  value: string;
  line: number;
  column: number;
  /** Copied from a `node [...]` default: an explicit value overrides it. */
  inherited?: boolean;
}

interface DotNode {
  id: NodeId;
  /** Line of the first `node [...]` statement naming it, else of its first mention. */
  line: number;
  declared: boolean;
  attrs: Map<string, Attr>;
}

interface Scope {
  defaults: Map<string, Attr>;
  /** Nodes mentioned in this (sub)graph, for edges to a subgraph. */
  members: Set<string>;
  top: boolean;
}

/**
 * Reads a DOT `digraph` into a {@link Dag}. Every malformed statement throws a
 * {@link ValidationError} with `source` and the line (rule `dot-syntax`, `wcet`, `deadline`, and
 * the graph rules of buildDag located at the node's or edge's line). The graph's id is the task
 * name (the file stem when it has none).
 */
export function parseDotDag(text: string, source?: string): Dag {
  return new DotParser(tokenizeDot(text, source), source).parse();
}

class DotParser {
  private pos = 0;
  private readonly nodes = new Map<string, DotNode>();
  private readonly edges: { from: string; to: string; line: number }[] = [];
  private readonly graphAttrs = new Map<string, Attr>();
  /** What the current statement is about, for messages. */
  private item: string | undefined;

  constructor(
    private readonly tokens: DotToken[],
    private readonly source: string | undefined,
  ) {}

  parse(): Dag {
    let name: string | undefined;
    if (this.isKeyword('strict')) this.pos++;
    if (this.isKeyword('graph')) {
      this.fail('dot-syntax', 'an undirected `graph` is not a DAG task; use `digraph` with `->` edges');
    }
    if (!this.isKeyword('digraph'))
      this.fail('dot-syntax', `expected \`digraph\`, got ${this.show(this.peek())}`);
    this.pos++;
    if (this.peek().kind === 'id' || this.peek().kind === 'string') name = this.next().text;
    this.expect('{', 'to open the graph');
    this.statements({ defaults: new Map(), members: new Set(), top: true });
    this.expect('}', 'to close the graph');
    if (this.peek().kind !== 'eof') {
      this.item = undefined;
      this.fail('dot-syntax', `unexpected ${this.show(this.peek())} after the graph (one digraph per file)`);
    }
    return this.build(name);
  }

  private statements(scope: Scope): void {
    while (!this.isPunct('}')) {
      this.item = undefined;
      if (this.peek().kind === 'eof') this.fail('dot-syntax', "missing '}' at the end of the graph");
      this.statement(scope);
      if (this.isPunct(';')) this.pos++;
    }
  }

  private statement(scope: Scope): void {
    const t = this.peek();
    if (
      (this.isKeyword('graph') || this.isKeyword('node') || this.isKeyword('edge')) &&
      this.isPunct('[', 1)
    ) {
      this.pos++;
      const attrs = this.attrList();
      const kind = t.text.toLowerCase();
      if (kind === 'graph') {
        this.item = 'graph';
        if (scope.top) for (const [k, a] of attrs) this.define(this.graphAttrs, k, a, GRAPH_DATA);
      } else if (kind === 'node') {
        for (const [k, a] of attrs) if (INHERITED.has(k)) scope.defaults.set(k, a);
      }
      return;
    }
    if (this.isId() && this.isPunct('=', 1)) {
      const key = this.next().text;
      this.pos++;
      this.item = 'graph';
      const value = this.idValue(`a value for ${key}`);
      if (scope.top) this.define(this.graphAttrs, key, { value, line: t.line, column: t.column }, GRAPH_DATA);
      return;
    }
    let operand = this.operand(scope);
    if (!this.isPunct('->') && !this.isPunct('--')) {
      if (operand.kind === 'node') {
        const node = this.node(operand.key, scope, t.line);
        if (!node.declared) {
          node.declared = true;
          node.line = t.line;
        }
        if (this.isPunct('[')) for (const [k, a] of this.attrList()) this.define(node.attrs, k, a, NODE_DATA);
      }
      return;
    }
    while (this.isPunct('->') || this.isPunct('--')) {
      const arrow = this.next();
      if (arrow.text === '--')
        this.fail('dot-syntax', "undirected edge '--' in a digraph; use '->'", arrow.line);
      const right = this.operand(scope);
      for (const from of this.keysOf(operand)) {
        for (const to of this.keysOf(right)) {
          this.edges.push({ from, to, line: arrow.line });
          this.item = describeEdge(this.nodes.get(from)!.id, this.nodes.get(to)!.id);
        }
      }
      operand = right;
    }
    if (this.isPunct('[')) this.attrList(); // edge attributes carry nothing for a DAG task
  }

  /** A node id (with an optional, ignored port) or a subgraph. */
  private operand(scope: Scope): { kind: 'node'; key: string } | { kind: 'subgraph'; members: Set<string> } {
    if (this.isKeyword('subgraph') || this.isPunct('{')) {
      if (this.isKeyword('subgraph')) {
        this.pos++;
        if (this.isId()) this.pos++;
      }
      this.expect('{', 'to open the subgraph');
      const inner: Scope = { defaults: new Map(scope.defaults), members: new Set(), top: false };
      const saved = this.item;
      this.statements(inner);
      this.expect('}', 'to close the subgraph');
      this.item = saved;
      for (const m of inner.members) scope.members.add(m);
      return { kind: 'subgraph', members: inner.members };
    }
    if (!this.isId()) this.fail('dot-syntax', `expected a node id, got ${this.show(this.peek())}`);
    const tok = this.next();
    const key = tok.text;
    if (this.isPunct(':')) {
      this.pos++;
      this.idValue('a port name');
      if (this.isPunct(':')) {
        this.pos++;
        this.idValue('a compass point');
      }
    }
    const node = this.node(key, scope, tok.line);
    this.item ??= describeNode(node.id);
    return { kind: 'node', key };
  }

  private keysOf(op: { kind: 'node'; key: string } | { kind: 'subgraph'; members: Set<string> }): string[] {
    return op.kind === 'node' ? [op.key] : [...op.members];
  }

  private node(key: string, scope: Scope, line: number): DotNode {
    let node = this.nodes.get(key);
    if (node === undefined) {
      const attrs = new Map<string, Attr>();
      for (const [k, a] of scope.defaults) attrs.set(k, { ...a, inherited: true });
      node = { id: toNodeId(key), line, declared: false, attrs };
      this.nodes.set(key, node);
    }
    scope.members.add(key);
    return node;
  }

  /**
   * Sets an attribute; a second, different value of a key in `data` is refused with the line and
   * column of both (numerals compare by value: `C=5` and `C=5.0` agree).
   */
  private define(attrs: Map<string, Attr>, key: string, attr: Attr, data: ReadonlySet<string>): void {
    const prior = attrs.get(key);
    if (prior !== undefined && !prior.inherited && data.has(key) && !sameValue(prior.value, attr.value)) {
      this.fail(
        'dot-conflict',
        `${key}=${showValue(attr.value)} (line ${attr.line}, column ${attr.column}) contradicts ` +
          `${key}=${showValue(prior.value)} (line ${prior.line}, column ${prior.column}); ` +
          'an attribute may be repeated only with the same value',
        attr.line,
      );
    }
    attrs.set(key, attr);
  }

  /**
   * `[a=1, b=2; c] [d=3]`: one or more bracketed lists, in order (repeats kept, for
   * {@link define}); a key without value means `true`.
   */
  private attrList(): [string, Attr][] {
    const attrs: [string, Attr][] = [];
    while (this.isPunct('[')) {
      this.pos++;
      while (!this.isPunct(']')) {
        if (!this.isId())
          this.fail('dot-syntax', `expected an attribute name or ']', got ${this.show(this.peek())}`);
        const key = this.next();
        let value = 'true';
        if (this.isPunct('=')) {
          this.pos++;
          value = this.idValue(`a value for ${key.text}`);
        }
        attrs.push([key.text, { value, line: key.line, column: key.column }]);
        if (this.isPunct(',') || this.isPunct(';')) this.pos++;
      }
      this.pos++;
    }
    return attrs;
  }

  /** An id, with `"a" + "b"` concatenation of quoted strings. */
  private idValue(what: string): string {
    if (!this.isId()) this.fail('dot-syntax', `expected ${what}, got ${this.show(this.peek())}`);
    let value = this.next().text;
    while (this.isPunct('+')) {
      this.pos++;
      if (this.peek().kind !== 'string')
        this.fail('dot-syntax', `expected a quoted string after '+', got ${this.show(this.peek())}`);
      value += this.next().text;
    }
    return value;
  }

  private build(name: string | undefined): Dag {
    const file = this.source;
    const failAt = (rule: string, detail: string, line: number, item: string): never => {
      throw new ValidationError(rule, detail, { ...(file !== undefined && { file }), line, item });
    };
    const lineOf = new Map<string, number>();
    const spec: DagTaskSpec = { nodes: [], edges: [] };
    if (name !== undefined) spec.name = name;

    const deadline = this.deadline(failAt);
    if (deadline !== undefined) {
      spec.deadline = deadline.value;
      lineOf.set('deadline', deadline.line);
    }
    for (const node of this.nodes.values()) {
      const item = describeNode(node.id);
      const { wcet, label } = nodeWcet(node, (detail, line) => failAt('wcet', detail, line, item));
      const type = node.attrs.get('type');
      spec.nodes.push({
        id: node.id,
        wcet,
        ...(type !== undefined && { type: type.value }),
        ...(label !== undefined && { label }),
      });
      lineOf.set(item, node.line);
    }
    for (const { from, to, line } of this.edges) {
      const a = this.nodes.get(from)!.id;
      const b = this.nodes.get(to)!.id;
      spec.edges.push([a, b]);
      if (!lineOf.has(describeEdge(a, b))) lineOf.set(describeEdge(a, b), line);
    }
    const stem = fileStem(file);
    return buildDagWithLines(
      spec,
      { ...(file !== undefined && { source: file }), ...(stem !== undefined && { defaultName: stem }) },
      lineOf,
    );
  }

  /** `T=` or `D=` (they must agree when both are given). */
  private deadline(
    failAt: (rule: string, detail: string, line: number, item: string) => never,
  ): { value: number; line: number } | undefined {
    let found: { value: number; line: number; key: string } | undefined;
    for (const key of ['T', 'D']) {
      const attr = this.graphAttrs.get(key);
      if (attr === undefined) continue;
      const value = NUMBER.test(attr.value.trim()) ? Number(attr.value) : NaN;
      if (!Number.isFinite(value) || value <= 0) {
        failAt(
          'deadline',
          `deadline ${key}= must be a finite number > 0, got '${attr.value}'${notFiniteNote(attr.value)}`,
          attr.line,
          'deadline',
        );
      }
      if (found !== undefined && found.value !== value) {
        failAt('deadline', `T=${found.value} and D=${value} disagree`, attr.line, 'deadline');
      }
      found ??= { value, line: attr.line, key };
    }
    return found;
  }

  private peek(ahead = 0): DotToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): DotToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === text;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'id' && t.text.toLowerCase() === word;
  }

  /** An id token that is not a keyword (quoted strings never are). */
  private isId(): boolean {
    const t = this.peek();
    return t.kind === 'string' || (t.kind === 'id' && !KEYWORDS.has(t.text.toLowerCase()));
  }

  private expect(punct: string, why: string): void {
    if (!this.isPunct(punct))
      this.fail('dot-syntax', `expected '${punct}' ${why}, got ${this.show(this.peek())}`);
    this.pos++;
  }

  private show(t: DotToken): string {
    if (t.kind === 'eof') return 'the end of the file';
    return t.kind === 'string' ? `"${t.text}"` : `'${t.text}'`;
  }

  private fail(rule: string, detail: string, line = this.peek().line): never {
    throw new ValidationError(rule, detail, {
      ...(this.source !== undefined && { file: this.source }),
      line,
      ...(this.item !== undefined && { item: this.item }),
    });
  }
}

function showValue(value: string): string {
  return /^[\w.+-]+$/.test(value) ? value : JSON.stringify(value);
}

function sameValue(a: string, b: string): boolean {
  return a === b || (NUMBER.test(a.trim()) && NUMBER.test(b.trim()) && Number(a) === Number(b));
}

/** DOT names that read as integers (`3`, `"3"`, `-2`, not `03`) become numeric ids. */
function toNodeId(key: string): NodeId {
  const v = Number(key);
  return /^-?\d+$/.test(key) && Number.isSafeInteger(v) && String(v) === key ? v : key;
}

/** The WCET from `C=`, `wcet=` or the label's `C=`, and the label without its `C=` part. */
function nodeWcet(
  node: DotNode,
  fail: (detail: string, line: number) => never,
): { wcet: number; label: string | undefined } {
  const found: { what: string; value: number; line: number }[] = [];
  const take = (what: string, text: string, line: number): void => {
    const value = NUMBER.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isFinite(value) || value < 0)
      fail(`wcet must be a finite number >= 0, got ${what}'${text}'${notFiniteNote(text)}`, line);
    found.push({ what, value, line });
  };
  for (const key of ['C', 'wcet']) {
    const attr = node.attrs.get(key);
    if (attr !== undefined) take(`${key}=`, attr.value, attr.line);
  }
  let label: string | undefined;
  const labelAttr = node.attrs.get('label');
  if (labelAttr !== undefined) {
    // Parts alternate with their separators; drop each `C=` part with one separator beside it.
    const parts = labelAttr.value.split(/(,|\\n|\n)/);
    const keep = parts.map(() => true);
    for (let k = 0; k < parts.length; k += 2) {
      const m = LABEL_WCET.exec(parts[k]!);
      if (m === null) continue;
      take('label C=', m[1]!, labelAttr.line);
      keep[k] = false;
      if (k > 0) keep[k - 1] = false;
      else if (k + 1 < parts.length) keep[k + 1] = false;
    }
    label = parts
      .filter((_, k) => keep[k])
      .join('')
      .trim();
    // A label that only repeats the id carries nothing (the writer adds it for Graphviz).
    if (label === '' || label === String(node.id)) label = undefined;
  }
  const first = found[0];
  if (first === undefined) {
    fail('the node has no WCET: give it C=, wcet= or C= in its label ("name, C=5")', node.line);
  }
  for (const other of found) {
    if (other.value !== first!.value) {
      fail(`conflicting WCETs: ${first!.what}${first!.value} and ${other.what}${other.value}`, other.line);
    }
  }
  return { wcet: first!.value, label };
}

/**
 * Writes a DAG as a readable `digraph`: `T=` deadline, one `id [label="name, C=5"]` line per
 * node (the name is the node's `label` extra, or its id), then one `a -> b` line per edge.
 * {@link parseDotDag} reads it back to the same DAG (name, deadline, ids, WCETs, types, labels,
 * edges); other unknown keys are not carried (use JSON for those).
 */
export function formatDotDag(dag: Dag): string {
  const out = [`digraph ${dotId(dag.name)} {`];
  if (dag.deadline !== undefined) out.push(`  T=${dag.deadline};`);
  for (let i = 0; i < dag.n; i++) {
    const id = dag.ids[i]!;
    const extra = dag.nodeExtras[i]?.label;
    const name = typeof extra === 'string' && extra !== '' ? extra : String(id);
    const attrs = [`label=${quote(`${name}, C=${dag.wcet[i]!}`)}`];
    const type = dag.types[i];
    if (type !== undefined) attrs.push(`type=${quote(type)}`);
    out.push(`  ${dotId(id)} [${attrs.join(', ')}];`);
  }
  for (const [u, v] of dag.edges) out.push(`  ${dotId(dag.ids[u]!)} -> ${dotId(dag.ids[v]!)};`);
  out.push('}');
  return out.join('\n') + '\n';
}

function dotId(id: NodeId): string {
  if (typeof id === 'number') return String(id);
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(id) && !KEYWORDS.has(id.toLowerCase());
  return plain ? id : quote(id);
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
