/**
 * What the agent of one PE knows at an event (its agent state): whether it holds a task,
 * whether the task's parents are complete, its running siblings (tasks of the same DAG job running
 * now), the tokens its task needs beside them (its siblings' uniform shares split so their paths end
 * together, see `balancedTokenFractions`), the `Slack` predicate per token bin, and the locally
 * observable system signals (its DAG's share of the active PEs, the congestion it runs under).
 * Future tasks of its DAG are known only once the scheduler has placed them (limited look-ahead);
 * until then their duration is estimated at reference (CPU) speed.
 */
import { ENVELOPE_TOKENS } from './hsoc-platform.js';
import {
  TASK_DONE,
  TASK_RESERVED,
  TASK_RUNNING,
  type HsocJob,
  type HsocSimulator,
} from './hsoc-simulator.js';
import { balancedTokenFractions } from './balanced-token-fractions.js';
import { SLACK_LEVELS, slackPeakLevel, subDeadlineSlack } from './sub-deadline-slack.js';

/** Number of token bins: requests of 0, 10, …, 100 % of the envelope. */
export const TOKEN_BINS = 11;

/** Tokens of bin a. */
export function binTokens(a: number): number {
  return (a * ENVELOPE_TOKENS) / (TOKEN_BINS - 1);
}

/**
 * The request of an agent under uniform sharing beside other active PEs (tokens). With ≥ 2 such
 * requests the proportional scaling gives each exactly its equal share; 50 rather than 90 leaves a
 * sibling room to ask for up to 1.8 uniform shares (the `Slack` peak of a critical sibling).
 */
export const UNIFORM_REQUEST = 50;

/** Half-width (tokens) of the `Slack` peak around the token need. */
export const SLACK_WIDTH = 25;

/** The agent state of one PE at the current event. */
export interface HsocAgentView {
  /** PE index. */
  pe: number;
  /** A task is placed on the PE (running or reserved). */
  taskAssigned: boolean;
  /** The PE's task has all parents complete (it is running). False when idle. */
  parentTasksCompleted: boolean;
  /** Another task of the same DAG job is running. */
  siblingTasks: boolean;
  /** Number of running siblings. */
  siblings: number;
  /** The task's job is high priority. */
  highPriorityDag: boolean;
  /**
   * Tokens the task needs: 100 alone in its DAG, else `UNIFORM_REQUEST` times its multiple of the
   * uniform share (see `balancedTokenFractions`), at most 90; 0 unless running.
   */
  idealShare: number;
  /** Time the task still needs at full power on its PE (0 unless running). */
  remainingTime: number;
  /** Estimated length of the task's longest path to its DAG's sink, after the task. */
  tail: number;
  /** Critical path L of the task's DAG (reference speed; 1 when idle). */
  criticalPath: number;
  /** (deadline − now) / L of the task's job (0 when idle). */
  deadlineSlack: number;
  /** PEs running a task now, whole SoC (as published by the power controller). */
  runningPes: number;
  /** PEs holding a task now, running or reserved by look-ahead, whole SoC (power controller). */
  assignedPes: number;
  /** PEs running a task of this PE's job. */
  ownDagRunning: number;
  /** Congestion factor c ∈ (0, 1] now. */
  congestion: number;
  /** Speed of the PE on its task's type (0 when idle). */
  speed: number;
  /** Job id and task index (−1 when idle). */
  job: number;
  task: number;
}

/** Speed assumed for a task not yet placed: the PE it is planned on, or reference speed. */
export type UnplacedSpeed = (job: HsocJob, task: number) => number;

const slackBuffer = new Float64Array(SLACK_LEVELS.length);

/** Reference (CPU, WCET) speed for unplaced tasks: the agents' limited look-ahead. */
export const REFERENCE_SPEED: UnplacedSpeed = () => 1;

/**
 * What a running task's token need beside siblings means: `balanced` — the split under which
 * the siblings' remaining paths end together (`balancedTokenFractions`); `sub-deadline` — the
 * request where the seed's sub-deadline `Slack` peaks (`subDeadlineSlack`, STOMP's levels).
 */
export type HsocTokenNeed = 'balanced' | 'sub-deadline';

/**
 * Computes, for every PE running a task, its token need beside its running siblings, its time
 * to finish at full power and its tail, into the given per-PE arrays (zeros elsewhere).
 */
