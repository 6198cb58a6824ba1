/**
 * Upward–downward inference to a fixed point, for both semantics of a
 * {@link LogicGraph}: LNN (weighted Łukasiewicz) and PLNN (J-modulated Fréchet bounds).
 *
 * One iteration is an upward pass (operators in topological order, each from its operands) and a
 * downward pass (operators in reverse order, each operand from the operator and the other
 * operands). Bounds only tighten (`L = max`, `U = min`). Iteration stops when no bound moved by
 * more than ε, or after `maxIterations`. Every tightening is logged (rule, node, bound, from, to,
 * sources). A rule that would push `L` above `U` (beyond rounding) records a contradiction with
 * the nodes involved; the node keeps the crossed bounds for inspection and is then quarantined —
 * no rule reads or writes it again — so the contradiction stays where it arose.
 */
import type { LogicGraph, LogicNode } from './logic-graph.js';
import { andJ, impliesJ, orJ } from './operators/frechet-j.js';
import { lnnAndDown, lnnAndUp } from './operators/lnn-and.js';
import { lnnOrDown, lnnOrUp } from './operators/lnn-or.js';
import { notDown, notUp } from './operators/not-operator.js';
import { plnnBinaryDown, plnnBinaryUp, type PlnnActivation } from './operators/plnn-binary.js';
import { givenDownAntecedent, givenDownJoint, givenUp } from './operators/plnn-given.js';
import { CONTRADICTION_TOLERANCE, type TruthBounds } from './truth-bounds.js';

/** Settings of {@link infer}. */
export interface InferenceOptions {
  /** Stop when no bound moves by more than this in one iteration. Default 1e-6. */
  epsilon?: number;
  /** At most this many upward+downward iterations. Default 100. */
  maxIterations?: number;
  /** Record the step log. Default true. */
  log?: boolean;
  /** Moves smaller than this are applied but not logged. Default 1e-9. */
  minLoggedChange?: number;
  /** PLNN: ignore every J and use plain Fréchet bounds (J ∈ [−1, 1]). Default false. */
  ignoreJ?: boolean;
}

/** One tightening: which rule moved which bound of which node, from what to what. */
export interface InferenceStep {
  /** Iteration (0 = facts). */
  iteration: number;
  /** `fact`, `<op>.up` or `<op>.down[k]` (k = operand position). */
  rule: string;
  /** The node whose bound moved. */
  node: string;
  /** The operator node whose rule fired (the node itself for `up`). */
  via: string;
  /** Nodes whose bounds the rule read. */
  sources: string[];
  /** Which bound moved. */
  bound: 'lower' | 'upper';
  /** Old value. */
  from: number;
  /** New value. */
  to: number;
}

/** A rule that would have crossed a node's bounds. */
export interface Contradiction {
  /** The node whose bounds crossed. */
  node: string;
  /** Its bounds after the crossing (`lower > upper`). */
  lower: number;
  /** Upper bound. */
  upper: number;
  /** `lower − upper`: how strongly the statements disagree. */
  extent: number;
  /** The rule that crossed them. */
  rule: string;
  /** The operator whose rule fired. */
  via: string;
  /** Every node involved: the node, the operator and the rule's sources. */
  nodes: string[];
  /** Iteration at which it arose (0 = conflicting facts). */
  iteration: number;
}

/** What {@link infer} returns. */
export interface InferenceResult {
  /** The graph inferred on. */
  graph: LogicGraph;
  /** Lower bound per node index. */
  lower: Float64Array;
  /** Upper bound per node index. */
  upper: Float64Array;
  /** 1 where a node is contradicted (and quarantined). */
  contradicted: Uint8Array;
  /** Iterations run. */
  iterations: number;
  /** Whether the fixed point was reached within `maxIterations`. */
  converged: boolean;
  /** Largest bound move in the last iteration. */
  lastChange: number;
  /** The step log (empty when `log: false`). */
  steps: InferenceStep[];
  /** Contradictions, in the order they arose. */
  contradictions: Contradiction[];
}

const PLNN_ACTIVATION: Readonly<Record<'and' | 'or' | 'implies', PlnnActivation>> = {
  and: andJ,
  or: orJ,
  implies: impliesJ,
};

