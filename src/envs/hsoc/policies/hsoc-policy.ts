/**
 * The decentralised power-sharing policies of the HSoC env: each PE's agent picks a token bin from
 * its own observation, view and mask; a policy object serves every agent (shared rules).
 */
import type { HsocEnv, HsocEpisodeMetrics } from '../hsoc-env.js';

/** A power-sharing policy for every agent of an {@link HsocEnv}. */
export interface HsocPolicy {
  /** Short name for tables (`uniform`, `lnn-rules`, …). */
  readonly name: string;
  /** Called after each `env.reset` (stateful policies clear their memories). */
  reset?(env: HsocEnv): void;
  /** The token bin (0 … 10) of the pending agent `agent` (PE index) at the current event. */
  act(env: HsocEnv, agent: number, obs: Float32Array, mask: Uint8Array): number;
}

/** Runs one episode of `env` with `policy` from `seed`; returns the workload metrics. */
export function runHsocEpisode(env: HsocEnv, policy: HsocPolicy, seed: number): HsocEpisodeMetrics {
  const r = env.reset({ seed });
  policy.reset?.(env);
  let obs = r.obs;
  let infos = r.infos;
  let pending = r.pendingAgents;
  const actions: Record<string, number> = {};
  while (pending.length > 0) {
    for (const k of Object.keys(actions)) delete actions[k];
    for (const a of pending) actions[a] = policy.act(env, env.indexOf(a), obs[a]!, infos[a]!.actionMask!);
    const s = env.step(actions);
    obs = s.obs;
    infos = s.infos;
    pending = s.pendingAgents;
  }
  return env.metrics();
}
