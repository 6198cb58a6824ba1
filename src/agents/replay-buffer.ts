/**
 * Replay memory for off-policy algorithms (DQN): a circular buffer of transitions
 * `(obs, action, reward, nextObs, terminated, nextMask)` in typed arrays allocated once, so a
 * buffer of 1e6 transitions costs no allocation per env step.
 *
 * Only *termination* is stored: a transition cut by a time limit (truncated) still bootstraps
 * from `nextObs`, so for the target it is an ordinary transition.
 *
 * Persistence: {@link ReplayBuffer.getState}/{@link ReplayBuffer.setState} copy the filled part
 * (fine for small buffers, e.g. in tests); {@link ReplayBuffer.writeFile}/{@link ReplayBuffer.readFile}
 * stream it to one binary file, which is how DQN checkpoints it (see `DqnConfig.saveReplayBuffer`).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ArbiterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** Sizes of a {@link ReplayBuffer}. */
export interface ReplayBufferConfig {
  /** Maximum number of transitions kept (≥ 1); the oldest is overwritten when full. */
  capacity: number;
  /** Length of one flattened observation. */
  obsDim: number;
  /**
   * Number of discrete actions; when given, the buffer also stores the action mask of the next
   * state (`numActions` bytes per transition) so targets can maximise over allowed actions only.
   */
  maskDim?: number;
}

/** A sampled minibatch, row-major; reuse one across calls via {@link ReplayBuffer.createBatch}. */
export interface ReplayBatch {
  /** Number of rows. */
  batchSize: number;
  /** batchSize × obsDim observations. */
  obs: Float32Array;
  /** Action taken in each row. */
  actions: Int32Array;
  /** Reward of each row. */
  rewards: Float32Array;
  /** batchSize × obsDim next observations. */
  nextObs: Float32Array;
  /** 1 where the next state is terminal (no bootstrap). */
  terminated: Uint8Array;
  /** batchSize × maskDim next-state masks (1 = allowed), when the buffer stores masks. */
  nextMasks: Uint8Array | undefined;
  /** Buffer slot of each row. */
  indices: Int32Array;
}

/** Plain state of a {@link ReplayBuffer}: sizes, cursor, and the filled slots `[0, size)`. */
export interface ReplayBufferState {
  capacity: number;
  obsDim: number;
  maskDim: number;
  /** Number of filled slots. */
  size: number;
  /** Next slot to write. */
  pos: number;
  obs: Float32Array;
  nextObs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  nextMasks: Uint8Array;
}

/** Magic text at the start of a replay-buffer file, with a format version. */
const FILE_MAGIC = 'ARBRB1\n';

/** Circular replay memory with uniform seeded sampling. */
export class ReplayBuffer {
  /** Maximum number of transitions. */
  readonly capacity: number;
  /** Length of one observation. */
  readonly obsDim: number;
  /** Mask length per transition (0 = masks not stored). */
  readonly maskDim: number;
  /** capacity × obsDim observations (slot-major). */
  readonly obs: Float32Array;
  /** capacity × obsDim next observations. */
  readonly nextObs: Float32Array;
  /** Action of each slot. */
  readonly actions: Int32Array;
  /** Reward of each slot. */
  readonly rewards: Float32Array;
  /** 1 where the slot's next state is terminal. */
  readonly terminated: Uint8Array;
  /** capacity × maskDim next-state masks (empty when maskDim = 0). */
  readonly nextMasks: Uint8Array;
  private pos = 0;
  private filled = 0;

  constructor(config: ReplayBufferConfig) {
    const { capacity, obsDim } = config;
    const maskDim = config.maskDim ?? 0;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new ArbiterError(
        'invalid-config',
        `ReplayBuffer: capacity must be an integer ≥ 1, got ${capacity}`,
      );
    if (!Number.isInteger(obsDim) || obsDim < 1)
      throw new ArbiterError('invalid-config', `ReplayBuffer: obsDim must be an integer ≥ 1, got ${obsDim}`);
    if (!Number.isInteger(maskDim) || maskDim < 0)
      throw new ArbiterError(
        'invalid-config',
        `ReplayBuffer: maskDim must be an integer ≥ 0, got ${maskDim}`,
      );
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.maskDim = maskDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.nextMasks = new Uint8Array(capacity * maskDim);
  }

