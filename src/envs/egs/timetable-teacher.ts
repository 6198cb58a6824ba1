/**
 * Any checked static timetable as an EGS teacher. A timetable on m cores orders the nodes of each
 * core, so it is a chain cover of G' = G + (per-core consecutive pairs): W(G') ≤ m, and every path
 * of G' runs in time order, so L(G') ≤ makespan ≤ D. The teacher steers an `EGS-v0` episode
 * towards G': at every step it takes an edge the env's mask allows that G' already implies.
 *
 * Why such an edge always exists while W(G_t) > W(G'): G_t ⊆ closure(G'), so a maximum antichain
 * A of G_t larger than W(G') is no antichain of G' and holds a pair i <' j; i, j are incomparable
 * in G_t and `EFT_t(i) ≤ EFT'(i) ≤ LST'(j) ≤ LST_t(j)`, so the edge is valid, and both ends lie in
 * A (critical, and in the one antichain `antichainOnly` uses). Every step therefore passes the
 * mask, the width reaches W(G') ≤ m, and the env's own chain schedule meets D. After that the
 * teacher may hand over to the greedy expert, which can only lower the width further.
 *
 * The argument holds for every allowed edge G' implies, not only the one taken: each step also
 * records that set ({@link EgsDemonstrationStep.targets}), the labels of set-valued cloning.
 */
import { ArbiterError } from '../../core/errors.js';
import { withEdges } from '../../dag/build-dag.js';
import type { Dag } from '../../dag/dag-task.js';
import { EdgeGenerationState } from '../../dag/edge-generation/edge-generation-state.js';
import { WidthDropProbe } from '../../dag/edge-generation/width-drop-probe.js';
import { transitiveClosure } from '../../dag/analysis/transitive-closure.js';
import { checkSchedule } from '../../dag/schedule/check-schedule.js';
import type { ScheduleResult } from '../../dag/schedule/schedule-result.js';
import { timeLeq } from '../../dag/time-tolerance.js';
import { egsEpisodeEnded, type EgsEnv } from './egs-env.js';
import { egsScheduleResult } from './egs-schedule-result.js';
import { egsExpertLabel, type EgsDemonstration, type EgsDemonstrationStep } from './egs-expert.js';

/**
 * The node indices of each core of a checked timetable, in time order. Zero-WCET nodes (which the
 * checker lets share a core with a running node) go into a gap of their own core at their start
 * time, else of any core, else into no chain (they then stay unordered; rare).
 */
export function timetableChains(dag: Dag, timetable: ScheduleResult): number[][] {
  const start = new Float64Array(dag.n);
  const finish = new Float64Array(dag.n);
  const core = new Int32Array(dag.n);
  for (const s of timetable.schedule) {
    const v = dag.indexOf.get(String(s.node))!;
    start[v] = s.start;
    finish[v] = s.finish;
    core[v] = s.core;
  }
  const chains: number[][] = Array.from({ length: timetable.cores }, () => []);
  const zeros: number[] = [];
  for (let v = 0; v < dag.n; v++) (dag.wcet[v]! > 0 ? chains[core[v]!]! : zeros).push(v);
  for (const c of chains) c.sort((a, b) => start[a]! - start[b]! || a - b);
  // Zero nodes in time order, then topologically (start equal ⇒ a DAG edge orders them).
  const topo = new Int32Array(dag.n);
  dag.topoOrder.forEach((v, k) => (topo[v] = k));
  zeros.sort((a, b) => start[a]! - start[b]! || topo[a]! - topo[b]!);
  const horizon = Math.max(timetable.makespan, timetable.deadline);
  const fits = (chain: number[], t: number): number => {
    let p = 0;
    while (p < chain.length && timeLeq(finish[chain[p]!]!, t, horizon)) p++;
    return p === chain.length || timeLeq(t, start[chain[p]!]!, horizon) ? p : -1;
  };
  for (const z of zeros) {
    const order = [core[z]!, ...chains.keys()];
    for (const k of order) {
      const p = fits(chains[k]!, start[z]!);
      if (p >= 0) {
        chains[k]!.splice(p, 0, z);
        break;
      }
    }
  }
  return chains.filter((c) => c.length > 0);
}

