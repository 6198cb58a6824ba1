/**
 * Tabular Q-learning (Watkins 1989), the seed article's update
 * `Q(s,a) ← Q(s,a) + α (r + γ max_{a'} Q(s',a') − Q(s,a))` with ε-greedy exploration on a linear
 * ε schedule. For environments with a Discrete observation (a state index) and Discrete actions.
 * After a termination nothing is bootstrapped; after a truncation (time limit) the target
 * bootstraps from the last state, since the episode was only cut.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { parseConfig, zc, type ConfigShape } from '../../core/config-schema.js';
import { ActionLog, type ActionLogState } from '../../core/vector/action-log.js';
import type { Env } from '../../core/env.js';
import { ArbiterError } from '../../core/errors.js';
import { maskedArgmax } from '../../core/masked-argmax.js';
import { Rng, type RngState } from '../../core/rng.js';
import {
  TrainingSession,
  type Algorithm,
  type LearnOptions,
  type PredictOptions,
} from '../base-algorithm.js';
import type { CheckpointCounters } from '../checkpoint.js';
import { EpisodeTracker, type EpisodeTrackerState } from '../episode-tracker.js';
import { linearEpsilon } from '../epsilon-schedule.js';

/** Linear ε schedule: from `start` to `end` over the first `fraction` of the training horizon. */
export interface EpsilonSchedule {
  /** ε at step 0 (default 1). */
  start?: number;
  /** ε after the decay (default 0.05). */
  end?: number;
  /** Fraction of the horizon (see `LearnOptions.horizon`) over which ε decays (default 0.5). */
  fraction?: number;
}

/** Configuration of {@link QLearning}; every field has a default. */
export interface QLearningConfig {
  /** Learning rate α in (0, 1] (default 0.1). */
  alpha?: number;
  /** Discount factor γ in [0, 1] (default 0.99). */
  gamma?: number;
  /** Exploration schedule (defaults above). */
  epsilon?: EpsilonSchedule;
  /** Seed of the agent's RNG and of the first environment reset (default 0). */
  seed?: number;
  /** Initial value of every Q entry (default 0; optimistic values explore more). */
  initialQ?: number;
  /** Environment steps between metric logs / `onUpdateEnd` callbacks (default 1000). */
  logEverySteps?: number;
}

/** {@link QLearningConfig} with every default filled in. */
export interface ResolvedQLearningConfig {
  alpha: number;
  gamma: number;
  epsilon: Required<EpsilonSchedule>;
  seed: number;
  initialQ: number;
  logEverySteps: number;
}

/** File written by {@link QLearning.save} inside the target directory. */
export const Q_LEARNING_FILE = 'q-learning.json';

interface SavedQLearning {
  format: 1;
  algo: 'q-learning';
  config: ResolvedQLearningConfig;
  numStates: number;
  numActions: number;
  counters: CheckpointCounters;
  rngState: RngState;
  episodes: EpisodeTrackerState;
  q: number[];
  /** The running episode, for an exact resume: the env's actions since its seeded reset. */
  running?: { log: ActionLogState & { actions: number[] }; obs: number; mask: number[] | null };
}

/**
 * Tabular Q-learning agent with the SB3 verbs (`learn`, `predict`, `save`, static `load`), an
 * {@link Algorithm} like the deep agents, so callbacks, sinks and evaluation work the same way.
 * One Q update per environment step counts as one update.
 */
export class QLearning implements Algorithm {
  /** The resolved configuration. */
  readonly config: ResolvedQLearningConfig;
  /** Action values, row-major S × A (`Q[s * A + a]`). */
  readonly Q: Float64Array;
  /** Number of states S. */
  readonly numStates: number;
  /** Number of actions A. */
  readonly numActions: number;
  /** Steps, updates (= steps) and episodes over all `learn` calls. */
  readonly counters: CheckpointCounters = { numTimesteps: 0, numUpdates: 0, numEpisodes: 0 };
  /** Returns and lengths of the recent training episodes. */
  readonly episodes = new EpisodeTracker(1);
  /** Current exploration rate (used by `predict` when not deterministic). */
  epsilon: number;

