/**
 * The shape of a knowledge base as written in JSON and produced by the fluent builder: plain types
 * only, so that the reader (`knowledge-base.ts`), the checker (`build-logic-graph.ts`) and the
 * builder all depend on it without depending on each other.
 */
/** Bounds written in a knowledge base: a point `p` or an interval `[L, U]`. */
export type BoundsSpec = number | readonly [number, number];

/** One operator declaration (grounded once per binding of `forall`). */
export interface OperatorSpec {
  /** Node id; with `forall` the grounded ids read `id(a, b)` in the order of the variables. */
  id: string;
  /** Operator kind. */
  op: 'and' | 'or' | 'not' | 'implies' | 'given';
  /**
   * Operand references: a node id, a grounded predicate `P(a)` (variables of `forall` allowed), or
   * either prefixed by `¬`/`!` for its negation. `implies`: [A, B] is A → B; `given`: [B, A] is
   * P(B | A).
   */
  inputs: readonly string[];
  /** LNN: one weight w ≥ 0 per input (default all 1). */
  weights?: readonly number[];
  /** LNN: bias β ≥ 0 (default 1). */
  beta?: number;
  /** PLNN: correlation J ∈ [−1, 1] between the operands, a point or `[lo, hi]` (default [−1, 1]). */
  j?: BoundsSpec;
  /** First-order grounding: variable name → domain name. */
  forall?: Readonly<Record<string, string>>;
}

/** A predicate: one proposition per tuple of its argument domains. */
export interface PredicateSpec {
  /** Predicate name; groundings read `name(a, b)`. */
  name: string;
  /** The domain of each argument, by name (see {@link KnowledgeBaseSpec.domains}). */
  args: readonly string[];
}

/** A knowledge base as written in JSON (and produced by the fluent builder). */
export interface KnowledgeBaseSpec {
  /** Optional display name. */
  name?: string;
  /** `lnn` (weighted Łukasiewicz truth values) or `plnn` (probability bounds). */
  logic: 'lnn' | 'plnn';
  /** Finite domains for predicates: name → constants. */
  domains?: Readonly<Record<string, readonly string[]>>;
  /** Propositions (nullary predicates). */
  propositions?: readonly string[];
  /** First-order predicates, grounded over their domains. */
  predicates?: readonly PredicateSpec[];
  /** Operator nodes. */
  operators?: readonly OperatorSpec[];
  /**
   * Initial bounds by node id: a point or `[L, U]` inside [0, 1]. An operator or predicate name
   * without arguments sets the bounds of all its groundings.
   */
  facts?: Readonly<Record<string, BoundsSpec>>;
  /** Node ids (or predicate / operator names, meaning all groundings) to report. */
  queries?: readonly string[];
}
