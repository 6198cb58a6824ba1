/**
 * `checkEnv`, as Gymnasium's env checker: runs an environment with seeded random (masked) actions
 * and verifies the {@link Env} contract, so a broken env fails loudly before any training.
 */
import type { Env, Info } from './env.js';
import { ArbiterError } from './errors.js';
import { Rng } from './rng.js';
import { isSpace } from './spaces.js';
import {
  describeValue,
  firstTraceDifference,
  ReturnedValueSnapshot,
  valuesEqual,
} from './env-check-values.js';

/** Options of {@link checkEnv}. */
export interface CheckEnvOptions {
  /** Seed of the resets and of the random actions (default 0). */
  seed?: number;
  /** Steps per checking run (default 1000); episodes restart within a run. */
  steps?: number;
}

/**
 * Checks `env` against the Env contract and returns warnings (possible problems that are legal).
 * Throws `ArbiterError('env-check', …)` on the first violation:
 * - both spaces are Space instances;
 * - `reset` returns `{ obs, info }` with obs in the observation space and info an object;
 * - the same seed gives the same first observation, and the same trajectory (observations,
 *   rewards, end flags, masks) under the same actions;
 * - `step` returns obs in the space, a finite number reward, boolean `terminated`/`truncated`, an
 *   info object; returned observations are not mutated later by the env;
 * - action masks (`info.actionMask` or `actionMasks()`) belong to a Discrete(n) action space, are
 *   Uint8Arrays of length n, agree with each other, and allow an action while the episode runs;
 *   only allowed actions are taken during the check;
 * - `step` after the episode ended, without `reset`, throws.
 * The env is left freshly reset with `seed`. Check raw envs (or normalizers with `training = false`):
 * statistics that learn while the check runs make a seed's trajectory drift.
 */
