/**
 * NormalizeObservation wrapper, as Gymnasium's (with SB3 VecNormalize's clipping): observations
 * are standardized per component with running statistics, which checkpoints save and restore.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { ArbiterError } from '../errors.js';
import { RunningMeanStd, type RunningMeanStdState } from '../running-mean-std.js';
import { Box } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/** Options of {@link NormalizeObservation}. */
export interface NormalizeObservationOptions {
  /** Added to the variance before the square root (default 1e-8). */
  epsilon?: number;
  /** Normalized values are clipped to [−clip, clip] (default 10, as SB3; `Infinity` disables). */
  clip?: number;
  /** Update the statistics (default true); false freezes them, e.g. for evaluation. */
  training?: boolean;
}

/** Plain-JSON state of a {@link NormalizeObservation} wrapper. */
export interface NormalizeObservationState {
  /** Statistics of the raw observations. */
  obsRms: RunningMeanStdState;
}

/**
 * Returns `clip((obs − mean) / sqrt(var + epsilon))` for Box observations. In training mode the
 * statistics first absorb each raw observation (from reset and step). Each returned observation is
 * a fresh Float32Array.
 */
export class NormalizeObservation<A = unknown> extends Wrapper<Float32Array, A> {
  /** Whether reset/step update the statistics; set false to freeze them for evaluation. */
  training: boolean;
  /** Running statistics of the raw observations. */
  readonly obsRms: RunningMeanStd;
  /** Variance offset. */
  readonly epsilon: number;
  /** Clipping bound of normalized values. */
  readonly clip: number;
  private readonly space: Box;

  /**
   * @param env - an env with a Box observation space
   * @param options - see {@link NormalizeObservationOptions}
   */
  constructor(env: Env<Float32Array, A>, options: NormalizeObservationOptions = {}) {
    super(env);
    const inner = env.observationSpace;
    if (!(inner instanceof Box))
      throw new ArbiterError(
        'wrapper-space',
        `NormalizeObservation needs a Box observation space, got ${inner.kind}`,
      );
    this.epsilon = options.epsilon ?? 1e-8;
    this.clip = options.clip ?? 10;
    if (!(this.clip > 0)) throw new RangeError('NormalizeObservation: clip must be > 0');
    this.training = options.training ?? true;
    this.obsRms = new RunningMeanStd(inner.size);
    this.space = new Box(-this.clip, this.clip, inner.shape);
  }

  /** Box(−clip, clip) of the inner shape. */
  override get observationSpace(): Box {
    return this.space;
  }

  /** Starts an episode; returns the normalized first observation. */
  override reset(options?: ResetOptions): ResetResult<Float32Array> {
    const r = this.env.reset(options);
    return { obs: this.normalize(r.obs), info: r.info };
  }

  /** Steps the inner env; returns the normalized observation. */
  override step(action: A): StepResult<Float32Array> {
    const r = this.env.step(action);
    r.obs = this.normalize(r.obs);
    return r;
  }

  /** Normalizes a raw observation (updating the statistics first when training). */
  normalize(raw: Float32Array): Float32Array {
    if (this.training) this.obsRms.update(raw, 1);
    const out = new Float32Array(raw.length);
    const { mean, var: variance } = this.obsRms;
    const c = this.clip;
    for (let i = 0; i < raw.length; i++) {
      const z = (raw[i]! - mean[i]!) / Math.sqrt(variance[i]! + this.epsilon);
      out[i] = z > c ? c : z < -c ? -c : z;
    }
    return out;
  }

  /** Plain-JSON copy of the statistics (for checkpoints). */
  getState(): NormalizeObservationState {
    return { obsRms: this.obsRms.getState() };
  }

  /** Restores statistics saved by {@link getState}. */
  setState(state: NormalizeObservationState): void {
    this.obsRms.setState(state.obsRms);
  }
}
