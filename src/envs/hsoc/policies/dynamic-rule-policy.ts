/**
 * Dynamic rules (the seed's phase 2): each agent keeps partial, stale observations of the
 * system, turns them into probability bounds on the predicates of the seed's LightLoad knowledge
 * base (`examples/logic/light-load.json`), asks the PLNN for the bounds of `LightLoad` (and
 * `LowCongestion`), and uses uniform sharing when light load is predicted (lower bound ≥ θ), the
 * learned LNN rules otherwise.
 *
 * Observations, per agent, only at its own decisions while it runs a task:
 * - `PlentyOfTokens`: its DAG's share of the active PEs (published by the power controller), mean
 *   of its last 4 readings;
 * - `EarlyCompletion`: which tasks of its DAG (its own and its siblings', exchanged within the DAG)
 *   finished within their WCET, last 6 finishes seen;
 * - `OtherDagMemoryIntense`: the interconnect slowdown it runs under, as a share of 3 congesting tasks;
 * - `HighPriorityDAG`: its job's priority (known); `HighPerformanceMode`: off (the KB's fact).
 * Each bound is widened by ±(0.5 / √(n + 1) + 0.2 · min(1, age / L)): few readings and stale
 * readings (an agent that was idle) give loose bounds. Inference results are memoised on the
 * bounds rounded to 0.05.
 */
import { buildLogicGraph } from '../../../logic/build-logic-graph.js';
import { boundsOf, infer } from '../../../logic/infer.js';
import type { BoundsSpec, KnowledgeBaseSpec } from '../../../logic/knowledge-base-spec.js';
import { TASK_DONE, TASK_READY, type HsocSimulator } from '../hsoc-simulator.js';
import type { HsocEnv } from '../hsoc-env.js';
import type { HsocPolicy } from './hsoc-policy.js';
import type { LnnRulePolicy } from './lnn-rule-policy.js';
import { UniformPolicy } from './uniform-policy.js';
import { mean } from '../../../core/statistics.js';

/** PLNN bounds an agent predicted at its last decision. */
export interface LoadBelief {
  /** Bounds of LightLoad. */
  lightLoad: [number, number];
  /** Bounds of LowCongestion. */
  lowCongestion: [number, number];
}

interface AgentMemory {
  share: number[];
  shareTime: number;
  early: number[];
  earlyTime: number;
  seen: Set<string>;
  memory: number;
  memoryTime: number;
  belief: LoadBelief | undefined;
}

/** See the module comment. */
export class DynamicRulePolicy implements HsocPolicy {
  /** Table name. */
  readonly name = 'dynamic-rules';
  // Only running agents consult the PLNN; waiting ones follow the rules (NeedTokens_0).
  private readonly uniform = new UniformPolicy({ readinessAware: true });
  private memories: AgentMemory[] = [];
  private readonly cache = new Map<string, LoadBelief>();
  /** Decisions of running agents that used uniform sharing (since construction). */
  uniformDecisions = 0;
  /** All decisions of running agents (since construction). */
  runningDecisions = 0;
  /** Uniform decisions whose bin differs from what the LNN rules would have asked (since construction). */
  changedDecisions = 0;
  /**
   * Running decisions by (inferred, true) light load, the truth from full observation
   * ({@link trueLightLoad}), since construction.
   */
  readonly confusion = { lightLight: 0, lightBusy: 0, busyLight: 0, busyBusy: 0 };

  /**
   * @param rules - the learned LNN rules used when light load is not predicted
   * @param knowledgeBase - the seed's LightLoad PLNN knowledge base (JSON spec)
   * @param threshold - θ: light load is predicted when LightLoad's lower bound ≥ θ. Default 0.5.
   */
  constructor(
    readonly rules: LnnRulePolicy,
    private readonly knowledgeBase: KnowledgeBaseSpec,
    readonly threshold = 0.5,
  ) {}

  /** Clears every agent's memory for a new episode. */
  reset(env: HsocEnv): void {
    this.memories = env.possibleAgents.map(() => ({
      share: [],
      shareTime: -Infinity,
      early: [],
      earlyTime: -Infinity,
      seen: new Set<string>(),
      memory: 0,
      memoryTime: -Infinity,
      belief: undefined,
    }));
  }

  /** The belief of agent p at its last decision (undefined before it ran a task). */
  belief(p: number): LoadBelief | undefined {
    return this.memories[p]?.belief;
  }