/**
 * G' of a checked, feasible timetable: `dag` plus the per-core consecutive pairs that G does not
 * imply, as an {@link EdgeGenerationState} whose `added` are those pairs (its `reach` is the
 * closure of G'). Throws
 * `bad-timetable` when the timetable fails the shared checker or misses D.
 */
export function timetableTarget(
  dag: Dag,
  timetable: ScheduleResult,
  deadline = timetable.deadline,
): EdgeGenerationState {
  const check = checkSchedule(dag, timetable);
  if (!check.ok || !timetable.feasible)
    throw new ArbiterError(
      'bad-timetable',
      `timetable teacher: the ${timetable.method} timetable of '${dag.name}' is not a feasible checked schedule` +
        (check.ok ? '' : ` (${check.violations[0]})`),
    );
  const reach = transitiveClosure(dag);
  const extra: [number, number][] = [];
  for (const chain of timetableChains(dag, timetable))
    for (let k = 0; k + 1 < chain.length; k++)
      if (!reach.has(chain[k]!, chain[k + 1]!)) extra.push([chain[k]!, chain[k + 1]!]);
  // One closure and one timing pass over G' (edge by edge costs a timing pass per edge), as the
  // state of the original task with those edges added.
  const target = new EdgeGenerationState(
    dag,
    deadline,
    new EdgeGenerationState(withEdges(dag, extra), deadline),
  );
  target.added.push(...extra);
  return target;
}

/**
 * A checked timetable as an edge-generation answer: G' ({@link timetableTarget}), scheduled as the
 * env schedules an episode's end (one core per chain, each node at its EST in G'; the chains are
 * the timetable's cores, or a minimum chain cover of G' when a zero-WCET node fits no core's gap),
 * so it needs at most the timetable's cores and finishes by its makespan. Also
 * returns the state of G', from which edge generation can go on.
 */
export function timetableAsEgsResult(
  dag: Dag,
  timetable: ScheduleResult,
  lowerBound: number,
  deadline = timetable.deadline,
): { state: EdgeGenerationState; result: ScheduleResult } {
  const state = timetableTarget(dag, timetable, deadline);
  // The timetable's own chains cover G' when they hold every node (no matching needed).
  const chains = timetableChains(dag, timetable);
  const covered = chains.reduce((k, c) => k + c.length, 0) === dag.n;
  return { state, result: egsScheduleResult(state, covered ? chains : state.width().chains, lowerBound, 0) };
}

/** Options of {@link timetableTeacherEpisode}. */
export interface TimetableTeacherOptions {
  /** Deadline D of the episode (default: the timetable's). */
  deadline?: number;
  /** Once W(G') is reached, let the greedy expert go on lowering W (default true). */
  continueWithExpert?: boolean;
  /** Implied edges (by most slack) tried per step for an immediate width drop (default 24). */
  lookahead?: number;
  /** Record the greedy expert's accepted sets on its steps too (`egsExpertLabel`; default false). */
  expertTargets?: boolean;
}

/**
 * One `EGS-v0` episode of `env` on `dag` steered towards the G' of `timetable` (see the module
 * comment), recorded as a demonstration (the observation, the env's mask and the action of every
 * step). Among the allowed edges that G' implies it takes one that lowers W right away (of the
 * `lookahead` with most slack), else the one with most slack.
 */
export function timetableTeacherEpisode(
  env: EgsEnv,
  dag: Dag,
  timetable: ScheduleResult,
  options: TimetableTeacherOptions = {},
): EgsDemonstration {
  const deadline = options.deadline ?? timetable.deadline;
  const target = timetableTarget(dag, timetable, deadline);
  const lookahead = options.lookahead ?? 24;
  const probe = new WidthDropProbe();
  const steps: EgsDemonstrationStep[] = [];
  let r = env.reset({ options: { dag, deadline } });
  let info = r.info;
  let following = true;
  while (!info.terminal && !egsEpisodeEnded(info)) {
    const implied = following ? impliedAction(env, target, probe, lookahead) : undefined;
    let action = implied?.action ?? -1;
    let expert: { action: number; targets?: Int32Array } | undefined;
    if (action < 0) {
      following = false;
      if (options.continueWithExpert === false) break;
      expert = egsExpertLabel(env, { lookahead }, options.expertTargets);
      action = expert.action;
      if (action < 0) break;
    }
    const mask = env.actionMasks();
    const s = env.step(action);
    const targets = implied && implied.action >= 0 ? implied.targets : expert?.targets;
    steps.push({ obs: r.obs, mask, action, reward: s.reward, ...(targets && { targets }) });
    r = { obs: s.obs, info: s.info };
    info = s.info;
  }
  const schedule = egsEpisodeEnded(info) ? info.schedule : env.currentResult();
  return {
    steps,
    cores: schedule.cores,
    info: egsEpisodeEnded(info)
      ? info
      : {
          width: env.width,
          lowerBound: env.lowerBound,
          addedEdges: schedule.addedEdges,
          cores: schedule.cores,
          schedule,
        },
  };
}

