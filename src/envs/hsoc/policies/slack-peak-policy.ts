/**
 * The seed's power-sharing rules with its `Slack` predicate read literally (STOMP's
 * power-management agent): 0 % while the task waits for its parents or the PE is idle, 100 % when
 * the task runs alone in its DAG, and beside running siblings the request where the sub-deadline
 * `Slack` peaks (rounded to the nearest token bin, 10 … 90 %).
 */
import { TOKEN_BINS } from '../hsoc-agent-view.js';
import type { HsocEnv } from '../hsoc-env.js';
import { SLACK_LEVELS, slackPeakLevel, subDeadlineSlack } from '../sub-deadline-slack.js';
import type { HsocPolicy } from './hsoc-policy.js';

/** See the module comment. */
export class SlackPeakPolicy implements HsocPolicy {
  /** Table name. */
  readonly name = 'slack-peak';
  private readonly slack = new Float64Array(SLACK_LEVELS.length);

  /** 0 unless running; 100 % alone; else the bin of the `Slack` peak, within the mask. */
  act(env: HsocEnv, agent: number, _obs: Float32Array, mask: Uint8Array): number {
    const v = env.view(agent);
    if (!v.parentTasksCompleted) return 0;
    let a = TOKEN_BINS - 1;
    if (subDeadlineSlack(env.sim, agent, this.slack))
      a = Math.max(
        1,
        Math.min(TOKEN_BINS - 2, Math.round((slackPeakLevel(this.slack) * (TOKEN_BINS - 1)) / 100)),
      );
    while (a > 0 && !mask[a]) a--;
    return a;
  }
}
