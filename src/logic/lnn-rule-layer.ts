/**
 * A layer of learnable LNN rules for policies: one weighted Łukasiewicz conjunction
 * per head (e.g. per action NeedTokens_0 / NeedTokens_x / NeedTokens_100) over the literals of a
 * fixed list of predicates — each predicate and, optionally, its negation:
 *
 *   `head_h = clamp(β_h − Σ_i w_hi (1 − ℓ_i))`,  ℓ_i = P_i (i < n) or 1 − P_{i−n} (i ≥ n).
 *
 * All parameters live in one Float64Array (`params`, head-major: `[β_h, w_h0 … w_h(m−1)]`), so an
 * RL algorithm can read, update and checkpoint them directly. {@link LnnRuleLayer.forward} and
 * {@link LnnRuleLayer.backward} allocate nothing (a decision costs about heads × 2n multiply-adds).
 * The gradient treats the clamp as the identity (straight-through), so that a saturated head
 * still learns; {@link LnnRuleLayer.project} restores the constraints w ≥ 0, β ≥ 0 after a step.
 */
import { ArbiterError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { extractRule, RULE_WEIGHT_THRESHOLD, type ExtractedRule } from './rule-text.js';

/** Configuration of {@link LnnRuleLayer}. */
export interface LnnRuleLayerConfig {
  /** Predicate names, in input order. */
  predicates: readonly string[];
  /** Head (action / conclusion) names, one rule each. */
  heads: readonly string[];
  /** Also offer each predicate's negation as a literal. Default true. */
  negations?: boolean;
  /** Initial weights are drawn uniformly from this range. Default [0.2, 0.6]. */
  initWeights?: readonly [number, number];
  /** Initial β. Default 1. */
  initBeta?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/** Serialisable state of a {@link LnnRuleLayer}. */
export interface LnnRuleLayerJson {
  predicates: string[];
  heads: string[];
  negations: boolean;
  params: number[];
}

/** A layer of weighted conjunctive rules; see the module comment. */
export class LnnRuleLayer {
  /** Predicate names. */
  readonly predicates: readonly string[];
  /** Head names. */
  readonly heads: readonly string[];
  /** Whether negated literals are offered. */
  readonly negations: boolean;
  /** Literals per rule: n, or 2n with negations. */
  readonly literalCount: number;
  /** Parameters per head: 1 + literalCount (β first). */
  readonly stride: number;
  /** All parameters, head-major: `[β_0, w_00 …, β_1, w_10 …]`. */
  readonly params: Float64Array;
  private readonly literals: Float64Array;

  constructor(config: LnnRuleLayerConfig) {
    if (config.predicates.length === 0 || config.heads.length === 0)
      throw new ArbiterError('invalid-config', 'an LNN rule layer needs at least one predicate and one head');
    this.predicates = [...config.predicates];
    this.heads = [...config.heads];
    this.negations = config.negations ?? true;
    this.literalCount = this.predicates.length * (this.negations ? 2 : 1);
    this.stride = 1 + this.literalCount;
    this.params = new Float64Array(this.heads.length * this.stride);
    this.literals = new Float64Array(this.literalCount);
    const [lo, hi] = config.initWeights ?? [0.2, 0.6];
    const rng = new Rng(config.seed ?? 0);
    for (let h = 0; h < this.heads.length; h++) {
      this.params[h * this.stride] = config.initBeta ?? 1;
      for (let i = 0; i < this.literalCount; i++) this.params[h * this.stride + 1 + i] = rng.uniform(lo, hi);
    }
  }

  /** Number of learnable parameters. */
  get paramCount(): number {
    return this.params.length;
  }

  /** Literal values ℓ from predicate truths (into the internal buffer, returned). */
  private fillLiterals(truths: ArrayLike<number>): Float64Array {
    const n = this.predicates.length;
    for (let i = 0; i < n; i++) {
      const x = truths[i]!;
      this.literals[i] = x;
      if (this.negations) this.literals[n + i] = 1 - x;
    }
    return this.literals;
  }

  /** Writes each head's truth `clamp(β − Σ w (1 − ℓ))` into `out` for predicate truths in [0, 1]. */
  forward(truths: ArrayLike<number>, out: Float64Array): void {
    const lit = this.fillLiterals(truths);
    const p = this.params;
    for (let h = 0, base = 0; h < this.heads.length; h++, base += this.stride) {
      let z = p[base]!;
      for (let i = 0; i < this.literalCount; i++) z -= p[base + 1 + i]! * (1 - lit[i]!);
      out[h] = z < 0 ? 0 : z > 1 ? 1 : z;
    }
  }

  /**
   * Adds to `grad` (length {@link paramCount}) the gradient of a loss with respect to the
   * parameters, given `dOut[h]` = ∂loss/∂head_h at predicate truths `truths` (straight-through
   * clamp: ∂head/∂β = 1, ∂head/∂w_i = −(1 − ℓ_i)).
   */
  backward(truths: ArrayLike<number>, dOut: ArrayLike<number>, grad: Float64Array): void {
    const lit = this.fillLiterals(truths);
    for (let h = 0, base = 0; h < this.heads.length; h++, base += this.stride) {
      const d = dOut[h]!;
      if (d === 0) continue;
      grad[base] = grad[base]! + d;
      for (let i = 0; i < this.literalCount; i++)
        grad[base + 1 + i] = grad[base + 1 + i]! - d * (1 - lit[i]!);
    }
  }

  /** Projects onto the LNN constraints: every w ≥ 0 and β ≥ 0. */
  project(): void {
    for (let k = 0; k < this.params.length; k++) if (this.params[k]! < 0) this.params[k] = 0;
  }

  /** β of head h. */
  beta(h: number): number {
    return this.params[h * this.stride]!;
  }

  /** The weights of head h (a view into {@link params}). */
  weights(h: number): Float64Array {
    return this.params.subarray(h * this.stride + 1, (h + 1) * this.stride);
  }

  /** Name of literal i, and whether it is a negation. */
  literal(i: number): { name: string; negated: boolean } {
    const n = this.predicates.length;
    return i < n
      ? { name: this.predicates[i]!, negated: false }
      : { name: this.predicates[i - n]!, negated: true };
  }

  /** The rules read out with a weight threshold (default 0.1), one per head. */
  rules(threshold = RULE_WEIGHT_THRESHOLD): ExtractedRule[] {
    const lits = Array.from({ length: this.literalCount }, (_, i) => this.literal(i));
    return this.heads.map((head, h) =>
      extractRule(
        head,
        lits.map((l) => l.name),
        lits.map((l) => l.negated),
        this.weights(h),
        this.beta(h),
        threshold,
      ),
    );
  }

  /** Serialisable state. */
  toJSON(): LnnRuleLayerJson {
    return {
      predicates: [...this.predicates],
      heads: [...this.heads],
      negations: this.negations,
      params: [...this.params],
    };
  }

  /** Restores a layer from {@link toJSON}. */
  static fromJSON(json: LnnRuleLayerJson): LnnRuleLayer {
    const layer = new LnnRuleLayer({
      predicates: json.predicates,
      heads: json.heads,
      negations: json.negations,
    });
    if (json.params.length !== layer.params.length)
      throw new ArbiterError(
        'shape-mismatch',
        `expected ${layer.params.length} parameters, got ${json.params.length}`,
      );
    layer.params.set(json.params);
    return layer;
  }
}
