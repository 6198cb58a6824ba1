import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { hsocTraceOptions, HsocTracer } from '../../src/dashboard/hsoc-trace-request.js';
import { MAX_HSOC_FILE_BYTES } from '../../src/dashboard/hsoc-workload-request.js';
import { HsocEnv } from '../../src/envs/hsoc/hsoc-env.js';
import { STOMP_PES } from '../../src/envs/hsoc/hsoc-platform.js';
import {
  importStompWorkload,
  parseHsocWorkloadFile,
  stompTraceDagTypes,
} from '../../src/envs/hsoc/hsoc-workload-file.js';
import { runHsocEpisode } from '../../src/envs/hsoc/policies/hsoc-policy.js';
import { DynamicRulePolicy } from '../../src/envs/hsoc/policies/dynamic-rule-policy.js';
import { LnnRulePolicy } from '../../src/envs/hsoc/policies/lnn-rule-policy.js';
import { NeedPolicy } from '../../src/envs/hsoc/policies/need-policy.js';
import type { KnowledgeBaseSpec } from '../../src/logic/knowledge-base-spec.js';
import { UniformPolicy } from '../../src/envs/hsoc/policies/uniform-policy.js';

const STOMP_FILES = ['dag4.graphml', 'dag_4.txt', 'dag6.graphml', 'dag_6.txt', 'trace.trc'];

/** A dashboard folder with STOMP's example, the workload file `hsoc import` makes of it, and broken ones. */
function workloadFolder(): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'arbiter-hsoc-trace-')));
  mkdirSync(path.join(root, 'stomp'));
  for (const f of STOMP_FILES) copyFileSync(path.join('examples/hsoc/stomp', f), path.join(root, 'stomp', f));
  const workload = importedExample();
  writeFileSync(path.join(root, 'workload.json'), JSON.stringify(workload, null, 2));
  const bad = structuredClone(workload);
  bad.trace[1]!.deadline = -5;
  writeFileSync(path.join(root, 'bad-deadline.json'), JSON.stringify(bad, null, 2));
  writeFileSync(path.join(root, 'stomp', 'missing.trc'), '0,0,8,1,150\n');
  writeFileSync(path.join(root, 'stomp', 'short-line.trc'), '0,0,4,1,150\n10,1,6,3\n');
  writeFileSync(
    path.join(root, 'huge.json'),
    `{"format": "arbiter-hsoc-workload", "pad": "${'x'.repeat(MAX_HSOC_FILE_BYTES)}"}`,
  );
  return root;
}

/** The STOMP example imported as `arbiter hsoc import` does. */
function importedExample(): ReturnType<typeof importStompWorkload> {
  const read = (f: string) => ({ text: readFileSync(path.join('examples/hsoc/stomp', f), 'utf8'), file: f });
  const trace = read('trace.trc');
  const dags = new Map(
    stompTraceDagTypes(trace).map((t) => [
      t,
      { graphml: read(`dag${t}.graphml`), computation: read(`dag_${t}.txt`) },
    ]),
  );
  return importStompWorkload({ trace, dags });
}

