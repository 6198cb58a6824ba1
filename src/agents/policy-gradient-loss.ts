/**
 * The vanilla actor-critic loss of A2C and REINFORCE on the fast learner's host arrays,
 *
 *   L = −mean(A · log π(a|s)) − c_ent · mean(H[π(·|s)]) + c_vf · mean((R − V(s))²),
 *
 * as its value terms and its analytic per-row derivatives (each term is a mean over `n` rows):
 * ∂L/∂log π = −A/n, ∂L/∂H = −c_ent/n, ∂L/∂V = 2·c_vf·(V − R)/n.
 */
import type { PolicyEvaluationHost } from '../nn/policy.js';
import type { HostLossGrads } from './on-policy-algorithm.js';

/** The loss terms of {@link policyGradientLossHost} (means over the rows). */
export interface PolicyGradientLossTerms {
  /** −mean(A · log π). */
  policyLoss: number;
  /** mean((R − V)²). */
  valueLoss: number;
  /** mean(H). */
  entropyMean: number;
}

/**
 * Writes the derivatives of the loss (see module doc) for `n` rows of `ev` into `d` and returns
 * its terms; `advantages` and `returns` are per row.
 */
export function policyGradientLossHost(
  ev: PolicyEvaluationHost,
  n: number,
  advantages: Float32Array,
  returns: Float32Array,
  entCoef: number,
  vfCoef: number,
  d: HostLossGrads,
): PolicyGradientLossTerms {
  let pg = 0;
  let vl = 0;
  let ent = 0;
  for (let i = 0; i < n; i++) {
    const adv = advantages[i]!;
    pg += adv * ev.logProb[i]!;
    d.dLogProb[i] = -adv / n;
    // The float32 difference, as the TF.js graph squares it.
    const err = Math.fround(returns[i]! - ev.values[i]!);
    vl += err * err;
    d.dValues[i] = (-2 * vfCoef * err) / n;
    ent += ev.entropy[i]!;
    d.dEntropy[i] = -entCoef / n;
  }
  return { policyLoss: -pg / n, valueLoss: vl / n, entropyMean: ent / n };
}
