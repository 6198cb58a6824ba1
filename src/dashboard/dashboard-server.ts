/**
 * The dashboard's HTTP server (Fastify): the JSON API over the run folders and DAG files under one
 * folder, live metrics as server-sent events, and the bundled front end as static files. Bound to
 * 127.0.0.1 by default; any other host needs a token, checked on every request. Every path a
 * request names is confined to the folder.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ArbiterError, ValidationError } from '../core/errors.js';
import { ALL_METHODS } from '../deploy/schedule-method.js';
import { ConfinedPathError, confinedPath } from './confined-path.js';
import type {
  ApiError,
  EgsReplayRequest,
  HsocTraceRequest,
  LogicRequest,
  MethodList,
  ScheduleRequest,
} from './dashboard-api.js';
import { benchResultsDir, listBenchResults, readBenchPlot, readBenchTables } from './bench-results.js';
import { runExportRequest, type ExportRequest } from './export-request.js';
import { listDagFiles } from './file-index.js';
import { HsocTracer, hsocTraceOptions } from './hsoc-trace-request.js';
import { runEgsReplayRequest } from './egs-replay-request.js';
import { listLogicFiles, runLogicRequest } from './logic-request.js';
import { watchMetrics } from './metrics-tail.js';
import { listRuns, readRunDetail } from './run-index.js';
import { MAX_DAG_UPLOAD_CHARS, runScheduleRequest } from './schedule-request.js';

/** Options of {@link createDashboardApp} and {@link startDashboardServer}. */
export interface DashboardOptions {
  /** The folder served: its run folders and DAG files (must exist). */
  root: string;
  /** Interface to bind (default `127.0.0.1`); anything but a loopback address needs `token`. */
  host?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Secret every request must carry (`Authorization: Bearer …`, `?token=…` or the cookie it sets). */
  token?: string;
  /** The built front end (default `public/` beside this module in `dist/dashboard/`). */
  publicDir?: string;
  /** The benchmark results shown in the benchmarks view (default `bench/results/` of the checkout). */
  benchDir?: string;
  /** Polling interval of the live metrics, in milliseconds (default 200). */
  pollMs?: number;
}

/** A running dashboard. */
export interface DashboardServer {
  /** The address to open, e.g. `http://127.0.0.1:8080/` (with `?token=…` when a token is set). */
  url: string;
  /** The port bound (useful with port 0). */
  port: number;
  /** The Fastify instance (for tests: `inject`). */
  app: FastifyInstance;
  /** Stops the server and every live stream. */
  close(): Promise<void>;
}

/** Methods ticked at first in the schedules view: the fast ones (no MILP, no policy network). */
const DEFAULT_METHODS = ['graham', 'he2019', 'listsched', 'egs-greedy'];
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const COOKIE = 'arbiter_token';
/**
 * Same-origin only, and no `eval`: the charts run Vega's expression interpreter instead of its
 * `Function`-compiled expressions. Inline styles stay allowed (Vega sets them on its SVG).
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The folder holding the built front end next to this module (`dist/dashboard/public`). */
export function defaultPublicDir(): string {
  return fileURLToPath(new URL('./public/', import.meta.url));
}

/**
 * Builds the dashboard's Fastify app without listening (tests call `inject` on it). Throws an
 * `ArbiterError` for a missing folder, or for a non-loopback host without a token.
 */
