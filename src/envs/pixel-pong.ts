/**
 * PixelPong-v0: Pong on a small grid of binary pixels, in the spirit of MinAtar's 10 × 10 games,
 * so that a DQN with a small CNN learns it on a CPU in minutes. Written for Arbiter: no ROM,
 * nothing downloaded.
 *
 * ## Description
 *
 * The agent's paddle moves up and down the rightmost column, a scripted opponent's paddle the
 * leftmost one. A ball moves one cell a step horizontally and at most one vertically, bounces off
 * the top and bottom walls and off the paddles. A paddle bounces the ball back with a vertical
 * direction set by where it hits (upper end: up, lower end: down, elsewhere: straight), so the
 * agent can aim. A ball that reaches a paddle's column past the paddle is a point for the other
 * side, and the next ball is served from the centre.
 *
 * The opponent tracks the ball: each step, with probability `opponentSpeed`, it moves its paddle's
 * centre one cell towards the ball's row (else it stays), so its speed is bounded and it can be
 * beaten by angled shots.
 *
 * ## Action space
 *
 * `Discrete(6)`, Atari Pong's minimal set ({@link PIXEL_PONG_ACTIONS}): 0 NOOP, 1 FIRE,
 * 2 RIGHT (up), 3 LEFT (down), 4 RIGHTFIRE (up), 5 LEFTFIRE (down). FIRE does nothing more than
 * NOOP (the ball is served by itself), as in Pong. A move beyond a wall leaves the paddle in
 * place. No mask. With `stickyActionProb` p > 0 the previous action is repeated instead of the
 * chosen one with probability p (Machado et al. 2018).
 *
 * ## Observation space
 *
 * `Box(0, 1, [H, W, 4])` of Float32, row-major `[row][col][channel]` (row 0 at the top), every
 * value 0 or 1 ({@link PIXEL_PONG_CHANNELS}):
 *
 * | channel | name | meaning |
 * |---|---|---|
 * | 0 | own paddle | cells of the agent's paddle (column W − 1) |
 * | 1 | opponent paddle | cells of the opponent's paddle (column 0) |
 * | 2 | ball | the ball's cell |
 * | 3 | trail | the ball's cell one step before (empty right after a serve) |
 *
 * The ball and trail tell the ball's direction, so one frame is a Markov state.
 *
 * ## Rewards
 *
 * +1 when the agent wins a point, −1 when the opponent does, 0 otherwise.
 *
 * ## Starting state
 *
 * Paddles centred; the ball served from a centre column in a random row of the middle half,
 * towards a random side, diagonally. After each point the ball is served again towards the side
 * that lost it. `reset({ seed })` re-seeds (serves, opponent, sticky actions); `reset()` continues
 * the stream (seed 0 at first).
 *
 * ## Episode end
 *
 * - Termination: one side reaches `pointsToWin` points (default 21); `info.agentScore` and
 *   `info.opponentScore` are given on every step.
 * - Truncation: after 5000 steps, by the TimeLimit wrapper that `makeEnv` adds from
 *   {@link PIXEL_PONG_SPEC}; the env itself never truncates.
 *
 * `step()` after termination without `reset()` throws `step-after-done`.
 *
 * ## Options
 *
 * {@link PixelPongOptions}, checked by {@link PIXEL_PONG_OPTIONS_SCHEMA} (strict):
 *
 * | option | default | rule | meaning |
 * |---|---|---|---|
 * | rows | 10 | integer ≥ 5 | grid height H |
 * | cols | 10 | integer ≥ 5 | grid width W |
 * | paddleHeight | 3 | integer in [1, rows − 1] | cells of each paddle |
 * | opponentSpeed | 0.6 | [0, 1] | probability that the opponent moves a cell in a step |
 * | pointsToWin | 21 | integer ≥ 1 | points that end the episode |
 * | stickyActionProb | 0 | [0, 1) | probability of repeating the previous action |
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import type { Env, EnvSpec, Info, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Box, Discrete } from '../core/spaces.js';

/** Action indices of PixelPong, Atari Pong's minimal action set. */
export const PIXEL_PONG_ACTIONS = {
  noop: 0,
  fire: 1,
  right: 2,
  left: 3,
  rightFire: 4,
  leftFire: 5,
} as const;

/** Paddle move of each action: −1 up, +1 down (RIGHT moves up, as in Atari Pong). */
const MOVE: readonly number[] = [0, 0, -1, 1, -1, 1];

