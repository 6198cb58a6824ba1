/** The option checks the two Kasahara-style generators share (node count, WCET range). */
import { ArbiterError } from '../../core/errors.js';

/** Throws `bad-option` unless `nodes ≥ 1` and `1 ≤ wcetMin ≤ wcetMax` are integers. */
export function checkKasaharaOptions(nodes: number, wcetMin: number, wcetMax: number): void {
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new ArbiterError('bad-option', `nodes must be an integer >= 1, got ${nodes}`);
  if (!Number.isInteger(wcetMin) || !Number.isInteger(wcetMax) || wcetMin < 1 || wcetMax < wcetMin)
    throw new ArbiterError(
      'bad-option',
      `the WCET range must be integers 1 <= wcetMin <= wcetMax, got [${wcetMin}, ${wcetMax}]`,
    );
}
