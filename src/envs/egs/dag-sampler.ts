/**
 * Seeded sampler of training DAG tasks for EGS: random size, family (layered or fork-join),
 * density, shape and deadline tightness, every choice drawn from the caller's {@link Rng}. Its
 * ranges can be changed between episodes (`configure`), which is all a curriculum needs.
 */
import { z } from 'zod';
import type { ConfigShape } from '../../core/config-schema.js';
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { Dag } from '../../dag/dag-task.js';
import { generateDag, type DagKind } from '../../dag/generate/generate-dag.js';

/** An inclusive range `[lo, hi]`. */
export type SamplerRange = readonly [number, number];

/** Options of {@link DagSampler}; every field has a default. */
export interface DagSamplerOptions {
  /** Node count range, integers (default `[10, 50]`). */
  nodes: SamplerRange;
  /** Families drawn uniformly (default both). */
  kinds: readonly DagKind[];
  /** Layered: adjacent-layer edge probability (density), in [0, 1] (default `[0.1, 0.5]`). */
  edgeProbability: SamplerRange;
  /** Layered: number of layers = `round(√n · f)` with f drawn from this range (default `[0.6, 1.6]`). */
  layersFactor: SamplerRange;
  /** Layered: probability of zero-WCET dummy source and sink, as in STG files (default 0.25). */
  dummyProbability: number;
  /** Fork-join: probability that a branch nests another block, in [0, 1] (default `[0.3, 0.7]`). */
  nestProbability: SamplerRange;
  /** Slack factor s of `D = ⌈L + s·(vol − L)⌉`, within [0, 1] (default `[0, 0.5]`: tight deadlines). */
  slack: SamplerRange;
  /** WCET range, integers ≥ 1 (time units; default `[1, 20]`). */
  wcet: SamplerRange;
}

const RANGE = z.tuple([z.number().min(0), z.number().min(0)]);

/** Rules of every {@link DagSamplerOptions} key, all optional (strict: unknown keys are refused). */
export const DAG_SAMPLER_OPTIONS_SCHEMA = z
  .object({
    nodes: RANGE.optional(),
    kinds: z
      .array(z.enum(['layered', 'fork-join']))
      .min(1)
      .optional(),
    edgeProbability: RANGE.optional(),
    layersFactor: RANGE.optional(),
    dummyProbability: z.number().min(0).max(1).optional(),
    nestProbability: RANGE.optional(),
    slack: RANGE.optional(),
    wcet: RANGE.optional(),
  } satisfies ConfigShape<DagSamplerOptions>)
  .strict();

/** The default sampler options (sizes 10–50, both families, slack ≤ 0.5). */
export const DEFAULT_DAG_SAMPLER_OPTIONS: Readonly<DagSamplerOptions> = Object.freeze<DagSamplerOptions>({
  nodes: [10, 50],
  kinds: ['layered', 'fork-join'],
  edgeProbability: [0.1, 0.5],
  layersFactor: [0.6, 1.6],
  dummyProbability: 0.25,
  nestProbability: [0.3, 0.7],
  slack: [0, 0.5],
  wcet: [1, 20],
});

/** Samples DAG tasks with deadlines; see the file comment. */
export class DagSampler {
  private opts: DagSamplerOptions;

  /** @param options - overrides of {@link DEFAULT_DAG_SAMPLER_OPTIONS} */
  constructor(options: Partial<DagSamplerOptions> = {}) {
    this.opts = validate({ ...DEFAULT_DAG_SAMPLER_OPTIONS, ...options });
  }

  /** The current options (a copy). */
  get options(): DagSamplerOptions {
    return { ...this.opts };
  }

  /** Changes some options for the following samples (e.g. the size range of a curriculum stage). */
  configure(options: Partial<DagSamplerOptions>): void {
    this.opts = validate({ ...this.opts, ...options });
  }

  /**
   * One DAG task with a deadline. Draws, in order: family, node count, shape parameters, slack,
   * and the generator's seed, all from `rng`; the same rng state gives the same task.
   */
  sample(rng: Rng): Dag {
    const o = this.opts;
    const kind = o.kinds[rng.int(o.kinds.length)]!;
    const nodes = rng.intBetween(o.nodes[0], o.nodes[1]);
    const edgeProbability = rng.uniform(o.edgeProbability[0], o.edgeProbability[1]);
    const layersFactor = rng.uniform(o.layersFactor[0], o.layersFactor[1]);
    const dummies = rng.random() < o.dummyProbability && nodes >= 5;
    const nestProbability = rng.uniform(o.nestProbability[0], o.nestProbability[1]);
    const slack = rng.uniform(o.slack[0], o.slack[1]);
    const seed = rng.nextUint32();
    const random = dummies ? nodes - 2 : nodes;
    return generateDag({
      kind,
      nodes,
      seed,
      slack,
      wcetMin: o.wcet[0],
      wcetMax: o.wcet[1],
      edgeProbability,
      layers: Math.max(1, Math.round(Math.sqrt(random) * layersFactor)),
      singleSourceSink: dummies,
      nestProbability,
    });
  }
}

/**
 * The node range of a linear size curriculum at `progress` ∈ [0, 1]: each end interpolated from
 * `start` to `end` and rounded (e.g. `[10, 20]` → `[10, 50]`).
 */
export function curriculumNodeRange(
  progress: number,
  start: SamplerRange,
  end: SamplerRange,
): [number, number] {
  const p = Math.min(1, Math.max(0, progress));
  const lo = Math.round(start[0] + p * (end[0] - start[0]));
  const hi = Math.round(start[1] + p * (end[1] - start[1]));
  return [lo, Math.max(lo, hi)];
}

function validate(o: DagSamplerOptions): DagSamplerOptions {
  const range = (name: string, r: SamplerRange, lo: number, hi: number, integer: boolean): void => {
    const ok =
      Array.isArray(r) &&
      r.length === 2 &&
      r.every((x) => Number.isFinite(x) && x >= lo && x <= hi && (!integer || Number.isInteger(x))) &&
      r[0] <= r[1];
    if (!ok)
      throw new ArbiterError(
        'bad-option',
        `DagSampler: ${name} must be a range [lo, hi] of ${integer ? 'integers' : 'numbers'} within [${lo}, ${hi}], got ${JSON.stringify(r)}`,
      );
  };
  range('nodes', o.nodes, 1, 1e6, true);
  range('edgeProbability', o.edgeProbability, 0, 1, false);
  range('layersFactor', o.layersFactor, 0, 100, false);
  range('nestProbability', o.nestProbability, 0, 1, false);
  range('slack', o.slack, 0, 1, false);
  range('wcet', o.wcet, 1, 1e9, true);
  if (!(o.dummyProbability >= 0 && o.dummyProbability <= 1))
    throw new ArbiterError(
      'bad-option',
      `DagSampler: dummyProbability must be in [0, 1], got ${o.dummyProbability}`,
    );
  if (
    !Array.isArray(o.kinds) ||
    o.kinds.length === 0 ||
    o.kinds.some((k) => k !== 'layered' && k !== 'fork-join')
  )
    throw new ArbiterError(
      'bad-option',
      `DagSampler: kinds must be a non-empty list of 'layered' / 'fork-join', got ${JSON.stringify(o.kinds)}`,
    );
  return { ...o, nodes: [...o.nodes], kinds: [...o.kinds] } as DagSamplerOptions;
}
