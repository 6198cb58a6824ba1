/**
 * Every algorithm's config checked by name, without TensorFlow.js: the schemas and defaults only,
 * so that a sweep coordinator or the CLI validates configs before (and without) training.
 */
import { parseConfig } from '../core/config-schema.js';
import { resolveA2cConfig } from './a2c-config.js';
import type { AlgorithmName } from './algorithm-names.js';
import { resolveDqnConfig } from './dqn-config.js';
import { resolvePpoConfig } from './ppo-config.js';
import { resolveReinforceConfig } from './reinforce-config.js';
import { Q_ITERATION_SCHEMA } from './tabular/q-iteration.js';
import { resolveQLearningConfig } from './tabular/q-learning.js';

/**
 * Validates `config` for algorithm `name` against its strict schema: a `ValidationError` naming
 * `source` (e.g. `--config` or the config file), the key and the rule (type, range, enum, unknown
 * key with a "did you mean"). Returns the config with defaults filled in.
 */
export function resolveAlgorithmConfig(
  name: AlgorithmName,
  config: Record<string, unknown> = {},
  source = `${name} config`,
): Record<string, unknown> {
  switch (name) {
    case 'ppo':
      return { ...resolvePpoConfig(config, source) };
    case 'a2c':
      return { ...resolveA2cConfig(config, source) };
    case 'reinforce':
      return { ...resolveReinforceConfig(config, source) };
    case 'dqn':
      return { ...resolveDqnConfig(config, source) };
    case 'q-learning':
      return { ...resolveQLearningConfig(config, source) };
    case 'q-iteration': {
      const { seed: _seed, ...rest } = config; // solved exactly: nothing random to seed
      return { ...parseConfig(Q_ITERATION_SCHEMA, rest, { source, what: 'q-iteration' }) };
    }
  }
}
