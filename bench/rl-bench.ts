/**
 * `npm run bench -- rl`: the learning results and throughput of the RL core → bench/results/rl.md.
 * Long (tens of minutes on 2 cores): each section can be run alone, see bench/run.ts.
 */
import { writeFileAtomic } from '../src/core/atomic-write.js';
import { optimalActions, qIteration } from '../src/agents/tabular/q-iteration.js';
import { QLearning } from '../src/agents/tabular/q-learning.js';
import { GridWorld } from '../src/envs/gridworld.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { runDqnLearningBench } from './dqn-learning.js';
import { measureEnvThroughput } from './env-throughput.js';
import { runJobsLearning } from './jobs-learning.js';
import { describeMachine } from './machine.js';
import { measurePpoThroughput, runRlLearningBench } from './rl-learning.js';

/** Q-iteration on GridWorld and Q-learning's greedy policy against it. */
async function tabularSection(): Promise<string> {
  const out: string[] = ['## Tabular: Q-iteration and Q-learning on GridWorld', ''];
  const rows: (string | number)[][] = [];
  const grids: {
    name: string;
    options: ConstructorParameters<typeof GridWorld>[0];
    gamma: number;
    alpha: number;
    steps: number;
  }[] = [
    { name: 'default 4×4', options: {}, gamma: 0.9, alpha: 0.5, steps: 200_000 },
    {
      name: '4×4, 3 walls, 1 hole, step −0.01',
      options: {
        walls: [
          [1, 1],
          [1, 2],
          [2, 2],
        ],
        holes: [[3, 0]],
        holeReward: -1,
        stepReward: -0.01,
      },
      gamma: 0.95,
      alpha: 0.5,
      steps: 200_000,
    },
    // Stochastic moves: a smaller step size averages the noise out.
    { name: '6×6, slip 0.1', options: { size: 6, slip: 0.1 }, gamma: 0.95, alpha: 0.05, steps: 2_000_000 },
  ];
  for (const g of grids) {
    const env = new GridWorld(g.options);
    const opt = qIteration(env.model, { gamma: g.gamma, tol: 1e-12 });
    const agent = new QLearning(env, { alpha: g.alpha, gamma: g.gamma, seed: 1 });
    const steps = g.steps;
    await agent.learn({ totalTimesteps: steps });
    let states = 0;
    let agree = 0;
    let maxValueError = 0;
    let maxRegret = 0;
    for (let s = 0; s < env.model.numStates; s++) {
      if (env.model.isTerminal(s)) continue;
      states++;
      const a = agent.predict(s, { deterministic: true }) as number;
      if (optimalActions(opt.Q, s, env.model.numActions, 1e-9).includes(a)) agree++;
      maxValueError = Math.max(maxValueError, Math.abs(agent.Q[s * env.model.numActions + a]! - opt.V[s]!));
      maxRegret = Math.max(maxRegret, opt.V[s]! - opt.Q[s * env.model.numActions + a]!);
    }
    rows.push([
      g.name,
      g.gamma,
      g.alpha,
      opt.iterations,
      opt.delta.toExponential(1),
      steps,
      `${agree}/${states}`,
      maxValueError.toFixed(3),
      maxRegret.toExponential(1),
    ]);
  }
  out.push(
    formatMarkdownTable(
      [
        'grid',
        'γ',
        'Q-learning α',
        'Q-iteration sweeps',
        'last sweep Δ',
        'Q-learning steps',
        'greedy = optimal',
        'max abs(Q − V*) on greedy',
        'max V* − Q*(greedy)',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    'Q-iteration is exact up to Δ (value iteration on the exact model); "greedy = optimal" counts states where Q-learning\'s greedy action is one of the optimal actions; "max V* − Q*(greedy)" is how much value the greedy policy gives up in the worst state (0 = optimal).',
  );
  return out.join('\n');
}

function throughputSection(ppo: { seconds: number; samplesPerSecond: number }): string {
  const out: string[] = ['## Throughput', ''];
  const envs = measureEnvThroughput({ seconds: 1, seed: 0 });
  out.push(
    formatMarkdownTable(
      ['env', 'steps/s (random masked actions, resets included)'],
      envs.map((e) => [e.env, Math.round(e.stepsPerSecond).toLocaleString('en-US')]),
    ),
  );
  out.push('');
  out.push(
    `PPO on CartPole-v1 (4 envs × 128 steps, 64×64 tanh, 4 epochs × 4 minibatches): 100k steps in ${ppo.seconds.toFixed(1)} s, ${Math.round(ppo.samplesPerSecond)} samples/s including updates (target ≤ 120 s).`,
  );
  return out.join('\n');
}

/** Runs the selected sections and writes bench/results/rl.md. */
export async function runRlBench(
  sections: readonly string[] = ['tabular', 'pg', 'dqn', 'jobs', 'throughput'],
): Promise<void> {
  const parts: string[] = [
    '# RL core benchmark',
    '',
    `- machine: ${describeMachine()}`,
    `- command: \`npm run bench -- rl\` (bench/rl-bench.ts), ${new Date().toISOString().slice(0, 10)}`,
    '- every figure comes from this one run; wall times are on a shared 2-core machine.',
    '',
  ];
  if (sections.includes('tabular')) parts.push(await tabularSection(), '');
  if (sections.includes('pg')) parts.push(await runRlLearningBench(), '');
  if (sections.includes('dqn')) parts.push((await runDqnLearningBench()).markdown, '');
  if (sections.includes('jobs')) parts.push((await runJobsLearning()).markdown, '');
  if (sections.includes('throughput')) parts.push(throughputSection(await measurePpoThroughput()), '');
  await writeFileAtomic('bench/results/rl.md', parts.join('\n'));
  process.stderr.write('wrote bench/results/rl.md\n');
}
