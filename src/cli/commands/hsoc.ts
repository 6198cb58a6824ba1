/**
 * The `arbiter hsoc` command group: `hsoc import` turns STOMP's inputs (arrival trace, GraphML DAGs,
 * computation CSVs) into an HSoC workload file; `hsoc simulate` runs a workload file on the HSoC
 * simulator with a non-learned power-sharing policy and prints the completion metrics.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { ArbiterError } from '../../core/errors.js';
import { HsocEnv } from '../../envs/hsoc/hsoc-env.js';
import {
  DEFAULT_PES,
  HSOC_LOAD_PRESETS,
  STOMP_PES,
  isHsocLoad,
  isPeType,
  peMix,
  type PeType,
} from '../../envs/hsoc/hsoc-platform.js';
import {
  importStompWorkload,
  parseHsocWorkloadFile,
  stompTraceDagTypes,
  type NamedText,
} from '../../envs/hsoc/hsoc-workload-file.js';
import { runHsocEpisode, type HsocPolicy } from '../../envs/hsoc/policies/hsoc-policy.js';
import { NeedPolicy } from '../../envs/hsoc/policies/need-policy.js';
import { SlackPeakPolicy } from '../../envs/hsoc/policies/slack-peak-policy.js';
import { UniformPolicy } from '../../envs/hsoc/policies/uniform-policy.js';
import { formatTable } from '../../report/table.js';
import { selectLnnRulePolicy } from '../../agents/select-lnn-rule-policy.js';
import { STOMP_DVFS } from '../../envs/hsoc/hsoc-power-model.js';
import {
  profiledTrainingEnv,
  runHsocProfiledComparison,
} from '../../experiments/hsoc-profiled-comparison.js';
import type { KnowledgeBaseSpec } from '../../logic/knowledge-base-spec.js';
import { writeJson } from '../output.js';
import { parseInteger, parsePositiveInt } from '../parse-number.js';

interface ImportOptions {
  dags?: string;
  servers: string;
  name?: string;
  out?: string;
}

interface SimulateOptions {
  policy: string;
  pes: string;
  load?: string;
  seed: number;
  highCriticality: number;
  json?: boolean;
}

interface CompareOptions {
  seeds: number;
  calibration: string;
  dvfs?: boolean;
  episodes: number;
  restarts: number;
  kb: string;
  json?: boolean;
}

/** `--servers cpu,gpu,fft`: PE type per server-type column, `-` to ignore one. */
function parseServers(value: string): (PeType | null)[] {
  return value.split(',').map((s) => {
    const t = s.trim();
    if (t === '-') return null;
    if (!isPeType(t))
      throw new ArbiterError('bad-option', `--servers: unknown PE type '${t}' (cpu, gpu, dsp, fft or -)`);
    return t;
  });
}

/** `--pes stomp | default | cpu=3,gpu=3,fft=3`. */
function parsePes(value: string): readonly PeType[] {
  if (value === 'stomp') return STOMP_PES;
  if (value === 'default') return DEFAULT_PES;
  const count: Record<string, number> = {};
  for (const part of value.split(',')) {
    const [k, n] = part.split('=');
    count[k!.trim()] = Number(n);
  }
  return peMix(count);
}

const POLICIES: Readonly<Record<string, () => HsocPolicy>> = {
  uniform: () => new UniformPolicy(),
  'uniform-running': () => new UniformPolicy({ readinessAware: true }),
  need: () => new NeedPolicy(),
  'slack-peak': () => new SlackPeakPolicy(),
};

async function namedText(file: string): Promise<NamedText> {
  return { text: await readFile(file, 'utf8'), file };
}

