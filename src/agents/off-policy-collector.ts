/**
 * The acting half that DQN and the OD3 distiller share (the part of SB3's `OffPolicyAlgorithm`
 * that collects experience): one environment with a Discrete action space, ε-greedy actions
 * from a linear ε schedule, the running observation and action mask, episode statistics, and the
 * reset rule that makes runs and resumed runs reproducible. Each algorithm keeps its own loop
 * (DQN trains every `trainFreq` steps, OD3 every `updateFreq`) and what it stores.
 *
 * A component rather than a base class: `Od3Distiller.load` takes a teacher besides the env, so
 * it cannot share `DeepAlgorithm`'s static `load`, while DQN does.
 */
import { zc, type ConfigShape } from '../core/config-schema.js';
import type { Env, Info } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { flatDim, flattenInto, type Discrete } from '../core/spaces.js';
import { ActionLog } from '../core/vector/action-log.js';
import type { CheckpointCounters } from './checkpoint.js';
import { EpisodeTracker } from './episode-tracker.js';
import { linearEpsilon, type LinearEpsilonSchedule } from './epsilon-schedule.js';

/** The config keys of DQN and OD3 that the collector reads. */
export interface ExplorationConfig {
  /** ε at the start of the schedule. */
  explorationInitialEps: number;
  /** ε after the decay. */
  explorationFinalEps: number;
  /** Fraction of the horizon over which ε decays. */
  explorationFraction: number;
  /** Seed of the very first reset (later resets of a loaded agent draw theirs from the RNG). */
  seed: number;
}

/** Rules of the {@link ExplorationConfig} keys, shared by the DQN and OD3 schemas. */
export const EXPLORATION_SHAPE = {
  explorationInitialEps: zc.unit().optional(),
  explorationFinalEps: zc.unit().optional(),
  explorationFraction: zc.unit().optional(),
  seed: zc.seed().optional(),
} satisfies ConfigShape<Partial<ExplorationConfig>>;

/** Options of {@link OffPolicyCollector}. */
export interface OffPolicyCollectorOptions {
  /** Algorithm name for error messages, e.g. `'DQN'`. */
  who: string;
  /** The algorithm's resolved config (its ε schedule and seed). */
  config: ExplorationConfig;
  /** The algorithm's exploration RNG: ε draws, random actions and reseeds. */
  rng: Rng;
  /** The greedy action index for one flat observation among the allowed actions. */
  greedy: (obs: Float32Array, mask: Uint8Array | undefined) => number;
  /** Log the actions since the last seeded reset, so a checkpoint can replay the env (DQN). */
  logActions?: boolean;
}

/**
 * Receives each transition before the episode bookkeeping: the observation acted in, the action
 * index, the reward, the next observation, whether it terminated, and the next mask. The arrays
 * are reused; copy what is kept.
 */
export type TransitionSink = (
  obs: Float32Array,
  action: number,
  reward: number,
  nextObs: Float32Array,
  terminated: boolean,
  nextMask: Uint8Array | undefined,
) => void;

/** ε-greedy experience collection on one env (see module doc). */
export class OffPolicyCollector {
  /** The training environment. */
  readonly env: Env;
  /** Its Discrete action space. */
  readonly actionSpace: Discrete;
  /** Number of actions. */
  readonly numActions: number;
  /** Flat observation length. */
  readonly obsDim: number;
  /** Returns and lengths of the collector's episodes (exploration included). */
  readonly episodes = new EpisodeTracker(1);
  /** Current ε. */
  explorationRate: number;
  /** The observation the next action is taken in. */
  obs: Float32Array;
  /** Its allowed actions, if the env masks actions. */
  mask: Uint8Array | undefined;
  /** Whether an episode is running (false before the first reset and after a load without one). */
  episodeRunning = false;
  /** Actions since the env's last seeded reset (with `logActions`). */
  envLog: ActionLog | undefined;
  private nextObs: Float32Array;
  private readonly actionRow = new Float32Array(1);
  private readonly stepReward = new Float32Array(1);
  private readonly stepTerminated = new Uint8Array(1);
  private readonly stepTruncated = new Uint8Array(1);
  private readonly exploration: LinearEpsilonSchedule;

