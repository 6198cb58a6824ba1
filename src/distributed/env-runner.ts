/**
 * One env runner: a contiguous slice of an on-policy algorithm's vector env (copies
 * `start … start + count − 1` of `numEnvs`), stepped with the learner's weights. Per step it runs
 * the actor and critic with the learner's own Float32 dense kernel, samples each of its rows as
 * `ActorCriticPolicy.act` does from a copy of the learner's action stream (skipping the draws of
 * the other runners' rows), steps its envs and records the transitions. Seeded as the same copies
 * of one `SyncVectorEnv` would be, its rows of the rollout are bit for bit the learner's own.
 * Transport-free: the local threads and the queue workers both drive this class.
 */
import { clipToBox } from '../core/clip-to-box.js';
import { ArbiterError } from '../core/errors.js';
import type { Env } from '../core/env.js';
import { makeFlatEnv } from '../core/make-flat-env.js';
import { Rng, type RngState } from '../core/rng.js';
import type { Box } from '../core/spaces.js';
import { SyncVectorEnv } from '../core/vector/sync-vector-env.js';
import { skipActionDraws, type CollectedRollout } from '../agents/rollout-source.js';
import { registerBuiltinEnvs } from '../envs/register-envs.js';
import {
  createDenseWorkspace,
  denseForward,
  transposeInto,
  type DenseWorkspace,
} from '../nn/dense-forward.js';
import { sampleDiagGaussian } from '../nn/diag-gaussian-host.js';
import { GraphActor } from '../nn/graph-actor.js';
import { GraphNetF32 } from '../nn/graph-net-f32.js';
import { maskedLogSumExp, sampleMaskedCategorical } from '../nn/masked-categorical-host.js';
import type { ActOutput } from '../nn/policy.js';
import { decodeRunnerNet, type RunnerNet, type RunnerWeights } from './env-runner-weights.js';

/**
 * How a runner builds its env copies, as data: a registered (built-in) env id with validated
 * options, as `arbiter train` makes them (`makeFlatEnv`: graph observations padded); or, for local runners only, an ESM module's exported
 * factory `(options, index) => Env` (index: the copy's number in the whole vector env).
 */
export type RunnerEnvSpec =
  | {
      /** Registered env id (`makeEnv`). */
      id: string;
      /** Env options, validated by the env's schema. */
      options?: Record<string, unknown>;
    }
  | {
      /** File URL or path of the module. */
      module: string;
      /** Name of the exported factory. */
      export: string;
      /** Its first argument (structured-cloneable). */
      options?: unknown;
    };

/** Which copies a runner owns. */
export interface RunnerSlice {
  /** First copy. */
  start: number;
  /** Copies. */
  count: number;
  /** Copies of the whole vector env (all runners). */
  numEnvs: number;
}

/** One rollout request to a runner. */
export interface RunnerRolloutRequest {
  /** The learner's current weights. */
  weights: RunnerWeights;
  /** Vector steps. */
  numSteps: number;
  /** The learner's action stream at the first step. */
  actionRngState: RngState;
  /** First reset's seed for copy 0 (this runner's copy j gets `resetSeed + start + j`). */
  resetSeed: number;
  /**
   * For a replacement runner (its predecessor was lost): the steps its slice took so far, replayed
   * on fresh envs before this rollout, so they continue exactly where the lost runner's stood.
   */
  replay?: RunnerReplay;
}

/**
 * A runner slice's history: the first reset's seed and every action since, as the learner
 * received them (unclipped; Box actions are clipped again as at the first run). Envs are
 * deterministic given their reset seed and actions, so replaying this brings fresh copies, RNGs
 * included, to the lost runner's state.
 */
export interface RunnerReplay {
  /** The seed of the slice's first reset (copy 0 of the whole vector env; as `resetSeed`). */
  resetSeed: number;
  /** Vector steps taken since. */
  numSteps: number;
  /** The slice's actions, step-major (numSteps · count, or · actionDim for Box). */
  actions: Int32Array | Float32Array;
}

