/**
 * Typed errors shared by every layer. Each carries a stable `code` so that callers and the CLI
 * can react to the kind of failure without parsing messages.
 */

/** Base class of every error Arbiter throws on purpose. */
export class ArbiterError extends Error {
  /** Stable machine-readable error code, e.g. `"cycle"` or `"deadline-infeasible"`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where an input problem sits: the file, an optional line, and the item (node, edge, key). */
export interface InputLocation {
  /** File name or other source label (e.g. `"<json>"` for in-memory input). */
  file?: string;
  /** 1-based line number in the file, when the format is line-oriented. */
  line?: number;
  /** The offending item, e.g. `"node 'v3'"` or `"edge v1 -> v9"`. */
  item?: string;
}

/**
 * Invalid input: names the file (and line), the item and the violated rule.
 * The message reads `file:line: item: rule: detail`.
 */
export class ValidationError extends ArbiterError {
  /** Short name of the violated rule, e.g. `"cycle"`, `"dangling-edge"`, `"wcet"`. */
  readonly rule: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly item: string | undefined;

  constructor(rule: string, detail: string, where: InputLocation = {}) {
    super(`invalid-input/${rule}`, formatLocated(rule, detail, where));
    this.rule = rule;
    this.file = where.file;
    this.line = where.line;
    this.item = where.item;
  }
}

/** `L(G) > D`: no schedule on any number of cores can meet the deadline. */
export class DeadlineInfeasibleError extends ArbiterError {
  /** Critical-path length L(G). */
  readonly criticalPath: number;
  /** Relative deadline D. */
  readonly deadline: number;

  constructor(criticalPath: number, deadline: number, taskName?: string) {
    super(
      'deadline-infeasible',
      `DeadlineInfeasible${taskName ? ` (${taskName})` : ''}: critical path L = ${criticalPath} exceeds deadline D = ${deadline}; no number of cores can meet it`,
    );
    this.criticalPath = criticalPath;
    this.deadline = deadline;
  }
}

function formatLocated(rule: string, detail: string, where: InputLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined)
    parts.push(where.line !== undefined ? `${where.file}:${where.line}` : where.file);
  else if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.item !== undefined) parts.push(where.item);
  parts.push(rule);
  return `${parts.join(': ')}: ${detail}`;
}
