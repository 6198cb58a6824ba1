/**
 * `npm run bench -- egs-train-large [key=value…]`: trains the shipped large EGS policy's chain
 * alone (the chain of `egs-train-small` on d = 32, two attention layers, `v2` features) into
 * bench/results/egs/large-train and compares the weights with `models/egs-graph-policy.json`;
 * keys and outputs as in {@link runEgsPolicyTrainBench}.
 */
import { LARGE_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { EGS_LARGE_POLICY } from '../src/experiments/egs-policy-train.js';
import { runEgsPolicyTrainBench } from './egs-policy-train-bench.js';

/** Runs the training with `key=value` overrides (see {@link runEgsPolicyTrainBench}). */
export function runEgsTrainLargeBench(args: readonly string[] = []): Promise<void> {
  return runEgsPolicyTrainBench(
    {
      key: 'egs-train-large',
      title: 'Large EGS policy',
      policy: EGS_LARGE_POLICY,
      out: 'bench/results/egs/large-train',
      shippedPath: LARGE_EGS_MODEL_PATH,
      shippedName: 'models/egs-graph-policy.json',
    },
    args,
  );
}
