import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Options of {@link writeRunFolder}. */
export interface FixtureRun {
  algo?: string;
  env?: string;
  seed?: number;
  steps?: number;
  /** Metric lines: `step` → `rollout/ep_rew_mean` (and `eval/mean_return` every 4th). */
  points?: number;
  finalEval?: number;
  /** `rollout/ep_rew_mean` at the k-th line (k from 1); default `10 + k`. */
  curve?: (k: number) => number;
  config?: Record<string, unknown>;
}

/** Writes a run folder as a training run leaves it (config.json, metrics.jsonl, final-eval.json, checkpoints/). */
export function writeRunFolder(root: string, id: string, run: FixtureRun = {}): string {
  const dir = path.join(root, id);
  mkdirSync(path.join(dir, 'checkpoints', 'step-1000'), { recursive: true });
  mkdirSync(path.join(dir, 'checkpoints', 'step-500'), { recursive: true });
  const config = {
    algo: run.algo ?? 'ppo',
    env: run.env ?? 'CartPole-v1',
    seed: run.seed ?? 0,
    steps: run.steps ?? (run.points ?? 4) * 100,
    config: run.config ?? {},
    envOptions: {},
    evalEvery: 250,
    evalEpisodes: 10,
    checkpointEvery: 500,
  };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const lines: string[] = [];
  for (let k = 1; k <= (run.points ?? 4); k++)
    lines.push(
      JSON.stringify({
        step: k * 100,
        wallTime: 1_700_000_000 + k,
        'rollout/ep_rew_mean': run.curve ? run.curve(k) : 10 + k,
        ...(k % 4 === 0 && { 'eval/mean_return': 20 + k }),
      }),
    );
  writeFileSync(path.join(dir, 'metrics.jsonl'), lines.map((l) => l + '\n').join(''));
  if (run.finalEval !== undefined)
    writeFileSync(
      path.join(dir, 'final-eval.json'),
      JSON.stringify({
        step: (run.points ?? 4) * 100,
        meanReturn: run.finalEval,
        stdReturn: 1.5,
        episodes: 10,
      }),
    );
  return dir;
}
