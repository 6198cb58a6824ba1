/**
 * Requests the tokens the agent's view says its task needs (`idealShare`, rounded up to a bin and
 * clipped to the mask): 0 % when idle or waiting, 100 % alone in its DAG, the slack-reclaiming
 * request beside siblings. Run on an env with a static `plan`, this is the ideal-static baseline:
 * every future assignment is known, so the need is computed on the true schedule.
 */
import { ENVELOPE_TOKENS } from '../hsoc-platform.js';
import { TOKEN_BINS } from '../hsoc-agent-view.js';
import type { HsocEnv } from '../hsoc-env.js';
import type { HsocPolicy } from './hsoc-policy.js';

/** The bin of a token need: rounded up (never below the need), at least bin 1, within the mask. */
export function needBin(tokens: number, mask: Uint8Array): number {
  let a = Math.ceil((tokens * (TOKEN_BINS - 1)) / ENVELOPE_TOKENS - 1e-9);
  a = Math.max(1, Math.min(TOKEN_BINS - 1, a));
  while (a > 0 && !mask[a]) a--;
  return a;
}

/** See the module comment. */
export class NeedPolicy implements HsocPolicy {
  /** @param name - table name */
  constructor(readonly name = 'need') {}

  /** 0 unless running; else the bin of the token need. */
  act(env: HsocEnv, agent: number, _obs: Float32Array, mask: Uint8Array): number {
    const v = env.view(agent);
    return v.parentTasksCompleted ? needBin(v.idealShare, mask) : 0;
  }
}