/** The slices of `numEnvs` copies over `runners` runners: balanced, contiguous, in order. */
export function runnerSlices(numEnvs: number, runners: number): RunnerSlice[] {
  if (!Number.isInteger(runners) || runners < 1 || runners > numEnvs)
    throw new ArbiterError(
      'invalid-config',
      `env runners must be an integer in [1, numEnvs = ${numEnvs}], got ${runners} (each runner owns at least one env copy)`,
    );
  const out: RunnerSlice[] = [];
  let start = 0;
  for (let r = 0; r < runners; r++) {
    const count = Math.floor(numEnvs / runners) + (r < numEnvs % runners ? 1 : 0);
    out.push({ start, count, numEnvs });
    start += count;
  }
  return out;
}

/** Builds one env copy from a spec (`index`: its number in the whole vector env). */
export async function envFactoryOf(spec: RunnerEnvSpec): Promise<(index: number) => Env> {
  if ('id' in spec) {
    registerBuiltinEnvs();
    return () => makeFlatEnv(spec.id, { options: spec.options });
  }
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const fn = mod[spec.export];
  if (typeof fn !== 'function')
    throw new ArbiterError(
      'invalid-config',
      `module ${spec.module} has no exported function '${spec.export}'`,
    );
  return (index) => (fn as (options: unknown, index: number) => Env)(spec.options, index);
}

/** A policy acting on one runner's rows of a step. */
interface SliceActor {
  /** Samples the slice's rows of `obs` (out: that step's slice of the rollout arrays). */
  act(obs: Float32Array, masks: Uint8Array | undefined, rng: Rng, out: ActOutput): void;
  /** V of one observation. */
  value(obs: Float32Array): number;
}

interface PreparedNet {
  net: RunnerNet;
  kernelsT: Float32Array[];
  work: DenseWorkspace;
}

/** A runner over its slice's env copies (see the module doc). */
export class EnvRunner {
  /** The copies this runner owns. */
  readonly slice: RunnerSlice;
  /** Its env copies. */
  readonly envs: SyncVectorEnv;
  private readonly obsDim: number;
  private readonly actionKind: 'discrete' | 'box';
  private readonly actionDim: number;
  private readonly nextObs: Float32Array;
  private readonly nextMasks: Uint8Array;
  private hasMasks = false;
  private started = false;
  private readonly rng = new Rng(0);
  private readonly oneValue = new Float32Array(1);
  private graph: GraphActor | undefined;
  private actorNet: PreparedNet | undefined;
  private criticNet: PreparedNet | undefined;
  private head = new Float32Array(0);

  constructor(envs: SyncVectorEnv, slice: RunnerSlice) {
    if (envs.numEnvs !== slice.count)
      throw new ArbiterError(
        'invalid-config',
        `env runner: ${envs.numEnvs} copies for a slice of ${slice.count}`,
      );
    const space = envs.singleActionSpace;
    if (space.kind !== 'discrete' && space.kind !== 'box')
      throw new ArbiterError(
        'unsupported-space',
        `env runners support Discrete and Box actions, not ${space.kind}`,
      );
    this.envs = envs;
    this.slice = slice;
    this.obsDim = envs.obsDim;
    this.actionKind = space.kind;
    this.actionDim = space.kind === 'discrete' ? space.n : space.size;
    this.nextObs = new Float32Array(slice.count * this.obsDim);
    this.nextMasks = new Uint8Array(slice.count * this.actionDim);
  }

  /** A runner whose copies come from `spec` (copy j of the slice is copy `start + j` overall). */
  static async create(spec: RunnerEnvSpec, slice: RunnerSlice): Promise<EnvRunner> {
    const make = await envFactoryOf(spec);
    const envs = new SyncVectorEnv(
      Array.from({ length: slice.count }, (_, j) => () => make(slice.start + j)),
      { reuseBuffers: true },
    );
    return new EnvRunner(envs, slice);
  }

