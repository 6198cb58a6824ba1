import { describe, expect, it } from 'vitest';
import { HsocTracer } from '../../src/dashboard/hsoc-trace-request.js';
import { HsocEnv } from '../../src/envs/hsoc/hsoc-env.js';
import { runHsocEpisode } from '../../src/envs/hsoc/policies/hsoc-policy.js';
import { readFileSync } from 'node:fs';
import { DynamicRulePolicy } from '../../src/envs/hsoc/policies/dynamic-rule-policy.js';
import { LnnRulePolicy } from '../../src/envs/hsoc/policies/lnn-rule-policy.js';
import { NeedPolicy } from '../../src/envs/hsoc/policies/need-policy.js';
import type { KnowledgeBaseSpec } from '../../src/logic/knowledge-base-spec.js';
import { UniformPolicy } from '../../src/envs/hsoc/policies/uniform-policy.js';

describe('HSoC trace of one episode', () => {
  const tracer = new HsocTracer();

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
    const withRules = new HsocTracer(undefined, rules);
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
    ];
    for (const request of bad)
      await expect(tracer.trace(request)).rejects.toMatchObject({ code: 'bad-request' });
  });
});
