/**
 * Markdown of the HSoC comparison on the profiled workloads (`npm run bench -- hsoc`): the per-type
 * load table, one table per workload with paired 95 % CIs against the control, gaps to the static
 * target and to the lower bound, the PLNN switch and its accuracy, the learned rules, and the
 * seed's claims checked against the measured CIs.
 */
import { pairedDifference } from '../core/statistics.js';
import type { HsocTypeUtilization } from '../envs/hsoc/hsoc-per-type-load.js';
import type { HsocProfiledRow } from './hsoc-profiled-row.js';

/** What {@link hsocProfiledMarkdown} renders. */
export interface HsocProfiledReport {
  /** Comparison rows. */
  rows: readonly HsocProfiledRow[];
  /** Per-type utilization of every (workload, load), with the relative deadline and isolated time. */
  loads: readonly {
    workload: string;
    load: string;
    perType: readonly HsocTypeUtilization[];
    workloadRate: number;
    otherRate: number;
    isolated: number;
    deadline: number;
  }[];
  /** The selected LNN rules as text (empty: none). */
  rules: readonly string[];
  /** LNN model selection: training seed, validation score per load and overall, rules. */
  candidates: readonly { seed: number; vsUniform: Record<string, number>; score: number; rules: string[] }[];
  /** Index of the chosen candidate. */
  chosen: number;
  /** The ppo-shared learning-curve and sample-efficiency section (Markdown), if PPO ran. */
  ppoSection?: string;
  /** LNN training curve of the chosen candidate (mean normalized completion per episode). */
  lnnCurve: readonly number[];
  /** LNN decision latency, µs per agent decision. */
  latencyUs: number;
}

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');
const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}` : '—');
const ci = (c: readonly [number, number]): string =>
  Number.isFinite(c[0]) ? `${pct(c[0])} … ${pct(c[1])}` : '—';

/** Mean of consecutive blocks of a curve (at most `points` blocks). */
function blocks(curve: readonly number[], points: number): number[] {
  const size = Math.max(1, Math.ceil(curve.length / points));
  const out: number[] = [];
  for (let i = 0; i < curve.length; i += size) {
    const part = curve.slice(i, i + size);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

/** The claims section: each line says the measured CI and whether the claim holds. */
export function hsocProfiledClaims(rows: readonly HsocProfiledRow[]): string[] {
  const find = (w: string, l: string, p: string): HsocProfiledRow | undefined =>
    rows.find((r) => r.workload === w && r.load === l && r.policy === p);
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const loads = [...new Set(rows.map((r) => r.load))];
  const lines: string[] = [];
  const verdict = (c: readonly [number, number]): string =>
    c[1] < 0 ? 'faster (CI below 0)' : c[0] > 0 ? 'slower (CI above 0)' : 'no significant difference';
  const lnn = workloads.flatMap((w) =>
    (['medium', 'heavy'] as const).map((l) => {
      const r = find(w, l, 'lnn-rules');
      return r ? `${w}/${l} ${pct(r.vsControlPct)} % [${ci(r.ci95)}] → ${verdict(r.ci95)}` : `${w}/${l} —`;
    }),
  );
  lines.push(
    `- **LNN rules faster than the control at medium and heavy load** (seed: yes): ${lnn.join('; ')}.`,
  );
  const light = workloads.map((w) => {
    const r = find(w, 'light', 'lnn-rules');
    return r ? `${w} ${pct(r.vsControlPct)} % [${ci(r.ci95)}] → ${verdict(r.ci95)}` : `${w} —`;
  });
  lines.push(`- **LNN rules at light load** (seed: they lose): ${light.join('; ')}.`);
  const near = workloads.flatMap((w) =>
    loads.map((l) => {
      const r = find(w, l, 'dynamic-rules');
      return r ? `${w}/${l} ${pct(r.gapToIdealPct)} %` : `${w}/${l} —`;
    }),
  );
  lines.push(
    `- **PLNN-switched dynamic rules within 2 % of the static target** (gap of the means; seed: yes): ${near.join('; ')}.`,
  );
  const never = workloads.flatMap((w) =>
    loads.map((l) => {
      const d = find(w, l, 'dynamic-rules');
      const a = find(w, l, 'lnn-rules');
      const u = find(w, l, 'uniform');
      if (!d || !a || !u) return `${w}/${l} —`;
      const better = a.meanCompletion <= u.meanCompletion ? a : u;
      const diff = pairedDifference(d.perSeed, better.perSeed);
      return `${w}/${l} vs ${better.policy} ${pct(diff.mean)} % [${ci(diff.ci95)}] → ${verdict(diff.ci95)}`;
    }),
  );
  lines.push(
    `- **Dynamic rules never worse than the better of LNN rules and the control** (paired): ${never.join('; ')}.`,
  );
  const bound = workloads.flatMap((w) =>
    loads.map((l) => {
      const best = rows
        .filter((r) => r.workload === w && r.load === l && r.policy !== 'lower-bound')
        .reduce((a, b) => (a.meanCompletion <= b.meanCompletion ? a : b));
      return `${w}/${l} best ${best.policy} ${pct(best.gapToLowerBoundPct)} %`;
    }),
  );
  lines.push(`- **Distance to the lower bound** (no policy can be below it): ${bound.join('; ')}.`);
  return lines;
}

/** One line of a workload table: a row of the comparison. */
export function hsocProfiledRowLine(r: HsocProfiledRow): string {
  return `| ${r.load} | ${r.policy} | ${r.seeds} | ${f(r.meanCompletion, 3)} | ${pct(r.vsControlPct)} | ${ci(r.ci95)} | ${pct(
    r.gapToIdealPct,
  )} | ${pct(r.gapToLowerBoundPct)} | ${f(r.deadlineMissRatio, 3)} |`;
}

/** The Markdown body (the bench adds the machine, command and timing on top). */
export function hsocProfiledMarkdown(report: HsocProfiledReport): string {
  const out: string[] = [];
  out.push('### Load presets (`per-type` calibration)', '');
  out.push(
    '| workload | load | workload jobs / time | other DAGs / time | ρ per PE type (cpu, gpu, fft) | isolated time | relative deadline |',
    '|---|---|---:|---:|---|---:|---:|',
  );
  for (const l of report.loads)
    out.push(
      `| ${l.workload} | ${l.load} | ${f(l.workloadRate, 4)} | ${f(l.otherRate, 4)} | ${l.perType
        .map((t) => `${t.type} ${f(t.utilization)}`)
        .join(', ')} | ${f(l.isolated)} | ${f(l.deadline)} |`,
    );
  for (const w of [...new Set(report.rows.map((r) => r.workload))]) {
    out.push('', `### Workload ${w}`, '');
    out.push(
      '| load | policy | seeds | mean DAG completion | vs control % (paired) | 95 % CI | gap to static target % | gap to lower bound % | deadline-miss ratio |',
      '|---|---|---:|---:|---:|---|---:|---:|---:|',
    );
    for (const r of report.rows.filter((x) => x.workload === w)) out.push(hsocProfiledRowLine(r));
  }
  out.push('', '### PLNN switch (dynamic rules) and its light-load inference', '');
  out.push(
    '| workload | load | running decisions | inferred light (→ uniform) | of which changed the bin | truly light (full observation) | accuracy vs full observation | precision of "light" | recall of "light" | accuracy vs the preset label |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of report.rows) {
    if (!r.plnn) continue;
    const c = r.plnn.confusion;
    const n = c.lightLight + c.lightBusy + c.busyLight + c.busyBusy;
    const inferred = c.lightLight + c.lightBusy;
    const truly = c.lightLight + c.busyLight;
    const labelRight = r.load === 'light' ? inferred : n - inferred;
    out.push(
      `| ${r.workload} | ${r.load} | ${n} | ${inferred} | ${r.plnn.changedDecisions} | ${truly} | ${f(
        (c.lightLight + c.busyBusy) / n,
        3,
      )} | ${inferred > 0 ? f(c.lightLight / inferred, 3) : '—'} | ${truly > 0 ? f(c.lightLight / truly, 3) : '—'} | ${f(
        labelRight / n,
        3,
      )} |`,
    );
  }
  out.push('', "### The seed's claims, as measured", '', ...hsocProfiledClaims(report.rows));
  if (report.rules.length > 0) {
    out.push('', '### Learned LNN rules (weight threshold 0.1)', '', '```', ...report.rules, '```');
    out.push(
      '',
      '| training seed | light % | medium % | heavy % | score | chosen | rules |',
      '|---:|---:|---:|---:|---:|---|---|',
    );
    report.candidates.forEach((c, i) =>
      out.push(
        `| ${c.seed} | ${f(c.vsUniform['light'] ?? NaN)} | ${f(c.vsUniform['medium'] ?? NaN)} | ${f(
          c.vsUniform['heavy'] ?? NaN,
        )} | ${f(c.score)} | ${i === report.chosen ? '✓' : ''} | ${c.rules.join('; ')} |`,
      ),
    );
    out.push(
      '',
      `Training curve of the chosen rules (mean completion / L per episode, in 10 blocks): ${blocks(
        report.lnnCurve,
        10,
      )
        .map((x) => f(x, 3))
        .join(', ')}.`,
    );
  }
  if (report.ppoSection) out.push('', report.ppoSection.trimEnd());
  out.push('', `Decision latency of the LNN rule policy: **${f(report.latencyUs)} µs** per agent decision.`);
  return out.join('\n') + '\n';
}
