/**
 * `runOd3SpeedBench()`: training speed of the OD3 paper's DQN teacher (`DQN_PAPER_TEACHER`, the
 * largenet CNN, fast learner) on `PixelPong-v0` or the image `Jobs-v0` — the cost that bounds the
 * longer CLOUD runs of issue 17 → that env's marked section of bench/results/od3-speed.md (the
 * hand-written sections are kept). Each repeat is a fresh agent (same seed) trained `steps` steps
 * with `learningStarts` lowered so that most steps train; the figure is steps per second of
 * `learn` (network construction excluded), with the load average before and after.
 *
 * Run: `npm run bench -- od3-speed [env=PixelPong-v0|Jobs-v0] [steps=3000] [repeats=1]
 * [learningStarts=200] [seed=1] [out=bench/results/od3-speed.md]`.
 */
import { DQN } from '../src/agents/dqn.js';
import { DQN_PAPER_TEACHER } from '../src/agents/dqn-paper-teacher.js';
import { ArbiterError } from '../src/core/errors.js';
import { makeEnv } from '../src/core/make-env.js';
import { registerBuiltinEnvs } from '../src/envs/register-envs.js';
import { initTf } from '../src/nn/tf-backend.js';
import { describeMachine, loadAverages, median } from './machine.js';
import { rewriteKeepingMarkedSections, withMarkedSection } from './marked-section.js';

/** Arguments of {@link runOd3SpeedBench}. */
export interface Od3SpeedArgs {
  env: 'PixelPong-v0' | 'Jobs-v0';
  steps: number;
  repeats: number;
  learningStarts: number;
  seed: number;
  out: string;
}

/** Parses `key=value` arguments (see the module comment); throws `invalid-config` on others. */
export function parseOd3SpeedArgs(argv: readonly string[]): Od3SpeedArgs {
  const a: Od3SpeedArgs = {
    env: 'PixelPong-v0',
    steps: 3000,
    repeats: 1,
    learningStarts: 200,
    seed: 1,
    out: 'bench/results/od3-speed.md',
  };
  for (const arg of argv) {
    const [k, v] = arg.split('=', 2) as [string, string | undefined];
    if (v === undefined)
      throw new ArbiterError('invalid-config', `od3-speed: expected key=value, got '${arg}'`);
    if (k === 'env' && (v === 'PixelPong-v0' || v === 'Jobs-v0')) a.env = v;
    else if (k === 'out') a.out = v;
    else if ((k === 'steps' || k === 'repeats' || k === 'learningStarts' || k === 'seed') && /^\d+$/.test(v))
      a[k] = Number(v);
    else throw new ArbiterError('invalid-config', `od3-speed: bad argument '${arg}'`);
  }
  return a;
}

const load = loadAverages;

/** Trains the teacher `repeats` times and rewrites its env's section of `out`. */
export async function runOd3SpeedBench(a: Od3SpeedArgs): Promise<void> {
  const backend = await initTf();
  registerBuiltinEnvs();
  const makeEnvFn = (): ReturnType<typeof makeEnv> =>
    makeEnv(a.env, a.env === 'Jobs-v0' ? { options: { observation: 'image' } } : {});
  const rows: string[] = [];
  const rates: number[] = [];
  const t0 = performance.now();
  for (let r = 0; r < a.repeats; r++) {
    const before = load();
    const model = await DQN.create(makeEnvFn, {
      ...DQN_PAPER_TEACHER,
      learningStarts: a.learningStarts,
      seed: a.seed,
    });
    const start = performance.now();
    await model.learn({ totalTimesteps: a.steps });
    const seconds = (performance.now() - start) / 1000;
    const updates = model.numGradientSteps;
    await model.close();
    rates.push(a.steps / seconds);
    rows.push(
      `| ${r + 1} | ${seconds.toFixed(1)} | ${(a.steps / seconds).toFixed(1)} | ${updates} | ${before} | ${load()} |`,
    );
    console.log(`od3-speed ${a.env} repeat ${r + 1}: ${(a.steps / seconds).toFixed(1)} steps/s`);
  }
  const wall = (performance.now() - t0) / 1000;
  const section = [
    `### ${a.env}: largenet DQN teacher, fast learner (measured by \`npm run bench -- od3-speed env=${a.env} steps=${a.steps} repeats=${a.repeats} learningStarts=${a.learningStarts} seed=${a.seed}\`)`,
    '',
    `Machine: ${describeMachine()}; TF.js backend ${backend}. Wall ${wall.toFixed(0)} s in all.`,
    '',
    '| repeat | learn s | steps/s | gradient steps | load before (1, 5, 15 min) | load after |',
    '| ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
    `Median ${median(rates).toFixed(1)} steps/s.`,
  ].join('\n');
  await rewriteKeepingMarkedSections(a.out, [], (rest) =>
    withMarkedSection(rest || '# OD3 teacher training speed\n', section, `od3-speed-${a.env}`),
  );
}
