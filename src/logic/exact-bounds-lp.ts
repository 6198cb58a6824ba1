/**
 * The exact tightest probability bounds of a PLNN query, as a pair of linear programs over the
 * 2^n atoms (joint assignments) of the n propositions: the reference that PLNN's local,
 * node-by-node bounds are measured against. Only for J-unconstrained graphs (a fixed J is not a
 * linear constraint). The LPs are returned as CPLEX LP text for any LP solver (tests and the
 * benchmark use HiGHS); this module has no solver dependency.
 *
 * Variables `y_ω ≥ 0` and `t ≥ 0` (Charnes–Cooper, so that a conditional query
 * `P(B | A) = P(A∧B) / P(A)` is linear too): `Σ y = t`; a fact `[L, U]` on an event E reads
 * `L·t ≤ Σ_{ω∈E} y ≤ U·t`, on a conditional `L·Σ_A y ≤ Σ_{A∧B} y ≤ U·Σ_A y`; the query's
 * denominator is fixed to 1 (t for an event, Σ_A y for a conditional) and its numerator is
 * minimised / maximised.
 */
import { ArbiterError } from '../core/errors.js';
import type { LogicGraph } from './logic-graph.js';

/** The two LPs for one query node. */
export interface ExactBoundsLp {
  /** Minimises the query probability: its optimum is the tightest lower bound. */
  min: string;
  /** Maximises it: the tightest upper bound. */
  max: string;
}

/** Atoms are enumerated explicitly; 2^16 columns is already a large LP. */
const MAX_PROPOSITIONS = 16;

/** Builds the min/max LPs for node `query` of a PLNN graph without J constraints. */
export function exactBoundsLp(graph: LogicGraph, query: number): ExactBoundsLp {
  if (graph.mode !== 'plnn')
    throw new ArbiterError('unsupported', 'exact bounds are defined for PLNN (probability) graphs only');
  const leaves: number[] = [];
  graph.nodes.forEach((node, k) => {
    if (node.kind === 'proposition') leaves.push(k);
    else if (node.j !== undefined && (node.j[0] > -1 || node.j[1] < 1))
      throw new ArbiterError(
        'unsupported',
        `node '${node.id}' constrains J; the exact LP needs J unconstrained`,
      );
  });
  if (leaves.length > MAX_PROPOSITIONS)
    throw new ArbiterError(
      'unsupported',
      `${leaves.length} propositions: the exact LP enumerates at most 2^${MAX_PROPOSITIONS} atoms`,
    );
  const atoms = 1 << leaves.length;
  // truth[k][ω]: whether event node k holds in atom ω (conditionals are not events).
  const truth: (Uint8Array | undefined)[] = graph.nodes.map(() => undefined);
  leaves.forEach((k, bit) => {
    const t = new Uint8Array(atoms);
    for (let w = 0; w < atoms; w++) t[w] = (w >> bit) & 1;
    truth[k] = t;
  });
  graph.nodes.forEach((node, k) => {
    if (node.kind === 'proposition' || node.kind === 'given') return;
    const ops = node.operands.map((x) => truth[x]!);
    const t = new Uint8Array(atoms);
    for (let w = 0; w < atoms; w++) {
      const a = ops[0]![w]!;
      const b = ops[1]?.[w] ?? 0;
      t[w] =
        node.kind === 'not' ? 1 - a : node.kind === 'and' ? a & b : node.kind === 'or' ? a | b : (1 - a) | b;
    }
    truth[k] = t;
  });

  /** A linear expression: column name → coefficient. */
  type Linear = Map<string, number>;
  const add = (e: Linear, event: Uint8Array | 't', coef: number): Linear => {
    if (event === 't') e.set('t', (e.get('t') ?? 0) + coef);
    else for (let w = 0; w < atoms; w++) if (event[w]) e.set(`y${w}`, (e.get(`y${w}`) ?? 0) + coef);
    return e;
  };
  const all = new Uint8Array(atoms).fill(1);
  const rows: string[] = [];
  const row = (e: Linear, sense: string, rhs = 0): void => {
    if (e.size > 0) rows.push(` c${rows.length}: ${formatLinear(e)} ${sense} ${rhs}`);
  };
  row(add(add(new Map(), all, 1), 't', -1), '=');
  for (const f of graph.facts) {
    const node = graph.nodes[f.node]!;
    // numerator − bound · denominator ≥ 0 (lower) and ≤ 0 (upper)
    const [num, den]: [Uint8Array, Uint8Array | 't'] =
      node.kind === 'given' ? [truth[node.operands[1]!]!, truth[node.operands[0]!]!] : [truth[f.node]!, 't'];
    row(add(add(new Map(), num, 1), den, -f.lower), '>=');
    row(add(add(new Map(), num, 1), den, -f.upper), '<=');
  }
  const q = graph.nodes[query]!;
  const [numerator, denominator]: [Uint8Array, Uint8Array | 't'] =
    q.kind === 'given' ? [truth[q.operands[1]!]!, truth[q.operands[0]!]!] : [truth[query]!, 't'];
  row(add(new Map(), denominator, 1), '=', 1);
  const objective = add(new Map(), numerator, 1);
  const obj = objective.size > 0 ? formatLinear(objective) : '0 t';
  const body = ['Subject To', ...rows, 'End'].join('\n');
  return { min: `Minimize\n obj: ${obj}\n${body}\n`, max: `Maximize\n obj: ${obj}\n${body}\n` };
}

/** `y0 + 0.3 y2 - t`, dropping zero coefficients. */
function formatLinear(e: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  for (const [v, c] of e) {
    if (c === 0) continue;
    const mag = Math.abs(c) === 1 ? '' : `${Math.abs(c).toPrecision(17)} `;
    parts.push(`${c < 0 ? '-' : '+'} ${mag}${v}`);
  }
  if (parts.length === 0) return '0 t';
  const s = parts.join(' ');
  return s.startsWith('+ ') ? s.slice(2) : s;
}
