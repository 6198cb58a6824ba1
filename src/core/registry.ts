/**
 * Environment registry, as Gymnasium's `register`/`make`: ids map to factories, so the CLI,
 * configs and worker threads can name an environment by string.
 */
import type { z } from 'zod';
import { parseConfig } from './config-schema.js';
import type { Env, EnvSpec } from './env.js';
import { ArbiterError } from './errors.js';

/** A registered environment: its spec and how to build one. */
export interface EnvRegistration extends EnvSpec {
  /** Builds a fresh, unwrapped environment; `options` are environment-specific. */
  create(options?: Record<string, unknown>): Env;
  /** One-line description for `arbiter train --help` and error messages. */
  description?: string;
  /** Strict schema of `options` (types, ranges, known keys); without one, options go unchecked. */
  optionsSchema?: z.ZodType;
}

const registry = new Map<string, EnvRegistration>();

/** Registers (or replaces) an environment id. */
export function registerEnv(registration: EnvRegistration): void {
  registry.set(registration.id, registration);
}

/** The registration of `id`; throws an `unknown-env` error listing the known ids. */
export function envRegistration(id: string): EnvRegistration {
  const reg = registry.get(id);
  if (!reg) {
    const known = [...registry.keys()].sort().join(', ') || '(none registered)';
    throw new ArbiterError('unknown-env', `unknown environment '${id}'; known: ${known}`);
  }
  return reg;
}

/**
 * Checks `options` of environment `id` against its registered schema (when it has one). Throws a
 * `ValidationError` naming `source` (e.g. `--env-options`), the key and the rule.
 */
export function validateEnvOptions(id: string, options: unknown, source = `options of ${id}`): void {
  const reg = envRegistration(id);
  if (reg.optionsSchema) parseConfig(reg.optionsSchema, options, { source, what: id });
}

/** Ids of all registered environments, sorted. */
export function registeredEnvIds(): string[] {
  return [...registry.keys()].sort();
}
