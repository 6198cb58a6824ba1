/**
 * GridWorld-v0: the grid world of the seed article (AIOS), with its exact transition model.
 *
 * ## Description
 *
 * An agent walks on a rows × cols grid from a start cell to a goal cell, around walls and past
 * holes. Every step samples the exact {@link GridWorldModel} ({@link TabularModel}), so the env and
 * the model that Q-iteration solves for the optimal values cannot disagree.
 *
 * ## Action space
 *
 * `Discrete(4)`, clockwise from up ({@link GRID_ACTIONS}): 0 up, 1 right, 2 down, 3 left. A move
 * off the grid or into a wall leaves the agent in place. With `slip` > 0 the agent moves in one of
 * the two perpendicular directions instead, each with probability `slip / 2`. No mask.
 *
 * ## Observation space
 *
 * `Discrete(rows · cols)`: a single number.
 *
 * | index | name | meaning | range |
 * |---|---|---|---|
 * | — | state | cell index `row · cols + col`, row 0 at the top | {0, …, rows · cols − 1} |
 *
 * ## Rewards
 *
 * `goalReward` (default 1) for entering a goal, `holeReward` (default 0) for entering a hole,
 * `stepReward` (default 0) for every other move, bumping into a wall included.
 *
 * ## Starting state
 *
 * The `start` cell (default `[0, 0]`), which must be free. `reset({ options: { state } })` starts
 * from another free cell index (else `invalid-env-options`). The seed only matters with `slip`.
 *
 * ## Episode end
 *
 * - Termination: entering a goal or a hole.
 * - Truncation: after 100 steps, by the TimeLimit wrapper that `makeEnv` adds from
 *   {@link GRIDWORLD_SPEC}; the env itself never truncates.
 *
 * `step()` after termination without `reset()` throws `step-after-done`.
 *
 * ## Options
 *
 * {@link GridWorldOptions}, checked by {@link GRIDWORLD_OPTIONS_SCHEMA} (strict: unknown keys are
 * refused); cells are `[row, col]` integer pairs inside the grid:
 *
 * | option | default | rule | meaning |
 * |---|---|---|---|
 * | size | 4 | integer ≥ 1 | side of a square grid |
 * | rows, cols | `size` | integer ≥ 1 | grid height and width (override `size`) |
 * | start | `[0, 0]` | free cell | start cell |
 * | goals | bottom-right cell | cells | terminal goal cells |
 * | walls | none | cells | cells that cannot be entered |
 * | holes | none | cells | terminal hole cells |
 * | stepReward | 0 | finite | reward of a move that enters no goal or hole |
 * | goalReward | 1 | finite | reward of entering a goal |
 * | holeReward | 0 | finite | reward of entering a hole |
 * | slip | 0 | [0, 1] | probability that a move slips sideways |
 *
 * A cell may be only one of wall, hole and goal; the start must be none of them.
 */
import { z } from 'zod';
import { parseConfig, zc, type ConfigShape } from '../core/config-schema.js';
import type { Env, EnvSpec, ResetOptions, ResetResult, StepResult } from '../core/env.js';
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Discrete } from '../core/spaces.js';
import { sampleTransition, type TabularModel, type TabularTransition } from './tabular-model.js';

/** A cell as `[row, col]`, row 0 at the top. */
export type GridCell = readonly [row: number, col: number];

/** Action indices of GridWorld (clockwise from up). */
export const GRID_ACTIONS = { up: 0, right: 1, down: 2, left: 3 } as const;

/** Row and column offsets of each action, indexed by action. */
const MOVES: readonly GridCell[] = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];

/** Configuration of a {@link GridWorld}; every field is optional. */
export interface GridWorldOptions {
  /** Side of a square grid (default 4); overridden by `rows`/`cols`. */
  size?: number;
  /** Number of rows (default `size`). */
  rows?: number;
  /** Number of columns (default `size`). */
  cols?: number;
  /** Start cell (default `[0, 0]`). */
  start?: GridCell;
  /** Goal cells, terminal (default the bottom-right cell). */
  goals?: readonly GridCell[];
  /** Wall cells: moving into one (or off the grid) leaves the agent in place (default none). */
  walls?: readonly GridCell[];
  /** Hole cells, terminal (default none). */
  holes?: readonly GridCell[];
  /** Reward of every move that does not enter a goal or hole (default 0). */
  stepReward?: number;
  /** Reward of entering a goal (default 1). */
  goalReward?: number;
  /** Reward of entering a hole (default 0). */
  holeReward?: number;
  /**
   * Probability that a move slips (default 0 = deterministic): with probability `slip` the agent
   * moves in one of the two perpendicular directions instead (each `slip / 2`).
   */
  slip?: number;
}

