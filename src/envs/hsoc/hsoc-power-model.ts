/**
 * How granted power tokens become execution speed on an HSoC PE. Two models:
 *
 * - **token model** (default; STOMP's power-management agent): a task holding a share s of the
 *   token budget (s = granted / budget, in percent 0 … 100) takes
 *   `t = t_nominal · remaining_fraction · (100 / s)^α` (α = 0.5), i.e. progresses at
 *   `(s / 100)^α` of its full-power speed. The budget (100 tokens by default, STOMP's 1,000)
 *   is only the unit of the share: 100 of 1,000 tokens behave as 10 of 100;
 * - **DVFS model**: tokens are power. A PE clocked at f ∈ [f_min, 1] (of its nominal clock)
 *   runs at voltage `V(f) = max(v_min, v_th + (v_nom − v_th) · f)` and draws
 *   `P(f) = f · (V(f) / v_nom)^k` of its nominal power (k = 2: dynamic power ∝ f·V²; STOMP's
 *   configuration uses a power scale of 2.5). A PE holding a share s runs at the highest clock
 *   whose power fits, `f = P⁻¹(s / 100)`, and progresses at f of its full-power speed; below
 *   `P(f_min)` it is duty-cycled (`f = f_min · (s/100) / P(f_min)`), above P(1) = 1 it stays at f = 1.
 *
 * Requests can be restricted to STOMP's grid: multiples of `requestStep` percent (5 in STOMP,
 * whose agents ask for 5 … 95 % beside siblings, 100 % alone and 0 % while waiting).
 */
import { ArbiterError } from '../../core/errors.js';

/** DVFS parameters (voltages in volts, clocks as fractions of the nominal clock). */
export interface HsocDvfs {
  /** Nominal voltage (at the nominal clock f = 1). */
  vNom: number;
  /** Threshold voltage: V(f) = v_th + (v_nom − v_th) · f before clamping. */
  vTh: number;
  /** Minimum supply voltage (V is clamped up to it). */
  vMin: number;
  /** Exponent k of V in P(f) = f · (V / v_nom)^k. Default 2 (dynamic power ∝ f·V²). */
  powerScale?: number;
  /** Lowest clock before duty cycling, in (0, 1]. Default 0.1 (STOMP's `min_clk_f`). */
  minClock?: number;
}

/** STOMP's DVFS settings of its power-management configuration (v_nom 0.8 V, v_th 0.35 V, v_min 0.45 V, scale 2.5). */
export const STOMP_DVFS: Readonly<HsocDvfs> = {
  vNom: 0.8,
  vTh: 0.35,
  vMin: 0.45,
  powerScale: 2.5,
  minClock: 0.1,
};

/** STOMP's token budget. */
export const STOMP_TOKEN_BUDGET = 1000;

/** STOMP's request grid: multiples of 5 % (5 … 95 % beside siblings). */
export const STOMP_REQUEST_STEP = 5;

/** Options of {@link HsocPowerModel}. */
export interface HsocPowerModelOptions {
  /** Total tokens of the budget. Default 100. */
  budget?: number;
  /** Exponent α of the token model, in (0, 1]. Default 0.5. */
  alpha?: number;
  /** DVFS model instead of the token model. */
  dvfs?: HsocDvfs;
  /** Requests are rounded to multiples of this many percent (0 = any share). Default 0. */
  requestStep?: number;
}

/** See the module comment. */
export class HsocPowerModel {
  /** Total tokens of the budget. */
  readonly budget: number;
  /** Exponent α of the token model. */
  readonly alpha: number;
  /** DVFS parameters (undefined: token model). */
  readonly dvfs: Readonly<Required<HsocDvfs>> | undefined;
  /** Request grid step in percent (0 = continuous). */
  readonly requestStep: number;
  private readonly pMin: number;

  constructor(options: HsocPowerModelOptions = {}) {
    this.budget = options.budget ?? 100;
    if (!(this.budget > 0 && Number.isFinite(this.budget)))
      throw new ArbiterError('invalid-option', `HSoC: token budget must be a number > 0, got ${this.budget}`);
    this.alpha = options.alpha ?? 0.5;
    if (!(this.alpha > 0 && this.alpha <= 1))
      throw new ArbiterError('invalid-option', `HSoC: alpha must be in (0, 1], got ${this.alpha}`);
    this.requestStep = options.requestStep ?? 0;
    if (!(this.requestStep >= 0 && this.requestStep <= 100))
      throw new ArbiterError(
        'invalid-option',
        `HSoC: requestStep must be in [0, 100] %, got ${this.requestStep}`,
      );
    if (options.dvfs) {
      const d = { powerScale: 2, minClock: 0.1, ...options.dvfs };
      if (!(d.vNom > 0 && d.vTh >= 0 && d.vTh < d.vNom && d.vMin > 0 && d.vMin <= d.vNom))
        throw new ArbiterError(
          'invalid-option',
          `HSoC: DVFS needs 0 ≤ v_th < v_nom and 0 < v_min ≤ v_nom, got v_nom ${d.vNom}, v_th ${d.vTh}, v_min ${d.vMin}`,
        );
      if (!(d.powerScale > 0) || !(d.minClock > 0 && d.minClock <= 1))
        throw new ArbiterError(
          'invalid-option',
          `HSoC: DVFS needs powerScale > 0 and minClock in (0, 1], got ${d.powerScale}, ${d.minClock}`,
        );
      this.dvfs = d;
    }
    this.pMin = this.dvfs ? this.power(this.dvfs.minClock) : 0;
  }

  /** DVFS: supply voltage at clock f. */
  voltage(f: number): number {
    const d = this.dvfs;
    if (!d) return NaN;
    return Math.max(d.vMin, d.vTh + (d.vNom - d.vTh) * f);
  }

  /** DVFS: power at clock f as a fraction of the nominal power, `f · (V(f) / v_nom)^k`. */
  power(f: number): number {
    const d = this.dvfs;
    if (!d) return NaN;
    return f * Math.pow(this.voltage(f) / d.vNom, d.powerScale);
  }

  /**
   * Speed factor of a PE holding `share` percent of the budget (0 … 100): `(share / 100)^α` in
   * the token model, the clock the share pays for in the DVFS model. 1 at 100 %, 0 at 0 %.
   */
  speedFactor(share: number): number {
    const s = share / 100;
    if (!this.dvfs) return Math.pow(s, this.alpha);
    if (s <= 0) return 0;
    if (s >= 1) return 1;
    const fMin = this.dvfs.minClock;
    if (s <= this.pMin) return (fMin * s) / this.pMin;
    let lo = fMin;
    let hi = 1;
    // P is increasing in f: bisection to machine precision (60 halvings of [f_min, 1]).
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (this.power(mid) <= s) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** A request (percent) on the grid: rounded to the nearest multiple of `requestStep`. */
  quantize(request: number): number {
    return this.requestStep > 0 ? Math.round(request / this.requestStep) * this.requestStep : request;
  }

  /** Tokens of a share (percent of the budget). */
  tokens(share: number): number {
    return (share * this.budget) / 100;
  }
}
