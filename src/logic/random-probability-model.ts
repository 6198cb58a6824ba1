/**
 * Ground truth for testing and benchmarking PLNN: random joint distributions over a few binary
 * propositions, random formulas over them, the exact probability of every node, and knowledge
 * bases whose facts are those exact values (points or intervals around them).
 */
import { Rng } from '../core/rng.js';
import type { KnowledgeBaseSpec, OperatorSpec } from './knowledge-base-spec.js';
import type { LogicGraph } from './logic-graph.js';

/**
 * The exact probability of every node of a PLNN graph under a joint distribution over its
 * propositions: `joint[ω]` is the probability of the atom whose bit i is the truth of the i-th
 * proposition (in node order). Conditionals get `P(A∧B) / P(A)`, NaN where P(A) = 0.
 */
export function probabilitiesFromJoint(graph: LogicGraph, joint: ArrayLike<number>): Float64Array {
  const n = graph.nodes.length;
  const atoms = joint.length;
  const truth: Uint8Array[] = [];
  const p = new Float64Array(n);
  let bit = 0;
  for (let k = 0; k < n; k++) {
    const node = graph.nodes[k]!;
    const t = new Uint8Array(atoms);
    if (node.kind === 'proposition') {
      for (let w = 0; w < atoms; w++) t[w] = (w >> bit) & 1;
      bit++;
    } else if (node.kind !== 'given') {
      const a = truth[node.operands[0]!]!;
      const b = truth[node.operands[1] ?? node.operands[0]!]!;
      for (let w = 0; w < atoms; w++)
        t[w] =
          node.kind === 'not'
            ? 1 - a[w]!
            : node.kind === 'and'
              ? a[w]! & b[w]!
              : node.kind === 'or'
                ? a[w]! | b[w]!
                : (1 - a[w]!) | b[w]!;
    }
    truth.push(t);
    if (node.kind === 'given') {
      const pa = p[node.operands[0]!]!;
      p[k] = pa > 0 ? Math.min(1, p[node.operands[1]!]! / pa) : NaN;
    } else {
      let s = 0;
      for (let w = 0; w < atoms; w++) if (t[w]) s += joint[w]!;
      p[k] = Math.min(1, s); // a sum of the whole joint may round to 1 + 2^-52
    }
  }
  return p;
}

/** Options of {@link randomProbabilityModel}. */
export interface RandomProbabilityModelOptions {
  /** Number of binary propositions (1–16). */
  variables: number;
  /** Number of operators to add. */
  operators: number;
  /** Independent propositions (a product distribution) instead of a random joint. Default false. */
  independent?: boolean;
  /**
   * Formula trees over distinct propositions (every proposition used at most once, no
   * conditionals), so that independent propositions make every operator's operands independent.
   * Default false.
   */
  tree?: boolean;
  /** Probability that a node gets a fact. Default 0.6. */
  factShare?: number;
  /** Probability that a fact is an interval around the truth rather than the exact point. Default 0.5. */
  intervalShare?: number;
  /** J written on every operator (point or interval); default none (unconstrained). */
  j?: number | [number, number];
}

/** A random model: the joint, a knowledge base whose facts are consistent with it. */
export interface RandomProbabilityModel {
  /** Probability of each of the 2^variables atoms. */
  joint: Float64Array;
  /** The knowledge base (propositions X0…, operators F0…). */
  spec: KnowledgeBaseSpec;
}

/** Draws a random joint distribution and a knowledge base consistent with it. */
export function randomProbabilityModel(
  rng: Rng,
  options: RandomProbabilityModelOptions,
): RandomProbabilityModel {
  const nv = options.variables;
  const atoms = 1 << nv;
  const joint = new Float64Array(atoms);
  if (options.independent) {
    const marg = Array.from({ length: nv }, () => rng.random());
    for (let w = 0; w < atoms; w++) {
      let q = 1;
      for (let i = 0; i < nv; i++) q *= (w >> i) & 1 ? marg[i]! : 1 - marg[i]!;
      joint[w] = q;
    }
  } else {
    let s = 0;
    for (let w = 0; w < atoms; w++) {
      // Some atoms impossible, the rest with exponential weights: a Dirichlet(1) with holes.
      joint[w] = rng.random() < 0.2 ? 0 : -Math.log(1 - rng.random());
      s += joint[w]!;
    }
    if (s === 0) joint[0] = s = 1;
    for (let w = 0; w < atoms; w++) joint[w] = joint[w]! / s;
  }
  const props = Array.from({ length: nv }, (_, i) => `X${i}`);
  const operators: OperatorSpec[] = [];
  const jField = options.j !== undefined ? { j: options.j } : {};
  if (options.tree) {
    const pool = rng.shuffle([...props]);
    for (let k = 0; k < options.operators && pool.length > 0; k++) {
      const id = `F${k}`;
      const kind = pool.length >= 2 ? (['and', 'or', 'implies', 'not'] as const)[rng.int(4)]! : 'not';
      if (kind === 'not') {
        const x = pool.splice(rng.int(pool.length), 1)[0]!;
        operators.push({ id, op: 'not', inputs: [x] });
      } else {
        const a = pool.splice(rng.int(pool.length), 1)[0]!;
        const b = pool.splice(rng.int(pool.length), 1)[0]!;
        operators.push({ id, op: kind, inputs: [a, b], ...jField });
      }
      pool.push(id);
    }
  } else {
    const events = [...props];
    for (let k = 0; k < options.operators; k++) {
      const id = `F${k}`;
      const kind = (['and', 'or', 'implies', 'not', 'given'] as const)[rng.int(5)]!;
      const pick = (): string => (rng.random() < 0.15 ? '¬' : '') + events[rng.int(events.length)]!;
      let a = pick();
      let b = pick();
      for (let t = 0; t < 5 && a.replace('¬', '') === b.replace('¬', ''); t++) b = pick();
      if (kind === 'not') a = a.replace('¬', '');
      if (kind === 'not') operators.push({ id, op: 'not', inputs: [a] });
      else operators.push({ id, op: kind, inputs: [a, b], ...jField });
      if (kind !== 'given') events.push(id);
    }
  }
  return { joint, spec: { logic: 'plnn', propositions: props, operators } };
}

/**
 * Adds facts to a model's knowledge base from the exact probabilities of `graph` (compiled from
 * `model.spec`): each user node with probability `factShare`, as the exact point or an interval
 * around it. Conditionals with P(A) = 0 get none. Returns the new spec.
 */
export function withTrueFacts(
  rng: Rng,
  model: RandomProbabilityModel,
  graph: LogicGraph,
  options: Pick<RandomProbabilityModelOptions, 'factShare' | 'intervalShare'> = {},
): KnowledgeBaseSpec {
  const truth = probabilitiesFromJoint(graph, model.joint);
  const facts: Record<string, number | [number, number]> = {};
  graph.nodes.forEach((node, k) => {
    const p = truth[k]!;
    if (node.hidden || Number.isNaN(p) || rng.random() >= (options.factShare ?? 0.6)) return;
    if (rng.random() < (options.intervalShare ?? 0.5)) {
      const lo = Math.max(0, p - 0.2 * rng.random());
      const hi = Math.min(1, p + 0.2 * rng.random());
      facts[node.id] = [lo, hi];
    } else facts[node.id] = p;
  });
  return { ...model.spec, facts };
}
