/**
 * The JSON knowledge-base format of the logic layer (SPEC §8) and its reader. The shape is checked
 * with zod; the logical rules (references, cycles, ranges) by `buildLogicGraph`, so that the
 * fluent builder gets the same checks. Every error names the file, the item and the rule.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { OPERATOR_KINDS, type LogicGraph } from './logic-graph.js';
import { buildLogicGraph } from './build-logic-graph.js';

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

const bounds = z.union([z.number(), z.tuple([z.number(), z.number()])]);

/** The zod schema of {@link KnowledgeBaseSpec} (shape only; ranges are checked when building). */
export const knowledgeBaseSchema = z
  .object({
    name: z.string().optional(),
    logic: z.enum(['lnn', 'plnn']),
    domains: z.record(z.string(), z.array(z.string()).min(1)).optional(),
    propositions: z.array(z.string()).optional(),
    predicates: z.array(z.object({ name: z.string(), args: z.array(z.string()).min(1) }).strict()).optional(),
    operators: z
      .array(
        z
          .object({
            id: z.string(),
            op: z.enum(OPERATOR_KINDS as ['and', 'or', 'not', 'implies', 'given']),
            inputs: z.array(z.string()).min(1),
            weights: z.array(z.number()).optional(),
            beta: z.number().optional(),
            j: bounds.optional(),
            forall: z.record(z.string(), z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
    facts: z.record(z.string(), bounds).optional(),
    queries: z.array(z.string()).optional(),
  })
  .strict();

/**
 * Parses knowledge-base JSON text into a validated {@link LogicGraph}. `source` names the file in
 * messages. Throws {@link ValidationError} with rule `json-syntax`, `format` (wrong shape), or one
 * of the graph rules of `buildLogicGraph`.
 */
export function parseKnowledgeBase(text: string, source?: string): LogicGraph {
  const where = source !== undefined ? { file: source } : {};
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ValidationError('json-syntax', e instanceof Error ? e.message : String(e), where);
  }
  const parsed = knowledgeBaseSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError('format', describeIssue(value, issue), {
      ...where,
      item: issue.path.length > 0 ? describePath(value, issue.path) : 'knowledge base',
    });
  }
  return buildLogicGraph(parsed.data as KnowledgeBaseSpec, source !== undefined ? { source } : {});
}

/** Reads and validates a knowledge-base JSON file (see {@link parseKnowledgeBase}). */
export async function readKnowledgeBaseFile(file: string): Promise<LogicGraph> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ValidationError('read', e instanceof Error ? e.message : String(e), { file });
  }
  return parseKnowledgeBase(text, file);
}

/** `operators[3] 'x'.j` reads better than `operators.3.j`: name list items by their id. */
function describePath(root: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let cur: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      const item = Array.isArray(cur) ? (cur[key] as unknown) : undefined;
      const id = item !== null && typeof item === 'object' ? (item as Record<string, unknown>).id : undefined;
      if (typeof id === 'string') out += ` '${id}'`;
    } else out += (out ? '.' : '') + String(key);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return out;
}

function describeIssue(root: unknown, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