/** Runs upward–downward inference on `graph` from its facts; see the module comment. */
export function infer(graph: LogicGraph, options: InferenceOptions = {}): InferenceResult {
  const epsilon = options.epsilon ?? 1e-6;
  const maxIterations = options.maxIterations ?? 100;
  const logging = options.log ?? true;
  const minLogged = options.minLoggedChange ?? 1e-9;
  const nodes = graph.nodes;
  const n = nodes.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n).fill(1);
  const contradicted = new Uint8Array(n);
  const steps: InferenceStep[] = [];
  const contradictions: Contradiction[] = [];
  const out = new Float64Array(2);
  let iteration = 0;
  let moved = 0;

  const name = (k: number): string => nodes[k]!.id;

  /** Intersects node t's bounds with the candidate in `out`; logs moves and contradictions. */
  function tighten(t: number, rule: string, via: number, sources: readonly number[]): void {
    const candL = clamp(out[0]!);
    const candU = clamp(out[1]!);
    const oldL = lower[t]!;
    const oldU = upper[t]!;
    let newL = candL > oldL ? candL : oldL;
    let newU = candU < oldU ? candU : oldU;
    if (newL > newU + CONTRADICTION_TOLERANCE) {
      lower[t] = newL;
      upper[t] = newU;
      contradicted[t] = 1;
      const involved = [...new Set([t, via, ...sources])].map(name);
      contradictions.push({
        node: name(t),
        lower: newL,
        upper: newU,
        extent: newL - newU,
        rule,
        via: name(via),
        nodes: involved,
        iteration,
      });
      return;
    }
    if (newL > newU) {
      // A crossing within rounding: meet at the bound that did not move.
      if (newL !== oldL) newL = newU;
      else newU = newL;
    }
    const dL = newL - oldL;
    const dU = oldU - newU;
    if (dL > moved) moved = dL;
    if (dU > moved) moved = dU;
    lower[t] = newL;
    upper[t] = newU;
    if (!logging) return;
    const src = sources.map(name);
    if (dL > minLogged)
      steps.push({
        iteration,
        rule,
        node: name(t),
        via: name(via),
        sources: src,
        bound: 'lower',
        from: oldL,
        to: newL,
      });
    if (dU > minLogged)
      steps.push({
        iteration,
        rule,
        node: name(t),
        via: name(via),
        sources: src,
        bound: 'upper',
        from: oldU,
        to: newU,
      });
  }

  // Facts, as iteration 0 (several facts on one node intersect).
  for (const f of graph.facts) {
    out[0] = f.lower;
    out[1] = f.upper;
    if (!contradicted[f.node]) tighten(f.node, 'fact', f.node, []);
  }

  const quarantined = (v: number): boolean => {
    if (contradicted[v]) return true;
    for (const x of nodes[v]!.operands) if (contradicted[x]) return true;
    return false;
  };
  const jOf = (node: LogicNode): readonly [number, number] =>
    options.ignoreJ || node.j === undefined ? [-1, 1] : node.j;

  let converged = false;
  while (iteration < maxIterations) {
    iteration++;
    moved = 0;
    for (let v = 0; v < n; v++) {
      const node = nodes[v]!;
      if (node.kind === 'proposition' || quarantined(v)) continue;
      up(node);
      tighten(v, `${node.kind}.up`, v, node.operands);
    }
    for (let v = n - 1; v >= 0; v--) {
      const node = nodes[v]!;
      if (node.kind === 'proposition') continue;
      for (let k = 0; k < node.operands.length; k++) {
        if (quarantined(v)) break;
        down(node, v, k);
        const sources = [v, ...node.operands.filter((_, i) => i !== k)];
        tighten(node.operands[k]!, `${node.kind}.down[${k}]`, v, sources);
      }
    }
    if (moved <= epsilon) {
      converged = true;
      break;
    }
  }

  function up(node: LogicNode): void {
    const ops = node.operands;
    switch (node.kind) {
      case 'not':
        notUp(lower[ops[0]!]!, upper[ops[0]!]!, out);
        return;
      case 'given':
        givenUp(lower[ops[0]!]!, upper[ops[0]!]!, lower[ops[1]!]!, upper[ops[1]!]!, out);
        return;
      case 'and':
      case 'or':
      case 'implies':
        if (graph.mode === 'lnn') {
          if (node.kind === 'and') lnnAndUp(ops, node.weights!, node.beta!, lower, upper, out);
          else lnnOrUp(ops, node.weights!, node.beta!, node.kind === 'implies', lower, upper, out);
        } else {
          const [jL, jU] = jOf(node);
          const [x, y] = ops as [number, number];
          plnnBinaryUp(PLNN_ACTIVATION[node.kind], lower[x]!, upper[x]!, lower[y]!, upper[y]!, jL, jU, out);
        }
        return;
      default:
        throw new Error(`no upward rule for '${node.kind}'`);
    }
  }

  function down(node: LogicNode, v: number, k: number): void {
    const ops = node.operands;
    const vL = lower[v]!;
    const vU = upper[v]!;
    switch (node.kind) {
      case 'not':
        notDown(vL, vU, out);
        return;
      case 'given': {
        const [a, joint] = ops as [number, number];
        if (k === 0) givenDownAntecedent(vL, vU, lower[joint]!, upper[joint]!, out);
        else givenDownJoint(vL, vU, lower[a]!, upper[a]!, out);
        return;
      }
      case 'and':
      case 'or':
      case 'implies':
        if (graph.mode === 'lnn') {
          if (node.kind === 'and') lnnAndDown(ops, node.weights!, node.beta!, k, vL, vU, lower, upper, out);
          else
            lnnOrDown(ops, node.weights!, node.beta!, node.kind === 'implies', k, vL, vU, lower, upper, out);
        } else {
          const [jL, jU] = jOf(node);
          const other = ops[1 - k]!;
          plnnBinaryDown(
            PLNN_ACTIVATION[node.kind],
            k as 0 | 1,
            vL,
            vU,
            lower[other]!,
            upper[other]!,
            jL,
            jU,
            out,
          );
        }
        return;
      default:
        throw new Error(`no downward rule for '${node.kind}'`);
    }
  }

  return {
    graph,
    lower,
    upper,
    contradicted,
    iterations: iteration,
    converged,
    lastChange: moved,
    steps,
    contradictions,
  };
}

/** The bounds of node `id` in an inference result. */
export function boundsOf(result: InferenceResult, id: string): TruthBounds {
  const k = result.graph.index.get(id);
  if (k === undefined) throw new RangeError(`no node '${id}' in the graph`);
  return { lower: result.lower[k]!, upper: result.upper[k]! };
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