  private readonly rng: Rng;
  private env: Env<number, number> | undefined;
  private obs: number | undefined;
  private mask: Uint8Array | undefined;
  // Actions since the env's seeded reset: replayed on load to continue the same episode.
  private envLog: ActionLog | undefined;
  private readonly actionRow = new Float32Array(1);

  /**
   * @param env - an environment with `Discrete` observation and action spaces starting at 0 (may
   *   be omitted for an agent that only predicts; `learn` then throws)
   * @param config - hyper-parameters (see {@link QLearningConfig})
   * @param sizes - state and action counts, required only without an env
   */
  constructor(
    env: Env<number, number> | undefined,
    config: QLearningConfig = {},
    sizes?: { numStates: number; numActions: number },
  ) {
    this.config = resolveQLearningConfig(config);
    if (env) {
      const [S, A] = tableSize(env);
      this.numStates = S;
      this.numActions = A;
    } else if (sizes) {
      this.numStates = sizes.numStates;
      this.numActions = sizes.numActions;
    } else throw new ArbiterError('invalid-config', 'QLearning: give an env or the state and action counts');
    this.env = env;
    this.Q = new Float64Array(this.numStates * this.numActions).fill(this.config.initialQ);
    this.rng = new Rng(this.config.seed);
    this.epsilon = this.config.epsilon.start;
  }

  /** Environment steps taken over all `learn` calls. */
  get numTimesteps(): number {
    return this.counters.numTimesteps;
  }

  /** Replaces the environment (e.g. after {@link QLearning.load}); the next `learn` starts a new episode. */
  setEnv(env: Env<number, number>): void {
    const [S, A] = tableSize(env);
    if (S !== this.numStates || A !== this.numActions)
      throw new ArbiterError(
        'unsupported-space',
        `QLearning: the env has ${S} states × ${A} actions, the Q table ${this.numStates} × ${this.numActions}`,
      );
    this.env = env;
    this.obs = undefined;
    this.envLog = undefined; // the log belongs to the old env
    this.episodes.resetRunning();
  }

  /**
   * Runs `totalTimesteps` more environment steps of ε-greedy Q-learning. The very first call
   * resets the env with `config.seed`; later calls continue the current episode. ε follows the
   * linear schedule over `horizon` steps (default: the step count at the end of this call).
   */
  async learn(opts: LearnOptions<this>): Promise<this> {
    const env = this.env;
    if (!env)
      throw new ArbiterError(
        'no-env',
        'QLearning.learn: no environment (pass one to the constructor or setEnv)',
      );
    const session = new TrainingSession(this, opts, this.counters, { episodes: this.episodes });
    const { alpha, gamma, logEverySteps } = this.config;
    const schedule = {
      initialEps: this.config.epsilon.start,
      finalEps: this.config.epsilon.end,
      fraction: this.config.epsilon.fraction,
    };
    const hasCallbacks = (opts.callbacks?.length ?? 0) > 0;
    const A = this.numActions;
    const c = this.counters;
    const reward = new Float64Array(1);
    const terminated = new Uint8Array(1);
    const truncated = new Uint8Array(1);
    let loggedAt = -1;
    await session.start();
    if (this.obs === undefined) this.beginEpisode(env, c.numTimesteps === 0 && c.numEpisodes === 0);

    while (!session.done()) {
      this.epsilon = linearEpsilon(c.numTimesteps, session.horizon, schedule);
      const s = this.obs!;
      const a = this.selectAction(s, this.mask, false);
      this.actionRow[0] = a;
      this.envLog?.push(this.actionRow, 0);
      const r = env.step(a);
      // Bootstrap unless the MDP terminated; a truncated episode was only cut.
      const target = r.reward + (r.terminated ? 0 : gamma * this.maxQ(r.obs, r.info.actionMask));
      const i = s * A + a;
      this.Q[i] = this.Q[i]! + alpha * (target - this.Q[i]!);
      c.numTimesteps++;
      c.numUpdates++;

      reward[0] = r.reward;
      terminated[0] = r.terminated ? 1 : 0;
      truncated[0] = r.truncated ? 1 : 0;
      c.numEpisodes += this.episodes.record(reward, terminated, truncated);
      if (r.terminated || r.truncated) this.beginEpisode(env, false);
      else {
        this.obs = r.obs;
        this.mask = r.info.actionMask;
      }
      if (hasCallbacks && !(await session.step())) break;
      if (c.numTimesteps % logEverySteps === 0) {
        await session.updateEnd({ 'train/epsilon': this.epsilon });
        loggedAt = c.numTimesteps;
      }
    }
    // A last logging point for the steps since the previous one (or an early stop).
    if (loggedAt !== c.numTimesteps) await session.updateEnd({ 'train/epsilon': this.epsilon });
    await session.end();
    return this;
  }