  /** One rollout of `numSteps` vector steps over this runner's copies (slice-sized arrays). */
  rollout(req: RunnerRolloutRequest): CollectedRollout {
    const { start, count: C, numEnvs: E } = this.slice;
    const T = req.numSteps;
    const d = this.obsDim;
    const n = this.actionDim;
    const discrete = this.actionKind === 'discrete';
    if (req.replay) {
      if (this.started)
        throw new ArbiterError('invalid-state', 'env runner: a replay is for a fresh runner only');
      this.replayHistory(req.replay);
    }
    if (!this.started) this.reset(req.resetSeed);
    const actor = this.sliceActor(req.weights, C);
    const rng = this.rng;
    rng.setState(req.actionRngState);
    const out = allocateRollout(
      T,
      C,
      d,
      discrete ? 1 : n,
      this.hasMasks ? n : 0,
      discrete,
      req.actionRngState,
    );
    const clipped = discrete ? undefined : new Float32Array(C * n);
    const aw = discrete ? 1 : n;
    for (let t = 0; t < T; t++) {
      const obs = out.obs.subarray(t * C * d, (t + 1) * C * d);
      obs.set(this.nextObs);
      const masks = out.masks?.subarray(t * C * n, (t + 1) * C * n);
      if (masks) masks.set(this.nextMasks);
      // The rows before this slice draw first, those after it last: one stream for all runners.
      skipActionDraws(rng, this.actionKind, start, n);
      actor.act(obs, masks, rng, {
        actions: out.actions.subarray(t * C * aw, (t + 1) * C * aw),
        logProbs: out.logProbs.subarray(t * C, (t + 1) * C),
        values: out.values.subarray(t * C, (t + 1) * C),
      });
      skipActionDraws(rng, this.actionKind, E - start - C, n);
      const stepActions = discrete
        ? (out.actions as Int32Array).subarray(t * C, (t + 1) * C)
        : clipToBox(
            (out.actions as Float32Array).subarray(t * C * n, (t + 1) * C * n),
            this.envs.singleActionSpace as Box,
            clipped!,
          );
      const res = this.envs.stepSync(stepActions);
      out.rewards.set(res.rewards, t * C);
      out.terminated.set(res.terminated, t * C);
      out.truncated.set(res.truncated, t * C);
      for (let e = 0; e < C; e++) {
        if (!res.truncated[e] || res.terminated[e]) continue;
        const finalObs = res.finalObs[e];
        if (!finalObs)
          throw new ArbiterError('vector-env', `vector env gave no finalObs for truncated copy ${start + e}`);
        // One row, as the learner bootstraps it.
        out.finalValues[t * C + e] = actor.value(finalObs);
      }
      this.nextObs.set(res.obs);
      if (this.hasMasks) this.nextMasks.set(res.actionMasks!.subarray(0, C * n));
    }
    out.lastObs.set(this.nextObs);
    out.lastMasks?.set(this.nextMasks);
    out.actionRngState = rng.getState();
    return out;
  }

  /** Closes the env copies. */
  async close(): Promise<void> {
    await this.envs.close();
  }

