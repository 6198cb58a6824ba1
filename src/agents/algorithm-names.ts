/**
 * The algorithm names alone, without loading TensorFlow.js: the CLI lists them in its help and
 * validates arguments before it pays for the import.
 */

/** Names accepted by `createAlgorithm` and `arbiter train`. */
export const ALGORITHM_NAMES = ['ppo', 'a2c', 'reinforce', 'dqn', 'q-learning', 'q-iteration'] as const;

/** One of {@link ALGORITHM_NAMES}. */
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/** Whether `name` is a known algorithm. */
export function isAlgorithmName(name: string): name is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(name);
}
