import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-dashboard.js';
import { analyzeDag } from '../../src/dag/analysis/analyze-dag.js';
import { readDagFile } from '../../src/dag/io/read-dag-file.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from '../../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../../src/deploy/egs-policy-scheduler.js';
import { startDashboardServer, type DashboardServer } from '../../src/dashboard/dashboard-server.js';
import type { ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import type { HsocTraceAnswer } from '../../src/dashboard/dashboard-api.js';
import { cli } from '../cli/run-cli-helper.js';
import { writeRunFolder } from './run-fixtures.js';

// Debian's chromium, never a downloaded one. CI (.ci/run) installs it and sets
// ARBITER_REQUIRE_SYSTEM_DEPS=1, so there a missing browser fails instead of skipping.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const required = process.env.ARBITER_REQUIRE_SYSTEM_DEPS === '1';
// The README's screenshots: rewritten with ARBITER_UPDATE_SCREENSHOTS=1, else taken into a temporary
// folder (a plain test run must not dirty the tree: the tables show wall times).
const SCREENSHOTS =
  process.env.ARBITER_UPDATE_SCREENSHOTS === '1'
    ? 'docs/screenshots'
    : mkdtempSync(path.join(tmpdir(), 'arbiter-screenshots-'));
/** The page's globals the tests' in-page functions use (the tests are compiled without the DOM library). */
interface PageGlobals {
  document: {
    getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
    addEventListener(type: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void;
  };
  requestAnimationFrame(f: () => void): void;
  reportCspViolation(v: string): void;
  performance: {
    getEntriesByName(name: string): { startTime: number }[];
    getEntriesByType(type: string): { name: string; startTime: number }[];
  };
}

/** Figures the speed tests measured, printed at the end (the budgets: see each test). */
const measured: Record<string, number> = {};

/**
 * Waits until the curve has drawn `n` points (its container's `data-points`). A function, not a
 * string: the page's CSP forbids evaluating strings, and Playwright would `eval` one.
 */
const pointsAre = (page: Page, n: number, timeout?: number) =>
  page.waitForFunction(
    (k) =>
      (globalThis as unknown as PageGlobals).document.getElementById('curve')?.dataset.points === String(k),
    n,
    {
      timeout,
    },
  );

if (!haveChromium) {
  if (required)
    it('chromium is installed (ARBITER_REQUIRE_SYSTEM_DEPS=1)', () => {
      throw new Error(
        `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    });
  else
    it.skip(
      `dashboard browser tests: skipped, ${CHROMIUM} not found (install chromium or set CHROMIUM_PATH)`,
    );
}

describe.runIf(haveChromium)('dashboard in chromium', () => {
  let root: string;
  let server: DashboardServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'arbiter-dashboard-web-'));
    root = path.join(base, 'runs');
    for (let k = 0; k < 200; k++)
      writeRunFolder(root, `sweep/ppo-CartPole-v1-${k}`, { seed: k, points: 6, finalEval: 100 + k });
    // Two learning curves shaped like CartPole's (a rise towards a plateau, with wobble).
    const rise = (top: number, rate: number) => (k: number) =>
      20 + top * (1 - Math.exp(-k / rate)) + 8 * Math.sin(k * 1.7);
    writeRunFolder(root, 'ppo-live', { points: 40, curve: rise(400, 12), config: { learningRate: 0.0003 } });
    writeRunFolder(root, 'a2c-live', {
      algo: 'a2c',
      points: 40,
      curve: rise(180, 8),
      finalEval: 57,
      config: { learningRate: 0.0007 },
    });
    writeRunFolder(root, 'ppo-long', { points: 10_000, curve: rise(450, 2000) });
    // HSoC workloads: STOMP's example trace (its DAG files beside it) and a file the reader refuses.
    mkdirSync(path.join(root, 'workloads', 'stomp'), { recursive: true });
    for (const f of ['dag4.graphml', 'dag_4.txt', 'dag6.graphml', 'dag_6.txt', 'trace.trc'])
      copyFileSync(path.join('examples/hsoc/stomp', f), path.join(root, 'workloads', 'stomp', f));
    writeFileSync(
      path.join(root, 'workloads', 'broken.json'),
      JSON.stringify({
        format: 'arbiter-hsoc-workload',
        version: 1,
        dags: { a: { nodes: [{ id: 'x', wcet: 1, type: 'sense' }], edges: [] } },
        trace: [
          { arrival: 0, id: 0, dag: 'a', criticality: 1, deadline: 5 },
          { arrival: 1, id: 1, dag: 'a', criticality: 1, deadline: -5 },
        ],
      }),
    );
    mkdirSync(path.join(root, 'dags'));
    copyFileSync('examples/dag/stg-50-rand0007.stg', path.join(root, 'dags', 'stg-50-rand0007.stg'));
    copyFileSync('examples/dag/egs-ex1.dot', path.join(root, 'dags', 'egs-ex1.dot'));
    const publicDir = path.join(base, 'public');
    await buildDashboard(publicDir, false);
    server = await startDashboardServer({ root, port: 0, publicDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    // Every CSP violation of every page loaded (a blocked `eval` included) is reported here.
    await page.exposeFunction('reportCspViolation', (v: string) => problems.push(`CSP: ${v}`));
    await page.addInitScript(() => {
      const g = globalThis as unknown as PageGlobals;
      g.document.addEventListener('securitypolicyviolation', (e) =>
        g.reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the runs (203 of them) within a second of opening the page', async () => {
    await page.goto(server.url); // a first visit warms the server's code paths
    await page.waitForSelector('tr[data-run="ppo-live"]');
    await page.reload();
    await page.waitForSelector('tr[data-run="ppo-live"]');
    expect(await page.locator('#run-list tbody tr').count()).toBe(203);
    expect(await page.textContent('tr[data-run="a2c-live"]')).toContain('57.00 ± 1.50');
    // Navigation start → the list painted (the frame after it entered the page), as the page marked it.
    const marks = () =>
      page.evaluate(() => {
        const p = (globalThis as unknown as PageGlobals).performance;
        return {
          shown: p.getEntriesByName('run-list-shown')[0]?.startTime,
          painted: p.getEntriesByName('run-list-painted')[0]?.startTime,
          fcp: p.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime,
        };
      });
    await expect.poll(async () => (await marks()).painted).toBeGreaterThan(0);
    const { shown, painted, fcp } = await marks();
    Object.assign(measured, {
      runListShownMs: shown!,
      runListPaintedMs: painted!,
      firstContentfulPaintMs: fcp!,
    });
    expect(shown).toBeGreaterThan(0);
    expect(painted).toBeGreaterThanOrEqual(shown!);
    // The budget: the list within 1 s of navigation, painted (its frame done) within 1.5 s — room
    // for the shared 2-core test machine, where painting 203 rows alone can take 400 ms.
    expect(shown).toBeLessThan(1000);
    expect(painted).toBeLessThan(1500);
  });

  it('overlays ticked runs, diffs their configs, and a curve gains a point within 2 s of a metrics line', async () => {
    await page.check('tr[data-run="ppo-live"] input');
    await page.check('tr[data-run="a2c-live"] input');
    await pointsAre(page, 80);
    // The config diff highlights what differs between the two runs.
    const differing = await page.locator('#config-diff td.differs').allTextContents();
    expect(differing).toEqual(expect.arrayContaining(['"ppo"', '"a2c"', '0.0003', '0.0007']));
    // The last ticked run's export links name its checkpoint and each format of `arbiter export`.
    await page.selectOption('#export-checkpoint', 'step-500');
    expect(
      await page.locator('#run-detail a.export').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    ).toEqual(
      ['format=json', 'format=int8', 'format=c&part=c', 'format=c&part=h'].map(
        (q) => `/api/export?run=a2c-live&checkpoint=step-500&${q}`,
      ),
    );
    const t0 = Date.now();
    appendFileSync(
      path.join(root, 'ppo-live', 'metrics.jsonl'),
      JSON.stringify({ step: 4100, wallTime: 1_700_000_041, 'rollout/ep_rew_mean': 415 }) + '\n',
    );
    await pointsAre(page, 81, 2000);
    expect(Date.now() - t0).toBeLessThan(2000);
    // The drawn line (Vega's SVG) has the run's points.
    expect(
      await page.locator('#curve svg path[aria-roledescription="line mark"]').count(),
    ).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-runs.png') });
  });

  it('draws a 10,000-point curve, keeps it live and responsive to hovering and zooming', async () => {
    await page.uncheck('tr[data-run="ppo-live"] input');
    await page.uncheck('tr[data-run="a2c-live"] input');
    const t0 = Date.now();
    await page.check('tr[data-run="ppo-long"] input');
    await pointsAre(page, 10_000);
    const drawMs = Date.now() - t0;
    appendFileSync(
      path.join(root, 'ppo-long', 'metrics.jsonl'),
      JSON.stringify({ step: 1_000_100, wallTime: 1_700_010_001, 'rollout/ep_rew_mean': 470 }) + '\n',
    );
    const t1 = Date.now();
    await pointsAre(page, 10_001, 2000);
    const appendMs = Date.now() - t1;
    // Interactions, each timed three times and held to its least (the shared machine preempts the
    // browser at random; the least is what the page itself needs).
    const hoverMs: number[] = [];
    const zoomMs: number[] = [];
    const line = page.locator('#curve svg path[aria-roledescription="line mark"]').first();
    for (const at of [0.3, 0.5, 0.7]) {
      // Hovering a point of the line shows its tooltip (Vega sets the title of the hovered element).
      const point = await line.evaluate((path: unknown, fraction: number) => {
        const p = path as {
          getTotalLength(): number;
          getPointAtLength(l: number): { matrixTransform(m: unknown): { x: number; y: number } };
          getScreenCTM(): unknown;
        };
        const q = p.getPointAtLength(p.getTotalLength() * fraction).matrixTransform(p.getScreenCTM());
        return { x: q.x, y: q.y }; // a DOMPoint does not serialise
      }, at);
      await page.mouse.move(1, 1);
      await page.locator('#curve, #curve [title]').evaluateAll((es) => {
        for (const e of es) (e as { removeAttribute(name: string): void }).removeAttribute('title');
      });
      const t = Date.now();
      await page.mouse.move(point.x, point.y);
      await page.waitForSelector('#curve[title*="step"], #curve [title*="step"]', {
        state: 'attached',
        timeout: 5000,
      });
      hoverMs.push(Date.now() - t);
    }
    // A zoom (mouse wheel over the plot) is answered within a few frames.
    const box = (await page.locator('#curve svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    const axisBefore = await page.locator('#curve svg .role-axis-label').allTextContents();
    for (const dy of [-240, 120, -120]) {
      const t = Date.now();
      await page.mouse.wheel(0, dy);
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const g = globalThis as unknown as PageGlobals;
            g.requestAnimationFrame(() => g.requestAnimationFrame(resolve));
          }),
      );
      zoomMs.push(Date.now() - t);
    }
    await expect
      .poll(() => page.locator('#curve svg .role-axis-label').allTextContents())
      .not.toEqual(axisBefore);
    const renderMs = Number(await page.getAttribute('#curve', 'data-render-ms'));
    Object.assign(measured, {
      curve10kDrawMs: drawMs,
      curve10kRenderMs: renderMs,
      appendMs,
      zoomMs: Math.min(...zoomMs),
      zoomMsMax: Math.max(...zoomMs),
      hoverMs: Math.min(...hoverMs),
      hoverMsMax: Math.max(...hoverMs),
    });
    console.log(`dashboard speed so far (ms): ${JSON.stringify(measured)}`);
    // Budgets with room for the shared 2-core test machine under load (a zoom redraws the whole
    // 10,000-point line: 0.3–0.8 s measured at a load average of 15).
    expect({
      drawMs: drawMs < 3000,
      renderMs: renderMs > 0 && renderMs < 2500,
      appendMs: appendMs < 2000,
      zoomMs: Math.min(...zoomMs) < 1000,
      hoverMs: Math.min(...hoverMs) < 500,
    }).toEqual({ drawMs: true, renderMs: true, appendMs: true, zoomMs: true, hoverMs: true });
  });

  it("shows a DAG opened from disk as Gantt charts whose bars are the CLI's timetable", async () => {
    await page.goto(`${server.url}#schedules`);
    await page.waitForSelector('#dag-file option[value="dags/egs-ex1.dot"]', { state: 'attached' });
    await page.selectOption('#dag-file', 'dags/egs-ex1.dot');
    await page.waitForSelector('.gantt[data-method="listsched"] svg');
    for (const method of ['listsched', 'egs-greedy']) {
      const run = await cli('schedule', path.join(root, 'dags', 'egs-ex1.dot'), '--method', method, '--json');
      expect(run.code).toBe(0);
      const timetable = (JSON.parse(run.stdout) as ScheduleResult).schedule;
      const expected = timetable
        .map((s) => `${s.node}: core ${s.core}, start ${s.start}, finish ${s.finish}`)
        .sort();
      const bars = await page.locator(`.gantt[data-method="${method}"] svg g > title`).allTextContents();
      expect(bars.sort()).toEqual(expected);
      // One <rect> per node of positive length (zero-length nodes are markers).
      const rects = await page.locator(`.gantt[data-method="${method}"] svg rect`).count();
      expect(rects).toBe(timetable.filter((s) => s.finish > s.start).length);
      const row = await page.locator(`#schedule-table tr[data-method="${method}"] td`).allTextContents();
      expect(row[1]).toBe(
        String(new Set((JSON.parse(run.stdout) as ScheduleResult).schedule.map((s) => s.core)).size),
      );
    }
    // The task drawn with one critical path (red) and one maximum antichain (blue), as dag analyze finds them.
    const analysis = analyzeDag(await readDagFile(path.join(root, 'dags', 'egs-ex1.dot')));
    expect(await page.locator('#dag-graph svg g.antichain').count()).toBe(analysis.width);
    expect(await page.locator('#dag-graph svg g.critical').count()).toBe(analysis.criticalPathNodes.length);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-schedules.png'), fullPage: true });
  });

  it("steps an EGS replay to the final width of the policy's greedy episode (method egs without its list-schedule seed)", async () => {
    await page.fill('#deadline', '300');
    await page.selectOption('#dag-file', 'dags/stg-50-rand0007.stg');
    await page.click('#run-replay');
    await page.waitForSelector('#replay-state[data-step="0"]');
    // The replay is the policy's own greedy episode: method egs without its list-schedule seed.
    const dag50 = await readDagFile(path.join(root, 'dags', 'stg-50-rand0007.stg'));
    const egs = new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath('small'))).sample(dag50, 1, 0, {
      deadline: 300,
      heuristicSeed: false,
    });
    const initial = Number(await page.getAttribute('#replay-state', 'data-width'));
    expect(initial).toBeGreaterThan(egs.cores);
    await page.click('#replay-next');
    expect(await page.getAttribute('#replay-state', 'data-step')).toBe('1');
    await page.click('#replay-last');
    expect(await page.getAttribute('#replay-state', 'data-step')).toBe(String(egs.addedEdges.length));
    expect(await page.getAttribute('#replay-state', 'data-width')).toBe(String(egs.cores));
    expect(await page.textContent('#replay-state')).toContain(`final width ${egs.cores}`);
    // The mask of the last step: its allowed edges as cells, the taken one in red.
    const lastAllowed = /the mask allowed (\d+) edges/.exec((await page.textContent('#replay-state'))!)![1];
    expect(await page.getAttribute('#replay-mask', 'data-allowed')).toBe(lastAllowed);
    expect(await page.locator('#replay-mask svg rect.allowed').count()).toBe(Number(lastAllowed));
    expect(await page.locator('#replay-mask svg rect.taken').count()).toBe(1);
    // Every added edge is drawn on the task, the last one in red.
    expect(await page.locator('#replay-dag line.added').count()).toBe(egs.addedEdges.length);
    expect(await page.locator('#replay-dag line.latest').count()).toBe(1);
    await page
      .locator('.replay-panel')
      .screenshot({ path: path.join(SCREENSHOTS, 'dashboard-egs-replay.png') });
  });

  it("shows the shipped light-load example's contradiction with the nodes involved, and scrubs its step log", async () => {
    await page.goto(`${server.url}#logic`);
    await page.waitForSelector('#contradictions .contradiction');
    const run = await cli('logic', 'infer', 'examples/logic/light-load.json', '--json', '--log');
    expect(run.code).toBe(0);
    const expected = JSON.parse(run.stdout) as {
      contradictions: { node: string; nodes: string[] }[];
      steps: unknown[];
    };
    expect(expected.contradictions.length).toBeGreaterThan(0);
    const shown = await page.locator('#contradictions .contradiction').allTextContents();
    expect(shown).toHaveLength(expected.contradictions.length);
    for (const [k, c] of expected.contradictions.entries()) {
      expect(shown[k]).toContain(`contradiction at ${c.node}`);
      expect(shown[k]).toContain(`nodes involved: ${c.nodes.join(', ')}`);
      // Each node involved is marked in the bounds table.
      for (const node of c.nodes)
        expect(await page.getAttribute(`#logic-bounds tr[data-node="${node}"]`, 'class')).toContain(
          'contradicted',
        );
    }
    // The timeline: at the end every log entry is applied; before the facts every bound is [0, 1].
    expect(await page.getAttribute('#log-current', 'data-step')).toBe(String(expected.steps.length));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-logic.png'), fullPage: true });
    await page.click('#log-first');
    expect(await page.textContent('#logic-bounds tr[data-node="LightLoad"]')).toContain('[0.000, 1.000]');
    expect(await page.getAttribute('#logic-bounds tr[data-node="OtherDagTypes"]', 'class')).toBeNull();
  });

  it('draws the HSoC timeline of the shipped 5-task workload with the rule behind each decision', async () => {
    await page.goto(`${server.url}#hsoc`);
    await page.waitForSelector('#hsoc-timeline svg rect.task');
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/hsoc-trace',
      payload: { workload: '5-task', load: 'medium', seed: 0, policy: 'need' },
    });
    const trace = res.json<HsocTraceAnswer>();
    // One bar per task of positive length, one token line per PE.
    expect(await page.locator('#hsoc-timeline svg rect.task').count()).toBe(
      trace.tasks.filter((t) => t.finish > t.start).length,
    );
    expect(await page.locator('#hsoc-timeline svg rect.task.workload').count()).toBe(12 * 5);
    expect(await page.locator('#hsoc-timeline svg path.tokens').count()).toBe(trace.pes.length);
    expect(await page.textContent('#hsoc-summary')).toContain(`${trace.metrics.decisions} decisions`);
    // The first event: every pending agent's decision with its rule.
    expect(await page.getAttribute('#hsoc-state', 'data-step')).toBe('0');
    const first = trace.decisions.filter((d) => d.time === trace.decisions[0]!.time);
    const rules = await page.locator('#hsoc-decisions tr td:nth-child(4)').allTextContents();
    expect(rules).toEqual(first.map((d) => d.rule));
    await page.click('#hsoc-last');
    expect(await page.textContent('#hsoc-state')).toContain(
      `at time ${trace.decisions[trace.decisions.length - 1]!.time.toFixed(3)}`,
    );
    await page.click('#hsoc-first');
    await page.click('#hsoc-next');
    expect(await page.textContent('#hsoc-decisions')).toMatch(/running, token need|idle|waiting/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-hsoc.png'), fullPage: true });
  });

  it('simulates a STOMP trace picked from the folder, and shows a broken workload file with its file, item and rule', async () => {
    await page.goto(`${server.url}#hsoc`);
    const option = '#hsoc-workload option[value="file:workloads/stomp/trace.trc"]';
    await page.waitForSelector(option, { state: 'attached' });
    expect(await page.locator('#hsoc-workload option[value^="file:"]').allTextContents()).toEqual([
      'workloads/broken.json',
      'workloads/stomp/trace.trc',
    ]);
    await page.waitForSelector('#hsoc-timeline svg rect.task'); // the first (built-in) episode
    await page.selectOption('#hsoc-workload', 'file:workloads/stomp/trace.trc');
    await page.selectOption('#hsoc-load', 'heavy');
    await page.fill('#hsoc-seed', '3');
    await page.selectOption('#hsoc-policy', 'uniform-running');
    await page.click('#run-hsoc');
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }
        ).document
          .querySelector('#hsoc-summary')
          ?.textContent.startsWith('workloads/stomp/trace.trc') === true,
    );
    const trace = (
      await server.app.inject({
        method: 'POST',
        url: '/api/hsoc-trace',
        payload: { file: 'workloads/stomp/trace.trc', load: 'heavy', seed: 3, policy: 'uniform-running' },
      })
    ).json<HsocTraceAnswer>();
    expect(trace.pes).toHaveLength(9); // STOMP's PEs
    expect(await page.locator('#hsoc-timeline svg text.pe').allTextContents()).toEqual(trace.pes);
    expect(await page.locator('#hsoc-timeline svg rect.task').count()).toBe(
      trace.tasks.filter((t) => t.finish > t.start).length,
    );
    expect(await page.textContent('#hsoc-summary')).toContain(`${trace.metrics.decisions} decisions`);
    expect(await page.isHidden('#hsoc-error')).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-hsoc-stomp.png'), fullPage: true });
    // A workload file the CLI's reader refuses: the error names the file, the item and the rule.
    await page.selectOption('#hsoc-workload', 'file:workloads/broken.json');
    await page.click('#run-hsoc');
    await page.waitForSelector('#hsoc-error [data-field="rule"]');
    const field = (f: string) => page.textContent(`#hsoc-error [data-field="${f}"]`);
    expect([await field('file'), await field('item'), await field('rule')]).toEqual([
      'workloads/broken.json',
      'trace[1]',
      'deadline',
    ]);
    expect(await field('message')).toContain('deadline must be a number > 0, got -5');
    // The last good episode stays drawn.
    expect(await page.locator('#hsoc-timeline svg text.pe').count()).toBe(9);
    await page
      .locator('#hsoc-view .panel')
      .screenshot({ path: path.join(SCREENSHOTS, 'dashboard-hsoc-error.png') });
  });

  it('shows the benchmark results as tables', async () => {
    await page.goto(`${server.url}#bench`);
    await page.waitForSelector('#bench-file option[value="scale.json"]', { state: 'attached' });
    await page.selectOption('#bench-file', 'scale.json');
    const doc = JSON.parse(readFileSync('bench/results/scale.json', 'utf8')) as { rows: unknown[] };
    const rows = page.locator('#bench-tables [data-table="rows"] tr');
    await expect.poll(() => rows.count()).toBe(doc.rows.length + 1); // + the head row
    await page.fill('#bench-filter', 'optimal');
    await expect.poll(() => rows.count()).toBeLessThan(doc.rows.length + 1);
  });

  it('raised no page errors, console errors or CSP violations under a CSP without unsafe-eval', async () => {
    const res = await fetch(server.url);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    // The broken workload file's 400 answer is the one error the console may report.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
    console.log(`dashboard speed (ms): ${JSON.stringify(measured)}`);
  });
});