  /**
   * The action for a state: given as its index, or as the flat one-hot encoding of the Discrete
   * observation (what generic evaluation passes). Greedy (ties → lowest index) when
   * `deterministic`, else ε-greedy with the current ε (default, as SB3). With `mask`, only allowed
   * actions are chosen.
   */
  predict(obs: number | Float32Array, opts: PredictOptions = {}): number {
    const s = typeof obs === 'number' ? obs : oneHotIndex(obs);
    if (!Number.isInteger(s) || s < 0 || s >= this.numStates)
      throw new ArbiterError(
        'invalid-observation',
        `QLearning.predict: state must be an integer in [0, ${this.numStates}), got ${String(typeof obs === 'number' ? obs : `a vector of length ${obs.length}`)}`,
      );
    return this.selectAction(s, opts.mask, opts.deterministic ?? false);
  }

  /** Writes the agent (config, Q table, counters, RNG, episode statistics) to `dir/q-learning.json`. */
  async save(dir: string): Promise<void> {
    const saved: SavedQLearning = {
      format: 1,
      algo: 'q-learning',
      config: this.config,
      numStates: this.numStates,
      numActions: this.numActions,
      counters: { ...this.counters },
      rngState: this.rng.getState(),
      episodes: this.episodes.getState(),
      // JSON numbers round-trip float64 exactly.
      q: Array.from(this.Q),
      ...(this.obs !== undefined &&
        this.envLog && {
          running: {
            log: { seed: this.envLog.seed, width: 1, actions: Array.from(this.envLog.getState().actions) },
            obs: this.obs,
            mask: this.mask ? Array.from(this.mask) : null,
          },
        }),
    };
    await writeFileAtomic(path.join(dir, Q_LEARNING_FILE), JSON.stringify(saved) + '\n');
  }

