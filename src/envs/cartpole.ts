/**
 * CartPole-v1 with exactly Gymnasium's dynamics.
 *
 * ## Description
 *
 * The cart-pole problem of Barto, Sutton & Anderson (1983): a pole is hinged on a cart that moves
 * along a frictionless track; the agent pushes the cart left or right to keep the pole upright.
 * The equations of motion are Florian's (2007), integrated by explicit Euler steps of τ = 0.02 s
 * with Gymnasium's constants ({@link CARTPOLE_PHYSICS}). The state is kept in float64, as in
 * Gymnasium; only the observation is float32.
 *
 * ## Action space
 *
 * `Discrete(2)`: 0 pushes the cart left, 1 pushes it right, with a fixed force of 10 N. Anything
 * else throws `invalid-action`. No mask.
 *
 * ## Observation space
 *
 * `Box(4)` of Float32:
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | 0 | x | cart position (m) | [−4.8, 4.8] |
 * | 1 | ẋ | cart velocity (m/s) | ±float32 max |
 * | 2 | θ | pole angle from upright (rad) | [−0.419, 0.419] (±24°) |
 * | 3 | θ̇ | pole angular velocity (rad/s) | ±float32 max |
 *
 * The bounds of x and θ are twice the termination thresholds: a live episode stays within ±2.4 m
 * and ±12°.
 *
 * ## Rewards
 *
 * +1 for every step, including the step that terminates.
 *
 * ## Starting state
 *
 * Every state component uniform in [−0.05, 0.05). `reset({ seed })` re-seeds; `reset()` continues
 * the stream (seed 0 at first). `reset({ options: { state: [x, ẋ, θ, θ̇] } })` starts from a given
 * state (tests); anything but 4 finite numbers throws `invalid-env-options`.
 *
 * ## Episode end
 *
 * - Termination: |x| > 2.4 m (the cart leaves the track) or |θ| > 12°.
 * - Truncation: after 500 steps, by the TimeLimit wrapper that `makeEnv` adds from
 *   {@link CARTPOLE_SPEC} (`maxEpisodeSteps: 500`); the env itself never truncates.
 *
 * `step()` after termination without `reset()` throws `step-after-done`. Solved at a mean return
 * of 475 (`rewardThreshold`).
 *
 * ## Options
 *
 * None (the registered schema is the empty strict object).
 *
 * ## Version history
 *
 * v1, as Gymnasium's: 500-step limit and threshold 475 (v0 had 200 and 195).
 */
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete } from '../core/spaces.js';

/** Largest finite float32, Gymnasium's bound for the unbounded velocity components. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Physical constants of CartPole (SI units), Gymnasium's values. */
export const CARTPOLE_PHYSICS = {
  /** Gravitational acceleration (m/s²). */
  gravity: 9.8,
  /** Cart mass (kg). */
  massCart: 1.0,
  /** Pole mass (kg). */
  massPole: 0.1,
  /** Half the pole's length (m). */
  length: 0.5,
  /** Magnitude of the push (N). */
  forceMag: 10.0,
  /** Integration step (s). */
  tau: 0.02,
  /** Pole angle beyond which the episode terminates (rad): 12°. */
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  /** Cart position beyond which the episode terminates (m). */
  xThreshold: 2.4,
  /** Half-width of the uniform distribution of every initial state component. */
  resetBound: 0.05,
} as const;

/** Registration facts of CartPole-v1 (Gymnasium's). */
export const CARTPOLE_SPEC: EnvSpec = { id: 'CartPole-v1', maxEpisodeSteps: 500, rewardThreshold: 475 };

/** CartPole-v1 (see the module comment). */
export class CartPole implements Env<Float32Array, number> {
  /** Box of the 4 state variables, as Gymnasium's. */
  readonly observationSpace: Box;
  /** Discrete(2): 0 = left, 1 = right. */
  readonly actionSpace = new Discrete(2);
  /** Id and limits. */
  readonly spec = CARTPOLE_SPEC;

  private rng = new Rng(0);
  // State kept in float64 as Gymnasium does; only the observation is float32.
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;
  private needsReset = true;

  constructor() {
    const high = [
      CARTPOLE_PHYSICS.xThreshold * 2,
      FLOAT32_MAX,
      CARTPOLE_PHYSICS.thetaThreshold * 2,
      FLOAT32_MAX,
    ];
    this.observationSpace = new Box(
      high.map((h) => -h),
      high,
    );
  }

  /** Starts an episode from a uniform state in ±0.05 (or `options.state`). */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const given = options.options?.['state'];
    if (given !== undefined) {
      const s = given as ArrayLike<number>;
      if (typeof s !== 'object' || s === null || s.length !== 4 || !Array.from(s).every(Number.isFinite))
        throw new ArbiterError('invalid-env-options', 'CartPole: options.state must be 4 finite numbers');
      [this.x, this.xDot, this.theta, this.thetaDot] = [s[0]!, s[1]!, s[2]!, s[3]!];
    } else {
      const b = CARTPOLE_PHYSICS.resetBound;
      this.x = this.rng.uniform(-b, b);
      this.xDot = this.rng.uniform(-b, b);
      this.theta = this.rng.uniform(-b, b);
      this.thetaDot = this.rng.uniform(-b, b);
    }
    this.needsReset = false;
    return { obs: this.observation(), info: {} };
  }

  /** Applies a push and integrates one Euler step of τ = 0.02 s. */
  step(action: number): StepResult<Float32Array> {
    if (this.needsReset)
      throw new ArbiterError('step-after-done', 'CartPole: call reset() before step() (episode ended)');
    if (action !== 0 && action !== 1)
      throw new ArbiterError('invalid-action', `CartPole: action must be 0 or 1, got ${String(action)}`);
    const { gravity, massCart, massPole, length, forceMag, tau } = CARTPOLE_PHYSICS;
    const totalMass = massPole + massCart;
    const poleMassLength = massPole * length;

    const force = action === 1 ? forceMag : -forceMag;
    const cosTheta = Math.cos(this.theta);
    const sinTheta = Math.sin(this.theta);
    const temp = (force + poleMassLength * this.thetaDot * this.thetaDot * sinTheta) / totalMass;
    const thetaAcc =
      (gravity * sinTheta - cosTheta * temp) /
      (length * (4.0 / 3.0 - (massPole * cosTheta * cosTheta) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cosTheta) / totalMass;

    // Explicit Euler: positions advance with the old velocities.
    this.x += tau * this.xDot;
    this.xDot += tau * xAcc;
    this.theta += tau * this.thetaDot;
    this.thetaDot += tau * thetaAcc;

    const terminated =
      this.x < -CARTPOLE_PHYSICS.xThreshold ||
      this.x > CARTPOLE_PHYSICS.xThreshold ||
      this.theta < -CARTPOLE_PHYSICS.thetaThreshold ||
      this.theta > CARTPOLE_PHYSICS.thetaThreshold;
    if (terminated) this.needsReset = true;
    return { obs: this.observation(), reward: 1, terminated, truncated: false, info: {} };
  }

  /** The current state in float64 `[x, ẋ, θ, θ̇]` (for tests and rendering). */
  getState(): [number, number, number, number] {
    return [this.x, this.xDot, this.theta, this.thetaDot];
  }

  private observation(): Float32Array {
    const obs = new Float32Array(4);
    obs[0] = this.x;
    obs[1] = this.xDot;
    obs[2] = this.theta;
    obs[3] = this.thetaDot;
    return obs;
  }
}