export function checkEnv(env: Env, options: CheckEnvOptions = {}): string[] {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? 1000;
  const name = env.spec?.id ?? env.constructor?.name ?? 'env';
  const warnings: string[] = [];
  const fail = (msg: string): never => {
    throw new ArbiterError('env-check', `checkEnv(${name}): ${msg}`);
  };

  // Spaces.
  if (!isSpace(env.observationSpace))
    fail('observationSpace is not a Space (Discrete, Box, MultiDiscrete, DictSpace or GraphSpace)');
  if (!isSpace(env.actionSpace))
    fail('actionSpace is not a Space (Discrete, Box, MultiDiscrete, DictSpace or GraphSpace)');
  const obsSpace = env.observationSpace;
  const actSpace = env.actionSpace;
  if (
    actSpace.kind === 'box' &&
    !(actSpace.low.every((v) => v === -1) && actSpace.high.every((v) => v === 1))
  )
    warnings.push(
      'the Box action space is not [-1, 1]; Gaussian policies work best on a normalized action space',
    );

  const masked = { seen: typeof env.actionMasks === 'function' };

  const call = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(`${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const checkObs = (obs: unknown, where: string): void => {
    if (!obsSpace.contains(obs))
      fail(`${where}: observation ${describeValue(obs)} is not in the observation space`);
  };

  const checkInfo = (info: unknown, where: string): void => {
    if (typeof info !== 'object' || info === null || Array.isArray(info))
      fail(`${where}: info must be an object, got ${describeValue(info)}`);
  };

  const checkReset = (r: unknown, where: string): { obs: unknown; info: Info } => {
    if (typeof r !== 'object' || r === null || !('obs' in r) || !('info' in r))
      return fail(`${where} must return { obs, info }, got ${describeValue(r)}`);
    const res = r as { obs: unknown; info: Info };
    checkObs(res.obs, where);
    checkInfo(res.info, where);
    return res;
  };

  // The mask for the next step (a copy), or undefined for an unmasked env.
  const readMask = (info: Info, where: string, done: boolean): Uint8Array | undefined => {
    const fromInfo = info.actionMask as unknown;
    const fromFn = env.actionMasks ? call(`${where}: actionMasks()`, () => env.actionMasks!()) : undefined;
    if (fromInfo === undefined && fromFn === undefined) {
      if (masked.seen && !done)
        fail(
          `${where}: info.actionMask is missing although earlier steps had one (give it on every step or implement actionMasks())`,
        );
      return undefined;
    }
    masked.seen = true;
    if (actSpace.kind !== 'discrete')
      return fail(`${where}: action masks need a Discrete action space, got ${actSpace.kind}`);
    const n = actSpace.n;
    for (const [label, m] of [
      ['info.actionMask', fromInfo],
      ['actionMasks()', fromFn],
    ] as const) {
      if (m === undefined) continue;
      if (!(m instanceof Uint8Array))
        fail(`${where}: ${label} must be a Uint8Array, got ${describeValue(m)}`);
      if ((m as Uint8Array).length !== n)
        fail(
          `${where}: ${label} has length ${(m as Uint8Array).length}, the action space Discrete(${n}) needs ${n}`,
        );
    }
    if (fromInfo !== undefined && fromFn !== undefined && !valuesEqual(fromInfo, fromFn))
      fail(
        `${where}: info.actionMask ${describeValue(fromInfo)} differs from actionMasks() ${describeValue(fromFn)}`,
      );
    const mask = ((fromInfo ?? fromFn) as Uint8Array).slice();
    if (mask.some((v) => v > 1) && !warnings.some((w) => w.includes('0/1')))
      warnings.push(
        `${where}: mask values other than 0/1 (${describeValue(mask)}); nonzero counts as allowed`,
      );
    if (!done && !mask.some((v) => v !== 0))
      fail(`${where}: the action mask allows no action while the episode is not over`);
    return mask;
  };

  const sample = (rng: Rng, mask: Uint8Array | undefined): unknown =>
    actSpace.kind === 'discrete' ? actSpace.sample(rng, mask) : actSpace.sample(rng);

  const checkStep = (
    r: unknown,
    where: string,
  ): { obs: unknown; reward: number; terminated: boolean; truncated: boolean; info: Info } => {
    if (typeof r !== 'object' || r === null)
      return fail(`${where} must return an object, got ${describeValue(r)}`);
    for (const k of ['obs', 'reward', 'terminated', 'truncated', 'info'])
      if (!(k in r))
        fail(`${where} must return { obs, reward, terminated, truncated, info }; '${k}' is missing`);
    const s = r as { obs: unknown; reward: unknown; terminated: unknown; truncated: unknown; info: unknown };
    checkObs(s.obs, where);
    if (typeof s.reward !== 'number')
      fail(`${where}: reward must be a number, got ${describeValue(s.reward)}`);
    if (!Number.isFinite(s.reward)) fail(`${where}: reward must be finite, got ${String(s.reward)}`);
    if (typeof s.terminated !== 'boolean')
      fail(`${where}: terminated must be a boolean, got ${describeValue(s.terminated)}`);
    if (typeof s.truncated !== 'boolean')
      fail(`${where}: truncated must be a boolean, got ${describeValue(s.truncated)}`);
    checkInfo(s.info, where);
    return s as { obs: unknown; reward: number; terminated: boolean; truncated: boolean; info: Info };
  };

  // Reset: contract, determinism of the first observation, no mutation of returned observations.
  const r1 = checkReset(
    call(`reset({ seed: ${seed} })`, () => env.reset({ seed })),
    `reset({ seed: ${seed} })`,
  );
  const firstReturned = new ReturnedValueSnapshot();
  const first = firstReturned.take(r1.obs);
  const r2 = checkReset(
    call(`reset({ seed: ${seed} })`, () => env.reset({ seed })),
    `second reset({ seed: ${seed} })`,
  );
  if (!firstReturned.intact())
    fail('reset() mutated the observation returned by an earlier reset (return fresh arrays)');
  if (!valuesEqual(r2.obs, first))
    fail(
      `reset with the same seed gave different first observations: ${describeValue(first)} then ${describeValue(r2.obs)}`,
    );
  checkReset(
    call('reset()', () => env.reset()),
    'reset() without a seed',
  );

  // Rollouts: contract of every step, and the same trajectory twice.
  interface Rollout {
    trace: unknown[];
    episodesEnded: number;
  }
  const rollout = (): Rollout => {
    const rng = new Rng(seed);
    const trace: unknown[] = [];
    let r = checkReset(
      call('reset', () => env.reset({ seed })),
      `reset({ seed: ${seed} })`,
    );
    let mask = readMask(r.info, 'reset', false);
    const prev = new ReturnedValueSnapshot();
    trace.push({ obs: prev.take(r.obs), mask });
    let episodesEnded = 0;
    for (let t = 0; t < steps; t++) {
      const action = sample(rng, mask);
      const where = `step ${t} (action ${describeValue(action)})`;
      const s = checkStep(
        call(where, () => env.step(action)),
        where,
      );
      if (!prev.intact()) fail(`${where} mutated the previously returned observation (return fresh arrays)`);
      const done = s.terminated || s.truncated;
      mask = readMask(s.info, where, done);
      trace.push({
        action,
        obs: prev.take(s.obs),
        reward: s.reward,
        terminated: s.terminated,
        truncated: s.truncated,
        mask,
      });
      if (done) {
        episodesEnded++;
        r = checkReset(
          call('reset()', () => env.reset()),
          `reset() after step ${t}`,
        );
        mask = readMask(r.info, `reset() after step ${t}`, false);
        trace.push({ obs: prev.take(r.obs), mask });
      }
    }
    return { trace, episodesEnded };
  };
  const a = rollout();
  const b = rollout();
  const difference = firstTraceDifference(a.trace, b.trace);
  if (difference !== undefined)
    fail(
      `same seed and same actions gave different trajectories at ${difference} (does the env draw every random number from an Rng seeded in reset?)`,
    );

  // Stepping past the end of an episode must be rejected.
  if (a.episodesEnded === 0) {
    warnings.push(`no episode ended within ${steps} steps; the step-after-end check was skipped`);
  } else {
    // Same seed and action stream as the rollouts, so the first episode ends within `steps`.
    const rng = new Rng(seed);
    let mask = readMask(env.reset({ seed }).info, 'reset', false);
    let last: unknown;
    let ended = false;
    for (let t = 0; t < steps && !ended; t++) {
      last = sample(rng, mask);
      const s = env.step(last);
      ended = s.terminated || s.truncated;
      mask = readMask(s.info, `step ${t}`, ended);
    }
    let threw = false;
    try {
      if (ended) env.step(last);
    } catch {
      threw = true;
    }
    if (ended && !threw) fail('step() after the episode ended, without reset(), did not throw');
  }
  env.reset({ seed });
  return warnings;
}
