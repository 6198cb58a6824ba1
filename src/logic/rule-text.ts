/**
 * Rule extraction: a learned weighted conjunction is read out as a rule by dropping the
 * inputs whose weight is below a threshold (0.1 by default), e.g. `NeedTokens_0 ← ¬ParentTasksCompleted`.
 */
import { OPERATOR_SYMBOL, type LogicGraph } from './logic-graph.js';

/** Default weight threshold below which an input is dropped from a rule. */
export const RULE_WEIGHT_THRESHOLD = 0.1;

/** One input that survived the threshold. */
export interface RuleLiteral {
  /** Predicate (or node) name. */
  name: string;
  /** Whether the rule uses its negation. */
  negated: boolean;
  /** Learned weight. */
  weight: number;
}

/** A rule read out of learned weights. */
export interface ExtractedRule {
  /** The head (the action or conclusion). */
  head: string;
  /** The body literals, in input order. */
  body: RuleLiteral[];
  /** The bias β of the neuron. */
  beta: number;
  /** Human-readable text: `Head ← A ∧ ¬B` (`Head ← ⊤` for an empty body). */
  text: string;
}

/** Formats `head ← l1 ∧ l2 …` (joined by `symbol`, default ∧). */
export function formatRule(head: string, body: readonly RuleLiteral[], symbol = '∧'): string {
  const literals = body.map((l) => `${l.negated ? '¬' : ''}${l.name}`);
  return `${head} ← ${literals.length > 0 ? literals.join(` ${symbol} `) : '⊤'}`;
}

/**
 * Reads a rule out of one weighted conjunction: `names[i]` and `negated[i]` describe input i,
 * `weights[i]` its weight; inputs with `weight < threshold` are dropped.
 */
export function extractRule(
  head: string,
  names: readonly string[],
  negated: readonly boolean[],
  weights: ArrayLike<number>,
  beta: number,
  threshold = RULE_WEIGHT_THRESHOLD,
): ExtractedRule {
  const body: RuleLiteral[] = [];
  for (let i = 0; i < names.length; i++)
    if (weights[i]! >= threshold) body.push({ name: names[i]!, negated: negated[i]!, weight: weights[i]! });
  return { head, body, beta, text: formatRule(head, body) };
}

/**
 * The rule of one LNN operator node of a graph, inputs below the threshold dropped:
 * `v ← A ∧ B` for a conjunction, `v ← A ∨ B` for a disjunction, `B ← A` for an implication
 * `A → B`. Undefined for propositions, negations and PLNN nodes.
 */
export function lnnNodeRule(
  graph: LogicGraph,
  k: number,
  threshold = RULE_WEIGHT_THRESHOLD,
): ExtractedRule | undefined {
  const node = graph.nodes[k]!;
  if (graph.mode !== 'lnn' || node.weights === undefined || node.beta === undefined) return undefined;
  const literal = (x: number, i: number): RuleLiteral => {
    const op = graph.nodes[x]!;
    // A hidden negation node reads as a negated literal of its operand.
    return op.kind === 'not' && op.hidden
      ? { name: graph.nodes[op.operands[0]!]!.id, negated: true, weight: node.weights![i]! }
      : { name: op.id, negated: false, weight: node.weights![i]! };
  };
  const all = node.operands.map(literal);
  if (node.kind === 'implies') {
    const [a, b] = all as [RuleLiteral, RuleLiteral];
    const head = `${b.negated ? '¬' : ''}${b.name}`;
    const body = a.weight >= threshold ? [a] : [];
    return { head, body, beta: node.beta, text: formatRule(head, body) };
  }
  const body = all.filter((l) => l.weight >= threshold);
  const symbol = node.kind === 'or' ? OPERATOR_SYMBOL.or : OPERATOR_SYMBOL.and;
  return { head: node.id, body, beta: node.beta, text: formatRule(node.id, body, symbol) };
}