/** Channel indices of the observation. */
export const PIXEL_PONG_CHANNELS = { ownPaddle: 0, opponentPaddle: 1, ball: 2, trail: 3 } as const;

/** Number of observation channels. */
const CHANNELS = 4;

/** Options of {@link PixelPong}; every field has a default. */
export interface PixelPongOptions {
  /** Grid height H (default 10). */
  rows?: number;
  /** Grid width W (default 10). */
  cols?: number;
  /** Cells of each paddle (default 3). */
  paddleHeight?: number;
  /** Probability that the opponent moves one cell towards the ball in a step (default 0.6). */
  opponentSpeed?: number;
  /** Points of one side that end the episode (default 21). */
  pointsToWin?: number;
  /** Probability of repeating the previous action instead of the chosen one (default 0). */
  stickyActionProb?: number;
}

/** Rules of every {@link PixelPongOptions} key (strict); the constructor checks the paddle against the rows. */
export const PIXEL_PONG_OPTIONS_SCHEMA = z
  .object({
    rows: zc.int(5).optional(),
    cols: zc.int(5).optional(),
    paddleHeight: zc.int(1).optional(),
    opponentSpeed: zc.unit().optional(),
    pointsToWin: zc.int(1).optional(),
    stickyActionProb: z.number().min(0).lt(1).optional(),
  } satisfies ConfigShape<PixelPongOptions>)
  .strict();

/** Registration facts of PixelPong-v0. */
export const PIXEL_PONG_SPEC: EnvSpec = { id: 'PixelPong-v0', maxEpisodeSteps: 5_000 };

/** The game state, for tests and rendering. */
export interface PixelPongState {
  /** Ball row and column. */
  ball: [row: number, col: number];
  /** Ball direction: row step (−1, 0, 1) and column step (−1, 1). */
  velocity: [dRow: number, dCol: number];
  /** Top row of the agent's paddle. */
  agentTop: number;
  /** Top row of the opponent's paddle. */
  opponentTop: number;
  /** Points of the agent and of the opponent. */
  score: [agent: number, opponent: number];
}

/** PixelPong-v0 (see the module comment). */
export class PixelPong implements Env<Float32Array, number> {
  /** Box(0, 1, [H, W, 4]). */
  readonly observationSpace: Box;
  /** Discrete(6), Atari Pong's actions. */
  readonly actionSpace = new Discrete(6);
  /** Id and limits. */
  readonly spec = PIXEL_PONG_SPEC;
  /** Grid height. */
  readonly rows: number;
  /** Grid width. */
  readonly cols: number;

  private readonly paddle: number;
  private readonly opponentSpeed: number;
  private readonly pointsToWin: number;
  private readonly sticky: number;
  private rng = new Rng(0);
  private ballRow = 0;
  private ballCol = 0;
  private dRow = 0;
  private dCol = 0;
  // Trail cell; −1 when empty (right after a serve).
  private trailRow = -1;
  private trailCol = -1;
  private agentTop = 0;
  private opponentTop = 0;
  private agentScore = 0;
  private opponentScore = 0;
  private lastAction = 0;
  private needsReset = true;

  constructor(options: PixelPongOptions = {}) {
    parseConfig(PIXEL_PONG_OPTIONS_SCHEMA, options, { source: 'PixelPong options', what: 'PixelPong-v0' });
    this.rows = options.rows ?? 10;
    this.cols = options.cols ?? 10;
    this.paddle = options.paddleHeight ?? 3;
    if (this.paddle >= this.rows)
      throw new ArbiterError(
        'invalid-env-options',
        `PixelPong: paddleHeight must be below rows (${this.rows}), got ${this.paddle}`,
      );
    this.opponentSpeed = options.opponentSpeed ?? 0.6;
    this.pointsToWin = options.pointsToWin ?? 21;
    this.sticky = options.stickyActionProb ?? 0;
    this.observationSpace = new Box(0, 1, [this.rows, this.cols, CHANNELS]);
  }