  /** Updates the agent's observations, infers LightLoad, and applies uniform or the LNN rules. */
  act(env: HsocEnv, agent: number, obs: Float32Array, mask: Uint8Array): number {
    const v = env.view(agent);
    if (!v.parentTasksCompleted) return this.rules.act(env, agent, obs, mask);
    const mem = this.memories[agent]!;
    const sim = env.sim;
    const now = sim.time;
    const L = v.criticalPath;
    // Fresh local readings.
    mem.share.push(v.runningPes > 0 ? v.ownDagRunning / v.runningPes : 1);
    if (mem.share.length > 4) mem.share.shift();
    mem.shareTime = now;
    const job = sim.jobs[v.job]!;
    for (let u = 0; u < job.dag.n; u++) {
      const key = `${job.id}:${u}`;
      if (job.state[u] !== TASK_DONE || mem.seen.has(key)) continue;
      mem.seen.add(key);
      mem.early.push(job.finish[u]! - job.start[u]! <= job.dag.wcet[u]! + 1e-9 ? 1 : 0);
      if (mem.early.length > 6) mem.early.shift();
      mem.earlyTime = now;
    }
    mem.memory = Math.min(1, (1 / v.congestion - 1) / sim.congestionGamma / 3);
    mem.memoryTime = now;
    const belief = this.infer(mem, v.highPriorityDag, now, L);
    mem.belief = belief;
    this.runningDecisions++;
    const inferred = belief.lightLoad[0] >= this.threshold;
    const truth = trueLightLoad(sim);
    if (inferred) {
      if (truth) this.confusion.lightLight++;
      else this.confusion.lightBusy++;
    } else if (truth) this.confusion.busyLight++;
    else this.confusion.busyBusy++;
    if (inferred) {
      this.uniformDecisions++;
      const a = this.uniform.act(env, agent);
      if (a !== this.rules.act(env, agent, obs, mask)) this.changedDecisions++;
      return a;
    }
    return this.rules.act(env, agent, obs, mask);
  }

  private infer(mem: AgentMemory, highPriority: boolean, now: number, L: number): LoadBelief {
    const bound = (values: number[], time: number): [number, number] => {
      if (values.length === 0) return [0, 1];
      const m = mean(values);
      const w = 0.5 / Math.sqrt(values.length + 1) + 0.2 * Math.min(1, (now - time) / L);
      return [round(Math.max(0, m - w)), round(Math.min(1, m + w))];
    };
    const facts: Record<string, BoundsSpec> = {
      ...this.knowledgeBase.facts,
      PlentyOfTokens: bound(mem.share, mem.shareTime),
      EarlyCompletion: bound(mem.early, mem.earlyTime),
      OtherDagMemoryIntense: bound([mem.memory], mem.memoryTime),
      HighPriorityDAG: highPriority ? [0.9, 1] : [0, 0.1],
    };
    const key = JSON.stringify([
      facts['PlentyOfTokens'],
      facts['EarlyCompletion'],
      facts['OtherDagMemoryIntense'],
      highPriority,
    ]);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = infer(buildLogicGraph({ ...this.knowledgeBase, facts }), { log: false });
    const ll = boundsOf(result, 'LightLoad');
    const lc = boundsOf(result, 'LowCongestion');
    const belief: LoadBelief = { lightLoad: [ll.lower, ll.upper], lowCongestion: [lc.lower, lc.upper] };
    this.cache.set(key, belief);
    return belief;
  }
}

/**
 * The SoC's true light-load state, from full observation: no ready task waits for a PE, and at
 * most half of the available PEs hold a task (running or reserved).
 */
export function trueLightLoad(sim: HsocSimulator): boolean {
  let holding = 0;
  let available = 0;
  for (let p = 0; p < sim.pes.length; p++) {
    if (!sim.available[p]) continue;
    available++;
    if (sim.peJob[p]! >= 0) holding++;
  }
  if (2 * holding > available) return false;
  for (let j = 0; j < sim.arrived; j++) {
    const job = sim.jobs[j]!;
    if (job.done === job.dag.n) continue;
    for (let v = 0; v < job.dag.n; v++) if (job.state[v] === TASK_READY) return false;
  }
  return true;
}

function round(x: number): number {
  return Math.round(x * 20) / 20;
}
