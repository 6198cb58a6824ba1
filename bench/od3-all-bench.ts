/**
 * `runOd3AllBench()`: the whole OD3 benchmark (`npm run bench -- od3`) as independent parts run
 * side by side, each in its own process: the pixel runs of the paper (PixelPong-v0 and the image
 * Jobs-v0, DQN CNN teacher, CNN students, the full minibatch 32/16/8/4 and update-frequency
 * 4/8/16/32 grid; bench/od3-pixel-bench.ts) and the MLP sections (CartPole-v1 and Jobs-v0, PPO
 * teacher; bench/od3-bench.ts).
 *
 * Why processes: every trainer runs on TF.js's WASM backend, which has no threads under Node, so
 * one process uses one core; the parts share nothing but the result files (each rewrites only its
 * own block of bench/results/od3.md and its own rows of od3.json, under a lock). `lanes` caps how
 * many run at once (default: all; `lanes=1` is the serial run). The run is stated in od3.md's
 * `od3-run` block: each part's command, start, end and exit code, the whole wall time and the load
 * averages read every 5 minutes, so a reader sees what the machine did meanwhile.
 *
 * Run: `npm run bench -- od3 [lanes=N] [scale=K] [cache=DIR] [out=F.md] [json=F.json]
 * [parts=pixelpong,jobs-image,mlp]`;
 * `npm run bench -- od3 pixel …` and `npm run bench -- od3 mlp …` run one part alone.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine } from './machine.js';
import { OD3_PIXEL_BLOCKS, upsertMarkedBlock } from './marked-section.js';

/** The parts of the whole benchmark, longest first (so a small `lanes` starts the long one early). */
export const OD3_PARTS = ['pixelpong', 'jobs-image', 'mlp'] as const;

/** One part of {@link OD3_PARTS}. */
export type Od3Part = (typeof OD3_PARTS)[number];

/** Options of {@link runOd3AllBench}. */
export interface Od3AllOptions {
  /** Parts run at once (default: all of them). */
  lanes?: number;
  /** Multiplies every part's default step budgets (default 1). */
  scale?: number;
  /** Cache folder; each part uses its own sub-folder (default: each part's own default). */
  cache?: string;
  /** Parts to run (default {@link OD3_PARTS}). */
  parts?: Od3Part[];
  /** Report (default bench/results/od3.md). */
  out?: string;
  /** JSON rows of the pixel parts (default bench/results/od3.json). */
  json?: string;
}

/**
 * Parses `key=value` arguments of `npm run bench -- od3`; an unknown key, a part that does not
 * exist or a value out of range is an error naming the argument.
 */
export function parseOd3AllArgs(args: readonly string[]): Od3AllOptions {
  const o: Od3AllOptions = {};
  for (const a of args) {
    const [k, v = ''] = a.split('=');
    if (k === 'lanes') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`od3: '${a}': the value must be an integer ≥ 1, got '${v}'`);
      o.lanes = n;
    } else if (k === 'scale') {
      const s = Number(v);
      if (!(s > 0) || !Number.isFinite(s))
        throw new Error(`od3: '${a}': the value must be a number > 0, got '${v}'`);
      o.scale = s;
    } else if (k === 'cache' && v) o.cache = v;
    else if (k === 'json' && v) o.json = v;
    else if (k === 'out' && v) o.out = v;
    else if (k === 'parts') {
      const parts = v.split(',').filter(Boolean);
      const bad = parts.filter((p) => !(OD3_PARTS as readonly string[]).includes(p));
      if (parts.length === 0 || bad.length > 0)
        throw new Error(`od3: '${a}': parts are ${OD3_PARTS.join(', ')}, got '${v}'`);
      o.parts = parts as Od3Part[];
    } else
      throw new Error(
        `od3: unknown argument '${a}' (lanes=, scale=, cache=, out=, json=, parts=; or 'od3 pixel …', 'od3 mlp …')`,
      );
  }
  return o;
}

