import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../src/core/rng.js';
import { buildDag, dagToSpec } from '../src/dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../src/dag/dag-task.js';
import { withSlackDeadline } from '../src/dag/generate/deadline.js';
import { generateDag } from '../src/dag/generate/generate-dag.js';
import { checkSchedule } from '../src/dag/schedule/check-schedule.js';
import { SCHEDULE_METHODS } from '../src/dag/schedule/schedule-dag.js';
import { POLICY_METHODS } from '../src/deploy/schedule-method.js';
import type { ScheduleResult } from '../src/dag/schedule/schedule-result.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine } from './machine.js';

const SEED = 2026;
const SIZES = [50, 100, 300, 1000, 3000, 10000] as const;
const KINDS = ['layered', 'fork-join', 'sparse-random'] as const;
const METHODS = [...SCHEDULE_METHODS, ...POLICY_METHODS];
/** Tight deadlines, as in the 600-node case: D = L + 0.02·(vol − L). */
const SLACK = 0.02;
/** Each method's own budget (`--budget`, and `--time-limit` for optimal), in seconds. */
const BUDGET_S = 5;
/** A cell still running this long after its budget is killed and reported as such. */
const KILL_GRACE_S = 40;
/** The built CLI (`ARBITER_SCALE_CLI` overrides it, e.g. a copy of dist/ kept fixed during a run). */
const CLI = process.env['ARBITER_SCALE_CLI'] ?? 'dist/cli/main.js';
const TIME = '/usr/bin/time';

type Kind = (typeof KINDS)[number];

interface Row {
  kind: Kind;
  n: number;
  method: string;
  /** `answered`, `best-so-far` (budget reached, answer kept), `declined`, `error`, `killed`. */
  status: string;
  wallS: number;
  maxRssMB: number | null;
  cores: number | null;
  lowerBound: number | null;
  /** checkSchedule on the returned timetable (null without one). */
  valid: boolean | null;
  note: string;
}

/**
 * A sparse random DAG: each node after the first draws 0–2 predecessors uniformly among all
 * earlier nodes (no locality, so paths are long and the graph wide), WCETs uniform in 1…50.
 */
function sparseRandomDag(n: number, seed: number): Dag {
  const rng = new Rng(seed);
  const spec: DagTaskSpec = {
    name: `sparse-random-${n}`,
    nodes: Array.from({ length: n }, (_, v) => ({ id: `v${v}`, wcet: rng.intBetween(1, 50) })),
    edges: [],
  };
  for (let v = 1; v < n; v++) {
    const k = rng.int(3);
    const preds = new Set<number>();
    for (let q = 0; q < k; q++) preds.add(rng.int(v));
    for (const u of preds) spec.edges.push([`v${u}`, `v${v}`]);
  }
  return buildDag(spec);
}

function dagOf(kind: Kind, n: number): Dag {
  const seed = SEED + n;
  const dag =
    kind === 'sparse-random' ? sparseRandomDag(n, seed) : generateDag({ kind, nodes: n, seed, slack: SLACK });
  return withSlackDeadline(dag, SLACK);
}

/** Runs one method in a child process under /usr/bin/time; wall time and peak RSS of that process. */
function runCell(
  file: string,
  method: string,
): Promise<{
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  wallS: number;
  maxRssKB: number | null;
}> {
  const args = [
    CLI,
    'schedule',
    file,
    '--method',
    method,
    '--json',
    '--budget',
    String(BUDGET_S),
    '--time-limit',
    String(BUDGET_S),
  ];
  const useTime = existsSync(TIME);
  const child = useTime
    ? spawn(TIME, ['-f', 'MAXRSS_KB=%M', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const t0 = performance.now();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let killed = false;
  const timer = setTimeout(
    () => {
      killed = true;
      child.kill('SIGKILL');
    },
    (BUDGET_S + KILL_GRACE_S) * 1000,
  );
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({
        code,
        killed,
        stdout,
        stderr: stderr.replace(/MAXRSS_KB=\d+\s*/, ''),
        wallS: (performance.now() - t0) / 1000,
        maxRssKB: m ? Number(m[1]) : null,
      });
    });
  });
}

function statusOf(r: ScheduleResult): string {
  if (r.skipped !== undefined) return 'declined';
  if (r.note !== undefined && /time budget|time limit|MILP not built/.test(r.note)) return 'best-so-far';
  return 'answered';
}

/**
 * `npm run bench -- scale [n…]` (after `npm run build`): time and peak memory of every method from
 * 50 to 10,000 nodes (or only the sizes named) → bench/results/scale.md and scale.json.
 */