export function computeShares(
  sim: HsocSimulator,
  unplacedSpeed: UnplacedSpeed,
  share: Float64Array,
  remainingTime: Float64Array,
  tail: Float64Array,
  tokenNeed: HsocTokenNeed = 'balanced',
): void {
  share.fill(0);
  remainingTime.fill(0);
  tail.fill(0);
  let runningPes = 0;
  for (let p = 0; p < sim.pes.length; p++) if (sim.isPeRunning(p)) runningPes++;
  const jobSeen = new Set<number>();
  for (let p = 0; p < sim.pes.length; p++) {
    const j = sim.peJob[p]!;
    if (j < 0 || jobSeen.has(j)) continue;
    jobSeen.add(j);
    const job = sim.jobs[j]!;
    const dag = job.dag;
    // Tails (longest path after each task), sinks first.
    const tails = new Float64Array(dag.n);
    for (let i = dag.n - 1; i >= 0; i--) {
      const v = dag.topoOrder[i]!;
      let t = 0;
      for (const w of dag.succ[v]!) t = Math.max(t, durationOf(sim, job, w, unplacedSpeed) + tails[w]!);
      tails[v] = t;
    }
    const pes: number[] = [];
    for (let v = 0; v < dag.n; v++) if (job.state[v] === TASK_RUNNING) pes.push(job.pe[v]!);
    const r = pes.map((q) => durationOf(sim, job, sim.peTask[q]!, unplacedSpeed));
    const tl = pes.map((q) => tails[sim.peTask[q]!]!);
    const out = new Float64Array(pes.length);
    if (tokenNeed === 'balanced') balancedTokenFractions(r, tl, sim.alpha, runningPes, out);
    pes.forEach((q, k) => {
      // Alone in its DAG: all it can get; beside siblings: its multiple of the uniform request,
      // or where the sub-deadline Slack peaks.
      if (pes.length === 1) share[q] = ENVELOPE_TOKENS;
      else if (tokenNeed === 'balanced') share[q] = Math.min(90, UNIFORM_REQUEST * out[k]!);
      else {
        subDeadlineSlack(sim, q, slackBuffer);
        share[q] = slackPeakLevel(slackBuffer);
      }
      remainingTime[q] = r[k]!;
      tail[q] = tl[k]!;
    });
    for (let v = 0; v < dag.n; v++) if (job.state[v] === TASK_RESERVED) tail[job.pe[v]!] = tails[v]!;
  }
}

/** Time task v still needs at full power: on its PE if placed, else at the assumed speed. */
function durationOf(sim: HsocSimulator, job: HsocJob, v: number, unplacedSpeed: UnplacedSpeed): number {
  const s = job.state[v]!;
  if (s === TASK_DONE) return 0;
  const p = job.pe[v]!;
  const speed = p >= 0 ? sim.speedOf(job, v, p) : unplacedSpeed(job, v);
  return job.remaining[v]! / speed;
}

/** `Slack` of bin a for a running agent whose token need is `share` tokens (triangular peak). */
export function slackOf(a: number, share: number): number {
  return Math.max(0, 1 - Math.abs(binTokens(a) - share) / SLACK_WIDTH);
}

/**
 * The view of PE p, given the per-PE arrays of {@link computeShares} (computed for this event).
 */
export function agentView(
  sim: HsocSimulator,
  p: number,
  share: Float64Array,
  remainingTime: Float64Array,
  tail: Float64Array,
): HsocAgentView {
  const j = sim.peJob[p]!;
  let runningPes = 0;
  let assignedPes = 0;
  let own = 0;
  for (let q = 0; q < sim.pes.length; q++) {
    const jq = sim.peJob[q]!;
    if (jq >= 0) assignedPes++;
    if (jq < 0 || sim.jobs[jq]!.state[sim.peTask[q]!] !== TASK_RUNNING) continue;
    runningPes++;
    if (jq === j) own++;
  }
  if (j < 0)
    return {
      pe: p,
      taskAssigned: false,
      parentTasksCompleted: false,
      siblingTasks: false,
      siblings: 0,
      highPriorityDag: false,
      idealShare: 0,
      remainingTime: 0,
      tail: 0,
      criticalPath: 1,
      deadlineSlack: 0,
      runningPes,
      assignedPes,
      ownDagRunning: 0,
      congestion: sim.congestionFactor(),
      speed: 0,
      job: -1,
      task: -1,
    };
  const job = sim.jobs[j]!;
  const v = sim.peTask[p]!;
  const running = job.state[v] === TASK_RUNNING;
  const siblings = running ? own - 1 : own;
  return {
    pe: p,
    taskAssigned: true,
    parentTasksCompleted: running,
    siblingTasks: siblings > 0,
    siblings,
    highPriorityDag: job.highPriority,
    idealShare: running ? share[p]! : 0,
    remainingTime: running ? remainingTime[p]! : 0,
    tail: tail[p]!,
    criticalPath: job.criticalPath,
    deadlineSlack: (job.deadline - sim.time) / job.criticalPath,
    runningPes,
    assignedPes,
    ownDagRunning: own,
    congestion: sim.congestionFactor(),
    speed: sim.speedOf(job, v, p),
    job: j,
    task: v,
  };
}
