/**
 * Renders the EGS learning ablation (`src/experiments/egs-learn-ablation.ts`) as Markdown: one
 * table per evaluation set, one row per variant, and the training facts of each learned variant.
 */
import type { EgsTeacher } from '../envs/egs/egs-best-teacher.js';

/** One variant on one set. */
export interface EgsAblationRow {
  /** Variant (lever) name. */
  variant: string;
  /** Set name. */
  set: string;
  /** DAGs in the set. */
  dags: number;
  /** Mean cores (n for a DAG without a timetable). */
  meanCores: number;
  /** DAGs scheduled on at most their budget m cores. */
  withinBudget: number;
  /** Mean wall time per DAG, ms. */
  msPerDag: number;
  /** Timetables that failed the shared checker. */
  invalid: number;
}

/** What the training phases did, for the report. */
export interface EgsAblationTraining {
  /** Per behaviour-cloning variant: states, teacher mean cores, teacher wins, final NLL, seconds. */
  bc: Record<
    string,
    {
      states: number;
      teacherCores: number;
      wins: Partial<Record<EgsTeacher, number>>;
      nll: number;
      seconds: number;
    }
  >;
  /** DAgger rounds after the best-teacher cloning: the policy's mean cores on the training DAGs before each retraining. */
  dagger: {
    round: number;
    policyCores: number;
    states: number;
    nll: number;
    seconds: number;
    /** The variant the round trained (default: `bc best teacher + dagger`). */
    variant?: string;
  }[];
  /** PPO from scratch (original features): steps, seconds, last mean episode return. */
  ppo: { steps: number; seconds: number; lastReturn: number };
  /** Every PPO run (from scratch and fine-tunes) by variant. */
  ppoRuns?: Record<string, { steps: number; seconds: number; lastReturn: number }>;
}

/** The ablation tables: per set, variant × (mean cores, DAGs on ≤ m cores, ms per DAG, invalid). */
export function egsAblationTables(rows: readonly EgsAblationRow[]): string {
  const out: string[] = [];
  for (const set of [...new Set(rows.map((r) => r.set))]) {
    out.push(
      `### ${set}`,
      '',
      '| variant | mean cores | DAGs on ≤ m cores | ms per DAG | invalid |',
      '|---|---|---|---|---|',
    );
    for (const r of rows.filter((x) => x.set === set))
      out.push(
        `| ${r.variant} | ${r.meanCores.toFixed(2)} | ${r.withinBudget}/${r.dags} | ${r.msPerDag.toFixed(0)} | ${r.invalid} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

/** The training facts: states, teacher cores and wins, final NLL and time of each cloned variant; PPO's steps. */
export function egsAblationTraining(t: EgsAblationTraining): string {
  const out = [
    '| variant | states | teacher mean cores | teacher wins | final NLL | seconds |',
    '|---|---|---|---|---|---|',
  ];
  for (const [name, b] of Object.entries(t.bc))
    out.push(
      `| ${name} | ${b.states} | ${b.teacherCores.toFixed(2)} | ${Object.entries(b.wins)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} | ${b.nll.toFixed(3)} | ${b.seconds.toFixed(0)} |`,
    );
  for (const d of t.dagger)
    out.push(
      '',
      `${d.variant ?? 'DAgger'} round ${d.round}: greedy policy ${d.policyCores.toFixed(2)} mean cores on the training DAGs (before retraining), ${d.states} states, NLL ${d.nll.toFixed(3)}, ${d.seconds.toFixed(0)} s.`,
    );
  const runs = t.ppoRuns && Object.keys(t.ppoRuns).length > 0 ? t.ppoRuns : { 'PPO from scratch': t.ppo };
  for (const [name, r] of Object.entries(runs))
    out.push(
      '',
      `${name}: PPO, ${r.steps} steps in ${r.seconds.toFixed(0)} s, last mean episode return (width drop) ${r.lastReturn.toFixed(2)}.`,
    );
  return out.join('\n');
}
