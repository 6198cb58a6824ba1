/**
 * Scheduling with a trained EGS graph policy (SPEC §4), without TensorFlow: the policy network runs
 * on the project's Float32 path ({@link GraphNetF32}) and every edge goes through the `EGS-v0`
 * environment, whose action mask is the guarantee (no cycle, no implied edge, `EFT(i) ≤ LST(j)`,
 * so `L(G') ≤ D`). Whatever the weights, every result is a one-chain-per-core timetable of a graph
 * G' ⊇ G that meets the deadline.
 *
 * Three ways to decide:
 * - `greedy`: the argmax edge at each step (method `egs`);
 * - `sample`: greedy plus K − 1 episodes sampled from the policy, the fewest cores kept (`egs`,
 *   `--samples K`);
 * - `search`: search guided by the policy (method `egs-search`): a beam search (each state expanded
 *   with its `expand` most likely edges, the `beamWidth` likeliest sequences kept) and, by default,
 *   16 policy episodes as in `sample`; the smallest width seen anywhere is the answer. Why both:
 *   on 10–20-node DAGs a likelihood beam stays close to the greedy path, while sampled episodes
 *   reach the proven optimum more often (measured in bench/results/egs.md).
 *
 * Two speed settings bound the work on large graphs: `refresh` R runs the network only every R
 * steps and after every width drop (in between the last logits are reused under the current mask),
 * and `stallLimit` S ends an episode after S steps without a width drop (any prefix of an episode
 * is a valid answer; this only gives up on drops that would come later).
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { GraphObservation } from '../core/spaces.js';
import type { Dag } from '../dag/dag-task.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { EgsEnv, type EgsEpisodeInfo } from '../envs/egs/egs-env.js';
import { GraphNetF32 } from '../nn/graph-net-f32.js';
import type { EgsPolicyModel } from './egs-policy-model.js';

/** Options of {@link EgsPolicyScheduler.greedy} and {@link EgsPolicyScheduler.sample}. */
export interface EgsDecodeOptions {
  /** Deadline D (default: the task's own). */
  deadline?: number;
  /** Run the network every R steps and after each width drop (default 1: every step). */
  refresh?: number;
  /** End after this many steps without a width drop (default: never). */
  stallLimit?: number;
}

/** Options of {@link EgsPolicyScheduler.search}. */
export interface EgsSearchOptions {
  /** Deadline D (default: the task's own). */
  deadline?: number;
  /** States kept per depth (default 4). */
  beamWidth?: number;
  /** Most likely edges expanded per state (default 4). */
  expand?: number;
  /** A beam state stops expanding after this many steps without a width drop (default: never). */
  stallLimit?: number;
  /** Policy episodes (1 greedy + samples − 1 sampled) also tried (default 16; 0 = beam only). */
  samples?: number;
  /** Seed of the sampled episodes (default 0). */
  seed?: number;
}

interface Episode {
  result: ScheduleResult;
  steps: number;
}

/** A scheduler around one trained EGS policy (see the file comment). */
export class EgsPolicyScheduler {
  /** The Float32 network. */
  readonly net: GraphNetF32;
  private readonly envs = new Map<number, EgsEnv>();
  private logits = new Float32Array(0);

  /** Whether decisions are restricted to one maximum antichain (the env's `antichainOnly`). */
  readonly antichainOnly: boolean;

  /**
   * @param model - a trained policy ({@link EgsPolicyModel}) or a ready network
   * @param options - `antichainOnly` (default true): decide among the edges inside one maximum
   *   antichain, as the imitation expert did; false: among all edges between critical nodes
   */
  constructor(model: EgsPolicyModel | GraphNetF32, options: { antichainOnly?: boolean } = {}) {
    this.net = model instanceof GraphNetF32 ? model : new GraphNetF32(model.dims, model.weights);
    this.antichainOnly = options.antichainOnly ?? true;
  }

  /** One greedy episode: the argmax edge at every step (method `egs`). */
  greedy(dag: Dag, options: EgsDecodeOptions = {}): ScheduleResult {
    const t0 = performance.now();
    const e = this.episode(dag, options, undefined);
    return { ...e.result, timeMs: performance.now() - t0 };
  }

