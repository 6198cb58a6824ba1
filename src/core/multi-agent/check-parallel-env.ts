/**
 * Env checkers for the multi-agent contracts, as PettingZoo's `parallel_api_test`: run with seeded
 * random (masked) actions and verify {@link ParallelEnv} or {@link EventDrivenEnv}.
 */
import type { CheckEnvOptions } from '../check-env.js';
import {
  describeValue,
  firstTraceDifference,
  ReturnedValueSnapshot,
  valuesEqual,
} from '../env-check-values.js';
import type { Info } from '../env.js';
import { ArbiterError } from '../errors.js';
import { Rng } from '../rng.js';
import { isSpace, type Space } from '../spaces.js';
import type { EventDrivenEnv } from './event-driven-env.js';
import type { ParallelEnv } from './parallel-env.js';

/** Options of {@link checkParallelEnv} and {@link checkEventDrivenEnv} (as {@link CheckEnvOptions}). */
export type CheckMultiAgentEnvOptions = CheckEnvOptions;

/**
 * Checks a Parallel env; returns warnings, throws `ArbiterError('env-check', …)` on a violation:
 * `possibleAgents` unique and non-empty with Space-valued spaces; reset gives obs (in the agent's
 * space) and infos for exactly the live agents; every step result has entries for exactly the
 * agents live before it, finite rewards and boolean flags; ended agents leave `agents`, others
 * stay; masks (per agent `infos[a].actionMask` or `actionMasks(a)`) are Uint8Arrays of the
 * Discrete action size allowing an action, and only allowed actions are taken; same seed and
 * actions give the same trajectory; `step` after all agents are done throws.
 */
export function checkParallelEnv(env: ParallelEnv, options: CheckMultiAgentEnvOptions = {}): string[] {
  return checkMultiAgent(env, false, options);
}

/**
 * Checks an event-driven env like {@link checkParallelEnv}, where a result's obs/infos cover the
 * `pendingAgents` (plus, after a step, agents that just ended), actions are given for exactly the
 * pending agents, `pendingAgents` is a non-empty subset of `agents` until the episode ends, `time`
 * never decreases within an episode, and a step with a pending agent's action missing, or with an
 * action for a non-pending agent, throws without changing the env's state.
 */
export function checkEventDrivenEnv(env: EventDrivenEnv, options: CheckMultiAgentEnvOptions = {}): string[] {
  return checkMultiAgent(env, true, options);
}

interface AnyResult {
  obs: Record<string, unknown>;
  infos: Record<string, Info>;
  rewards?: Record<string, number>;
  terminations?: Record<string, boolean>;
  truncations?: Record<string, boolean>;
  pendingAgents?: readonly string[];
  time?: number;
}

interface AnyMultiAgentEnv {
  readonly possibleAgents: readonly string[];
  readonly agents: readonly string[];
  readonly pendingAgents?: readonly string[];
  readonly spec?: { id: string };
  observationSpace(agent: string): Space;
  actionSpace(agent: string): Space;
  reset(options?: { seed?: number }): unknown;
  step(actions: Readonly<Record<string, unknown>>): unknown;
  actionMasks?(agent: string): Uint8Array;
}

