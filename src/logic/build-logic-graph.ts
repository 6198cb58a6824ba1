/**
 * Knowledge base → {@link LogicGraph}: grounds predicates and `forall` operators over their finite
 * domains, resolves every reference, orders the operator graph (rejecting cycles), folds n-ary
 * PLNN operators into binary ones, attaches each conditional to its joint node, and checks every
 * number against its range. Errors are {@link ValidationError}s naming the file, item and rule.
 */
import { ValidationError } from '../core/errors.js';
import type { BoundsSpec, KnowledgeBaseSpec, OperatorSpec } from './knowledge-base-spec.js';
import type { LogicFact, LogicGraph, LogicMode, LogicNode, NodeKind } from './logic-graph.js';

/** Options of {@link buildLogicGraph}. */
export interface BuildLogicGraphOptions {
  /** File name for messages. */
  source?: string;
}

/** A plain name: letter or `_` first; no spaces, parentheses, commas, `~`, `¬`, `!` or `∧`. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.|-]*$/;
/** A domain constant. */
const CONSTANT = /^[A-Za-z0-9_.-]+$/;
/** A reference: optional negation, a name, optional argument list. */
const REFERENCE = /^([¬!]\s*)?([A-Za-z_][A-Za-z0-9_.|-]*)\s*(?:\(([^()]*)\))?$/;

interface MutableNode {
  id: string;
  kind: NodeKind;
  operands: number[];
  weights?: number[];
  beta?: number;
  j?: [number, number];
  hidden?: boolean;
  consequent?: number;
}

interface GroundOperator {
  spec: OperatorSpec;
  id: string;
  /** Inputs with the variables substituted, normalised (`¬P(a,b)`). */
  inputs: string[];
  /** The item for messages, e.g. `operator 'Need0(pe1)'`. */
  item: string;
}

/**
 * Validates and compiles a knowledge base (JSON or builder) into a {@link LogicGraph}. Rules:
 * `name`, `duplicate`, `unknown-domain`, `unknown-node`, `unknown-constant`, `arity`, `cycle`,
 * `mode` (an LNN-only or PLNN-only field in the other logic), `weights`, `beta`, `j-range`,
 * `fact-range`, `fact-order`.
 */