  /**
   * The greedy episode and `samples − 1` episodes sampled from the policy (seeded by `seed`); the
   * result with the fewest cores, then the fewest added edges (method `egs`).
   */
  sample(dag: Dag, samples: number, seed = 0, options: EgsDecodeOptions = {}): ScheduleResult {
    if (!Number.isInteger(samples) || samples < 1)
      throw new ArbiterError('invalid-option', `egs: samples must be an integer ≥ 1, got ${samples}`);
    const t0 = performance.now();
    const rng = new Rng(seed);
    let best = this.episode(dag, options, undefined);
    for (let k = 1; k < samples; k++) {
      const e = this.episode(dag, options, rng);
      if (
        e.result.cores < best.result.cores ||
        (e.result.cores === best.result.cores && e.steps < best.steps)
      )
        best = e;
    }
    return {
      ...best.result,
      timeMs: performance.now() - t0,
      ...(samples > 1 && { note: `best of ${samples} policy episodes (1 greedy, ${samples - 1} sampled)` }),
    };
  }

  /** Beam search guided by the policy (method `egs-search`; see the file comment). */
  search(dag: Dag, options: EgsSearchOptions = {}): ScheduleResult {
    const t0 = performance.now();
    const beamWidth = positiveInt(options.beamWidth ?? 4, 'beamWidth');
    const expand = positiveInt(options.expand ?? 4, 'expand');
    const stallLimit = options.stallLimit ?? Infinity;
    const env = this.envFor(dag.n);
    const N = env.maxNodes;
    const start = env.reset({
      options: { dag, ...(options.deadline !== undefined && { deadline: options.deadline }) },
    });
    const startInfo = start.info as unknown as Partial<EgsEpisodeInfo> & { terminal?: boolean };
    if (startInfo.terminal)
      return { ...startInfo.schedule!, method: 'egs-search', timeMs: performance.now() - t0 };

    interface Node {
      actions: number[];
      logp: number;
      width: number;
      stall: number;
      done: boolean;
    }
    // Puts the env in the state after `actions` (from the start); whether that ended the episode.
    let lastObs = start.obs;
    const replay = (actions: readonly number[]): { done: boolean } => {
      let r = env.reset({
        options: { dag, ...(options.deadline !== undefined && { deadline: options.deadline }) },
      });
      let done = false;
      for (const a of actions) {
        const s = env.step(a);
        r = { obs: s.obs, info: s.info };
        done = s.terminated || s.truncated;
      }
      lastObs = r.obs;
      return { done };
    };
    // Final answers compare by width; the beam itself ranks by likelihood (standard beam search).
    const better = (a: Node, b: Node): boolean =>
      a.width < b.width ||
      (a.width === b.width &&
        (a.logp > b.logp || (a.logp === b.logp && a.actions.length < b.actions.length)));
    const likelier = (a: Node, b: Node): number => b.logp - a.logp || a.width - b.width;

    let best: Node = { actions: [], logp: 0, width: env.width, stall: 0, done: false };
    let beam: Node[] = [best];
    while (beam.some((b) => !b.done)) {
      const children: Node[] = [];
      for (const node of beam) {
        if (!node.done) node.done = replay(node.actions).done;
        if (node.done) {
          children.push(node);
          continue;
        }
        this.forward(lastObs, N);
        const mask = env.actionMasks();
        const logZ = logSumExpMasked(this.logits, mask, N * N);
        const top = topKMasked(this.logits, mask, N * N, expand);
        const state = env.state;
        for (const a of top) {
          const trial = state.clone();
          trial.addEdge(Math.floor(a / N), a % N);
          const width = trial.width().width;
          const stall = width < node.width ? 0 : node.stall + 1;
          children.push({
            actions: [...node.actions, a],
            logp: node.logp + this.logits[a]! - logZ,
            width,
            stall,
            // The real end of the episode is known after stepping; this marks the stall limit only.
            done: stall >= stallLimit,
          });
        }
      }
      children.sort(likelier);
      beam = children.slice(0, beamWidth);
      for (const c of beam) if (better(c, best)) best = c;
    }
    replay(best.actions);
    let result = env.currentResult();
    let steps = best.actions.length;
    const samples = options.samples ?? 16;
    if (samples > 0) {
      const s = this.sample(dag, samples, options.seed ?? 0, {
        ...(options.deadline !== undefined && { deadline: options.deadline }),
        ...(options.stallLimit !== undefined && { stallLimit: options.stallLimit }),
      });
      if (s.cores < result.cores || (s.cores === result.cores && s.addedEdges.length < steps)) {
        result = s;
        steps = s.addedEdges.length;
      }
    }
    return {
      ...result,
      method: 'egs-search',
      timeMs: performance.now() - t0,
      note: `beam ${beamWidth}×${expand}${samples > 0 ? ` and ${samples} policy episodes` : ''}, best width kept`,
    };
  }

