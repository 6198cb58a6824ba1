/**
 * The HSoC benchmark as Markdown: the load presets, one table per workload, the powered comparison,
 * the acceptance checks (paired over seeds), the LNN rule selection, the learned rules, the PLNN
 * light-load predictions and the decision latency.
 */
import { pairedDifference, type PairedDifference } from '../core/statistics.js';
import { HSOC_LOADS, type HsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { HsocSimulator } from '../envs/hsoc/hsoc-simulator.js';
import { HSOC_WORKLOADS, type HsocWorkload } from '../envs/hsoc/hsoc-workloads.js';
import type { HsocBenchmarkResult, HsocBenchmarkRow } from './hsoc-benchmark-result.js';
import { formatMarkdownTable } from './markdown-table.js';

/**
 * The load presets as they reach each workload: nominal utilization ρ, usable PEs, and the mean
 * arrivals per critical path L of the workload (computed by the simulator, so the table is the code).
 */
export function hsocPresetTable(): string {
  const rows: (string | number)[][] = [];
  for (const load of HSOC_LOADS)
    for (const workload of HSOC_WORKLOADS) {
      const sim = new HsocSimulator({ workload, load });
      const p = sim.preset;
      const L = sim.workloadCriticalPath;
      rows.push([
        load,
        workload,
        p.utilization,
        `${sim.available.filter((a) => a).length} (${p.accelerators.gpu} GPU, ${p.accelerators.dsp} DSP)`,
        p.otherShare,
        p.memoryIntenseShare,
        sim.arrivalRates.workloadRate * L,
        sim.arrivalRates.otherRate * L,
      ]);
    }
  return formatMarkdownTable(
    [
      'load',
      'workload',
      'nominal utilization ρ',
      'usable PEs',
      'share of ρ from other DAGs',
      'memory-intensive other DAGs',
      'workload jobs per L',
      'other DAGs per L',
    ],
    rows,
  );
}

/**
 * One table per workload of `rows` (every load and policy: mean completion, paired difference to
 * the control, deadline misses, gap to the ideal static split), as the benchmark's report has them.
 */
export function hsocWorkloadTables(rows: readonly HsocBenchmarkRow[]): string {
  const parts: string[] = [];
  for (const workload of HSOC_WORKLOADS.filter((w) => rows.some((r) => r.workload === w))) {
    parts.push(`### Workload ${workload}\n`);
    parts.push(
      formatMarkdownTable(
        [
          'load',
          'policy',
          'mean DAG completion',
          '± std (seeds)',
          'vs uniform % (paired, ± std)',
          't (paired)',
          'deadline-miss ratio',
          'gap to ideal static %',
        ],
        rows
          .filter((r) => r.workload === workload)
          .map((r) => [
            r.load,
            r.policy,
            r.meanCompletion,
            r.stdCompletion,
            `${r.vsUniform.mean >= 0 ? '+' : ''}${r.vsUniform.mean.toFixed(2)} ± ${r.vsUniform.std.toFixed(2)}`,
            r.policy === 'uniform'
              ? '—'
              : `${r.vsUniform.t.toFixed(1)}${r.vsUniform.significant ? ' (significant)' : ''}`,
            r.missRatio,
            r.gapToIdeal,
          ]),
      ),
    );
    parts.push('');
  }
  return parts.join('\n');
}

/** The results as Markdown: one table per workload, the rules, the PLNN predictions, the latency. */
export function hsocBenchmarkMarkdown(result: HsocBenchmarkResult, seeds: number): string {
  const parts: string[] = [];
  parts.push('### Load presets\n');
  parts.push(hsocPresetTable() + '\n');
  parts.push(hsocWorkloadTables(result.rows));
  const bullets = (lines: string[]): string => lines.map((l) => `- ${l}`).join('\n') + '\n';
  const powered = result.powered;
  const n = powered[0]?.perSeed.length ?? 0;
  if (n > 0) {
    parts.push(`### Powered comparison with the control (${n} further seeds)\n`);
    parts.push(
      `The runnable policies on ${n} more held-out seeds (the tables above use ${seeds}; ideal static and PPO are ` +
        'left out here): small differences need many seeds, since one changed token split reorders the whole ' +
        'episode. The acceptance checks below use this sample.\n',
    );
    parts.push(
      formatMarkdownTable(
        [
          'workload',
          'load',
          'policy',
          'mean DAG completion',
          'vs uniform % (paired)',
          '95 % CI',
          't',
          'deadline-miss ratio',
        ],
        powered.map((r) => [
          r.workload,
          r.load,
          r.policy,
          r.meanCompletion,
          r.policy === 'uniform'
            ? '—'
            : `${r.vsUniform.mean >= 0 ? '+' : ''}${r.vsUniform.mean.toFixed(2)} ± ${r.vsUniform.std.toFixed(2)}`,
          r.policy === 'uniform'
            ? '—'
            : `${r.vsUniform.ci95[0].toFixed(2)} … ${r.vsUniform.ci95[1].toFixed(2)}`,
          r.policy === 'uniform'
            ? '—'
            : `${r.vsUniform.t.toFixed(1)}${r.vsUniform.significant ? ' (significant)' : ''}`,
          r.missRatio,
        ]),
      ) + '\n',
    );
    parts.push(`### Acceptance checks, as measured on the ${n} seeds\n`);
    parts.push(bullets(hsocAcceptance(powered)));
    parts.push(`The same checks on the ${seeds} seeds of the tables above:\n`);
    parts.push(bullets(hsocAcceptance(result.rows)));
  } else {
    parts.push('### Acceptance checks, as measured\n');
    parts.push(bullets(hsocAcceptance(result.rows)));
  }
  parts.push(DIFFERENCES_NOTE + '\n');
  parts.push(
    `Spread: standard deviation over ${seeds} held-out seeds (different arrivals, priorities and hence PE assignments).\n`,
  );
  parts.push('### LNN rule selection\n');
  parts.push(
    `${result.candidates.length} independent REINFORCE trainings (seeds ${result.candidates[0]?.seed ?? 1} …); each is ` +
      'scored on validation episodes of the 5-task DAG (seeds 200 000 +, disjoint from training and evaluation) by its ' +
      'mean paired difference to uniform over the loads; the lowest score is evaluated above.\n',
  );
  const loadsOf = Object.keys(result.candidates[0]?.vsUniform ?? {});
  parts.push(
    formatMarkdownTable(
      ['training seed', ...loadsOf.map((l) => `${l} vs uniform %`), 'score', 'chosen', 'rules'],
      result.candidates.map((c, i) => [
        c.seed,
        ...loadsOf.map((l) => c.vsUniform[l]!),
        c.score,
        i === result.chosen ? '✓' : '',
        c.rules.join('; '),
      ]),
    ) + '\n',
  );
  parts.push('### Learned rules (weight threshold 0.1)\n');
  parts.push('```\n' + result.rules.join('\n') + '\n```\n');
  parts.push(
    'A rule scores only the bins the guard rails allow: 0 % is masked while the PE runs its task and 100 % while a ' +
      'sibling runs, so a head that reads `⊤` acts exactly where it is allowed (`NeedTokens_0 ← ⊤`: 0 % whenever the ' +
      "parents are not complete or the PE is idle, the seed's first rule). `Slack` of bin a is 1 at the token need " +
      '(100 % alone in its DAG; beside siblings, their uniform shares split so that their paths end together) and ' +
      'falls to 0 at ±25 tokens; `FairShare` is the same curve at the request of uniform sharing among the running PEs (50 %, or 100 % as the only running PE).\n',
  );
  parts.push('### PLNN light-load prediction (dynamic rules)\n');
  parts.push(
    formatMarkdownTable(
      ['workload', 'load', 'running decisions predicted light → uniform', 'of which changed the bin'],
      result.lightLoadPredicted.map((p) => [p.workload, p.load, p.share, p.changed]),
    ),
  );
  parts.push(
    `\nDecision latency of the LNN rule policy: **${result.latencyUs.toFixed(2)} µs** per agent decision (median of 5 heavy-load AV episodes, 11 bins × 3 rules).\n`,
  );
  return parts.join('\n');
}

/** `-1.2% ± 3.4 (95 % CI -2.0 … -0.4, t = -3.1, significant)`. */
function formatDifference(d: PairedDifference): string {
  if (d.mean === 0 && d.std === 0) return 'identical on every seed';
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  const sig = d.significant ? 'significant' : 'not significant';
  return `${pct(d.mean)}% ± ${d.std.toFixed(1)} (95 % CI ${pct(d.ci95[0])} … ${pct(d.ci95[1])}, t = ${d.t.toFixed(1)}, ${sig})`;
}

/** The issue's acceptance criteria evaluated on the rows, one line each (paired over the rows' seeds). */
export function hsocAcceptance(rows: readonly HsocBenchmarkRow[]): string[] {
  const get = (w: HsocWorkload, l: HsocLoad, p: string): HsocBenchmarkRow | undefined =>
    rows.find((r) => r.workload === w && r.load === l && r.policy === p);
  const cmp = (w: HsocWorkload, l: HsocLoad, p: string, better: boolean): string => {
    const a = get(w, l, p);
    if (!a) return `${w}/${l}: n/a`;
    const { mean: d, significant } = a.vsUniform;
    // Faster: a significant paired improvement. No worse: not significantly slower.
    const ok = better ? d < 0 && significant : d <= 0 || !significant;
    return `${w}/${l} ${formatDifference(a.vsUniform)} ${ok ? '✓' : '✗'}`;
  };
  const lines: string[] = [];
  const ws = HSOC_WORKLOADS;
  lines.push(
    `lnn-rules faster than uniform at medium and heavy load: ${ws.flatMap((w) => (['medium', 'heavy'] as const).map((l) => cmp(w, l, 'lnn-rules', true))).join('; ')}`,
  );
  lines.push(
    `dynamic-rules no worse than uniform at light load: ${ws.map((w) => cmp(w, 'light', 'dynamic-rules', false)).join('; ')}`,
  );
  lines.push(
    `dynamic-rules faster than uniform at heavy load: ${ws.map((w) => cmp(w, 'heavy', 'dynamic-rules', true)).join('; ')}`,
  );
  const vsRunning = (w: HsocWorkload, l: HsocLoad): string => {
    const a = get(w, l, 'lnn-rules');
    const b = get(w, l, 'uniform-running');
    if (!a || !b) return `${w}/${l}: n/a`;
    return `${w}/${l} ${formatDifference(pairedDifference(a.perSeed, b.perSeed))}`;
  };
  lines.push(
    `for reference, lnn-rules against the stronger readiness-aware uniform-running (not the seed's control): ${ws.flatMap((w) => HSOC_LOADS.map((l) => vsRunning(w, l))).join('; ')}`,
  );
  return lines;
}

/** How the differences are computed (printed under the acceptance lines). */
const DIFFERENCES_NOTE =
  'Differences: mean over seeds of the paired per-seed difference to uniform (± its std over seeds), with the 95 % ' +
  'confidence interval of that mean; t = mean / (std / √seeds), significant when |t| exceeds the two-sided 5 % ' +
  'Student critical value. "Faster" needs a significant improvement; "no worse" fails only on a significant slowdown.';