/** Registers `arbiter hsoc import`, `arbiter hsoc simulate` and `arbiter hsoc compare`. */
export function registerHsoc(program: Command): void {
  const hsoc = program.command('hsoc').description('HSoC power sharing: workloads from STOMP, simulation');
  hsoc
    .command('import')
    .description("convert STOMP's arrival trace + GraphML DAGs + computation CSVs into an HSoC workload file")
    .argument('<trace>', 'arrival trace (arrival time, id, DAG type, criticality, deadline per line)')
    .option('--dags <dir>', 'folder of dag{T}.graphml and dag_{T}.txt (default: the trace’s folder)')
    .option('--servers <types>', 'PE type of each server-type column of the CSVs (- = ignore)', 'cpu,gpu,fft')
    .option('--name <name>', 'workload name')
    .option('--out <file.json>', 'write the workload here (default: stdout)')
    .action(async (trace: string, opts: ImportOptions) => {
      const servers = parseServers(opts.servers);
      const traceText = await namedText(trace);
      const dir = opts.dags ?? path.dirname(trace);
      const dags = new Map<string, { graphml: NamedText; computation: NamedText }>();
      for (const t of stompTraceDagTypes(traceText))
        dags.set(t, {
          graphml: await namedText(path.join(dir, `dag${t}.graphml`)),
          computation: await namedText(path.join(dir, `dag_${t}.txt`)),
        });
      const workload = importStompWorkload({
        trace: traceText,
        dags,
        servers,
        ...(opts.name !== undefined && { name: opts.name }),
      });
      const text = JSON.stringify(workload, null, 2) + '\n';
      if (opts.out) {
        await writeFileAtomic(opts.out, text);
        process.stderr.write(
          `${opts.out}: ${Object.keys(workload.dags).length} DAG types, ${workload.trace.length} jobs\n`,
        );
      } else process.stdout.write(text);
    });
  hsoc
    .command('simulate')
    .description('run an HSoC workload file with a non-learned power-sharing policy')
    .argument('<workload>', 'HSoC workload file (arbiter hsoc import)')
    .option('--policy <name>', `power sharing: ${Object.keys(POLICIES).join(', ')}`, 'uniform')
    .option('--pes <mix>', 'PE mix: stomp (3 CPU, 3 GPU, 3 FFT), default, or cpu=3,gpu=3,fft=3', 'stomp')
    .option(
      '--load <load>',
      'apply a load preset (accelerator availability, background DAGs); default: all PEs, none',
    )
    .option('--seed <n>', 'seed of the background DAGs', parseInteger, 0)
    .option('--high-criticality <n>', 'criticality from which a job is high priority', parseInteger, 2)
    .option('--json', 'print one JSON document')
    .action(async (file: string, opts: SimulateOptions) => {
      const make = POLICIES[opts.policy];
      if (!make)
        throw new ArbiterError(
          'bad-option',
          `--policy: unknown '${opts.policy}' (${Object.keys(POLICIES).join(', ')})`,
        );
      if (opts.load !== undefined && !isHsocLoad(opts.load))
        throw new ArbiterError('bad-option', `--load: unknown '${opts.load}' (light, medium, heavy)`);
      const pes = parsePes(opts.pes);
      const w = parseHsocWorkloadFile(await readFile(file, 'utf8'), file, {
        highCriticality: opts.highCriticality,
      });
      const env = new HsocEnv({
        trace: w.trace,
        pes,
        ...(opts.load !== undefined
          ? { load: opts.load }
          : { load: { ...HSOC_LOAD_PRESETS.light, otherShare: 0 }, available: pes.map(() => true) }),
      });
      const m = runHsocEpisode(env, make(), opts.seed);
      if (opts.json) {
        writeJson({ workload: w.name, policy: opts.policy, pes, ...m });
        return;
      }
      process.stdout.write(
        `${w.name}: ${m.jobs} jobs on ${pes.length} PEs (${pes.join(' ')}), policy ${opts.policy}\n` +
          formatTable(
            ['mean completion', 'deadline misses', 'makespan', 'decisions'],
            [[m.meanCompletion, `${(100 * m.deadlineMissRatio).toFixed(1)} %`, m.makespan, m.decisions]],
          ) +
          '\n',
      );
    });
  hsoc
    .command('compare')
    .description('small paired comparison on the profiled 5-task / AV-42 DAGs and STOMP’s PE mix')
    .option('--seeds <n>', 'paired seeds per cell', parsePositiveInt, 30)
    .option(
      '--calibration <rule>',
      'load presets: per-type (bottleneck utilization per PE type) or nominal',
      'per-type',
    )
    .option('--dvfs', 'DVFS power model with STOMP’s voltages instead of the token model')
    .option('--episodes <n>', 'REINFORCE episodes of the LNN rules (0: no LNN rows)', parseInteger, 0)
    .option('--restarts <n>', 'independent LNN trainings (best on validation kept)', parsePositiveInt, 2)
    .option(
      '--kb <file.json>',
      'LightLoad PLNN knowledge base of the dynamic rules',
      'examples/logic/light-load.json',
    )
    .option('--json', 'print the rows as one JSON document')
    .action(async (opts: CompareOptions) => {
      const calibration = opts.calibration;
      if (calibration !== 'per-type' && calibration !== 'nominal')
        throw new ArbiterError('bad-option', `--calibration: unknown '${calibration}' (per-type, nominal)`);
      const power = { budget: 1000, ...(opts.dvfs && { dvfs: STOMP_DVFS }) };
      const trainEnv = profiledTrainingEnv(calibration, power);
      const selection =
        opts.episodes > 0
          ? selectLnnRulePolicy({
              restarts: opts.restarts,
              train: { episodes: opts.episodes, env: { ...trainEnv, jobs: 4 } },
              env: trainEnv,
            })
          : undefined;
      const knowledgeBase = selection
        ? (JSON.parse(await readFile(opts.kb, 'utf8')) as KnowledgeBaseSpec)
        : undefined;
      const rows = runHsocProfiledComparison({
        seeds: opts.seeds,
        calibration,
        power,
        ...(selection && { rules: selection.policy }),
        ...(knowledgeBase && { knowledgeBase }),
      });
      const rules = selection?.policy.rules().map((r) => r.text) ?? [];
      if (opts.json) {
        writeJson({ rows, rules });
        return;
      }
      const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)} %`;
      process.stdout.write(
        formatTable(
          [
            'workload',
            'load',
            'policy',
            'mean completion',
            'vs control',
            '95 % CI',
            'gap to static target',
            'gap to lower bound',
            'misses',
          ],
          rows.map((r) => [
            r.workload,
            r.load,
            r.policy,
            r.meanCompletion,
            pct(r.vsControlPct),
            `[${r.ci95.map((x) => x.toFixed(2)).join(', ')}]`,
            pct(r.gapToIdealPct),
            pct(r.gapToLowerBoundPct),
            r.deadlineMissRatio.toFixed(3),
          ]),
          ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
        ) +
          (rules.length > 0 ? `\n\nLNN rules:\n${rules.join('\n')}` : '') +
          '\n',
      );
    });
}