const CELL = z.tuple([zc.int(0), zc.int(0)]);

/** Rules of every {@link GridWorldOptions} key (strict: unknown keys are refused). */
export const GRIDWORLD_OPTIONS_SCHEMA = z
  .object({
    size: zc.int(1).optional(),
    rows: zc.int(1).optional(),
    cols: zc.int(1).optional(),
    start: CELL.optional(),
    goals: z.array(CELL).optional(),
    walls: z.array(CELL).optional(),
    holes: z.array(CELL).optional(),
    stepReward: zc.finite().optional(),
    goalReward: zc.finite().optional(),
    holeReward: zc.finite().optional(),
    slip: zc.unit().optional(),
  } satisfies ConfigShape<GridWorldOptions>)
  .strict();

/** Registration facts of GridWorld-v0 (the step limit only matters for policies that wander). */
export const GRIDWORLD_SPEC: EnvSpec = { id: 'GridWorld-v0', maxEpisodeSteps: 100 };

/** Cell kinds stored in a Uint8Array. */
const CellKind = { Free: 0, Wall: 1, Hole: 2, Goal: 3 } as const;
type CellKind = (typeof CellKind)[keyof typeof CellKind];

/**
 * The exact MDP of a grid world. State index = `row * cols + col`. Goal and hole cells are
 * terminal; wall cells are unreachable and treated as terminal (value 0) so every index is valid.
 * Transitions are precomputed once, so `transitions(s, a)` does not allocate.
 */
export class GridWorldModel implements TabularModel {
  /** rows × cols. */
  readonly numStates: number;
  /** 4 (up, right, down, left). */
  readonly numActions = 4;
  /** Index of the start cell. */
  readonly initialState: number;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Slip probability. */
  readonly slip: number;
  private readonly kinds: Uint8Array;
  private readonly table: TabularTransition[][];

  constructor(options: GridWorldOptions = {}) {
    const size = options.size ?? 4;
    this.rows = options.rows ?? size;
    this.cols = options.cols ?? size;
    if (!Number.isInteger(this.rows) || !Number.isInteger(this.cols) || this.rows < 1 || this.cols < 1)
      throw invalid(`rows and cols must be integers ≥ 1, got ${this.rows}×${this.cols}`);
    this.numStates = this.rows * this.cols;
    this.slip = options.slip ?? 0;
    if (!(this.slip >= 0 && this.slip <= 1)) throw invalid(`slip must be in [0, 1], got ${this.slip}`);
    const stepReward = finite(options.stepReward ?? 0, 'stepReward');
    const goalReward = finite(options.goalReward ?? 1, 'goalReward');
    const holeReward = finite(options.holeReward ?? 0, 'holeReward');

    this.kinds = new Uint8Array(this.numStates);
    const mark = (cells: readonly GridCell[] | undefined, kind: CellKind, name: string): void => {
      for (const cell of cells ?? []) {
        const s = this.cellIndex(cell, name);
        if (this.kinds[s] !== CellKind.Free)
          throw invalid(`${name} cell [${cell.join(', ')}] is already used`);
        this.kinds[s] = kind;
      }
    };
    mark(options.walls, CellKind.Wall, 'wall');
    mark(options.holes, CellKind.Hole, 'hole');
    mark(options.goals ?? [[this.rows - 1, this.cols - 1]], CellKind.Goal, 'goal');
    this.initialState = this.cellIndex(options.start ?? [0, 0], 'start');
    if (this.kinds[this.initialState] !== CellKind.Free)
      throw invalid('the start cell must not be a wall, hole or goal');

    const rewardOf = (s: number): number =>
      this.kinds[s] === CellKind.Goal
        ? goalReward
        : this.kinds[s] === CellKind.Hole
          ? holeReward
          : stepReward;
    this.table = [];
    for (let s = 0; s < this.numStates; s++) {
      for (let a = 0; a < 4; a++) {
        if (this.isTerminal(s)) {
          this.table.push([{ p: 1, next: s, reward: 0, done: true }]);
          continue;
        }
        // Intended move, then the two perpendicular slips; outcomes with the same cell merge.
        const probs = new Map<number, number>();
        const add = (dir: number, p: number): void => {
          if (p <= 0) return;
          const next = this.move(s, dir);
          probs.set(next, (probs.get(next) ?? 0) + p);
        };
        add(a, 1 - this.slip);
        add((a + 1) % 4, this.slip / 2);
        add((a + 3) % 4, this.slip / 2);
        this.table.push(
          [...probs].map(([next, p]) => ({ p, next, reward: rewardOf(next), done: this.isTerminal(next) })),
        );
      }
    }
  }