describe('HSoC trace of one episode', () => {
  const root = workloadFolder();
  const tracer = new HsocTracer(root);

  it('plays the same episode as runHsocEpisode (tracing changes no result)', async () => {
    for (const [name, policy] of [
      ['need', new NeedPolicy()],
      ['uniform', new UniformPolicy()],
    ] as const) {
      const trace = await tracer.trace({ workload: '5-task', load: 'medium', seed: 3, policy: name });
      const metrics = runHsocEpisode(
        new HsocEnv({ workload: '5-task', load: 'medium', jobs: 12 }),
        policy,
        3,
      );
      expect(trace.metrics).toEqual(metrics);
      expect(trace.decisions).toHaveLength(metrics.decisions);
    }
  });

  it('grants at most the envelope, lists every task once on an available PE, and explains each decision', async () => {
    const trace = await tracer.trace({ workload: '5-task', load: 'heavy', seed: 1, policy: 'need' });
    expect(trace.tokens).toHaveLength(trace.times.length);
    for (const row of trace.tokens) expect(row.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100 + 1e-9);
    const keys = new Set(trace.tasks.map((t) => `${t.job}:${t.task}`));
    expect(keys.size).toBe(trace.tasks.length);
    for (const t of trace.tasks) {
      expect(trace.available[t.pe]).toBe(true);
      expect(t.finish).toBeGreaterThanOrEqual(t.start);
    }
    const workloadTasks = trace.tasks.filter((t) => t.kind === 'workload').length;
    expect(workloadTasks).toBe(12 * 5);
    expect(trace.decisions.some((d) => d.rule.startsWith('running, token need'))).toBe(true);
    expect(trace.decisions.every((d) => d.rule.length > 0)).toBe(true);
  });

  it('LNN and PLNN dynamic rules: the same episode, each decision naming the learned rule or the LightLoad bounds', async () => {
    const rules = new LnnRulePolicy(undefined, { seed: 3 }); // untrained but fixed: the explanations are what is checked
    const kb = JSON.parse(readFileSync('examples/logic/light-load.json', 'utf8')) as KnowledgeBaseSpec;
    const withRules = new HsocTracer(root, undefined, rules);
    const env = () => new HsocEnv({ workload: '5-task', load: 'light', jobs: 12 });
    const lnn = await withRules.trace({ workload: '5-task', load: 'light', seed: 2, policy: 'lnn-rules' });
    expect(lnn.metrics).toEqual(runHsocEpisode(env(), rules, 2));
    expect(lnn.decisions.every((d) => / · truth \d\.\d\d$/.test(d.rule))).toBe(true);
    const dynamic = await withRules.trace({
      workload: '5-task',
      load: 'light',
      seed: 2,
      policy: 'dynamic-rules',
    });
    expect(dynamic.metrics).toEqual(runHsocEpisode(env(), new DynamicRulePolicy(rules, kb), 2));
    expect(dynamic.decisions.some((d) => d.rule.startsWith('LightLoad ['))).toBe(true);
  });

  it('refuses unknown workloads, loads, policies and bad seeds', async () => {
    const bad = [
      { workload: 'nope', load: 'medium', policy: 'need' },
      { workload: '5-task', load: 'extreme', policy: 'need' },
      { workload: '5-task', load: 'medium', policy: 'oracle' },
      { workload: '5-task', load: 'medium', policy: 'need', seed: -1 },
      { workload: '5-task', load: 'medium', policy: 'need', jobs: 10_000 },
      { file: '', load: 'medium', policy: 'need' },
    ];
    for (const request of bad)
      await expect(tracer.trace(request)).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('lists the workload files under the folder: workload JSON and STOMP traces, not DAGs or runs', async () => {
    mkdirSync(path.join(root, 'run-1'), { recursive: true });
    writeFileSync(path.join(root, 'run-1', 'config.json'), '{"format": "arbiter-hsoc-workload"}');
    copyFileSync('examples/hsoc/5-task.json', path.join(root, 'dag.json'));
    const options = await hsocTraceOptions(root);
    expect(options.files.map((f) => f.path)).toEqual([
      'bad-deadline.json',
      'huge.json',
      'stomp/missing.trc',
      'stomp/short-line.trc',
      'stomp/trace.trc',
      'workload.json',
    ]);
    expect(options.workloads).toEqual(['5-task', 'av-42']);
  });

  it("runs a workload file and a STOMP trace as `hsoc simulate --load` runs the imported file (STOMP's PEs)", async () => {
    const imported = parseHsocWorkloadFile(JSON.stringify(importedExample()), 'w.json');
    for (const file of ['workload.json', 'stomp/trace.trc']) {
      const trace = await tracer.trace({ file, load: 'heavy', seed: 4, policy: 'need' });
      const env = new HsocEnv({ trace: imported.trace, pes: STOMP_PES, load: 'heavy' });
      expect(trace.metrics, file).toEqual(runHsocEpisode(env, new NeedPolicy(), 4));
      expect(trace).toMatchObject({ file, jobsAsked: 6, pes: env.possibleAgents });
      expect(trace.pes).toHaveLength(9);
      expect(trace.tasks.filter((t) => t.kind === 'workload').length).toBe(
        imported.trace.reduce((n, j) => n + j.dag.n, 0),
      );
    }
    // The load matters: light load has fewer background jobs than heavy.
    const light = await tracer.trace({ file: 'workload.json', load: 'light', seed: 4, policy: 'need' });
    expect(light.metrics).not.toEqual(
      (await tracer.trace({ file: 'workload.json', load: 'heavy', seed: 4, policy: 'need' })).metrics,
    );
  });

  it.each([
    ['bad-deadline.json', { file: 'bad-deadline.json', item: 'trace[1]', rule: 'deadline' }],
    ['stomp/short-line.trc', { file: 'stomp/short-line.trc', line: 2, rule: 'trace-columns' }],
    ['stomp/missing.trc', { file: 'stomp/missing.trc', rule: 'missing-file' }],
    ['huge.json', { file: 'huge.json', rule: 'file-size' }],
  ])(
    'refuses the broken workload file %s with the CLI readers, naming file, item or line, and rule',
    async (file, where) => {
      const error = await tracer.trace({ file, load: 'medium', policy: 'need' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject(where);
      expect((error as Error).message).toContain(file);
    },
  );

  it('refuses workload files outside the folder', async () => {
    for (const file of ['../x.json', '/etc/passwd', 'stomp/../../x.trc'])
      await expect(tracer.trace({ file, load: 'medium', policy: 'need' })).rejects.toMatchObject({
        code: 'path-outside',
      });
    await expect(tracer.trace({ file: 'nope.json', load: 'medium', policy: 'need' })).rejects.toMatchObject({
      code: 'path-not-found',
    });
  });
});