function checkMultiAgent(
  env: AnyMultiAgentEnv,
  eventDriven: boolean,
  options: CheckMultiAgentEnvOptions,
): string[] {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? 1000;
  const label = eventDriven ? 'checkEventDrivenEnv' : 'checkParallelEnv';
  const name = env.spec?.id ?? env.constructor?.name ?? 'env';
  const warnings: string[] = [];
  const fail = (msg: string): never => {
    throw new ArbiterError('env-check', `${label}(${name}): ${msg}`);
  };
  const call = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(`${what} threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const sameSet = (keys: readonly string[], expected: readonly string[]): boolean =>
    keys.length === expected.length &&
    new Set(keys).size === keys.length &&
    expected.every((a) => keys.includes(a));
  const list = (xs: readonly string[]): string => `[${xs.join(', ')}]`;

  // Agents and spaces.
  const possible = env.possibleAgents;
  if (!Array.isArray(possible) || possible.length === 0) fail('possibleAgents must be a non-empty array');
  if (possible.some((a) => typeof a !== 'string') || new Set(possible).size !== possible.length)
    fail(`possibleAgents must be unique strings, got ${describeValue(possible)}`);
  const obsSpace = new Map<string, Space>();
  const actSpace = new Map<string, Space>();
  for (const a of possible) {
    const o = call(`observationSpace('${a}')`, () => env.observationSpace(a));
    const s = call(`actionSpace('${a}')`, () => env.actionSpace(a));
    if (!isSpace(o)) fail(`observationSpace('${a}') is not a Space`);
    if (!isSpace(s)) fail(`actionSpace('${a}') is not a Space`);
    obsSpace.set(a, o);
    actSpace.set(a, s);
  }

  const checkRecordKeys = (rec: unknown, field: string, expected: readonly string[], where: string): void => {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec))
      fail(`${where}: ${field} must be a record keyed by agent, got ${describeValue(rec)}`);
    const keys = Object.keys(rec as object);
    if (!sameSet(keys, expected))
      fail(`${where}: ${field} has keys ${list(keys)}, expected ${list(expected)}`);
  };
  const checkObsAndInfos = (r: AnyResult, expected: readonly string[], where: string): void => {
    checkRecordKeys(r.obs, 'obs', expected, where);
    checkRecordKeys(r.infos, 'infos', expected, where);
    for (const a of expected) {
      if (!obsSpace.get(a)!.contains(r.obs[a]))
        fail(`${where}: observation of '${a}' ${describeValue(r.obs[a])} is not in its observation space`);
      const info = r.infos[a];
      if (typeof info !== 'object' || info === null || Array.isArray(info))
        fail(`${where}: infos['${a}'] must be an object`);
    }
  };
  const checkAgents = (where: string): string[] => {
    const agents = env.agents;
    if (!Array.isArray(agents)) return fail(`${where}: agents must be an array`);
    for (const a of agents)
      if (!possible.includes(a)) fail(`${where}: agent '${a}' is not in possibleAgents`);
    if (new Set(agents).size !== agents.length) fail(`${where}: agents has duplicates ${list(agents)}`);
    return [...agents];
  };
  // Who acts next: the live agents, or the pending ones (checked against agents and env.pendingAgents).
  let lastTime = -Infinity;
  const actorsOf = (r: AnyResult, agents: readonly string[], where: string): string[] => {
    if (!eventDriven) return [...agents];
    const pending = r.pendingAgents;
    if (!Array.isArray(pending)) return fail(`${where}: pendingAgents must be an array`);
    for (const a of pending) if (!agents.includes(a)) fail(`${where}: pending agent '${a}' is not live`);
    if (new Set(pending).size !== pending.length) fail(`${where}: pendingAgents has duplicates`);
    if (agents.length > 0 && pending.length === 0)
      fail(
        `${where}: no agent is pending although agents ${list(agents)} are live (advance to the next decision)`,
      );
    if (env.pendingAgents !== undefined && !sameSet(env.pendingAgents, pending))
      fail(
        `${where}: env.pendingAgents ${list(env.pendingAgents)} differs from the result's ${list(pending)}`,
      );
    if (typeof r.time !== 'number' || !Number.isFinite(r.time))
      fail(`${where}: time must be a finite number`);
    if (r.time! < lastTime) fail(`${where}: time went back from ${lastTime} to ${r.time}`);
    lastTime = r.time!;
    return [...pending];
  };

  const readMask = (agent: string, info: Info | undefined, where: string): Uint8Array | undefined => {
    const fromInfo = info?.actionMask as unknown;
    const fromFn = env.actionMasks
      ? call(`${where}: actionMasks('${agent}')`, () => env.actionMasks!(agent))
      : undefined;
    if (fromInfo === undefined && fromFn === undefined) return undefined;
    const space = actSpace.get(agent)!;
    if (space.kind !== 'discrete')
      return fail(`${where}: '${agent}' has a mask but a ${space.kind} action space`);
    for (const [lbl, m] of [
      ['actionMask', fromInfo],
      ['actionMasks()', fromFn],
    ] as const) {
      if (m === undefined) continue;
      if (!(m instanceof Uint8Array)) fail(`${where}: ${lbl} of '${agent}' must be a Uint8Array`);
      if ((m as Uint8Array).length !== space.n)
        fail(`${where}: ${lbl} of '${agent}' has length ${(m as Uint8Array).length}, expected ${space.n}`);
    }
    if (fromInfo !== undefined && fromFn !== undefined && !valuesEqual(fromInfo, fromFn))
      fail(`${where}: infos['${agent}'].actionMask differs from actionMasks('${agent}')`);
    const mask = ((fromInfo ?? fromFn) as Uint8Array).slice();
    if (!mask.some((v) => v !== 0)) fail(`${where}: the action mask of '${agent}' allows no action`);
    return mask;
  };
  const sampleActions = (
    rng: Rng,
    actors: readonly string[],
    r: AnyResult,
    where: string,
  ): Record<string, unknown> => {
    const actions: Record<string, unknown> = {};
    for (const a of actors) {
      const space = actSpace.get(a)!;
      const mask = readMask(a, r.infos[a], where);
      actions[a] = space.kind === 'discrete' ? space.sample(rng, mask) : space.sample(rng);
    }
    return actions;
  };

  const doReset = (
    withSeed: boolean,
    where: string,
  ): { r: AnyResult; agents: string[]; actors: string[] } => {
    const r = call(where, () => (withSeed ? env.reset({ seed }) : env.reset())) as AnyResult;
    if (typeof r !== 'object' || r === null) return fail(`${where} must return an object`);
    const agents = checkAgents(where);
    if (agents.length === 0) fail(`${where}: no live agents after reset`);
    lastTime = -Infinity;
    const actors = actorsOf(r, agents, where);
    checkObsAndInfos(r, actors, where);
    return { r, agents, actors };
  };

  const doStep = (
    actions: Record<string, unknown>,
    before: readonly string[],
    where: string,
  ): { r: AnyResult; agents: string[]; actors: string[] } => {
    const r = call(where, () => env.step(actions)) as AnyResult;
    if (typeof r !== 'object' || r === null) return fail(`${where} must return an object`);
    checkRecordKeys(r.terminations, 'terminations', before, where);
    checkRecordKeys(r.truncations, 'truncations', before, where);
    if (typeof r.rewards !== 'object' || r.rewards === null)
      return fail(`${where}: rewards must be a record`);
    if (eventDriven) {
      for (const a of Object.keys(r.rewards))
        if (!before.includes(a)) fail(`${where}: reward for '${a}', which was not live`);
    } else checkRecordKeys(r.rewards, 'rewards', before, where);
    for (const [a, v] of Object.entries(r.rewards))
      if (typeof v !== 'number' || !Number.isFinite(v))
        fail(`${where}: reward of '${a}' must be a finite number, got ${describeValue(v)}`);
    const ended: string[] = [];
    for (const a of before) {
      const te = r.terminations![a];
      const tr = r.truncations![a];
      if (typeof te !== 'boolean' || typeof tr !== 'boolean')
        fail(`${where}: terminations/truncations of '${a}' must be booleans`);
      if (te || tr) ended.push(a);
    }
    const agents = checkAgents(`after ${where}`);
    for (const a of ended) if (agents.includes(a)) fail(`${where}: '${a}' ended but is still in agents`);
    for (const a of before)
      if (!ended.includes(a) && !agents.includes(a))
        fail(`${where}: '${a}' left agents without terminating or truncating`);
    const actors = actorsOf(r, agents, where);
    checkObsAndInfos(r, eventDriven ? [...actors, ...ended] : before, where);
    return { r, agents, actors };
  };

  // Reset determinism.
  const first = structuredClone(doReset(true, `reset({ seed: ${seed} })`).r);
  const again = doReset(true, `second reset({ seed: ${seed} })`).r;
  if (
    !valuesEqual(first.obs, again.obs) ||
    first.time !== again.time ||
    !valuesEqual(first.pendingAgents, again.pendingAgents)
  )
    fail('reset with the same seed gave different first observations');
  doReset(false, 'reset()');

  // Two rollouts with the same seed and action stream must match.
  const rollout = (): { trace: unknown[]; episodesEnded: number } => {
    const rng = new Rng(seed);
    const trace: unknown[] = [];
    let cur = doReset(true, `reset({ seed: ${seed} })`);
    trace.push(structuredClone({ obs: cur.r.obs, pending: cur.actors, time: cur.r.time }));
    const prev = new ReturnedValueSnapshot();
    prev.take(cur.r.obs);
    let episodesEnded = 0;
    for (let t = 0; t < steps; t++) {
      const actions = sampleActions(rng, cur.actors, cur.r, `step ${t}`);
      const where = `step ${t} (actions ${describeValue(actions)})`;
      const next = doStep(actions, cur.agents, where);
      if (!prev.intact()) fail(`${where} mutated a previously returned observation (return fresh arrays)`);
      const { obs, rewards, terminations, truncations, pendingAgents, time } = next.r;
      trace.push(structuredClone({ actions, obs, rewards, terminations, truncations, pendingAgents, time }));
      prev.take(next.r.obs);
      cur = next;
      if (cur.agents.length === 0) {
        episodesEnded++;
        cur = doReset(false, `reset() after step ${t}`);
        trace.push(structuredClone({ obs: cur.r.obs, pending: cur.actors, time: cur.r.time }));
        prev.take(cur.r.obs);
      }
    }
    return { trace, episodesEnded };
  };
  const a = rollout();
  const b = rollout();
  const difference = firstTraceDifference(a.trace, b.trace);
  if (difference !== undefined)
    fail(`same seed and same actions gave different trajectories at ${difference}`);

  // Event-driven: wrong action sets are rejected without side effects.
  if (eventDriven) {
    const rng = new Rng(seed);
    const cur = doReset(true, `reset({ seed: ${seed} })`);
    const actions = sampleActions(rng, cur.actors, cur.r, 'step 0');
    const missing = { ...actions };
    delete missing[cur.actors[0]!];
    if (!throws(() => env.step(missing)))
      fail(`step() without an action for pending agent '${cur.actors[0]}' did not throw`);
    const outsider = cur.agents.find((x) => !cur.actors.includes(x)) ?? '__not-an-agent__';
    const space = actSpace.get(outsider) ?? actSpace.get(cur.actors[0]!)!;
    if (!throws(() => env.step({ ...actions, [outsider]: space.sample(new Rng(seed)) })))
      fail(`step() with an action for non-pending agent '${outsider}' did not throw`);
    const next = doStep(actions, cur.agents, 'step 0 after rejected steps');
    const { obs, rewards, terminations, truncations, pendingAgents, time } = next.r;
    if (
      !valuesEqual(
        structuredClone({ actions, obs, rewards, terminations, truncations, pendingAgents, time }),
        a.trace[1],
      )
    )
      fail('a rejected step() changed the env state (validate the actions before changing anything)');
  }

  // Stepping after every agent is done must be rejected.
  if (a.episodesEnded === 0) {
    warnings.push(`no episode ended within ${steps} steps; the step-after-end check was skipped`);
  } else {
    const rng = new Rng(seed);
    let cur = doReset(true, `reset({ seed: ${seed} })`);
    for (let t = 0; t < steps && cur.agents.length > 0; t++)
      cur = doStep(sampleActions(rng, cur.actors, cur.r, `step ${t}`), cur.agents, `step ${t}`);
    if (cur.agents.length === 0 && !throws(() => env.step({})))
      fail('step() after every agent was done, without reset(), did not throw');
  }
  env.reset({ seed });
  return warnings;
}

function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}