  private episode(dag: Dag, options: EgsDecodeOptions, rng: Rng | undefined): Episode {
    const refresh = positiveInt(options.refresh ?? 1, 'refresh');
    const stallLimit = options.stallLimit ?? Infinity;
    const env = this.envFor(dag.n);
    const N = env.maxNodes;
    let r = env.reset({
      options: { dag, ...(options.deadline !== undefined && { deadline: options.deadline }) },
    });
    const info = r.info as unknown as Partial<EgsEpisodeInfo> & { terminal?: boolean };
    if (info.terminal) return { result: info.schedule!, steps: 0 };
    let steps = 0;
    let since = refresh;
    let stall = 0;
    for (;;) {
      if (since >= refresh) {
        this.forward(r.obs, N);
        since = 0;
      }
      const mask = env.actionMasks();
      const a = rng ? sampleMasked(this.logits, mask, N * N, rng) : argmaxMasked(this.logits, mask, N * N);
      const s = env.step(a);
      steps++;
      if (s.terminated || s.truncated)
        return { result: (s.info as unknown as EgsEpisodeInfo).schedule, steps };
      if (s.reward > 0) {
        stall = 0;
        since = refresh;
      } else {
        stall++;
        since++;
      }
      if (stall >= stallLimit) return { result: env.currentResult(), steps };
      r = { obs: s.obs, info: s.info };
    }
  }

  // Logits of every pair of `obs` into this.logits (row stride N = env.maxNodes).
  private forward(obs: GraphObservation, N: number): void {
    if (this.logits.length < N * N) this.logits = new Float32Array(N * N);
    this.net.encode({
      numNodes: obs.numNodes,
      nodeFeatures: obs.nodeFeatures,
      relations: obs.relations,
      relStride: obs.numNodes,
    });
    this.net.pairLogits(obs.numNodes, this.logits, N, 0);
  }

  // One env per node count: the action space is Discrete(n²), so any DAG size works.
  private envFor(n: number): EgsEnv {
    let env = this.envs.get(n);
    if (!env) {
      env = new EgsEnv({ maxNodes: Math.max(2, n), lowerBound: 'load', antichainOnly: this.antichainOnly });
      this.envs.set(n, env);
    }
    return env;
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new ArbiterError('invalid-option', `egs: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

function argmaxMasked(logits: Float32Array, mask: Uint8Array, len: number): number {
  let best = -1;
  let bv = -Infinity;
  for (let a = 0; a < len; a++)
    if (mask[a] && (best < 0 || logits[a]! > bv)) {
      best = a;
      bv = logits[a]!;
    }
  if (best < 0) throw new ArbiterError('empty-mask', 'egs: no allowed edge in a running episode');
  return best;
}

function logSumExpMasked(logits: Float32Array, mask: Uint8Array, len: number): number {
  let max = -Infinity;
  for (let a = 0; a < len; a++) if (mask[a] && logits[a]! > max) max = logits[a]!;
  let s = 0;
  for (let a = 0; a < len; a++) if (mask[a]) s += Math.exp(logits[a]! - max);
  return max + Math.log(s);
}

function sampleMasked(logits: Float32Array, mask: Uint8Array, len: number, rng: Rng): number {
  const lse = logSumExpMasked(logits, mask, len);
  let u = rng.random();
  let last = -1;
  for (let a = 0; a < len; a++) {
    if (!mask[a]) continue;
    last = a;
    u -= Math.exp(logits[a]! - lse);
    if (u <= 0) return a;
  }
  if (last < 0) throw new ArbiterError('empty-mask', 'egs: no allowed edge in a running episode');
  return last; // rounding left a sliver of probability
}

// The k allowed actions with the largest logits (ties: lower index first), best first.
function topKMasked(logits: Float32Array, mask: Uint8Array, len: number, k: number): number[] {
  const top: number[] = [];
  for (let a = 0; a < len; a++) {
    if (!mask[a]) continue;
    let p = top.length;
    while (p > 0 && logits[top[p - 1]!]! < logits[a]!) p--;
    if (p >= k) continue;
    top.splice(p, 0, a);
    if (top.length > k) top.pop();
  }
  return top;
}