  // The request's policy acting on this slice's C rows per step (checked against the envs).
  private sliceActor(weights: RunnerWeights, C: number): SliceActor {
    const d = this.obsDim;
    const n = this.actionDim;
    if (weights.kind === 'graph') {
      const { layout } = weights;
      if (this.actionKind !== 'discrete' || layout.size !== d || layout.maxNodes * layout.maxNodes !== n)
        throw new ArbiterError(
          'invalid-input',
          `env runner: the graph policy takes ${layout.size} values and ${layout.maxNodes ** 2} actions, the envs give ${d} and need ${this.actionKind === 'discrete' ? n : 'Box'} actions`,
        );
      // Same sizes: reuse the network (and its WebAssembly memory), only the weights change.
      if (this.graph && JSON.stringify(this.graph.net.dims) === JSON.stringify(weights.dims))
        this.graph.net.setWeights(weights.weights);
      else this.graph = new GraphActor(layout, new GraphNetF32(weights.dims, weights.weights));
      const graph = this.graph;
      return {
        act: (obs, masks, rng, out) => graph.act(obs, C, masks, rng, false, out),
        value: (obs) => graph.value(obs, 1, this.oneValue)[0]!,
      };
    }
    // Same sizes as the last request: reuse the transposed kernels' and workspaces' buffers.
    const actor = prepare(decodeRunnerNet(weights.actor, 'actor weights'), C, this.actorNet);
    const critic = prepare(decodeRunnerNet(weights.critic, 'critic weights'), C, this.criticNet);
    this.actorNet = actor;
    this.criticNet = critic;
    if (actor.net.layers[0]!.inDim !== d || actor.net.layers.at(-1)!.outDim !== n)
      throw new ArbiterError(
        'invalid-input',
        `env runner: the actor maps ${actor.net.layers[0]!.inDim} → ${actor.net.layers.at(-1)!.outDim}, the envs need ${d} → ${n}`,
      );
    const discrete = this.actionKind === 'discrete';
    const logStd = weights.logStd;
    if (!discrete && logStd?.length !== n)
      throw new ArbiterError('invalid-input', `env runner: Box actions need ${n} log-std values`);
    if (this.head.length !== C * n) this.head = new Float32Array(C * n);
    const head = this.head;
    return {
      act: (obs, masks, rng, out) => {
        forward(actor, obs, C, head);
        if (discrete) {
          const actions = out.actions as Int32Array;
          for (let b = 0; b < C; b++) {
            const a = sampleMaskedCategorical(head, b * n, n, rng, false, masks, b * n);
            actions[b] = a;
            out.logProbs[b] = head[b * n + a]! - maskedLogSumExp(head, b * n, n, masks, b * n);
          }
        } else
          for (let b = 0; b < C; b++)
            out.logProbs[b] = sampleDiagGaussian(
              head,
              b * n,
              logStd!,
              rng,
              false,
              out.actions as Float32Array,
              b * n,
            );
        forward(critic, obs, C, out.values);
      },
      value: (obs) => forward(critic, obs, 1, this.oneValue)[0]!,
    };
  }

  // Brings fresh copies to the state after `replay` (its steps as the first runner took them).
  private replayHistory(replay: RunnerReplay): void {
    const C = this.slice.count;
    const aw = this.actionKind === 'discrete' ? 1 : this.actionDim;
    const discrete = this.actionKind === 'discrete';
    if (
      !Number.isInteger(replay.numSteps) ||
      replay.numSteps < 0 ||
      replay.actions.length !== replay.numSteps * C * aw ||
      discrete !== replay.actions instanceof Int32Array
    )
      throw new ArbiterError(
        'invalid-input',
        `env runner replay: ${replay.actions.length} ${replay.actions instanceof Int32Array ? 'integer' : 'real'} action values for ${replay.numSteps} steps of ${C} copies, expected ${replay.numSteps * C * aw} ${discrete ? 'integer' : 'real'} ones`,
      );
    this.reset(replay.resetSeed);
    const clipped = discrete ? undefined : new Float32Array(C * aw);
    for (let t = 0; t < replay.numSteps; t++) {
      const row = replay.actions.subarray(t * C * aw, (t + 1) * C * aw);
      const res = this.envs.stepSync(
        discrete ? row : clipToBox(row as Float32Array, this.envs.singleActionSpace as Box, clipped!),
      );
      this.nextObs.set(res.obs);
      if (this.hasMasks) this.nextMasks.set(res.actionMasks!.subarray(0, C * this.actionDim));
    }
  }

  private reset(seed: number): void {
    const res = this.envs.resetSync((seed + this.slice.start) | 0);
    this.nextObs.set(res.obs);
    this.hasMasks = this.actionKind === 'discrete' && res.actionMasks !== undefined;
    if (this.hasMasks) this.nextMasks.set(res.actionMasks!.subarray(0, this.nextMasks.length));
    this.started = true;
  }
}