  /** @param envOrFactory - the env, or a factory called once */
  constructor(
    envOrFactory: Env | (() => Env),
    private readonly options: OffPolicyCollectorOptions,
  ) {
    const env = typeof envOrFactory === 'function' ? envOrFactory() : envOrFactory;
    if (env.actionSpace.kind !== 'discrete')
      throw new ArbiterError(
        'unsupported-space',
        `${options.who} needs a Discrete action space, got ${env.actionSpace.kind}`,
      );
    this.env = env;
    this.actionSpace = env.actionSpace;
    this.numActions = env.actionSpace.n;
    this.obsDim = flatDim(env.observationSpace);
    const c = options.config;
    this.exploration = {
      initialEps: c.explorationInitialEps,
      finalEps: c.explorationFinalEps,
      fraction: c.explorationFraction,
    };
    this.explorationRate = c.explorationInitialEps;
    this.obs = new Float32Array(this.obsDim);
    this.nextObs = new Float32Array(this.obsDim);
  }

  /** Sets ε for environment step `step` of a schedule spanning `horizon` steps; returns it. */
  updateExploration(step: number, horizon: number): number {
    this.explorationRate = linearEpsilon(step, horizon, this.exploration);
    return this.explorationRate;
  }

  /**
   * With probability ε (when `explore`) a uniform allowed action, else the greedy one; an action
   * index (0-based). Draws from `rng` only when exploring.
   */
  action(obs: Float32Array, mask: Uint8Array | undefined, explore: boolean, rng: Rng): number {
    if (explore && rng.random() < this.explorationRate) return this.randomAction(mask, rng);
    return this.options.greedy(obs, mask);
  }

  /** A uniform allowed action index. */
  randomAction(mask: Uint8Array | undefined, rng: Rng): number {
    return this.actionSpace.sample(rng, mask) - this.actionSpace.start;
  }

  /**
   * Steps the env with action index `action`: counts the step, hands the transition to `sink`
   * (if any), records the reward, and on the episode's end counts it and starts the next one.
   */
  step(action: number, counters: CheckpointCounters, sink?: TransitionSink): void {
    this.actionRow[0] = this.actionSpace.start + action;
    this.envLog?.push(this.actionRow, 0);
    const r = this.env.step(this.actionSpace.start + action);
    counters.numTimesteps++;
    const done = r.terminated || r.truncated;
    let nextMask: Uint8Array | undefined;
    if (sink || !done) {
      flattenInto(this.env.observationSpace, r.obs, this.nextObs, 0);
      nextMask = this.maskOf(r.info);
    }
    // A truncated episode is not terminal: `terminated` alone says whether to bootstrap.
    sink?.(this.obs, action, r.reward, this.nextObs, r.terminated, nextMask);
    this.stepReward[0] = r.reward;
    this.stepTerminated[0] = r.terminated ? 1 : 0;
    this.stepTruncated[0] = r.truncated ? 1 : 0;
    this.episodes.record(this.stepReward, this.stepTerminated, this.stepTruncated);
    if (done) {
      counters.numEpisodes++;
      this.beginEpisode(counters);
    } else {
      [this.obs, this.nextObs] = [this.nextObs, this.obs];
      this.mask = nextMask;
    }
  }

  /**
   * Starts an episode. The very first reset is seeded with the config seed; a loaded agent (no
   * episode running yet) reseeds its fresh env from the RNG, so the continuation is
   * reproducible; later episodes continue the env's own RNG.
   */
  beginEpisode(counters: CheckpointCounters): void {
    let seed: number | undefined;
    if (!this.episodeRunning)
      seed = counters.numTimesteps === 0 ? this.options.config.seed : this.options.rng.nextUint32();
    const r = this.env.reset(seed === undefined ? {} : { seed });
    if (seed !== undefined && this.options.logActions) this.envLog = new ActionLog(seed, 1);
    flattenInto(this.env.observationSpace, r.obs, this.obs, 0);
    this.mask = this.maskOf(r.info);
    this.episodeRunning = true;
  }

  private maskOf(info: Info): Uint8Array | undefined {
    return info.actionMask ?? (this.env.actionMasks ? this.env.actionMasks() : undefined);
  }
}
