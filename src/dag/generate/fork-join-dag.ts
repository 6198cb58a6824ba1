/**
 * The random nested fork-join DAG family: a fork, parallel branches and a join, each branch possibly a
 * nested block, the shape of parallel-for programs.
 */
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { DagNodeSpec, DagTaskSpec, NodeId } from '../dag-task.js';

/** Options of {@link generateForkJoinDag}. */
export interface ForkJoinDagOptions {
  /**
   * Target node count (integer ≥ 1). When set the DAG has exactly this many nodes: expansion stops
   * when the count is reached, and a shortfall is made up by nesting further (up to `maxDepth`)
   * and then by adding single-node branches to random blocks (which may then exceed
   * `branching`). Unset: the recursion alone decides the size.
   */
  nodes?: number;
  /** Branches per fork: a count or an inclusive range `[lo, hi]` drawn uniformly (≥ 1). Default `[2, 4]`. */
  branching?: number | [number, number];
  /** Probability that a branch is a nested fork-join block instead of a single node, in [0, 1]. Default 0.5. */
  nestProbability?: number;
  /** Maximum nesting depth of fork-join blocks, the outermost block being depth 1 (integer ≥ 1). Default 3. */
  maxDepth?: number;
  /** Smallest WCET, an integer ≥ 1 (time units). Default 1. */
  wcetMin?: number;
  /** Largest WCET, an integer ≥ `wcetMin` (time units). Default 20. */
  wcetMax?: number;
  /** Task name. Default `fork-join-n{node count}`. */
  name?: string;
}

/** A fork node, its branches (a single node when `block` is undefined), and a join node. */
interface Block {
  readonly depth: number;
  readonly branches: { block: Block | undefined }[];
}

/** A single-node branch that may still become a nested block. */
interface Leaf {
  readonly parent: Block;
  readonly index: number;
}

/**
 * A random nested fork-join DAG task (no deadline; see `withSlackDeadline`): a fork node, k
 * parallel branches, a join node; each branch is a single node or, with probability
 * `nestProbability` while the depth allows, a nested fork-join block. The outer fork is the only
 * source and the outer join the only sink (with 1 or 2 nodes the DAG is a chain; with 3 a block of
 * one branch). Ids `v0 … v{n−1}` in depth-first order (fork, branches, join), a topological order.
 * Fork and join nodes are real subtasks: every WCET is an integer drawn uniformly from
 * `[wcetMin, wcetMax]`. The same options and Rng state give the same spec.
 */
export function generateForkJoinDag(options: ForkJoinDagOptions, rng: Rng): DagTaskSpec {
  const { nodes: target, nestProbability = 0.5, maxDepth = 3, wcetMin = 1, wcetMax = 20 } = options;
  if (target !== undefined) checkCount('nodes', target, 1);
  checkCount('maxDepth', maxDepth, 1);
  if (!(nestProbability >= 0 && nestProbability <= 1))
    throw new ArbiterError('bad-option', `nestProbability must be in [0, 1], got ${nestProbability}`);
  if (!Number.isInteger(wcetMin) || !Number.isInteger(wcetMax) || wcetMin < 1 || wcetMax < wcetMin)
    throw new ArbiterError(
      'bad-option',
      `the WCET range must be integers 1 <= wcetMin <= wcetMax, got [${wcetMin}, ${wcetMax}]`,
    );
  const [bMin, bMax] = branchingRange(options.branching);
  const drawK = (): number => rng.intBetween(bMin, bMax);

  let edges: [number, number][];
  let count: number;
  if (target !== undefined && target <= 2) {
    count = target;
    edges = target === 2 ? [[0, 1]] : [];
  } else {
    const left = (): number => (target === undefined ? Infinity : target - count);
    const blocks: Block[] = [];
    const newBlock = (depth: number, k: number): Block => {
      const block: Block = { depth, branches: Array.from({ length: k }, () => ({ block: undefined })) };
      blocks.push(block);
      return block;
    };
    const leavesOf = (block: Block): Leaf[] => block.branches.map((_, index) => ({ parent: block, index }));
    // Turning a leaf into a block of k branches adds a fork, k nodes and a join, minus the leaf.
    const expand = (leaf: Leaf, k: number): Block => {
      const block = newBlock(leaf.parent.depth + 1, k);
      leaf.parent.branches[leaf.index]!.block = block;
      count += k + 1;
      return block;
    };

    const rootK = target === undefined ? drawK() : Math.min(drawK(), target - 2);
    const root = newBlock(1, rootK);
    count = rootK + 2;

    // Phase 1: the recursion proper, breadth first so a target cuts the tree evenly.
    const queue = leavesOf(root);
    for (let head = 0; head < queue.length && left() > 0; head++) {
      const leaf = queue[head]!;
      if (leaf.parent.depth >= maxDepth || !rng.bernoulli(nestProbability)) continue;
      const k = Math.min(drawK(), left() - 1);
      if (k < bMin) continue;
      queue.push(...leavesOf(expand(leaf, k)));
    }
    if (target !== undefined) {
      // Phase 2: short of the target, nest random leaves further while the depth allows.
      const open = queue.filter((leaf) => leaf.parent.branches[leaf.index]!.block === undefined);
      const expandable = open.filter((leaf) => leaf.parent.depth < maxDepth);
      while (left() >= bMin + 1 && expandable.length > 0) {
        const at = rng.int(expandable.length);
        const leaf = expandable[at]!;
        expandable.splice(at, 1);
        const block = expand(leaf, Math.min(drawK(), left() - 1));
        if (block.depth < maxDepth) expandable.push(...leavesOf(block));
      }
      // Phase 3: the rest as extra single-node branches of random blocks.
      while (left() > 0) {
        blocks[rng.int(blocks.length)]!.branches.push({ block: undefined });
        count += 1;
      }
    }
    edges = emitEdges(root);
  }

  const id = (i: number): NodeId => `v${i}`;
  const specNodes: DagNodeSpec[] = [];
  for (let i = 0; i < count; i++) specNodes.push({ id: id(i), wcet: rng.intBetween(wcetMin, wcetMax) });
  return {
    name: options.name ?? `fork-join-n${count}`,
    nodes: specNodes,
    edges: edges.map(([u, v]) => [id(u), id(v)]),
  };
}

/** Numbers the nodes depth first (fork, branches, join) and lists the edges as index pairs. */
function emitEdges(root: Block): [number, number][] {
  const edges: [number, number][] = [];
  let next = 0;
  // Returns [entry, exit] of the block.
  const visit = (block: Block): [number, number] => {
    const fork = next++;
    const exits: number[] = [];
    for (const branch of block.branches) {
      if (branch.block === undefined) {
        const v = next++;
        edges.push([fork, v]);
        exits.push(v);
      } else {
        const [entry, exit] = visit(branch.block);
        edges.push([fork, entry]);
        exits.push(exit);
      }
    }
    const join = next++;
    for (const u of exits) edges.push([u, join]);
    return [fork, join];
  };
  visit(root);
  return edges;
}

function branchingRange(branching: ForkJoinDagOptions['branching']): [number, number] {
  const [lo, hi] =
    branching === undefined ? [2, 4] : typeof branching === 'number' ? [branching, branching] : branching;
  checkCount('branching', lo, 1);
  checkCount('branching', hi, lo);
  return [lo, hi];
}

function checkCount(what: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min)
    throw new ArbiterError('bad-option', `${what} must be an integer >= ${min}, got ${x}`);
}
