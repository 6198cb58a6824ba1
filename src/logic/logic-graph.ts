/**
 * The compiled logic graph shared by LNN and PLNN inference: one node per proposition
 * (a grounded predicate is a proposition named `P(a, b)`) and one per operator, operands before
 * the operators that read them. Built and validated by `buildLogicGraph`.
 */

/** Which semantics the graph's operators carry. */
export type LogicMode = 'lnn' | 'plnn';

/** The logical operators (`given` is the conditional `P(B | A)`, PLNN only). */
export type OperatorKind = 'and' | 'or' | 'not' | 'implies' | 'given';

/** Node kinds: a proposition (leaf) or an operator. */
export type NodeKind = 'proposition' | OperatorKind;

/** Every operator kind, in a fixed order (for messages and schemas). */
export const OPERATOR_KINDS: readonly OperatorKind[] = ['and', 'or', 'not', 'implies', 'given'];

/** One node of a {@link LogicGraph}. */
export interface LogicNode {
  /** Unique name; grounded predicates read `P(a)`, hidden helper nodes contain a `~`. */
  readonly id: string;
  /** Proposition or operator kind. */
  readonly kind: NodeKind;
  /**
   * Operand node indices. `and`/`or`: 1+ (LNN) or exactly 2 (PLNN; longer lists are folded into
   * hidden binary nodes); `not`: 1; `implies`: [A, B] for A → B; `given`: [A, A∧B] for P(B | A),
   * where A∧B is the (possibly hidden) joint node that carries the correlation J.
   */
  readonly operands: readonly number[];
  /** LNN only: one weight w ≥ 0 per operand (default 1). */
  readonly weights?: readonly number[];
  /** LNN only: the bias β (default 1). */
  readonly beta?: number;
  /**
   * PLNN only, on `and`/`or`/`implies`: the correlation J ∈ [−1, 1] between the two operands as
   * an interval `[lo, hi]`; `[-1, 1]` (the default) is plain Fréchet bounds.
   */
  readonly j?: readonly [number, number];
  /** Added by the compiler (n-ary folding, joints of conditionals), not written by the user. */
  readonly hidden?: boolean;
  /** `given` only: the index of the consequent B, for display. */
  readonly consequent?: number;
}

/** A fact: initial bounds on one node (a point is `lower === upper`). */
export interface LogicFact {
  /** Node index. */
  readonly node: number;
  /** Lower bound. */
  readonly lower: number;
  /** Upper bound. */
  readonly upper: number;
}

/** A validated, grounded knowledge base ready for inference. */
export interface LogicGraph {
  /** LNN (weighted Łukasiewicz) or PLNN (probability bounds). */
  readonly mode: LogicMode;
  /** Nodes; every operand index is smaller than its operator's index (topological order). */
  readonly nodes: readonly LogicNode[];
  /** Node index by id. */
  readonly index: ReadonlyMap<string, number>;
  /** Initial bounds; nodes without a fact start at [0, 1]. */
  readonly facts: readonly LogicFact[];
  /** Node indices whose bounds the user asked for (all user nodes when none were named). */
  readonly queries: readonly number[];
  /** Optional name of the knowledge base. */
  readonly name?: string;
  /** File the graph was read from, for messages. */
  readonly source?: string;
}

/** Operator symbol used in rule text and drawings. */
export const OPERATOR_SYMBOL: Readonly<Record<OperatorKind, string>> = {
  and: '∧',
  or: '∨',
  not: '¬',
  implies: '→',
  given: '|',
};

/** Index of a node by id; undefined when absent. */
export function nodeIndex(graph: LogicGraph, id: string): number | undefined {
  return graph.index.get(id);
}

/** A short formula for a node, e.g. `A ∧ B`, `¬A`, `B | A`, `A → B`; a proposition is its id. */
export function describeLogicNode(graph: LogicGraph, k: number): string {
  const node = graph.nodes[k]!;
  const name = (i: number): string => graph.nodes[i]!.id;
  switch (node.kind) {
    case 'proposition':
      return node.id;
    case 'not':
      return `¬${name(node.operands[0]!)}`;
    case 'given':
      return `${name(node.consequent ?? node.operands[1]!)} | ${name(node.operands[0]!)}`;
    default:
      return node.operands.map(name).join(` ${OPERATOR_SYMBOL[node.kind]} `);
  }
}
