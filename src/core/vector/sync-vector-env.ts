/**
 * SyncVectorEnv, as Gymnasium's / SB3's DummyVecEnv: `numEnvs` copies stepped one after another
 * in the calling thread, with same-step autoreset (see {@link VectorEnv}).
 */
import type { Env, Info } from '../env.js';
import { ArbiterError } from '../errors.js';
import { flatDim, flattenInto, spaceToJson, type Space } from '../spaces.js';
import type { VectorEnv, VectorResetResult, VectorStepResult } from '../vector-env.js';
import { ActionLog, type ActionLogState } from './action-log.js';
import { allocateVectorStepResult, vectorStepResult } from './vector-step-buffers.js';

/** Options of {@link SyncVectorEnv}. */
export interface SyncVectorEnvOptions {
  /**
   * Return the same arrays from every call, overwritten by the next `reset`/`step` (no allocation
   * per step; copy what you keep). Default false: every call returns fresh arrays that the caller
   * may keep.
   */
  reuseBuffers?: boolean;
  /**
   * Log each copy's actions since its seeded reset, so {@link SyncVectorEnv.getState} can save the
   * copies' exact state for any env (4 bytes per env step and action value). Default false.
   */
  resumable?: boolean;
}

/** What {@link SyncVectorEnv.getState} saves: each copy's seed and action log. */
export interface SyncVectorEnvState {
  /** Whether the copies give action masks. */
  hasMasks: boolean;
  /** One action log per copy. */
  copies: ActionLogState[];
}

/** Length of one copy's action row in the batched action array, or throws for unsupported spaces. */
export function actionRowLength(space: Space): number {
  switch (space.kind) {
    case 'discrete':
      return 1;
    case 'box':
      return space.size;
    case 'multi-discrete':
      return space.nvec.length;
    default:
      throw new ArbiterError(
        'vector-env',
        `vector envs support Discrete, Box and MultiDiscrete actions, not ${space.kind}`,
      );
  }
}

/**
 * Runs the copies in the calling thread. Copy i is reset with seed `seed + i`; when a copy's
 * episode ends, it is reset at once without a seed (its RNG stream continues), its final
 * observation/info go to `finalObs[i]`/`finalInfos[i]`, and `obs`/`infos`/`actionMasks` row i
 * already belong to the new episode. Action masks are gathered when the action space is Discrete
 * and the envs give masks (`info.actionMask`, else `actionMasks()`, else all allowed).
 */
export class SyncVectorEnv implements VectorEnv {
  /** The copies (for inspection; do not step them directly). */
  readonly envs: readonly Env[];
  /** Number of copies. */
  readonly numEnvs: number;
  /** Observation space of one copy. */
  readonly singleObservationSpace: Space;
  /** Action space of one copy. */
  readonly singleActionSpace: Space;
  /** Flat observation length of one copy. */
  readonly obsDim: number;
  /** Length of one copy's action row (1 for Discrete). */
  readonly actionDim: number;
  private readonly maskDim: number;
  private readonly reuse: boolean;
  private hasMasks = false;
  private ready = false;
  private shared: VectorStepResult | null = null;
  private readonly finalRows: Float32Array[] | null;
  private readonly resumable: boolean;
  private logs: ActionLog[] | null = null;

  /**
   * @param envFns - one factory per copy; all copies must have equal spaces
   * @param options - see {@link SyncVectorEnvOptions}
   */
  constructor(envFns: ReadonlyArray<() => Env>, options: SyncVectorEnvOptions = {}) {
    if (envFns.length < 1) throw new ArbiterError('vector-env', 'a vector env needs at least one copy');
    this.envs = envFns.map((f) => f());
    this.numEnvs = this.envs.length;
    const first = this.envs[0]!;
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    const obsKey = JSON.stringify(spaceToJson(first.observationSpace));
    const actKey = JSON.stringify(spaceToJson(first.actionSpace));
    this.envs.forEach((e, i) => {
      if (
        JSON.stringify(spaceToJson(e.observationSpace)) !== obsKey ||
        JSON.stringify(spaceToJson(e.actionSpace)) !== actKey
      )
        throw new ArbiterError('vector-env', `copy ${i} has different spaces than copy 0`);
    });
    this.obsDim = flatDim(this.singleObservationSpace);
    this.actionDim = actionRowLength(this.singleActionSpace);
    this.maskDim = this.singleActionSpace.kind === 'discrete' ? this.singleActionSpace.n : 0;
    this.reuse = options.reuseBuffers ?? false;
    this.finalRows = this.reuse ? this.envs.map(() => new Float32Array(this.obsDim)) : null;
    this.resumable = options.resumable ?? false;
  }

  /**
   * The copies' exact state (their seeds and the actions since), or undefined when not
   * `resumable` or last reset without a seed (an unseeded reset cannot be replayed).
   */
  getState(): SyncVectorEnvState | undefined {
    if (!this.logs || !this.ready) return undefined;
    return { hasMasks: this.hasMasks, copies: this.logs.map((l) => l.getState()) };
  }