export async function runScaleBench(only: readonly number[] = []): Promise<void> {
  const sizes = only.length > 0 ? SIZES.filter((n) => only.includes(n)) : SIZES;
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` first`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'arbiter-scale-'));
  const rows: Row[] = [];
  const started = performance.now();
  try {
    for (const kind of KINDS) {
      for (const n of sizes) {
        const dag = dagOf(kind, n);
        const file = path.join(dir, `${kind}-${n}.json`);
        await writeFile(file, JSON.stringify(dagToSpec(dag)));
        for (const method of METHODS) {
          const cell = await runCell(file, method);
          const row: Row = {
            kind,
            n,
            method,
            status: 'error',
            wallS: cell.wallS,
            maxRssMB: cell.maxRssKB === null ? null : cell.maxRssKB / 1024,
            cores: null,
            lowerBound: null,
            valid: null,
            note: '',
          };
          if (cell.killed) {
            row.status = 'killed';
            row.note = `still running ${BUDGET_S + KILL_GRACE_S} s after start`;
          } else if (cell.code !== 0) {
            row.note = cell.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${cell.code}`;
          } else {
            const r = JSON.parse(cell.stdout) as ScheduleResult;
            row.status = statusOf(r);
            row.lowerBound = r.lowerBound;
            if (r.schedule.length > 0) {
              row.cores = r.cores;
              row.valid = checkSchedule(dag, r).ok && r.feasible;
            }
            row.note = r.skipped ?? r.note ?? '';
          }
          rows.push(row);
          process.stderr.write(
            `${kind} n=${n} ${method}: ${row.status} ${row.wallS.toFixed(1)} s ` +
              `${row.maxRssMB?.toFixed(0) ?? '?'} MB cores ${row.cores ?? '-'} valid ${row.valid ?? '-'}\n`,
          );
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const totalS = (performance.now() - started) / 1000;
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/scale.json',
    JSON.stringify({ seed: SEED, slack: SLACK, budgetS: BUDGET_S, totalS, rows }, null, 1) + '\n',
  );
  await writeFile('bench/results/scale.md', report(rows, totalS));
}

/** The Markdown report of a run (also re-rendered from scale.json by `scale --report`). */
export function report(rows: readonly Row[], totalS: number): string {
  const out: string[] = [];
  out.push('# Scale benchmark: every method from 50 to 10,000 nodes');
  out.push('');
  out.push(`- machine: ${describeMachine()} (shared with other jobs: times are indicative)`);
  out.push(
    `- command: \`npm run build && npm run bench -- scale\` (bench/scale-bench.ts), seed ${SEED}, ${new Date().toISOString().slice(0, 10)}, total ${Math.round(totalS)} s`,
  );
  out.push(
    `- DAGs: layered and fork-join from \`generateDag\`, and sparse random (0–2 predecessors drawn among all earlier nodes, WCET 1…50); deadline D = L + ${SLACK}·(vol − L).`,
  );
  out.push(
    `- each cell is one \`arbiter schedule FILE --method M --json --budget ${BUDGET_S} --time-limit ${BUDGET_S}\` in its own process: wall time and peak RSS (\`/usr/bin/time\` %M) of that whole process, including start-up (~45 MB, ~0.1 s) and reading the DAG; a cell still running ${KILL_GRACE_S} s past its budget is killed.`,
  );
  out.push(
    '- status: `answered`; `best-so-far` — the budget (or the MILP size check) stopped the method, which returned the valid answer it had; `declined` — no answer, the note says why; `killed`/`error` — a failure (none expected). `valid`: `checkSchedule` accepts the timetable and it meets D.',
  );
  out.push('');
  const fails = rows.filter((r) => r.status === 'killed' || r.status === 'error' || r.valid === false);
  out.push(`**Crashes, kills or invalid timetables: ${fails.length}** of ${rows.length} cells.`);
  out.push('');
  for (const kind of KINDS) {
    out.push(`## ${kind}`);
    out.push('');
    out.push(
      'Wall time in s / peak RSS in MB / cores (`*` best so far, `—` declined, `D not proved`: the bound of the method exceeds D for every m ≤ n, no timetable); lower bound per size in the header.',
    );
    out.push('');
    const sizes = SIZES.filter((n) => rows.some((r) => r.kind === kind && r.n === n));
    const lb = (n: number): string =>
      String(rows.find((r) => r.kind === kind && r.n === n && r.lowerBound !== null)?.lowerBound ?? '?');
    const table = METHODS.map((m) => [
      m,
      ...sizes.map((n) => {
        const r = rows.find((x) => x.kind === kind && x.n === n && x.method === m);
        if (!r) return '';
        const cores =
          r.status === 'declined'
            ? '—'
            : r.cores === null
              ? r.status === 'answered'
                ? 'D not proved'
                : r.status
              : `${r.cores}${r.status === 'best-so-far' ? '*' : ''}`;
        const bad =
          r.valid === false
            ? ' INVALID'
            : r.status === 'killed' || r.status === 'error'
              ? ` ${r.status.toUpperCase()}`
              : '';
        return `${r.wallS.toFixed(1)} / ${r.maxRssMB?.toFixed(0) ?? '?'} / ${cores}${bad}`;
      }),
    ]);
    out.push(formatMarkdownTable(['method', ...sizes.map((n) => `n = ${n} (lb ${lb(n)})`)], table));
    out.push('');
  }
  out.push('## Notes of declined and cut-short cells');
  out.push('');
  const noted = rows.filter((r) => r.status !== 'answered' && r.note);
  const seen = new Set<string>();
  for (const r of noted) {
    const generic = r.note.replace(/\d[\d,.]*/g, 'N');
    const key = `${r.method}: ${generic}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`- ${r.method} (${r.kind}, n = ${r.n}): ${r.note}`);
  }
  out.push('');
  return out.join('\n');
}
