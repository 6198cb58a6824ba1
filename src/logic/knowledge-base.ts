/**
 * The reader of the JSON knowledge-base format (its types live in `knowledge-base-spec.ts`). The
 * shape is checked with zod; the logical rules (references, cycles, ranges) by `buildLogicGraph`,
 * so that the fluent builder gets the same checks. Every error names the file, the item and the rule.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { OPERATOR_KINDS, type LogicGraph } from './logic-graph.js';
import { buildLogicGraph } from './build-logic-graph.js';
import type { KnowledgeBaseSpec } from './knowledge-base-spec.js';

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