  /** Number of stored transitions (≤ capacity). */
  get size(): number {
    return this.filled;
  }

  /** Slot the next {@link add} writes (the oldest transition once the buffer is full). */
  get position(): number {
    return this.pos;
  }

  /** Whether every slot holds a transition. */
  get full(): boolean {
    return this.filled === this.capacity;
  }

  /**
   * Stores one transition, overwriting the oldest when full. Copies the arrays (the caller may
   * reuse them). `nextMask` is required when the buffer stores masks.
   * @param obs - observation (obsDim values) the action was taken in
   * @param action - discrete action index
   * @param reward - reward of the transition
   * @param nextObs - observation after the action (for a truncated episode: its last observation)
   * @param terminated - whether nextObs is terminal (NOT truncated)
   * @param nextMask - allowed actions in nextObs (maskDim bytes)
   */
  add(
    obs: ArrayLike<number>,
    action: number,
    reward: number,
    nextObs: ArrayLike<number>,
    terminated: boolean,
    nextMask?: ArrayLike<number>,
  ): void {
    const d = this.obsDim;
    const p = this.pos;
    const o = p * d;
    for (let j = 0; j < d; j++) {
      this.obs[o + j] = obs[j]!;
      this.nextObs[o + j] = nextObs[j]!;
    }
    this.actions[p] = action;
    this.rewards[p] = reward;
    this.terminated[p] = terminated ? 1 : 0;
    const m = this.maskDim;
    if (m > 0) {
      if (!nextMask)
        throw new ArbiterError('missing-mask', 'ReplayBuffer.add: this buffer stores masks; pass nextMask');
      for (let j = 0; j < m; j++) this.nextMasks[p * m + j] = nextMask[j] ? 1 : 0;
    }
    this.pos = p + 1 === this.capacity ? 0 : p + 1;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Allocates a batch of `batchSize` rows to pass to {@link sample} again and again. */
  createBatch(batchSize: number): ReplayBatch {
    return {
      batchSize,
      obs: new Float32Array(batchSize * this.obsDim),
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * this.obsDim),
      terminated: new Uint8Array(batchSize),
      nextMasks: this.maskDim > 0 ? new Uint8Array(batchSize * this.maskDim) : undefined,
      indices: new Int32Array(batchSize),
    };
  }

  /**
   * Draws `out.batchSize` transitions uniformly, with replacement, from the filled slots (as
   * Stable-Baselines3), into `out`. Returns `out`.
   */
  sample(rng: Rng, out: ReplayBatch): ReplayBatch {
    if (this.filled === 0) throw new ArbiterError('empty-buffer', 'ReplayBuffer.sample: the buffer is empty');
    const d = this.obsDim;
    const m = this.maskDim;
    for (let i = 0; i < out.batchSize; i++) {
      const k = rng.int(this.filled);
      out.indices[i] = k;
      out.obs.set(this.obs.subarray(k * d, k * d + d), i * d);
      out.nextObs.set(this.nextObs.subarray(k * d, k * d + d), i * d);
      out.actions[i] = this.actions[k]!;
      out.rewards[i] = this.rewards[k]!;
      out.terminated[i] = this.terminated[k]!;
      if (m > 0 && out.nextMasks) out.nextMasks.set(this.nextMasks.subarray(k * m, k * m + m), i * m);
    }
    return out;
  }

  /** Forgets every transition (keeps the memory). */
  clear(): void {
    this.pos = 0;
    this.filled = 0;
  }

  /** A copy of the filled part and the cursor (allocates; meant for small buffers). */
  getState(): ReplayBufferState {
    const n = this.filled;
    return {
      capacity: this.capacity,
      obsDim: this.obsDim,
      maskDim: this.maskDim,
      size: n,
      pos: this.pos,
      obs: this.obs.slice(0, n * this.obsDim),
      nextObs: this.nextObs.slice(0, n * this.obsDim),
      actions: this.actions.slice(0, n),
      rewards: this.rewards.slice(0, n),
      terminated: this.terminated.slice(0, n),
      nextMasks: this.nextMasks.slice(0, n * this.maskDim),
    };
  }