  /** Starts a game at 0 : 0 with centred paddles and a random serve. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const centre = Math.floor((this.rows - this.paddle) / 2);
    this.agentTop = centre;
    this.opponentTop = centre;
    this.agentScore = 0;
    this.opponentScore = 0;
    this.lastAction = PIXEL_PONG_ACTIONS.noop;
    this.serve(this.rng.bernoulli(0.5) ? 1 : -1);
    this.needsReset = false;
    return { obs: this.observation(), info: this.info() };
  }

  /** Moves both paddles, then the ball; scores a point when the ball passes a paddle. */
  step(action: number): StepResult<Float32Array> {
    if (this.needsReset)
      throw new ArbiterError('step-after-done', 'PixelPong: call reset() before step() (episode ended)');
    if (!this.actionSpace.contains(action))
      throw new ArbiterError(
        'invalid-action',
        `PixelPong: action must be an integer in [0, 5], got ${String(action)}`,
      );
    // The draw happens every step (not only when p > 0 matters) so the stream is fixed per seed.
    const a = this.sticky > 0 && this.rng.random() < this.sticky ? this.lastAction : action;
    this.lastAction = a;
    const maxTop = this.rows - this.paddle;
    this.agentTop = clamp(this.agentTop + MOVE[a]!, 0, maxTop);
    if (this.rng.random() < this.opponentSpeed) {
      const centre = this.opponentTop + (this.paddle - 1) / 2;
      const towards = this.ballRow < centre ? -1 : this.ballRow > centre ? 1 : 0;
      this.opponentTop = clamp(this.opponentTop + towards, 0, maxTop);
    }
    const reward = this.moveBall();
    const terminated = this.agentScore >= this.pointsToWin || this.opponentScore >= this.pointsToWin;
    if (terminated) this.needsReset = true;
    return { obs: this.observation(), reward, terminated, truncated: false, info: this.info() };
  }

  /** The game state (copies), for tests and rendering. */
  getState(): PixelPongState {
    return {
      ball: [this.ballRow, this.ballCol],
      velocity: [this.dRow, this.dCol],
      agentTop: this.agentTop,
      opponentTop: this.opponentTop,
      score: [this.agentScore, this.opponentScore],
    };
  }

  /** One ball step: wall bounce, paddle bounce or point. Returns the reward (±1 on a point). */
  private moveBall(): number {
    let row = this.ballRow + this.dRow;
    if (row < 0 || row >= this.rows) {
      this.dRow = -this.dRow;
      row = this.ballRow + this.dRow;
    }
    const col = this.ballCol + this.dCol;
    const agentSide = col === this.cols - 1;
    if (agentSide || col === 0) {
      const top = agentSide ? this.agentTop : this.opponentTop;
      if (row >= top && row < top + this.paddle) {
        // Bounce: the ball touches the paddle and turns; where it hits sets its angle.
        this.trailRow = this.ballRow;
        this.trailCol = this.ballCol;
        this.ballRow = row;
        this.dCol = -this.dCol;
        this.dRow = this.paddle === 1 ? this.dRow : row === top ? -1 : row === top + this.paddle - 1 ? 1 : 0;
        return 0;
      }
      if (agentSide) this.opponentScore++;
      else this.agentScore++;
      // The next ball goes towards the side that lost the point.
      this.serve(agentSide ? 1 : -1);
      return agentSide ? -1 : 1;
    }
    this.trailRow = this.ballRow;
    this.trailCol = this.ballCol;
    this.ballRow = row;
    this.ballCol = col;
    return 0;
  }

  /** Puts the ball in a centre column, a random row of the middle half, moving diagonally towards `dCol`. */
  private serve(dCol: number): void {
    const lo = Math.floor(this.rows / 4);
    const hi = Math.max(lo, Math.ceil((3 * this.rows) / 4) - 1);
    this.ballRow = this.rng.intBetween(lo, hi);
    this.ballCol = dCol > 0 ? Math.floor((this.cols - 1) / 2) : Math.ceil((this.cols - 1) / 2);
    this.dCol = dCol;
    this.dRow = this.rng.bernoulli(0.5) ? 1 : -1;
    this.trailRow = -1;
    this.trailCol = -1;
  }

  private info(): Info {
    return { agentScore: this.agentScore, opponentScore: this.opponentScore };
  }

  private observation(): Float32Array {
    const W = this.cols;
    const obs = new Float32Array(this.rows * W * CHANNELS);
    const at = (r: number, c: number, ch: number): number => (r * W + c) * CHANNELS + ch;
    for (let k = 0; k < this.paddle; k++) {
      obs[at(this.agentTop + k, W - 1, PIXEL_PONG_CHANNELS.ownPaddle)] = 1;
      obs[at(this.opponentTop + k, 0, PIXEL_PONG_CHANNELS.opponentPaddle)] = 1;
    }
    obs[at(this.ballRow, this.ballCol, PIXEL_PONG_CHANNELS.ball)] = 1;
    if (this.trailRow >= 0) obs[at(this.trailRow, this.trailCol, PIXEL_PONG_CHANNELS.trail)] = 1;
    return obs;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