/**
 * A teacher whose choice is a function of the env's state, so it can label states the learner
 * visits (DAgger): it keeps a target G' and steers towards it ({@link timetableTeacherEpisode}),
 * and whenever the state has left G' (an added edge G' does not imply) it plans again: the
 * fewer-core list schedule of G_t itself (`plan`, e.g. `listTimetables`), whose G' contains G_t.
 * Once W(G_t) ≤ W(G') it answers like the greedy expert.
 */
export class ReplanningTeacher {
  private target: EdgeGenerationState | undefined;
  private base: Dag | undefined;
  private readonly probe = new WidthDropProbe();

  /**
   * @param plan - a checked, feasible timetable of the given DAG (G_t as a DAG) at `deadline`
   * @param lookahead - implied edges (by most slack) tried per step for a width drop (default 24)
   * @param expertTargets - {@link ReplanningTeacher.label} gives the greedy expert's accepted sets
   *   too, where it answers (default false: no set there)
   */
  constructor(
    private readonly plan: (dagT: Dag, deadline: number) => ScheduleResult,
    private readonly lookahead = 24,
    private readonly expertTargets = false,
  ) {}

  /** Forgets the target (call at each reset). */
  reset(): void {
    this.target = undefined;
    this.base = undefined;
  }

  /** The teacher's action in `env`'s current state, or −1 when no action is allowed. */
  action(env: EgsEnv): number {
    return this.label(env).action;
  }

  /**
   * {@link ReplanningTeacher.action} with the set of actions the teacher accepts in this state:
   * every allowed edge its target implies (ascending, the action among them), or where the
   * greedy expert answered, its width-lowering candidates when `expertTargets` (see `egsExpertLabel`).
   */
  label(env: EgsEnv): { action: number; targets?: Int32Array } {
    const state = env.state;
    const left = (): boolean => !state.added.every(([a, b]) => this.target!.reach.has(a, b));
    if (!this.target || this.base !== state.dag || left()) {
      const dagT = state.added.length > 0 ? withEdges(state.dag, state.added) : state.dag;
      this.target = timetableTarget(dagT, this.plan(dagT, state.deadline), state.deadline);
      this.base = state.dag;
    }
    const implied = impliedAction(env, this.target, this.probe, this.lookahead);
    return implied.action >= 0
      ? implied
      : egsExpertLabel(env, { lookahead: this.lookahead }, this.expertTargets);
  }
}

// An allowed action that the target implies (see timetableTeacherEpisode), or −1, with every such
// action (ascending; the labels of set-valued cloning).
function impliedAction(
  env: EgsEnv,
  target: EdgeGenerationState,
  probe: WidthDropProbe,
  lookahead: number,
): { action: number; targets: Int32Array } {
  const N = env.maxNodes;
  const cand = impliedCandidates(env, target);
  if (cand.length === 0) return { action: -1, targets: new Int32Array(0) };
  const targets = Int32Array.from(cand, (c) => c.a);
  cand.sort((x, y) => y.slack - x.slack || x.a - y.a);
  probe.load(env.state);
  for (const c of cand.slice(0, lookahead))
    if (probe.lowers(Math.floor(c.a / N), c.a % N)) return { action: c.a, targets };
  return { action: cand[0]!.a, targets };
}

// The allowed implied actions with their slack, in action order.
function impliedCandidates(env: EgsEnv, target: EdgeGenerationState): { a: number; slack: number }[] {
  const N = env.maxNodes;
  const mask = env.actionMasks();
  const state = env.state;
  const n = state.dag.n;
  const cand: { a: number; slack: number }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (mask[i * N + j] && target.reach.has(i, j))
        cand.push({ a: i * N + j, slack: state.lst[j]! - state.eft[i]! });
  return cand;
}