  /**
   * Reads an agent written by {@link QLearning.save}; with `env`, training can continue: in the
   * saved episode (the env is replayed through the logged actions), else from a fresh one. Throws `checkpoint-missing` / `checkpoint-corrupt`.
   */
  static async load(dir: string, env?: Env<number, number>): Promise<QLearning> {
    const file = path.join(dir, Q_LEARNING_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ArbiterError(
        code === 'ENOENT' ? 'checkpoint-missing' : 'checkpoint-corrupt',
        `${file}: cannot read (${code ?? String(e)})`,
      );
    }
    let saved: SavedQLearning;
    try {
      saved = JSON.parse(text) as SavedQLearning;
    } catch (e) {
      throw new ArbiterError('checkpoint-corrupt', `${file}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof saved !== 'object' || saved === null || saved.algo !== 'q-learning' || saved.format !== 1)
      throw new ArbiterError('checkpoint-corrupt', `${file}: not a q-learning save (format 1)`);
    if (!Array.isArray(saved.q) || saved.q.length !== saved.numStates * saved.numActions)
      throw new ArbiterError(
        'checkpoint-corrupt',
        `${file}: the Q table has ${String(saved.q?.length)} values, expected ${saved.numStates * saved.numActions}`,
      );
    const agent = new QLearning(undefined, saved.config, {
      numStates: saved.numStates,
      numActions: saved.numActions,
    });
    agent.Q.set(saved.q);
    Object.assign(agent.counters, saved.counters);
    agent.rng.setState(saved.rngState);
    agent.episodes.setState(saved.episodes);
    if (env) agent.setEnv(env);
    if (env && saved.running) {
      // Replay the env to where it was, so the saved episode continues exactly.
      const log = ActionLog.fromState(saved.running.log);
      log.replay(env, (row) => row[0]);
      agent.envLog = log;
      agent.obs = saved.running.obs;
      agent.mask = saved.running.mask ? Uint8Array.from(saved.running.mask) : undefined;
    } else agent.episodes.resetRunning();
    return agent;
  }

  private beginEpisode(env: Env<number, number>, seeded: boolean): void {
    const r = seeded ? env.reset({ seed: this.config.seed }) : env.reset();
    if (seeded) this.envLog = new ActionLog(this.config.seed, 1);
    this.obs = r.obs;
    this.mask = r.info.actionMask;
  }

  private selectAction(s: number, mask: Uint8Array | undefined, deterministic: boolean): number {
    const A = this.numActions;
    if (!deterministic && this.rng.random() < this.epsilon) {
      if (!mask) return this.rng.int(A);
      let count = 0;
      for (let a = 0; a < A; a++) if (mask[a]) count++;
      let k = this.rng.int(Math.max(1, count));
      for (let a = 0; a < A; a++) if (mask[a] && k-- === 0) return a;
    }
    return maskedArgmax(this.Q, s * A, A, mask, 0, `QLearning: state ${s}`);
  }

  private maxQ(s: number, mask: Uint8Array | undefined): number {
    const A = this.numActions;
    let best = -Infinity;
    for (let a = 0; a < A; a++) if (!mask || mask[a]) best = Math.max(best, this.Q[s * A + a]!);
    return best === -Infinity ? 0 : best;
  }
}

/** [states, actions] of an env with Discrete spaces starting at 0; throws `unsupported-space`. */
function tableSize(env: Env): [number, number] {
  const { observationSpace: os, actionSpace: as } = env;
  if (os.kind !== 'discrete' || as.kind !== 'discrete')
    throw new ArbiterError(
      'unsupported-space',
      `QLearning needs Discrete observation and action spaces, got ${os.kind} and ${as.kind}`,
    );
  if (os.start !== 0 || as.start !== 0)
    throw new ArbiterError('unsupported-space', 'QLearning needs Discrete spaces starting at 0');
  return [os.n, as.n];
}

/** Index of the 1 in a one-hot vector (−1 when it is not one-hot). */
function oneHotIndex(x: Float32Array): number {
  let idx = -1;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    if (x[i] !== 1 || idx >= 0) return -1;
    idx = i;
  }
  return idx;
}

/** Rules of every {@link QLearningConfig} key (strict: unknown keys are refused). */
export const Q_LEARNING_SCHEMA = z
  .object({
    alpha: z.number().gt(0).max(1).optional(),
    gamma: zc.unit().optional(),
    epsilon: z
      .object({
        start: zc.unit().optional(),
        end: zc.unit().optional(),
        fraction: zc.unit().optional(),
      } satisfies ConfigShape<EpsilonSchedule>)
      .strict()
      .optional(),
    seed: zc.seed().optional(),
    initialQ: zc.finite().optional(),
    logEverySteps: zc.int(1).optional(),
  } satisfies ConfigShape<QLearningConfig>)
  .strict();

/** Validates `config` (errors name `source`, the key and the rule) and fills in the defaults. */
export function resolveQLearningConfig(
  config: unknown,
  source = 'QLearning config',
): ResolvedQLearningConfig {
  const c = parseConfig(Q_LEARNING_SCHEMA, config, { source, what: 'QLearning' });
  return {
    alpha: c.alpha ?? 0.1,
    gamma: c.gamma ?? 0.99,
    epsilon: {
      start: c.epsilon?.start ?? 1,
      end: c.epsilon?.end ?? 0.05,
      fraction: c.epsilon?.fraction ?? 0.5,
    },
    seed: c.seed ?? 0,
    initialQ: c.initialQ ?? 0,
    logEverySteps: c.logEverySteps ?? 1000,
  };
}
