/**
 * A fluent TypeScript builder for knowledge bases: the same {@link KnowledgeBaseSpec} as the JSON
 * format, validated by the same `buildLogicGraph`.
 *
 * ```ts
 * const graph = knowledgeBase('plnn')
 *   .propositions('Rain', 'Wet')
 *   .given('Wet|Rain', 'Wet', 'Rain')
 *   .fact('Rain', 0.3).fact('Wet|Rain', [0.8, 0.9])
 *   .query('Wet')
 *   .build();
 * ```
 */
import { buildLogicGraph } from './build-logic-graph.js';
import type { BoundsSpec, KnowledgeBaseSpec, OperatorSpec } from './knowledge-base-spec.js';
import type { LogicGraph } from './logic-graph.js';

/** Per-operator options of the builder (LNN: weights/beta; PLNN: j; both: forall). */
export type OperatorOptions = Pick<OperatorSpec, 'weights' | 'beta' | 'j' | 'forall'>;

/** Accumulates a {@link KnowledgeBaseSpec}; see {@link knowledgeBase}. */
export class KnowledgeBaseBuilder {
  private readonly spec: {
    name?: string;
    logic: 'lnn' | 'plnn';
    domains: Record<string, string[]>;
    propositions: string[];
    predicates: { name: string; args: string[] }[];
    operators: OperatorSpec[];
    facts: Record<string, BoundsSpec>;
    queries: string[];
  };

  constructor(logic: 'lnn' | 'plnn', name?: string) {
    this.spec = {
      logic,
      ...(name !== undefined && { name }),
      domains: {},
      propositions: [],
      predicates: [],
      operators: [],
      facts: {},
      queries: [],
    };
  }

  /** Declares a finite domain of constants. */
  domain(name: string, constants: readonly string[]): this {
    this.spec.domains[name] = [...constants];
    return this;
  }

  /** Declares propositions. */
  propositions(...names: string[]): this {
    this.spec.propositions.push(...names);
    return this;
  }

  /** Declares a predicate over the named domains (grounded to `name(a, …)`). */
  predicate(name: string, ...argDomains: string[]): this {
    this.spec.predicates.push({ name, args: argDomains });
    return this;
  }

  /** Adds an operator node of any kind. */
  operator(
    op: OperatorSpec['op'],
    id: string,
    inputs: readonly string[],
    options: OperatorOptions = {},
  ): this {
    this.spec.operators.push({ id, op, inputs: [...inputs], ...options });
    return this;
  }

  /** `id = inputs[0] ∧ inputs[1] ∧ …`. */
  and(id: string, inputs: readonly string[], options?: OperatorOptions): this {
    return this.operator('and', id, inputs, options);
  }

  /** `id = inputs[0] ∨ inputs[1] ∨ …`. */
  or(id: string, inputs: readonly string[], options?: OperatorOptions): this {
    return this.operator('or', id, inputs, options);
  }

  /** `id = ¬input`. */
  not(id: string, input: string): this {
    return this.operator('not', id, [input]);
  }

  /** `id = antecedent → consequent`. */
  implies(id: string, antecedent: string, consequent: string, options?: OperatorOptions): this {
    return this.operator('implies', id, [antecedent, consequent], options);
  }

  /** PLNN: `id = P(consequent | antecedent)`. */
  given(id: string, consequent: string, antecedent: string, options?: OperatorOptions): this {
    return this.operator('given', id, [consequent, antecedent], options);
  }

  /** Sets the initial bounds of a node: a point or `[L, U]`. */
  fact(id: string, bounds: BoundsSpec): this {
    this.spec.facts[id] = typeof bounds === 'number' ? bounds : [bounds[0], bounds[1]];
    return this;
  }

  /** Names nodes to report. */
  query(...ids: string[]): this {
    this.spec.queries.push(...ids);
    return this;
  }

  /** The knowledge base as written (JSON-serialisable). */
  toSpec(): KnowledgeBaseSpec {
    return structuredClone(this.spec);
  }

  /** Validates and compiles the graph; throws the same errors as the JSON reader. */
  build(source = '<builder>'): LogicGraph {
    return buildLogicGraph(this.toSpec(), { source });
  }
}

/** Starts a knowledge base in the given logic. */
export function knowledgeBase(logic: 'lnn' | 'plnn', name?: string): KnowledgeBaseBuilder {
  return new KnowledgeBaseBuilder(logic, name);
}
