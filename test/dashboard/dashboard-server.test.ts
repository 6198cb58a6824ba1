import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDag } from '../../src/dag/analysis/analyze-dag.js';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import { createDashboardApp } from '../../src/dashboard/dashboard-server.js';
import type {
  BenchList,
  BenchTables,
  EgsReplayAnswer,
  HsocTraceAnswer,
  HsocTraceOptions,
  LogicAnswer,
  RunDetail,
  RunSummary,
  ScheduleResponse,
} from '../../src/dashboard/dashboard-api.js';
import { writeRunFolder } from './run-fixtures.js';

let root: string;
let outside: string;
let web: string;
let app: FastifyInstance;

beforeAll(async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'arbiter-dashboard-'));
  root = path.join(base, 'runs');
  outside = path.join(base, 'secret');
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'config.json'), '{"secret":true}');
  writeRunFolder(root, 'ppo-a', { finalEval: 42.5, config: { learningRate: 0.001 } });
  writeRunFolder(root, 'sweep/dqn-s1', { algo: 'dqn', seed: 1, points: 8 });
  mkdirSync(path.join(root, 'dags'), { recursive: true });
  copyFileSync('examples/dag/egs-ex1.dot', path.join(root, 'dags', 'egs-ex1.dot'));
  symlinkSync(outside, path.join(root, 'escape'));
  // A stand-in front end, and a file beside it that must never be served.
  web = path.join(base, 'web');
  mkdirSync(web);
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><script src="app.js"></script>');
  writeFileSync(path.join(web, 'app.js'), 'console.log(1);');
  writeFileSync(path.join(web, '.hidden'), 'do not serve');
  writeFileSync(path.join(base, 'web-secret.txt'), 'do not serve');
  app = await createDashboardApp({ root, publicDir: path.join(base, 'no-public') });
});
afterAll(async () => app?.close());