export async function createDashboardApp(options: DashboardOptions): Promise<FastifyInstance> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && (options.token === undefined || options.token === ''))
    throw new ArbiterError(
      'dashboard-token',
      `binding to ${host} exposes your runs to the network: pass --token SECRET (then open the URL with ?token=SECRET)`,
    );
  let root: string;
  try {
    root = await realpath(options.root);
  } catch {
    throw new ArbiterError('dashboard-folder', `no such folder '${options.root}' to serve`);
  }
  const publicDir = options.publicDir ?? defaultPublicDir();
  const app = Fastify({ bodyLimit: 2 * MAX_DAG_UPLOAD_CHARS, logger: false });

  app.addHook('onRequest', async (request, reply) => {
    if (options.token !== undefined && options.token !== '') {
      if (!authorized(request, reply, options.token))
        return reply.code(401).send({ code: 'unauthorized', message: 'missing or wrong token' });
    } else if (!LOOPBACK.has(hostnameOf(request.headers.host))) {
      // A loopback server answers only loopback names: a page elsewhere cannot rebind a DNS name to it.
      return reply.code(421).send({ code: 'bad-host', message: 'the dashboard answers on localhost only' });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ConfinedPathError)
      return reply
        .code(error.code === 'path-outside' ? 403 : 404)
        .send({ code: error.code, message: error.message });
    if (error instanceof ValidationError)
      return reply.code(400).send({
        code: error.code,
        message: error.message,
        rule: error.rule,
        ...(error.file !== undefined && { file: error.file }),
        ...(error.line !== undefined && { line: error.line }),
        ...(error.item !== undefined && { item: error.item }),
      } satisfies ApiError);
    if (error instanceof ArbiterError)
      return reply.code(400).send({ code: error.code, message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return reply.code(status).send({ code: 'bad-request', message: (error as Error).message });
    return reply.code(500).send({ code: 'internal', message: 'internal error (see the server console)' });
  });

  app.get('/api/runs', async () => listRuns(root));
  app.get('/api/run', async (request) => readRunDetail(root, stringParam(request, 'id')));
  app.get('/api/dags', async () => listDagFiles(root));
  app.get('/api/methods', async (): Promise<MethodList> => ({
    all: [...ALL_METHODS],
    defaults: DEFAULT_METHODS,
  }));
  app.post('/api/schedule', async (request) => runScheduleRequest(root, request.body as ScheduleRequest));
  app.post('/api/egs-replay', async (request) => runEgsReplayRequest(root, request.body as EgsReplayRequest));
  app.get('/api/logic-files', async () => listLogicFiles(root));
  app.post('/api/logic', async (request) => runLogicRequest(root, request.body as LogicRequest));
  app.get('/api/export', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const file = await runExportRequest(root, {
      run: stringParam(request, 'run'),
      format: stringParam(request, 'format'),
      ...(typeof query.checkpoint === 'string' &&
        query.checkpoint !== '' && { checkpoint: query.checkpoint }),
      ...(typeof query.part === 'string' && { part: query.part }),
    } satisfies ExportRequest);
    return reply
      .type(file.type)
      .header('Content-Disposition', `attachment; filename="${file.name}"`)
      .send(file.data);
  });
  const hsoc = new HsocTracer(root);
  app.get('/api/hsoc-options', async () => hsocTraceOptions(root));
  app.post('/api/hsoc-trace', async (request) => hsoc.trace(request.body as HsocTraceRequest));
  const benchFolder = options.benchDir ?? benchResultsDir();
  const benchDir = await realpath(benchFolder).catch(() => benchFolder);
  app.get('/api/bench', async () => listBenchResults(benchDir));
  app.get('/api/bench/table', async (request) => readBenchTables(benchDir, stringParam(request, 'file')));
  app.get('/api/bench/plot', async (request, reply) =>
    reply.type('image/svg+xml').send(await readBenchPlot(benchDir, stringParam(request, 'file'))),
  );
  app.get('/api/stream', (request, reply) => streamMetrics(root, request, reply, options.pollMs ?? 200));

  if (existsSync(path.join(publicDir, 'index.html')))
    await app.register(fastifyStatic, { root: publicDir, index: 'index.html', dotfiles: 'deny' });
  else
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send(`the dashboard's front end is not built (no ${publicDir}index.html): run npm run build`),
    );
  return app;
}

/** Builds the app and listens; resolves once the server accepts connections. */
export async function startDashboardServer(options: DashboardOptions): Promise<DashboardServer> {
  const app = await createDashboardApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);
  const shown = host.includes(':') ? `[${host}]` : host;
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
  return { url: `http://${shown}:${port}/${query}`, port, app, close: () => app.close() };
}

/**
 * `GET /api/stream?run=ID&offset=N&run=…`: one server-sent event per batch of new metrics lines
 * of any listed run (`{ run, lines, offset, reset? }`), starting after each run's offset (default
 * 0: the whole log first). One stream carries every selected run, so overlays do not exhaust the
 * browser's few connections per host.
 */
async function streamMetrics(
  root: string,
  request: FastifyRequest,
  reply: FastifyReply,
  pollMs: number,
): Promise<void> {
  const query = request.query as Record<string, string | string[] | undefined>;
  const runs = listParam(query.run);
  const offsets = listParam(query.offset).map(Number);
  if (runs.length === 0 || runs.length > 32)
    throw new ArbiterError('bad-request', 'name between 1 and 32 runs (?run=ID&run=…)');
  const files = await Promise.all(
    runs.map(async (id) => path.join(await confinedPath(root, id), 'metrics.jsonl')),
  );
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  res.write('retry: 1000\n\n');
  const stops = files.map((file, k) =>
    watchMetrics(file, (batch) => res.write(`data: ${JSON.stringify({ run: runs[k], ...batch })}\n\n`), {
      offset: Number.isSafeInteger(offsets[k]) && offsets[k]! >= 0 ? offsets[k]! : 0,
      intervalMs: pollMs,
    }),
  );
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const stop = (): void => {
    clearInterval(heartbeat);
    for (const s of stops) s();
  };
  request.raw.on('close', stop);
  res.on('close', stop);
}

function stringParam(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown>)[name];
  if (typeof value !== 'string' || value === '')
    throw new ArbiterError('bad-request', `the query parameter '${name}' is required`);
  return value;
}

function listParam(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Whether the request carries the token; a correct `?token=` also sets the cookie for the page's later requests. */
function authorized(request: FastifyRequest, reply: FastifyReply, token: string): boolean {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ') && same(header.slice(7), token)) return true;
  const cookie = /(?:^|;\s*)arbiter_token=([^;]*)/.exec(request.headers.cookie ?? '')?.[1];
  if (cookie !== undefined && same(decodeURIComponent(cookie), token)) return true;
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof query === 'string' && same(query, token)) {
    reply.header('Set-Cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    return true;
  }
  return false;
}

/** Constant-time string comparison (a token must not leak through response timing). */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}