/** Zeroed rollout arrays for `numSteps` steps of `copies` copies (`maskWidth` 0: no masks). */
function allocateRollout(
  numSteps: number,
  copies: number,
  obsDim: number,
  actionWidth: number,
  maskWidth: number,
  discrete: boolean,
  actionRngState: RngState,
): CollectedRollout {
  const rows = numSteps * copies;
  return {
    obs: new Float32Array(rows * obsDim),
    masks: maskWidth > 0 ? new Uint8Array(rows * maskWidth) : undefined,
    actions: discrete ? new Int32Array(rows) : new Float32Array(rows * actionWidth),
    logProbs: new Float32Array(rows),
    values: new Float32Array(rows),
    rewards: new Float32Array(rows),
    terminated: new Uint8Array(rows),
    truncated: new Uint8Array(rows),
    finalValues: new Float32Array(rows),
    lastObs: new Float32Array(copies * obsDim),
    lastMasks: maskWidth > 0 ? new Uint8Array(copies * maskWidth) : undefined,
    actionRngState,
  };
}

// `net` ready for denseForward; into `prev`'s buffers when its layers have the same sizes.
function prepare(net: RunnerNet, batch: number, prev: PreparedNet | undefined): PreparedNet {
  const same =
    prev !== undefined &&
    prev.net.layers.length === net.layers.length &&
    prev.net.layers.every((l, i) => l.inDim === net.layers[i]!.inDim && l.outDim === net.layers[i]!.outDim);
  const kernelsT = net.layers.map((l, i) => {
    const t = same ? prev.kernelsT[i]! : new Float32Array(l.inDim * l.outDim);
    transposeInto(l.kernel, l.inDim, l.outDim, t);
    return t;
  });
  return { net, kernelsT, work: same ? prev.work : createDenseWorkspace(net.layers, batch) };
}

function forward(p: PreparedNet, x: Float32Array, batch: number, out: Float32Array): Float32Array {
  return denseForward(p.net.layers, p.net.activation, x, batch, out, p.work, p.kernelsT);
}

/**
 * The rollout of the whole vector env from its runners' parts (`parts[r]` from `slices[r]`, in
 * order): rows interleaved step by step as one vector env lays them out. Throws
 * `rollout-mismatch` when the runners' action streams ended in different states.
 */
export function mergeRunnerRollouts(
  parts: readonly CollectedRollout[],
  slices: readonly RunnerSlice[],
  numSteps: number,
): CollectedRollout {
  // One runner owns every copy: its rollout is already laid out as the whole vector env's.
  if (parts.length === 1 && slices[0]!.count === slices[0]!.numEnvs) return parts[0]!;
  const E = slices[0]!.numEnvs;
  const T = numSteps;
  const first = parts[0]!;
  const d = first.lastObs.length / slices[0]!.count;
  const a = first.actions.length / (T * slices[0]!.count);
  const m = first.masks ? first.masks.length / (T * slices[0]!.count) : 0;
  const key = JSON.stringify(first.actionRngState);
  const out = allocateRollout(T, E, d, a, m, first.actions instanceof Int32Array, first.actionRngState);
  parts.forEach((p, r) => {
    const { start, count: C } = slices[r]!;
    if (JSON.stringify(p.actionRngState) !== key || (p.masks === undefined) !== (first.masks === undefined))
      throw new ArbiterError(
        'rollout-mismatch',
        `env runner ${r} (copies ${start}…${start + C - 1}) disagrees with runner 0`,
      );
    // Copies `width` values per row of C rows, for every step, into rows start… of E.
    const place = <A extends Float32Array | Int32Array | Uint8Array>(src: A, dst: A, width: number): void => {
      for (let t = 0; t < T; t++)
        dst.set(src.subarray(t * C * width, (t + 1) * C * width), (t * E + start) * width);
    };
    place(p.obs, out.obs, d);
    if (p.masks) place(p.masks, out.masks!, m);
    place(p.actions, out.actions, a);
    place(p.logProbs, out.logProbs, 1);
    place(p.values, out.values, 1);
    place(p.rewards, out.rewards, 1);
    place(p.terminated, out.terminated, 1);
    place(p.truncated, out.truncated, 1);
    place(p.finalValues, out.finalValues, 1);
    out.lastObs.set(p.lastObs, start * d);
    if (p.lastMasks) out.lastMasks!.set(p.lastMasks, start * m);
  });
  return out;
}