export function buildLogicGraph(spec: KnowledgeBaseSpec, options: BuildLogicGraphOptions = {}): LogicGraph {
  const file = options.source;
  const fail = (rule: string, detail: string, item: string): never => {
    throw new ValidationError(rule, detail, { ...(file !== undefined && { file }), item });
  };
  const mode: LogicMode = spec.logic;
  if (mode !== 'lnn' && mode !== 'plnn')
    fail('format', `"logic" must be "lnn" or "plnn", got ${JSON.stringify(mode)}`, 'logic');

  const nodes: MutableNode[] = [];
  const index = new Map<string, number>();
  const addNode = (node: MutableNode): number => {
    index.set(node.id, nodes.length);
    nodes.push(node);
    return nodes.length - 1;
  };
  const taken = new Map<string, string>(); // id → what declared it, for duplicate messages
  const claim = (id: string, what: string): void => {
    const before = taken.get(id);
    if (before !== undefined) fail('duplicate', `'${id}' is already declared as ${before}`, what);
    taken.set(id, what);
  };

  // Domains and predicates.
  const domains = new Map<string, readonly string[]>();
  for (const [name, constants] of Object.entries(spec.domains ?? {})) {
    const item = `domain '${name}'`;
    if (!NAME.test(name)) fail('name', 'a domain name must be a plain name', item);
    if (constants.length === 0) fail('arity', 'a domain needs at least one constant', item);
    const seen = new Set<string>();
    for (const c of constants) {
      if (!CONSTANT.test(c)) fail('name', `constant '${c}' must be letters, digits, '_', '.' or '-'`, item);
      if (seen.has(c)) fail('duplicate', `constant '${c}' appears twice`, item);
      seen.add(c);
    }
    domains.set(name, constants);
  }
  for (const p of spec.propositions ?? []) {
    const item = `proposition '${p}'`;
    if (!NAME.test(p)) fail('name', 'a proposition name must be a plain name (no spaces or brackets)', item);
    claim(p, item);
    addNode({ id: p, kind: 'proposition', operands: [] });
  }
  /** Predicate name → argument domains. */
  const predicates = new Map<string, readonly string[]>();
  for (const p of spec.predicates ?? []) {
    const item = `predicate '${p.name}'`;
    if (!NAME.test(p.name)) fail('name', 'a predicate name must be a plain name', item);
    claim(p.name, item);
    for (const d of p.args)
      if (!domains.has(d))
        fail('unknown-domain', `argument domain '${d}' is not declared in "domains"`, item);
    predicates.set(p.name, p.args);
    for (const tuple of product(p.args.map((d) => domains.get(d)!)))
      addNode({ id: `${p.name}(${tuple.join(',')})`, kind: 'proposition', operands: [] });
  }

  // Ground the operators: one declaration per binding of its variables.
  const templates = new Map<string, string[]>(); // operator base id → grounded ids
  const ground = new Map<string, GroundOperator>();
  for (const op of spec.operators ?? []) {
    const baseItem = `operator '${op.id}'`;
    if (!NAME.test(op.id))
      fail('name', 'an operator id must be a plain name (groundings add the arguments)', baseItem);
    claim(op.id, baseItem);
    const vars = Object.entries(op.forall ?? {});
    for (const [v, d] of vars) {
      if (!NAME.test(v)) fail('name', `variable '${v}' must be a plain name`, baseItem);
      if (!domains.has(d))
        fail('unknown-domain', `variable '${v}' ranges over undeclared domain '${d}'`, baseItem);
    }
    const ids: string[] = [];
    for (const tuple of product(vars.map(([, d]) => domains.get(d)!))) {
      const binding = new Map(vars.map(([v], k) => [v, tuple[k]!]));
      const id = vars.length === 0 ? op.id : `${op.id}(${tuple.join(',')})`;
      const item = vars.length === 0 ? baseItem : `operator '${id}'`;
      const inputs = op.inputs.map((ref) => normaliseReference(ref, binding, item));
      ids.push(id);
      ground.set(id, { spec: op, id, inputs, item });
    }
    templates.set(op.id, ids);
  }

  /** Parses a reference, substitutes variables and checks predicate arity and constants. */
  function normaliseReference(ref: string, binding: ReadonlyMap<string, string>, item: string): string {
    const m = REFERENCE.exec(ref.trim());
    if (!m) return fail('unknown-node', `'${ref}' is not a node reference (name, P(a, b), or ¬name)`, item);
    const [, neg, name, argText] = m;
    let id = name!;
    if (argText !== undefined) {
      const args = argText.split(',').map((a) => a.trim());
      const bound = args.map((a) => binding.get(a) ?? a);
      const argDomains = predicates.get(name!);
      if (argDomains !== undefined) {
        if (argDomains.length !== args.length)
          fail(
            'arity',
            `predicate '${name}' takes ${argDomains.length} argument(s), '${ref}' gives ${args.length}`,
            item,
          );
        bound.forEach((c, k) => {
          if (!domains.get(argDomains[k]!)!.includes(c))
            fail(
              'unknown-constant',
              `'${ref}': '${args[k]}' is neither a variable of this operator nor a constant of domain '${argDomains[k]}'`,
              item,
            );
        });
      }
      id = `${name}(${bound.join(',')})`;
    }
    return neg ? `¬${id}` : id;
  }

  // Binary PLNN conjunctions written by the user, so that a conditional reuses its joint.
  const userJoint = new Map<string, string>();
  if (mode === 'plnn')
    for (const g of ground.values())
      if (g.spec.op === 'and' && g.inputs.length === 2)
        userJoint.set(pairKey(g.inputs[0]!, g.inputs[1]!), g.id);
  /** Joint node index by operand pair `min,max`. */
  const joints = new Map<string, number>();

  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];

  /** Resolves a normalised reference to a node index, building operators depth-first. */
  function resolve(ref: string, item: string): number {
    if (ref.startsWith('¬')) {
      const inner = resolve(ref.slice(1), item);
      const id = `¬${nodes[inner]!.id}`;
      return index.get(id) ?? addNode({ id, kind: 'not', operands: [inner], hidden: true });
    }
    const g = ground.get(ref);
    if (g === undefined) {
      const k = index.get(ref);
      if (k !== undefined) return k;
      const hint = predicates.has(ref) ? ` (predicate '${ref}' needs arguments, e.g. '${ref}(x)')` : '';
      return fail(
        'unknown-node',
        `'${ref}' is not a declared proposition, grounded predicate or operator${hint}`,
        item,
      );
    }
    if (state.get(ref) === 'done') return index.get(ref)!;
    if (state.get(ref) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(ref)), ref].join(' → ');
      return fail('cycle', `the operator graph has a cycle: ${cycle}`, g.item);
    }
    state.set(ref, 'open');
    stack.push(ref);
    const k = buildOperator(g);
    stack.pop();
    state.set(ref, 'done');
    return k;
  }

  function buildOperator(g: GroundOperator): number {
    const { spec: op, item } = g;
    const n = g.inputs.length;
    const need = (ok: boolean, what: string): void => {
      if (!ok) fail('arity', `'${op.op}' takes ${what}, got ${n}`, item);
    };
    if (op.op === 'not') need(n === 1, 'exactly 1 input');
    if (op.op === 'implies') need(n === 2, 'exactly 2 inputs [A, B] for A → B');
    if (op.op === 'given') need(n === 2, 'exactly 2 inputs [B, A] for P(B | A)');
    if ((op.op === 'and' || op.op === 'or') && mode === 'plnn') need(n >= 2, 'at least 2 inputs');

    if (mode === 'plnn') {
      if (op.weights !== undefined || op.beta !== undefined)
        fail('mode', 'weights and beta belong to LNN operators; a PLNN operator takes "j"', item);
      if (op.j !== undefined && op.op === 'not') fail('mode', "'not' takes no correlation j", item);
    } else {
      if (op.j !== undefined)
        fail(
          'mode',
          'j (correlation) belongs to PLNN operators; an LNN operator takes "weights"/"beta"',
          item,
        );
      if (op.op === 'given')
        fail('mode', 'the conditional \'given\' is a PLNN operator; set "logic": "plnn"', item);
      if (op.op === 'not' && (op.weights !== undefined || op.beta !== undefined))
        fail('weights', "'not' takes no weights or beta", item);
    }
    const j = mode === 'plnn' && op.op !== 'not' ? checkJ(op.j, item) : undefined;
    const operands = g.inputs.map((ref) => resolve(ref, item));

    if (mode === 'lnn') {
      const weights = op.weights !== undefined ? [...op.weights] : operands.map(() => 1);
      if (op.op !== 'not') {
        if (weights.length !== n) fail('weights', `${weights.length} weight(s) for ${n} input(s)`, item);
        weights.forEach((w, k) => {
          if (!Number.isFinite(w) || w < 0)
            fail('weights', `weight ${k} is ${w}; LNN weights must be finite and ≥ 0`, item);
        });
      }
      const beta = op.beta ?? 1;
      if (!Number.isFinite(beta) || beta < 0)
        fail('beta', `beta is ${beta}; it must be finite and ≥ 0`, item);
      return addNode(
        op.op === 'not'
          ? { id: g.id, kind: 'not', operands }
          : { id: g.id, kind: op.op, operands, weights, beta },
      );
    }
    if (op.op === 'not') return addNode({ id: g.id, kind: 'not', operands });
    if (op.op === 'given') {
      const [b, a] = operands as [number, number];
      const joint = jointOf(a, b, j!, g);
      return addNode({ id: g.id, kind: 'given', operands: [a, joint], consequent: b });
    }
    if (op.op === 'implies') return addNode({ id: g.id, kind: 'implies', operands, j: j! });
    // PLNN and/or: fold left into binary nodes; J applies to every pairwise step.
    let acc = operands[0]!;
    for (let k = 1; k < n; k++) {
      const last = k === n - 1;
      const id = last ? g.id : `${g.id}~${k}`;
      acc = addNode({
        id,
        kind: op.op,
        operands: [acc, operands[k]!],
        j: [...j!],
        ...(!last && { hidden: true }),
      });
      if (op.op === 'and') joints.set(pairKey(String(nodes[acc]!.operands[0]), String(operands[k]!)), acc);
    }
    return acc;
  }

  /** The joint A∧B of a conditional: the user's binary AND over {A, B} if any, else a hidden one. */
  function jointOf(a: number, b: number, j: [number, number], g: GroundOperator): number {
    const declared = userJoint.get(pairKey(g.inputs[0]!, g.inputs[1]!));
    let k: number;
    if (declared !== undefined) k = resolve(declared, g.item);
    else {
      k = joints.get(pairKey(String(a), String(b))) ?? -1;
      if (k < 0) {
        k = addNode({
          id: `${nodes[a]!.id}∧${nodes[b]!.id}`,
          kind: 'and',
          operands: [a, b],
          j: [-1, 1],
          hidden: true,
        });
        joints.set(pairKey(String(a), String(b)), k);
      }
    }
    const joint = nodes[k]!;
    const lo = Math.max(joint.j![0], j[0]);
    const hi = Math.min(joint.j![1], j[1]);
    if (lo > hi)
      fail(
        'j-range',
        `j [${j.join(', ')}] does not overlap j [${joint.j!.join(', ')}] of the joint '${joint.id}'`,
        g.item,
      );
    joint.j = [lo, hi];
    return k;
  }

  function checkJ(jSpec: BoundsSpec | undefined, item: string): [number, number] {
    if (jSpec === undefined) return [-1, 1];
    const [lo, hi] = typeof jSpec === 'number' ? [jSpec, jSpec] : jSpec;
    for (const x of [lo, hi])
      if (!Number.isFinite(x) || x < -1 || x > 1) fail('j-range', `j = ${x} is outside [−1, 1]`, item);
    if (lo > hi) fail('j-range', `j interval [${lo}, ${hi}] has lo > hi`, item);
    return [lo, hi];
  }

  for (const id of ground.keys()) resolve(id, ground.get(id)!.item);

  const resolveUser = (ref: string, item: string): number => {
    const exact = index.get(ref); // hidden nodes too: `A∧B`, `¬X`, `X~1`
    if (exact !== undefined) return exact;
    const m = REFERENCE.exec(ref.trim());
    if (!m) return fail('unknown-node', `'${ref}' is not a node reference`, item);
    const norm = normaliseReference(ref, new Map(), item);
    const k = index.get(norm);
    if (k === undefined) {
      const hint = predicates.has(norm) ? ` (predicate '${norm}' needs arguments)` : '';
      return fail('unknown-node', `'${ref}' is not a node of the graph${hint}`, item);
    }
    return k;
  };

  const facts: LogicFact[] = [];
  for (const [ref, b] of Object.entries(spec.facts ?? {})) {
    const item = `fact '${ref}'`;
    // An operator or predicate name sets the fact on all its groundings.
    const group = templates.get(ref) ?? (predicates.has(ref) ? groundingsOf(ref) : undefined);
    const targets = group !== undefined ? group.map((id) => index.get(id)!) : [resolveUser(ref, item)];
    const [lower, upper] = typeof b === 'number' ? [b, b] : b;
    for (const x of [lower, upper])
      if (!Number.isFinite(x) || x < 0 || x > 1) fail('fact-range', `bound ${x} is outside [0, 1]`, item);
    if (lower > upper) fail('fact-order', `lower bound ${lower} > upper bound ${upper}`, item);
    for (const node of targets) facts.push({ node, lower, upper });
  }

  const queries: number[] = [];
  for (const ref of spec.queries ?? []) {
    const item = `query '${ref}'`;
    const group = templates.get(ref) ?? (predicates.has(ref) ? groundingsOf(ref) : undefined);
    if (group !== undefined) for (const id of group) queries.push(index.get(id)!);
    else queries.push(resolveUser(ref, item));
  }
  function groundingsOf(name: string): string[] {
    return nodes.filter((n) => n.kind === 'proposition' && n.id.startsWith(`${name}(`)).map((n) => n.id);
  }
  if (queries.length === 0) nodes.forEach((n, k) => !n.hidden && queries.push(k));

  return {
    mode,
    nodes: nodes.map(freeze),
    index,
    facts,
    queries: [...new Set(queries)],
    ...(spec.name !== undefined && { name: spec.name }),
    ...(file !== undefined && { source: file }),
  };
}

function freeze(n: MutableNode): LogicNode {
  return Object.freeze({ ...n, operands: Object.freeze([...n.operands]) });
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Cartesian product of lists (one empty tuple for no lists). */
function product(lists: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const list of lists) out = out.flatMap((t) => list.map((c) => [...t, c]));
  return out;
}
