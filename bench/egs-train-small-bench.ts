/**
 * `npm run bench -- egs-train-small [key=value…]`: trains the shipped small EGS policy's chain
 * alone (d = 16, one attention layer, `v2` features) into bench/results/egs/small-train and
 * compares the weights with `models/egs-graph-policy-small.json`; keys and outputs as in
 * {@link runEgsPolicyTrainBench}.
 */
import { SMALL_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { EGS_SMALL_POLICY } from '../src/experiments/egs-policy-train.js';
import { runEgsPolicyTrainBench } from './egs-policy-train-bench.js';

/** Runs the training with `key=value` overrides (see {@link runEgsPolicyTrainBench}). */
export function runEgsTrainSmallBench(args: readonly string[] = []): Promise<void> {
  return runEgsPolicyTrainBench(
    {
      key: 'egs-train-small',
      title: 'Small EGS policy',
      policy: EGS_SMALL_POLICY,
      out: 'bench/results/egs/small-train',
      shippedPath: SMALL_EGS_MODEL_PATH,
      shippedName: 'models/egs-graph-policy-small.json',
    },
    args,
  );
}
