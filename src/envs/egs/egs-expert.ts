/**
 * A non-learned expert for the EGS environment, used to warm-start the graph policy by imitation
 * (behaviour cloning) before PPO. It is the `egs-greedy` rule applied to the env's own mask, so
 * every expert action is a legal action of the env: among the allowed edges, try the `lookahead`
 * ones with the most slack `LST(j) − EFT(i)` and take one that lowers W right away, else the one
 * with the most slack.
 *
 * With an `rng`, ties in slack are broken at random and a random one of the W-lowering candidates is
 * taken, so repeated runs on one DAG explore different edge sequences; keeping the best of a few
 * runs ({@link egsExpertEpisode}) gives demonstrations that are better than a single greedy pass.
 */
import type { Rng } from '../../core/rng.js';
import type { Dag } from '../../dag/dag-task.js';
import { WidthDropProbe } from '../../dag/edge-generation/width-drop-probe.js';
import type { GraphObservation } from '../../core/spaces.js';
import { ArbiterError } from '../../core/errors.js';
import { egsEpisodeEnded, type EgsEnv, type EgsEpisodeInfo } from './egs-env.js';

/** Options of {@link egsExpertAction}. */
export interface EgsExpertOptions {
  /** Allowed edges (by most slack) tried for an immediate width drop. Default 24. */
  lookahead?: number;
  /** Randomizes ties and the choice among W-lowering candidates; deterministic without it. */
  rng?: Rng;
  /** Only edges inside the current maximum antichain (default true). */
  antichainOnly?: boolean;
}

/**
 * The expert's action in the env's current state: `i · maxNodes + j`, or −1 when no action is
 * allowed (the episode is over).
 */
export function egsExpertAction(env: EgsEnv, options: EgsExpertOptions = {}): number {
  return egsExpertLabel(env, options).action;
}

/**
 * {@link egsExpertAction} with, when `withTargets`, the set of actions the expert accepts in this
 * state: every edge among the `lookahead` by most slack that lowers the width at once, which its
 * randomized runs choose from uniformly (ascending; absent when none lowers it, the expert then
 * takes the edge of most slack). The action is the same either way; the set costs the
 * deterministic expert a probe of every candidate instead of stopping at the first.
 */
export function egsExpertLabel(
  env: EgsEnv,
  options: EgsExpertOptions = {},
  withTargets = false,
): { action: number; targets?: Int32Array } {
  const N = env.maxNodes;
  const mask = env.actionMasks();
  const state = env.state;
  const lookahead = options.lookahead ?? 24;
  const rng = options.rng;
  const cand: { a: number; slack: number; key: number }[] = [];
  const push = (a: number): void => {
    const i = Math.floor(a / N);
    const j = a - i * N;
    cand.push({ a, slack: state.lst[j]! - state.eft[i]!, key: rng ? rng.random() : a });
  };
  const probe = new WidthDropProbe();
  probe.load(state);
  if (options.antichainOnly ?? true) {
    const anti = probe.antichain([]);
    for (const i of anti) for (const j of anti) if (mask[i * N + j]) push(i * N + j);
  }
  // The whole mask when the antichain has no allowed edge (possible: the mask may be stricter).
  if (cand.length === 0) for (let a = 0; a < N * N; a++) if (mask[a]) push(a);
  if (cand.length === 0) return { action: -1 };
  cand.sort((x, y) => y.slack - x.slack || x.key - y.key);
  const lowering: number[] = [];
  for (const c of cand.slice(0, lookahead)) {
    if (probe.lowers(Math.floor(c.a / N), c.a % N)) {
      lowering.push(c.a);
      if (!rng && !withTargets) break;
    }
  }
  if (lowering.length === 0) return { action: cand[0]!.a };
  const action = rng ? lowering[rng.int(lowering.length)]! : lowering[0]!;
  return withTargets ? { action, targets: Int32Array.from(lowering).sort() } : { action };
}

/** One recorded decision of an expert episode. */
export interface EgsDemonstrationStep {
  /** The observation the action was taken in. */
  obs: GraphObservation;
  /** The env's action mask in that state (the env never mutates a mask it has returned). */
  mask: Uint8Array;
  /** The expert's action. */
  action: number;
  /**
   * Every action the teacher would have accepted in this state, ascending, `action` among them
   * (a timetable teacher's allowed edges implied by its target graph, the greedy expert's
   * width-lowering candidates); absent: only `action`.
   * The labels of set-valued cloning (`cloneEgsExpert` with `targets: 'set'`).
   */
  targets?: Int32Array;
  /** Reward of the step (width drop). */
  reward: number;
}

/** An expert episode on one DAG: its decisions and the final result. */
export interface EgsDemonstration {
  /** Decisions in order (empty when the task needs none). */
  steps: EgsDemonstrationStep[];
  /** Final cores. */
  cores: number;
  /** The final episode info (schedule included). */
  info: EgsEpisodeInfo;
}

/**
 * Runs the expert on `dag` `tries` times (the first deterministic, the others randomized with
 * `rng`) and returns the run with the fewest cores (then the fewest steps). With `targets`, each
 * step records the set the expert accepts ({@link egsExpertLabel}).
 */
export function egsExpertEpisode(
  env: EgsEnv,
  dag: Dag,
  rng: Rng,
  options: { tries?: number; lookahead?: number; antichainOnly?: boolean; targets?: boolean } = {},
): EgsDemonstration {
  const tries = Math.max(1, options.tries ?? 1);
  let best: EgsDemonstration | undefined;
  for (let t = 0; t < tries; t++) {
    const steps: EgsDemonstrationStep[] = [];
    let r = env.reset({ options: { dag } });
    let info = r.info;
    if (!info.terminal) {
      for (;;) {
        const { action, targets } = egsExpertLabel(
          env,
          {
            lookahead: options.lookahead,
            antichainOnly: options.antichainOnly,
            rng: t === 0 ? undefined : rng,
          },
          options.targets,
        );
        if (action < 0) break; // cannot happen while the episode runs; kept as a guard
        const mask = env.actionMasks();
        const s = env.step(action);
        steps.push({ obs: r.obs, mask, action, reward: s.reward, ...(targets && { targets }) });
        r = { obs: s.obs, info: s.info };
        if (s.terminated || s.truncated) {
          info = s.info;
          break;
        }
      }
    }
    if (!egsEpisodeEnded(info))
      throw new ArbiterError('episode-unfinished', 'EGS expert: the episode ended without its result');
    const run: EgsDemonstration = { steps, cores: info.cores, info };
    if (!best || run.cores < best.cores || (run.cores === best.cores && steps.length < best.steps.length))
      best = run;
  }
  return best!;
}