  /** Outcomes of action `a` in state `s` (shared arrays; do not mutate). */
  transitions(s: number, a: number): readonly TabularTransition[] {
    const t = this.table[s * 4 + a];
    if (!t) throw new ArbiterError('invalid-action', `GridWorld: no transition for state ${s}, action ${a}`);
    return t;
  }

  /** Goals, holes and (unreachable) walls are terminal. */
  isTerminal(s: number): boolean {
    return this.kinds[s] !== CellKind.Free;
  }

  /** Whether cell index `s` is a wall. */
  isWall(s: number): boolean {
    return this.kinds[s] === CellKind.Wall;
  }

  /** State index of a `[row, col]` cell. */
  index(row: number, col: number): number {
    return row * this.cols + col;
  }

  /** `[row, col]` of a state index. */
  cell(s: number): [number, number] {
    return [Math.floor(s / this.cols), s % this.cols];
  }

  /**
   * Text picture of the grid: `S` start, `G` goal, `H` hole, `#` wall, `.` free; with `policy`
   * free cells show the action as an arrow.
   */
  render(policy?: ArrayLike<number>, agent?: number): string {
    const arrows = ['↑', '→', '↓', '←'];
    const lines: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      let line = '';
      for (let c = 0; c < this.cols; c++) {
        const s = this.index(r, c);
        const k = this.kinds[s];
        let ch = k === CellKind.Wall ? '#' : k === CellKind.Hole ? 'H' : k === CellKind.Goal ? 'G' : '.';
        if (k === CellKind.Free && policy) ch = arrows[policy[s]!] ?? '?';
        if (k === CellKind.Free && !policy && s === this.initialState) ch = 'S';
        if (s === agent) ch = 'A';
        line += ch;
      }
      lines.push(line);
    }
    return lines.join('\n');
  }

  private move(s: number, dir: number): number {
    const [r, c] = this.cell(s);
    const [dr, dc] = MOVES[dir]!;
    const nr = r + dr;
    const nc = c + dc;
    if (nr < 0 || nr >= this.rows || nc < 0 || nc >= this.cols) return s;
    const next = this.index(nr, nc);
    return this.kinds[next] === CellKind.Wall ? s : next;
  }

  private cellIndex(cell: GridCell, name: string): number {
    const [r, c] = cell;
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 0 || r >= this.rows || c < 0 || c >= this.cols)
      throw invalid(`${name} cell [${cell.join(', ')}] is outside the ${this.rows}×${this.cols} grid`);
    return this.index(r, c);
  }
}

/** GridWorld-v0 (see the module comment). */
export class GridWorld implements Env<number, number> {
  /** The exact transition model. */
  readonly model: GridWorldModel;
  /** Discrete(rows·cols): the state index. */
  readonly observationSpace: Discrete;
  /** Discrete(4): up, right, down, left. */
  readonly actionSpace = new Discrete(4);
  /** Id and limits. */
  readonly spec = GRIDWORLD_SPEC;

  private rng = new Rng(0);
  private state = 0;
  private needsReset = true;

  constructor(options: GridWorldOptions = {}) {
    parseConfig(GRIDWORLD_OPTIONS_SCHEMA, options, { source: 'GridWorld options', what: 'GridWorld-v0' });
    this.model = new GridWorldModel(options);
    this.observationSpace = new Discrete(this.model.numStates);
  }

  /** Starts at the start cell (or `options.state`). */
  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) this.rng = new Rng(options.seed);
    const given = options.options?.['state'];
    if (given !== undefined) {
      if (!this.observationSpace.contains(given) || this.model.isTerminal(given))
        throw new ArbiterError(
          'invalid-env-options',
          `GridWorld: options.state ${String(given)} is not a free cell`,
        );
      this.state = given;
    } else this.state = this.model.initialState;
    this.needsReset = false;
    return { obs: this.state, info: {} };
  }

  /** Moves (possibly slipping) and returns the new cell index. */
  step(action: number): StepResult<number> {
    if (this.needsReset)
      throw new ArbiterError('step-after-done', 'GridWorld: call reset() before step() (episode ended)');
    if (!this.actionSpace.contains(action))
      throw new ArbiterError('invalid-action', `GridWorld: action must be 0…3, got ${String(action)}`);
    const t = sampleTransition(this.model, this.state, action, this.rng);
    this.state = t.next;
    if (t.done) this.needsReset = true;
    return { obs: t.next, reward: t.reward, terminated: t.done, truncated: false, info: {} };
  }

  /** Text picture with the agent's position. */
  render(): string {
    return this.model.render(undefined, this.state);
  }
}

function invalid(message: string): ArbiterError {
  return new ArbiterError('invalid-env-options', `GridWorld: ${message}`);
}

function finite(x: number, name: string): number {
  if (!Number.isFinite(x)) throw invalid(`${name} must be a finite number, got ${x}`);
  return x;
}