  /**
   * Restores {@link SyncVectorEnv.getState} into fresh copies by replaying each copy's actions
   * from its seeded reset (the env state, its RNG included, then equals the saved one). The next
   * `step` continues where the saved env was; the caller keeps the last observations itself.
   */
  setState(state: SyncVectorEnvState): void {
    if (!state || !Array.isArray(state.copies) || state.copies.length !== this.numEnvs)
      throw new ArbiterError(
        'checkpoint-mismatch',
        `vector env state has ${state?.copies?.length ?? 0} copies, this vector env ${this.numEnvs}`,
      );
    const logs = state.copies.map((c) => ActionLog.fromState(c));
    logs.forEach((log, i) => {
      if (log.width !== this.actionDim)
        throw new ArbiterError(
          'checkpoint-mismatch',
          `copy ${i}: logged actions have ${log.width} values, expected ${this.actionDim}`,
        );
      log.replay(this.envs[i]!, (row) => this.actionOf(row, 0));
    });
    this.logs = this.resumable ? logs : null;
    this.hasMasks = state.hasMasks;
    this.ready = true;
  }

  /** Resets every copy; copy i gets seed `seed + i` when a seed is given. */
  resetSync(seed?: number): VectorResetResult {
    const out = this.buffers();
    this.logs =
      this.resumable && seed !== undefined
        ? this.envs.map((_, i) => new ActionLog(seed + i, this.actionDim))
        : null;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      const r = env.reset(seed === undefined ? undefined : { seed: seed + i });
      if (this.maskDim > 0 && (r.info.actionMask !== undefined || env.actionMasks)) this.hasMasks = true;
      flattenInto(this.singleObservationSpace, r.obs, out.obs, i * this.obsDim);
      out.infos[i] = r.info;
    }
    // Masks are gathered after the loop: `hasMasks` may only become known at a later copy.
    if (this.hasMasks) for (let i = 0; i < this.numEnvs; i++) this.writeMask(out, i, out.infos[i]!);
    this.ready = true;
    const res: VectorResetResult = { obs: out.obs, infos: out.infos };
    if (this.hasMasks) res.actionMasks = out.actionMasks!;
    return res;
  }

  /**
   * Steps every copy with its action row (Discrete: one integer per copy; Box/MultiDiscrete:
   * `numEnvs × actionDim` row-major) and autoresets copies whose episode ended.
   */
  stepSync(actions: Int32Array | Float32Array): VectorStepResult {
    if (!this.ready) throw new ArbiterError('vector-env', 'step() called before reset()');
    if (actions.length !== this.numEnvs * this.actionDim)
      throw new ArbiterError(
        'vector-env',
        `step() needs ${this.numEnvs} × ${this.actionDim} actions, got an array of length ${actions.length}`,
      );
    const out = this.buffers();
    const space = this.singleObservationSpace;
    const d = this.obsDim;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      this.logs?.[i]!.push(actions, i * this.actionDim);
      const r = env.step(this.actionOf(actions, i));
      out.rewards[i] = r.reward;
      out.terminated[i] = r.terminated ? 1 : 0;
      out.truncated[i] = r.truncated ? 1 : 0;
      if (r.terminated || r.truncated) {
        const row = this.finalRows ? this.finalRows[i]! : new Float32Array(d);
        flattenInto(space, r.obs, row, 0);
        out.finalObs[i] = row;
        out.finalInfos[i] = r.info;
        const rr = env.reset();
        flattenInto(space, rr.obs, out.obs, i * d);
        out.infos[i] = rr.info;
      } else {
        flattenInto(space, r.obs, out.obs, i * d);
        out.infos[i] = r.info;
        out.finalObs[i] = null;
        out.finalInfos[i] = null;
      }
      if (this.hasMasks) this.writeMask(out, i, out.infos[i]!);
    }
    return vectorStepResult(out, this.hasMasks);
  }

  /** {@link resetSync} behind the async {@link VectorEnv} contract. */
  async reset(seed?: number): Promise<VectorResetResult> {
    return this.resetSync(seed);
  }

  /** {@link stepSync} behind the async {@link VectorEnv} contract. */
  async step(actions: Int32Array | Float32Array): Promise<VectorStepResult> {
    return this.stepSync(actions);
  }

  /** Closes every copy. */
  async close(): Promise<void> {
    for (const e of this.envs) e.close?.();
    this.ready = false;
  }

  private actionOf(actions: Int32Array | Float32Array, i: number): unknown {
    const k = this.actionDim;
    switch (this.singleActionSpace.kind) {
      case 'discrete':
        return actions[i]!;
      case 'multi-discrete':
        // A copy, never a view: the env may keep its action.
        return Int32Array.from(actions.subarray(i * k, (i + 1) * k));
      default:
        return Float32Array.from(actions.subarray(i * k, (i + 1) * k));
    }
  }

  private writeMask(out: VectorStepResult, i: number, info: Info): void {
    const n = this.maskDim;
    const masks = out.actionMasks!;
    const env = this.envs[i]!;
    const m = info.actionMask ?? (env.actionMasks ? env.actionMasks() : undefined);
    if (m === undefined) masks.fill(1, i * n, (i + 1) * n);
    else {
      if (m.length !== n)
        throw new ArbiterError(
          'vector-env',
          `copy ${i} gave an action mask of length ${m.length}, expected ${n}`,
        );
      masks.set(m, i * n);
    }
  }

  // The arrays of one result: the shared ones when reusing, fresh ones otherwise.
  private buffers(): VectorStepResult {
    if (this.reuse && this.shared) return this.shared;
    const b = allocateVectorStepResult(this.numEnvs, this.obsDim, this.maskDim);
    if (this.reuse) this.shared = b;
    return b;
  }
}