describe('dashboard API', () => {
  it('lists every run folder, sweeps included, with algorithm, env, seed, steps and final eval', async () => {
    const res = await app.inject('/api/runs');
    expect(res.statusCode).toBe(200);
    const runs = res.json<RunSummary[]>();
    expect(runs.map((r) => r.id)).toEqual(['ppo-a', 'sweep/dqn-s1']);
    expect(runs[0]).toMatchObject({
      algo: 'ppo',
      env: 'CartPole-v1',
      seed: 0,
      steps: 400,
      finalEval: 42.5,
      lastEval: 24,
    });
    expect(runs[1]).toMatchObject({ algo: 'dqn', seed: 1, steps: 800, group: 'sweep', lastEval: 28 });
    expect(runs[1]!.finalEval).toBeUndefined();
    // The symlinked folder outside the root is not followed.
    expect(runs.some((r) => r.id.startsWith('escape'))).toBe(false);
  });

  it("gives a run's config, evaluation and checkpoints (in step order)", async () => {
    const d = (await app.inject('/api/run?id=ppo-a')).json<RunDetail>();
    expect(d.config).toMatchObject({ algo: 'ppo', config: { learningRate: 0.001 } });
    expect(d.evaluation).toMatchObject({ meanReturn: 42.5 });
    expect(d.checkpoints).toEqual(['step-500', 'step-1000']);
  });

  it.each([
    ['../secret', 403],
    ['..%2Fsecret', 403],
    ['%2Fetc', 403],
    ['ppo-a%2F..%2F..%2Fsecret', 403],
    ['escape', 403], // a symbolic link pointing out of the folder
    ['no-such-run', 404],
  ])('refuses run id %s outside the folder or missing (%i)', async (id, status) => {
    const res = await app.inject(`/api/run?id=${id}`);
    expect(res.statusCode).toBe(status);
    expect(res.body).not.toContain('secret":true');
  });

  it('refuses DAG files outside the folder, and streams of runs outside it', async () => {
    const dag = await app.inject({
      method: 'POST',
      url: '/api/schedule',
      payload: { file: '../secret/config.json', methods: ['graham'] },
    });
    expect(dag.statusCode).toBe(403);
    expect((await app.inject('/api/stream?run=..%2Fsecret')).statusCode).toBe(403);
  });

  it('lists the DAG files and schedules one with the CLI table row, timetable and Gantt chart', async () => {
    const dags = (await app.inject('/api/dags')).json<{ path: string }[]>();
    expect(dags.map((d) => d.path)).toEqual(['dags/egs-ex1.dot']);
    const res = await app.inject({
      method: 'POST',
      url: '/api/schedule',
      payload: { file: 'dags/egs-ex1.dot', methods: ['listsched', 'graham', 'optimal'] },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json<ScheduleResponse>();
    expect(r).toMatchObject({ name: 'DAG', nodes: 7, deadline: 8, lowerBound: 2 });
    expect(r.head[0]).toBe('method');
    expect(r.results.map((a) => a.method)).toEqual(['listsched', 'graham', 'optimal']);
    // optimal proves 2 cores minimal: listsched's 2 are 0 % above it.
    expect(r.optimum).toBe(2);
    expect(r.results[0]).toMatchObject({ gapToOptimum: 0 });
    expect(r.results[1]!.gapToOptimum).toBeUndefined();
    // The task drawn: one critical path and one maximum antichain, as dag analyze reports them.
    const analysis = analyzeDag(await readDagFile('examples/dag/egs-ex1.dot'));
    expect(r.dagSvg!.match(/<g class="critical[^"]*" data-node/g)).toHaveLength(
      analysis.criticalPathNodes.length,
    );
    expect(r.dagSvg!.match(/<g class="[^"]*antichain" data-node/g)).toHaveLength(analysis.width);
    const list = r.results[0]!;
    expect(list.row.slice(0, 4)).toEqual(['listsched', '2', '-', 8]);
    expect(list.row[r.head.indexOf('gap')]).toBe('0%');
    expect(list.gantt).toMatch(/^<svg/);
    expect(list.schedule.length).toBe(7);
    expect(r.results[1]!.gantt).toBeUndefined(); // graham cannot prove D = 8: no timetable
  });

  it('replays the shipped EGS policy step by step on a DAG file', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/egs-replay',
      payload: { file: 'dags/egs-ex1.dot' },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json<EgsReplayAnswer>();
    expect(r).toMatchObject({ name: 'DAG', nodes: 7, deadline: 8, model: 'small' });
    expect(r.steps.at(-1)?.widthAfter ?? r.initialWidth).toBe(r.finalWidth);
    expect(r.gantt).toMatch(/^<svg/);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/egs-replay',
      payload: { file: 'dags/egs-ex1.dot', model: 'huge' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('infers a shipped knowledge base with its step log and contradictions, and refuses unknown examples', async () => {
    const files = (await app.inject('/api/logic-files')).json<{ examples: string[] }>();
    expect(files.examples).toContain('light-load.json');
    const res = await app.inject({
      method: 'POST',
      url: '/api/logic',
      payload: { example: 'light-load.json' },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json<LogicAnswer>();
    expect(r.contradictions.map((c) => c.node)).toEqual(['OtherDagTypes']);
    const lightLoad = r.nodes.find((n) => n.id === 'LightLoad')!;
    expect(lightLoad.query).toBe(true);
    expect([lightLoad.lower, lightLoad.upper].map((x) => x.toFixed(3))).toEqual(['0.500', '1.000']);
    expect(r.steps.length).toBeGreaterThan(20);
    expect(r.svg).toMatch(/^<svg/);
    const escape = await app.inject({
      method: 'POST',
      url: '/api/logic',
      payload: { example: '../../package.json' },
    });
    expect(escape.statusCode).toBe(400);
    const outsideFile = await app.inject({
      method: 'POST',
      url: '/api/logic',
      payload: { file: '../secret/config.json' },
    });
    expect(outsideFile.statusCode).toBe(403);
  });

  it('serves the benchmark results as tables and plots, confined to bench/results', async () => {
    const list = (await app.inject('/api/bench')).json<BenchList>();
    expect(list.tables).toContain('scale.json');
    expect(list.plots.length).toBeGreaterThan(0);
    const t = (await app.inject('/api/bench/table?file=scale.json')).json<BenchTables>();
    const doc = JSON.parse(readFileSync('bench/results/scale.json', 'utf8')) as {
      rows: unknown[];
      seed: number;
    };
    expect(t.meta.seed).toBe(doc.seed);
    expect(t.tables.find((x) => x.key === 'rows')!.rows).toHaveLength(doc.rows.length);
    const plot = await app.inject(`/api/bench/plot?file=${encodeURIComponent(list.plots[0]!)}`);
    expect(plot.headers['content-type']).toContain('image/svg+xml');
    expect((await app.inject('/api/bench/table?file=..%2F..%2Fpackage.json')).statusCode).toBe(403);
    expect((await app.inject('/api/bench/plot?file=..%2F..%2Fdocs%2Fx.svg')).statusCode).toBe(403);
  });

  it('validates uploads with the CLI readers and refuses unknown methods and oversized bodies', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/schedule',
      payload: { text: '{"nodes": 3}', name: 'x.json', methods: ['graham'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toContain('x.json');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/schedule',
      payload: { file: 'dags/egs-ex1.dot', methods: ['rm -rf'] },
    });
    expect(unknown.statusCode).toBe(400);
    const huge = await app.inject({
      method: 'POST',
      url: '/api/schedule',
      payload: { text: 'x'.repeat(3 * 1024 * 1024), methods: ['graham'] },
    });
    expect(huge.statusCode).toBe(413);
  });

  it('sends a Content-Security-Policy without inline scripts, and answers only loopback host names', async () => {
    const res = await app.inject('/api/runs');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(String(res.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-eval/);
    const rebound = await app.inject({ url: '/api/runs', headers: { host: 'evil.example:8080' } });
    expect(rebound.statusCode).toBe(421);
  });

  it('answers other requests promptly while the LNN rules train for the first LNN trace (off the event loop)', async () => {
    const lnn = app.inject({
      method: 'POST',
      url: '/api/hsoc-trace',
      payload: { workload: '5-task', load: 'light', seed: 1, policy: 'lnn-rules' },
    });
    let lnnDone = false;
    void lnn.then(() => (lnnDone = true));
    // Once the training has started (on the server's thread it would now hold every request up for seconds).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const latencies: number[] = [];
    for (const url of ['/api/hsoc-options', '/api/runs', '/api/methods']) {
      const t0 = performance.now();
      expect((await app.inject(url)).statusCode).toBe(200);
      latencies.push(performance.now() - t0);
    }
    const need = performance.now();
    const other = await app.inject({
      method: 'POST',
      url: '/api/hsoc-trace',
      payload: { workload: '5-task', load: 'light', seed: 1, policy: 'need' },
    });
    latencies.push(performance.now() - need);
    expect(other.statusCode).toBe(200);
    expect(lnnDone).toBe(false);
    expect(Math.max(...latencies)).toBeLessThan(1500);
    const res = await lnn;
    expect(res.statusCode).toBe(200);
    const trace = res.json<HsocTraceAnswer>();
    expect(trace.decisions.length).toBeGreaterThan(0);
    expect(trace.decisions.every((d) => / · truth \d\.\d\d$/.test(d.rule))).toBe(true);
    console.log(
      `while the LNN rules trained: API answers in ${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
  }, 120_000);

  it('answers an invalid HSoC workload file with its file, item and rule, and hides files outside the folder', async () => {
    writeFileSync(
      path.join(root, 'bad-workload.json'),
      JSON.stringify({
        format: 'arbiter-hsoc-workload',
        version: 1,
        dags: { a: { nodes: [{ id: 'x', wcet: 1, type: 'sense' }], edges: [] } },
        trace: [{ arrival: 0, id: 0, dag: 'b', criticality: 1, deadline: 5 }],
      }),
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/hsoc-trace',
      payload: { file: 'bad-workload.json', load: 'medium', policy: 'need' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ file: 'bad-workload.json', item: 'trace[0]', rule: 'dag' });
    const options = (await app.inject('/api/hsoc-options')).json<HsocTraceOptions>();
    expect(options.files.map((f) => f.path)).toEqual(['bad-workload.json']);
    // A workload file holds DAGs ("nodes") but is no DAG file: the schedules view does not offer it.
    const dags = (await app.inject('/api/dags')).json<{ path: string }[]>();
    expect(dags.map((d) => d.path)).toEqual(['dags/egs-ex1.dot']);
    const outsideFile = await app.inject({
      method: 'POST',
      url: '/api/hsoc-trace',
      payload: { file: '../secret/config.json', load: 'medium', policy: 'need' },
    });
    expect(outsideFile.statusCode).toBe(403);
    expect(outsideFile.body).not.toContain('secret":true');
  });

  it('serves the front end confined to its folder, with the Content-Security-Policy on every response', async () => {
    const site = await createDashboardApp({ root, publicDir: web });
    try {
      const page = await site.inject('/');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
      expect((await site.inject('/app.js')).statusCode).toBe(200);
      for (const url of [
        '/../web-secret.txt',
        '/%2e%2e/web-secret.txt',
        '/..%2fweb-secret.txt',
        '/%2e%2e%2fweb-secret.txt',
        '/.hidden',
        '/app.js%00.html',
      ]) {
        const res = await site.inject(url);
        expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(res.body, url).not.toContain('do not serve');
      }
      // The live stream sets its headers itself (it writes the raw response): the policy is there too.
      const stream = await new Promise<string | undefined>((resolve, reject) => {
        void site.listen({ port: 0, host: '127.0.0.1' }).then((address) => {
          const request = http.get(`${address}/api/stream?run=ppo-a`, (res) => {
            resolve(String(res.headers['content-security-policy']));
            request.destroy();
          });
          request.on('error', reject);
        }, reject);
      });
      expect(stream).toMatch(/script-src 'self';/);
    } finally {
      await site.close();
    }
  });

  it('limits uploads: text over 1 MiB characters is refused, a body over 2 MiB is cut off', async () => {
    const text = 'x'.repeat(1024 * 1024 + 1);
    for (const [url, payload] of [
      ['/api/schedule', { text, name: 'big.json', methods: ['graham'] }],
      ['/api/egs-replay', { text, name: 'big.json' }],
      ['/api/logic', { text, name: 'big.json' }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, payload });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ message: string }>().message, url).toMatch(/at most 1048576 characters/);
    }
    const huge = 'x'.repeat(2 * 1024 * 1024 + 1);
    for (const url of ['/api/schedule', '/api/egs-replay', '/api/logic', '/api/hsoc-trace'])
      expect((await app.inject({ method: 'POST', url, payload: { text: huge } })).statusCode, url).toBe(413);
  });

  it("never evaluates strings: no eval, Function or string timers in the front end's sources, no unsafe-eval", async () => {
    const dir = 'src/dashboard/client';
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') || f.endsWith('.html'));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text, f).not.toMatch(
        /\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|set(?:Timeout|Interval)\s*\(\s*['"`]/,
      );
      expect(text, f).not.toMatch(/\bon[a-z]+\s*=\s*["']/); // inline handlers would need 'unsafe-inline'
    }
    const csp = String((await app.inject('/api/runs')).headers['content-security-policy']);
    expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval/);
    expect(csp).toMatch(/default-src 'none'/);
  });

  it('says the front end is not built when its folder is missing', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});

describe('dashboard token', () => {
  it('refuses a non-loopback host without a token', async () => {
    await expect(createDashboardApp({ root, host: '0.0.0.0' })).rejects.toThrow(/--token/);
  });

  it('refuses every kind of request without the token: page, files, API reads and posts, live streams', async () => {
    const guarded = await createDashboardApp({ root, host: '0.0.0.0', token: 's3cret', publicDir: web });
    try {
      const requests = [
        { url: '/' },
        { url: '/app.js' },
        { url: '/api/run?id=ppo-a' },
        { url: '/api/stream?run=ppo-a' },
        { url: '/api/export?run=ppo-a&format=json' },
        {
          method: 'POST' as const,
          url: '/api/schedule',
          payload: { file: 'dags/egs-ex1.dot', methods: ['graham'] },
        },
        {
          method: 'POST' as const,
          url: '/api/hsoc-trace',
          payload: { workload: '5-task', load: 'light', policy: 'need' },
        },
      ];
      for (const r of requests) {
        const res = await guarded.inject(r);
        expect(res.statusCode, r.url).toBe(401);
        expect(res.body, r.url).not.toContain('ppo');
      }
      const page = await guarded.inject({ url: '/', headers: { authorization: 'Bearer s3cret' } });
      expect([page.statusCode, page.body]).toEqual([200, '<!doctype html><script src="app.js"></script>']);
      const posted = await guarded.inject({ ...requests[5]!, headers: { authorization: 'Bearer s3cret' } });
      expect(posted.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('checks the token on every request (header, query, then the cookie the query set)', async () => {
    const guarded = await createDashboardApp({ root, host: '0.0.0.0', token: 's3cret', publicDir: root });
    try {
      expect((await guarded.inject('/api/runs')).statusCode).toBe(401);
      expect((await guarded.inject('/api/runs?token=wrong')).statusCode).toBe(401);
      expect(
        (await guarded.inject({ url: '/api/runs', headers: { authorization: 'Bearer s3cret' } })).statusCode,
      ).toBe(200);
      const viaQuery = await guarded.inject('/api/runs?token=s3cret');
      expect(viaQuery.statusCode).toBe(200);
      const cookie = String(viaQuery.headers['set-cookie']).split(';')[0]!;
      expect(cookie).toBe('arbiter_token=s3cret');
      expect((await guarded.inject({ url: '/api/runs', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