  /** Restores a state from {@link getState} into this buffer; the sizes must match. */
  setState(state: ReplayBufferState): void {
    if (state.capacity !== this.capacity || state.obsDim !== this.obsDim || state.maskDim !== this.maskDim)
      throw new ArbiterError(
        'buffer-shape-mismatch',
        `ReplayBuffer.setState: state has capacity ${state.capacity}, obsDim ${state.obsDim}, maskDim ${state.maskDim}; ` +
          `this buffer has ${this.capacity}, ${this.obsDim}, ${this.maskDim}`,
      );
    const n = state.size;
    if (!(Number.isInteger(n) && n >= 0 && n <= this.capacity && state.pos >= 0 && state.pos < this.capacity))
      throw new ArbiterError(
        'corrupt-buffer-state',
        `ReplayBuffer.setState: bad size ${n} or pos ${state.pos}`,
      );
    this.obs.set(state.obs.subarray(0, n * this.obsDim));
    this.nextObs.set(state.nextObs.subarray(0, n * this.obsDim));
    this.actions.set(state.actions.subarray(0, n));
    this.rewards.set(state.rewards.subarray(0, n));
    this.terminated.set(state.terminated.subarray(0, n));
    this.nextMasks.set(state.nextMasks.subarray(0, n * this.maskDim));
    this.filled = n;
    this.pos = state.pos;
  }

  /**
   * Writes the buffer to one binary file: a JSON header line after a magic line, then the
   * filled part of each array, little-endian, without copying the arrays.
   */
  writeFile(path: string): void {
    const n = this.filled;
    const header = {
      capacity: this.capacity,
      obsDim: this.obsDim,
      maskDim: this.maskDim,
      size: n,
      pos: this.pos,
      littleEndian: isLittleEndian(),
    };
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, FILE_MAGIC + JSON.stringify(header) + '\n');
      // Pad to 4 bytes so every array section can be viewed in place when read back.
      const headerBytes = Buffer.byteLength(FILE_MAGIC + JSON.stringify(header) + '\n');
      writeSync(fd, new Uint8Array((4 - (headerBytes % 4)) % 4));
      for (const section of this.sections(n)) {
        writeSync(fd, new Uint8Array(section.buffer, section.byteOffset, section.byteLength));
        writeSync(fd, new Uint8Array((4 - (section.byteLength % 4)) % 4));
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Reads a file written by {@link writeFile} into a new buffer. */
  static readFile(path: string): ReplayBuffer {
    const bytes = readFileSync(path);
    const text = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('latin1');
    const headerEnd = text.indexOf('\n', FILE_MAGIC.length);
    if (!text.startsWith(FILE_MAGIC) || headerEnd < 0)
      throw new ArbiterError('corrupt-buffer-file', `${path}: not a replay-buffer file`);
    const header = JSON.parse(text.slice(FILE_MAGIC.length, headerEnd)) as {
      capacity: number;
      obsDim: number;
      maskDim: number;
      size: number;
      pos: number;
      littleEndian: boolean;
    };
    if (header.littleEndian !== isLittleEndian())
      throw new ArbiterError('corrupt-buffer-file', `${path}: written on a machine of the other byte order`);
    const buffer = new ReplayBuffer(header);
    const n = header.size;
    let offset = headerEnd + 1;
    offset += (4 - (offset % 4)) % 4;
    for (const section of buffer.sections(n)) {
      const len = section.byteLength;
      if (offset + len > bytes.length)
        throw new ArbiterError('corrupt-buffer-file', `${path}: file is truncated`);
      new Uint8Array(section.buffer, section.byteOffset, len).set(bytes.subarray(offset, offset + len));
      offset += len + ((4 - (len % 4)) % 4);
    }
    buffer.filled = n;
    buffer.pos = header.pos;
    return buffer;
  }

  /** Views of the first n slots of every array, in file order. */
  private sections(n: number): ArrayBufferView[] {
    return [
      this.obs.subarray(0, n * this.obsDim),
      this.nextObs.subarray(0, n * this.obsDim),
      this.actions.subarray(0, n),
      this.rewards.subarray(0, n),
      this.terminated.subarray(0, n),
      this.nextMasks.subarray(0, n * this.maskDim),
    ];
  }
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
