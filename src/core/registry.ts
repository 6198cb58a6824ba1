/**
 * Environment registry, as Gymnasium's `register`/`make`: ids map to factories, so the CLI,
 * configs and worker threads can name an environment by string.
 */
import type { Env, EnvSpec } from './env.js';
import { ArbiterError } from './errors.js';

/** A registered environment: its spec and how to build one. */
export interface EnvRegistration extends EnvSpec {
  /** Builds a fresh, unwrapped environment; `options` are environment-specific. */
  create(options?: Record<string, unknown>): Env;
  /** One-line description for `arbiter train --help` and error messages. */
  description?: string;
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

/** Ids of all registered environments, sorted. */
export function registeredEnvIds(): string[] {
  return [...registry.keys()].sort();
}
