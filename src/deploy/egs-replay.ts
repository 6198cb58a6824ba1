/**
 * An EGS policy's greedy episode recorded step by step, for a person to follow: at each step the
 * edge the policy added (with its probability), the width before and after, how many edges the
 * mask allowed (and, on request, the allowed edges themselves), and the policy's likeliest allowed
 * edges. The episode runs through the `EGS-v0` env, one `step` per edge, exactly as the
 * scheduler's reference path does, so it ends at the same width as its greedy decoding without the
 * list-schedule seed (`heuristicSeed: false`; method `egs` answers with the seed when it is better).
 */
import { argmaxAmong } from '../core/masked-argmax.js';
import type { GraphObservation } from '../core/spaces.js';
import type { Dag, NodeId } from '../dag/dag-task.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { EgsEnv, egsEpisodeEnded, type EgsInfo } from '../envs/egs/egs-env.js';
import type { EgsPolicyScheduler } from './egs-policy-scheduler.js';

/** One of the policy's candidate edges at a step. */
export interface EgsReplayCandidate {
  /** Source node (user id): it runs before `to` on the same core. */
  from: NodeId;
  /** Target node (user id). */
  to: NodeId;
  /** The policy's probability of the edge among the allowed ones. */
  probability: number;
}

/** One step of a replayed episode. */
export interface EgsReplayStep {
  /** The edge added, with the policy's probability of it. */
  edge: EgsReplayCandidate;
  /** Width W(G_t) before the edge. */
  widthBefore: number;
  /** Width after the edge. */
  widthAfter: number;
  /** Number of edges the mask allowed at this step. */
  allowed: number;
  /** The likeliest allowed edges, most likely first (the added edge is the first: greedy). */
  top: EgsReplayCandidate[];
  /**
   * The mask itself, with {@link EgsReplayOptions.masks}: every allowed edge as `i · n + j` for
   * node indices i → j (n = node count), ascending.
   */
  mask?: number[];
}

/** A replayed greedy episode of an EGS policy on one task. */
export interface EgsReplay {
  /** Task name. */
  name: string;
  /** Node count. */
  nodes: number;
  /** Deadline the episode worked with. */
  deadline: number;
  /** The episode's lower bound on cores. */
  lowerBound: number;
  /** Width of the task itself, W(G_0). */
  initialWidth: number;
  /** Width at the end = cores of the result. */
  finalWidth: number;
  /** Every step, in order (empty when the task needed no decision). */
  steps: EgsReplayStep[];
  /** The `egs` result of the episode (its timetable is checkable against the task). */
  result: ScheduleResult;
}

/** Options of {@link replayEgsPolicy}. */
export interface EgsReplayOptions {
  /** Deadline D (default the task's). */
  deadline?: number;
  /** Candidates listed per step (default 5). */
  topK?: number;
  /** Record each step's allowed edges (`EgsReplayStep.mask`). Default false. */
  masks?: boolean;
}

/**
 * Runs the scheduler's policy greedily on `dag` through the `EGS-v0` env (the network on every
 * step, the argmax allowed edge taken) and records each step; see {@link EgsReplay}. Errors as the
 * env's reset (`DeadlineInfeasibleError` when L > D, a missing deadline).
 */
export function replayEgsPolicy(
  dag: Dag,
  scheduler: EgsPolicyScheduler,
  options: EgsReplayOptions = {},
): EgsReplay {
  const topK = Math.max(1, Math.floor(options.topK ?? 5));
  const env = new EgsEnv({
    maxNodes: Math.max(2, dag.n),
    antichainOnly: scheduler.antichainOnly,
    features: scheduler.features,
  });
  const N = env.maxNodes;
  const logits = new Float32Array(N * N);
  const start = env.reset({
    options: { dag, ...(options.deadline !== undefined && { deadline: options.deadline }) },
  });
  const initialWidth = start.info.width;
  const steps: EgsReplayStep[] = [];
  let obs = start.obs as GraphObservation;
  let info: EgsInfo = start.info;
  const edgeOf = (a: number, probability: number): EgsReplayCandidate => ({
    from: dag.ids[Math.floor(a / N)]!,
    to: dag.ids[a % N]!,
    probability,
  });
  while (!egsEpisodeEnded(info)) {
    scheduler.net.encode({
      numNodes: obs.numNodes,
      nodeFeatures: obs.nodeFeatures,
      relations: obs.relations,
    });
    scheduler.net.pairLogits(obs.numNodes, logits, N, 0);
    const mask = env.actionMasks();
    const allowed: number[] = [];
    for (let a = 0; a < N * N; a++) if (mask[a]) allowed.push(a);
    const a = argmaxAmong(logits, allowed);
    // Probabilities among the allowed edges (a softmax shifted by the largest logit).
    const zMax = logits[a]!;
    let sum = 0;
    for (const b of allowed) sum += Math.exp(logits[b]! - zMax);
    const p = (b: number): number => Math.exp(logits[b]! - zMax) / sum;
    const top = [...allowed]
      .sort((x, y) => logits[y]! - logits[x]! || x - y)
      .slice(0, topK)
      .map((b) => edgeOf(b, p(b)));
    const widthBefore = info.width;
    const s = env.step(a);
    steps.push({
      edge: edgeOf(a, p(a)),
      widthBefore,
      widthAfter: s.info.width,
      allowed: allowed.length,
      top,
      ...(options.masks === true && {
        mask: allowed.map((b) => Math.floor(b / N) * dag.n + (b % N)),
      }),
    });
    obs = s.obs as GraphObservation;
    info = s.info;
  }
  return {
    name: dag.name,
    nodes: dag.n,
    deadline: info.schedule.deadline,
    lowerBound: info.lowerBound,
    initialWidth,
    finalWidth: info.width,
    steps,
    result: info.schedule,
  };
}