/** The `bench/run.ts` arguments of one part under `options`. */
export function od3PartArgs(part: Od3Part, options: Od3AllOptions): string[] {
  const common = [
    ...(options.scale !== undefined ? [`scale=${options.scale}`] : []),
    ...(options.out !== undefined ? [`out=${options.out}`] : []),
    ...(options.cache !== undefined ? [`cache=${path.join(options.cache, part)}`] : []),
  ];
  const grid = ['mb=16,8,4', 'uf=8,16,32', ...(options.json !== undefined ? [`json=${options.json}`] : [])];
  if (part === 'pixelpong') return ['od3', 'pixel', 'env=PixelPong-v0', ...grid, ...common];
  if (part === 'jobs-image') return ['od3', 'pixel', 'env=Jobs-v0', ...grid, ...common];
  return ['od3', 'mlp', ...common];
}

interface PartRun {
  part: Od3Part;
  args: string[];
  start: number;
  end: number;
  code: number | null;
  log: string;
}

const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** Runs the parts side by side (at most `lanes` at once) and writes od3.md's `od3-run` block. */
export async function runOd3AllBench(options: Od3AllOptions = {}): Promise<PartRun[]> {
  const parts = options.parts ?? [...OD3_PARTS];
  const lanes = Math.min(options.lanes ?? parts.length, parts.length);
  const out = options.out ?? 'bench/results/od3.md';
  const logDir = path.join(options.cache ?? 'runs/od3-bench', 'logs');
  await mkdir(logDir, { recursive: true });
  const tsx = path.resolve('node_modules/.bin/tsx');
  const t0 = Date.now();
  const loads: string[] = [];
  const readLoad = (): void => {
    const [a, b] = os.loadavg();
    loads.push(`${clock(Date.now())} ${a!.toFixed(2)}/${b!.toFixed(2)}`);
  };
  readLoad();
  const timer = setInterval(readLoad, 5 * 60_000);
  const queue = [...parts];
  const runs: PartRun[] = [];
  const runOne = (part: Od3Part): Promise<PartRun> =>
    new Promise((resolve) => {
      const args = od3PartArgs(part, options);
      const log = path.join(logDir, `${part}.log`);
      const stream = createWriteStream(log);
      const start = Date.now();
      console.log(`od3 ${clock(start)}: ${part} started (${args.join(' ')}; log ${log})`);
      const child = spawn(tsx, ['bench/run.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(stream, { end: false });
      child.stderr.pipe(stream, { end: false });
      child.on('close', (code) => {
        stream.end();
        const end = Date.now();
        const min = ((end - start) / 60_000).toFixed(1);
        console.log(`od3 ${clock(end)}: ${part} ended with exit code ${code} after ${min} min`);
        resolve({ part, args, start, end, code, log });
      });
    });
  const lane = async (): Promise<void> => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) runs.push(await runOne(p));
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  clearInterval(timer);
  readLoad();
  const wall = (Date.now() - t0) / 60_000;
  const md = [
    '## Whole benchmark run',
    '',
    `- machine: ${describeMachine()}`,
    `- command: \`npm run bench -- od3${options.lanes !== undefined ? ` lanes=${options.lanes}` : ''}${options.scale !== undefined ? ` scale=${options.scale}` : ''}\`: ${parts.length} parts as separate single-threaded processes (TF.js WASM has no threads under Node), at most ${lanes} at once; started ${new Date(t0).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- whole benchmark: **${wall.toFixed(1)} min wall** (parts whose cells were cached are not re-timed)`,
    `- 1-/5-minute load averages, every 5 min: ${loads.join(', ')}`,
    '',
    formatMarkdownTable(
      ['part', 'arguments of `npm run bench --`', 'start (UTC)', 'end (UTC)', 'wall min', 'exit'],
      runs.map((r) => [
        r.part,
        `\`${r.args.join(' ')}\``,
        clock(r.start),
        clock(r.end),
        ((r.end - r.start) / 60_000).toFixed(1),
        String(r.code),
      ]),
    ),
    '',
  ].join('\n');
  await upsertMarkedBlock(out, md, 'od3-run', OD3_PIXEL_BLOCKS);
  const failed = runs.filter((r) => r.code !== 0);
  if (failed.length > 0)
    throw new Error(
      `od3: ${failed.map((r) => `${r.part} (exit ${r.code}, log ${r.log})`).join(', ')} failed`,
    );
  return runs;
}
