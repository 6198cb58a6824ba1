/**
 * LNN rule policy: three learnable weighted Łukasiewicz conjunctions, one per action
 * class — `NeedTokens_0` (bin 0), `NeedTokens_x` (bins 1 … 9) and `NeedTokens_100` (bin 10) — over
 * the agent's predicates and their negations (an {@link LnnRuleLayer}). The real-valued `Slack`
 * predicate is evaluated per bin (a family of activation curves peaking at the task's token need),
 * so the score of bin a is the truth of its class's rule with `Slack = Slack(a)`. The policy is
 * `softmax(τ · score)` over the allowed bins; greedy evaluation takes the best allowed bin (ties:
 * the larger request). Trained with REINFORCE ({@link trainLnnRulePolicy} in
 * `src/agents/lnn-rule-reinforce.ts`).
 */
import { LnnRuleLayer, type LnnRuleLayerJson } from '../../../logic/lnn-rule-layer.js';
import type { ExtractedRule } from '../../../logic/rule-text.js';
import { TOKEN_BINS, UNIFORM_REQUEST, slackOf, type HsocAgentView } from '../hsoc-agent-view.js';
import type { HsocEnv } from '../hsoc-env.js';
import type { HsocPolicy } from './hsoc-policy.js';

/** Predicates of the rules, in input order (`Slack` is set per bin). */
export const HSOC_PREDICATES = [
  'TaskAssigned',
  'ParentTasksCompleted',
  'SiblingTasks',
  'Slack',
  'FairShare',
  'HighPriorityDAG',
  'PlentyOfTokens',
] as const;

/** Heads: the three action classes. */
export const HSOC_HEADS = ['NeedTokens_0', 'NeedTokens_x', 'NeedTokens_100'] as const;

const SLACK = HSOC_PREDICATES.indexOf('Slack');
const FAIR = HSOC_PREDICATES.indexOf('FairShare');

/**
 * `FairShare` of bin a: the second activation curve of the family, peaking at the request of
 * uniform sharing among the running PEs (`UNIFORM_REQUEST` beside others, 100 % alone), same
 * width as `Slack`.
 */
export function fairShareOf(a: number, v: HsocAgentView): number {
  return v.parentTasksCompleted ? slackOf(a, v.runningPes <= 1 ? 100 : UNIFORM_REQUEST) : 0;
}

/** Writes the bin-dependent predicates (`Slack`, `FairShare`) of bin a into `truths`. */
export function setBinPredicates(truths: Float64Array, a: number, slack: number, fair: number): void {
  truths[SLACK] = slack;
  truths[FAIR] = fair;
}

/** Head of bin a. */
export function headOfBin(a: number): number {
  return a === 0 ? 0 : a === TOKEN_BINS - 1 ? 2 : 1;
}

/** Writes the predicate truths of a view (the bin-dependent ones left at 0) into `out`. */
export function predicateTruths(v: HsocAgentView, out: Float64Array): void {
  out[0] = +v.taskAssigned;
  out[1] = +v.parentTasksCompleted;
  out[2] = +v.siblingTasks;
  out[3] = 0;
  out[4] = 0;
  out[5] = +v.highPriorityDag;
  out[6] = v.runningPes > 0 ? v.ownDagRunning / v.runningPes : 1;
}

/** See the module comment. */
export class LnnRulePolicy implements HsocPolicy {
  /** Table name. */
  readonly name: string;
  /** The learned rules. */
  readonly layer: LnnRuleLayer;
  /** Inverse temperature τ of the softmax. */
  readonly tau: number;
  private readonly truths = new Float64Array(HSOC_PREDICATES.length);
  private readonly heads = new Float64Array(HSOC_HEADS.length);
  /** Score of each bin at the last {@link scores} call. */
  readonly score = new Float64Array(TOKEN_BINS);

  constructor(layer?: LnnRuleLayer, options: { tau?: number; seed?: number; name?: string } = {}) {
    this.layer =
      layer ?? new LnnRuleLayer({ predicates: HSOC_PREDICATES, heads: HSOC_HEADS, seed: options.seed ?? 0 });
    this.tau = options.tau ?? 8;
    this.name = options.name ?? 'lnn-rules';
  }

  /** Fills {@link score} for a view: the truth of each bin's rule (allocation-free). */
  scores(v: HsocAgentView): Float64Array {
    predicateTruths(v, this.truths);
    for (let a = 0; a < TOKEN_BINS; a++) {
      setBinPredicates(
        this.truths,
        a,
        v.parentTasksCompleted ? slackOf(a, v.idealShare) : 0,
        fairShareOf(a, v),
      );
      this.layer.forward(this.truths, this.heads);
      this.score[a] = this.heads[headOfBin(a)]!;
    }
    return this.score;
  }

  /** Greedy action: the best allowed bin (ties: the larger request). */
  act(env: HsocEnv, agent: number, _obs: Float32Array, mask: Uint8Array): number {
    const s = this.scores(env.view(agent));
    let best = -1;
    for (let a = 0; a < TOKEN_BINS; a++) if (mask[a] && (best < 0 || s[a]! >= s[best]!)) best = a;
    return best;
  }

  /** The rules read out with the weight threshold 0.1. */
  rules(): ExtractedRule[] {
    return this.layer.rules();
  }

  /** Serialisable state. */
  toJSON(): { tau: number; layer: LnnRuleLayerJson } {
    return { tau: this.tau, layer: this.layer.toJSON() };
  }

  /** Restores a policy from {@link toJSON}. */
  static fromJSON(json: { tau: number; layer: LnnRuleLayerJson }): LnnRulePolicy {
    return new LnnRulePolicy(LnnRuleLayer.fromJSON(json.layer), { tau: json.tau });
  }
}
