/**
 * The HSoC view's requests: one episode of a workload at a load, from a seed, under a
 * power-sharing policy, answered as a trace — the tokens granted to each PE between decisions,
 * every task's start and finish on its PE, and at each decision the bin each agent chose with the
 * rule (or reason) behind it. The episode is the one `runHsocEpisode` plays (same env, same
 * actions); the trace only reads the env between steps. The LNN rules train on a worker thread at
 * their first use, so the server answers other requests meanwhile.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ArbiterError } from '../core/errors.js';
import { binTokens } from '../envs/hsoc/hsoc-agent-view.js';
import { HsocEnv } from '../envs/hsoc/hsoc-env.js';
import { HSOC_LOADS, isHsocLoad } from '../envs/hsoc/hsoc-platform.js';
import { HSOC_WORKLOADS } from '../envs/hsoc/hsoc-workloads.js';
import { DynamicRulePolicy } from '../envs/hsoc/policies/dynamic-rule-policy.js';
import type { HsocPolicy } from '../envs/hsoc/policies/hsoc-policy.js';
import { HSOC_HEADS, headOfBin, type LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';
import { NeedPolicy } from '../envs/hsoc/policies/need-policy.js';
import { SlackPeakPolicy } from '../envs/hsoc/policies/slack-peak-policy.js';
import { UniformPolicy } from '../envs/hsoc/policies/uniform-policy.js';
import type { KnowledgeBaseSpec } from '../logic/knowledge-base-spec.js';
import type { HsocDecision, HsocTraceAnswer, HsocTraceOptions, HsocTraceRequest } from './dashboard-api.js';
import { listHsocWorkloadFiles } from './file-index.js';
import { readHsocWorkload } from './hsoc-workload-request.js';
import { trainLnnRulesOffThread } from './lnn-rule-training.js';

/** Most decisions sent (a longer episode is cut; the task timeline is always complete). */
const MAX_DECISIONS = 20_000;
/** REINFORCE episodes of the LNN rules trained for the view (about 5 s, once per server). */
const LNN_EPISODES = 200;

/** How each policy of the view explains a decision of agent `p` that chose bin `a`. */
type Explain = (env: HsocEnv, p: number, a: number) => string;

interface TracedPolicy {
  policy: HsocPolicy;
  explain: Explain;
}

const needReason: Explain = (env, p, a) => {
  const v = env.view(p);
  if (!v.parentTasksCompleted) return v.taskAssigned ? 'waiting for its parents → 0 %' : 'idle → 0 %';
  return `running, token need ${v.idealShare.toFixed(1)} → ${binTokens(a)} %`;
};

/** The learned rule behind bin a: the rule of its action class, with the bin's truth. */
function lnnReason(rules: LnnRulePolicy): Explain {
  const texts = new Map(rules.rules().map((r) => [r.head, r.text]));
  return (env, p, a) => {
    const head = HSOC_HEADS[headOfBin(a)]!;
    const truth = rules.scores(env.view(p))[a]!;
    return `${texts.get(head) ?? `${head} (no rule above the weight threshold)`} · truth ${truth.toFixed(2)}`;
  };
}

const POLICIES = ['uniform', 'uniform-running', 'need', 'slack-peak', 'lnn-rules', 'dynamic-rules'];

/** The options the view offers: the built-in workloads and the workload files under `root`. */
export async function hsocTraceOptions(root: string): Promise<HsocTraceOptions> {
  return {
    workloads: [...HSOC_WORKLOADS],
    files: await listHsocWorkloadFiles(root),
    loads: [...HSOC_LOADS],
    policies: [...POLICIES],
  };
}

/** Builds HSoC traces; the LNN rules are trained (off the caller's thread) at their first use and kept. */
export class HsocTracer {
  private lnn: Promise<LnnRulePolicy> | undefined;
  private knowledgeBase: KnowledgeBaseSpec | undefined;

  /**
   * @param root - the dashboard folder (a real path) whose workload files requests may name
   * @param knowledgeBaseFile - the LightLoad knowledge base of the dynamic rules
   * @param rules - LNN rules to use instead of training them at first use
   */
  constructor(
    private readonly root: string,
    private readonly knowledgeBaseFile = fileURLToPath(
      new URL('../../examples/logic/light-load.json', import.meta.url),
    ),
    rules?: LnnRulePolicy,
  ) {
    if (rules) this.lnn = Promise.resolve(rules);
  }

  /**
   * Runs the request's episode and answers with its trace; errors are `ArbiterError`s
   * (`bad-request`, and `ValidationError`s naming file, item and rule for a bad workload file).
   */
  async trace(request: HsocTraceRequest): Promise<HsocTraceAnswer> {
    if (request === null || typeof request !== 'object')
      throw new ArbiterError('bad-request', 'the request body must be a JSON object');
    const { load, policy: name } = request;
    if (!isHsocLoad(load))
      throw new ArbiterError('bad-request', `unknown load '${String(load)}' (${HSOC_LOADS.join(', ')})`);
    const seed = request.seed ?? 0;
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new ArbiterError('bad-request', `the seed must be an integer ≥ 0, got ${String(seed)}`);
    if (!POLICIES.includes(name))
      throw new ArbiterError('bad-request', `unknown policy '${String(name)}' (${POLICIES.join(', ')})`);
    const workload = await readHsocWorkload(this.root, request);
    const traced = await this.policy(name);
    const env = new HsocEnv({ ...workload.env, load });
    return {
      ...traceEpisode(env, traced, seed),
      workload: workload.name,
      ...(workload.file !== undefined && { file: workload.file }),
      load,
      seed,
      policy: name,
      jobsAsked: workload.jobs,
    };
  }

  private async policy(name: string): Promise<TracedPolicy> {
    switch (name) {
      case 'uniform':
      case 'uniform-running':
        return {
          policy: new UniformPolicy({ readinessAware: name === 'uniform-running' }),
          explain: (_env, _p, a) => `uniform share → ${binTokens(a)} %`,
        };
      case 'need':
        return { policy: new NeedPolicy(), explain: needReason };
      case 'slack-peak':
        return {
          policy: new SlackPeakPolicy(),
          explain: (env, p, a) => `${needReason(env, p, a)} (the Slack curve's peak)`,
        };
      case 'lnn-rules': {
        const rules = await this.lnnRules();
        return { policy: rules, explain: lnnReason(rules) };
      }
      case 'dynamic-rules': {
        const rules = await this.lnnRules();
        this.knowledgeBase ??= JSON.parse(
          await readFile(this.knowledgeBaseFile, 'utf8'),
        ) as KnowledgeBaseSpec;
        const dynamic = new DynamicRulePolicy(rules, this.knowledgeBase);
        const learned = lnnReason(rules);
        return {
          policy: dynamic,
          explain: (env, p, a) => {
            const b = env.view(p).parentTasksCompleted ? dynamic.belief(p) : undefined;
            if (!b) return learned(env, p, a);
            const bounds = `LightLoad [${b.lightLoad[0].toFixed(3)}, ${b.lightLoad[1].toFixed(3)}]`;
            return b.lightLoad[0] >= dynamic.threshold
              ? `${bounds} ≥ θ ${dynamic.threshold}: light load → uniform ${binTokens(a)} %`
              : `${bounds} < θ ${dynamic.threshold} → ${learned(env, p, a)}`;
          },
        };
      }
      default:
        throw new ArbiterError('bad-request', `unknown policy '${String(name)}' (${POLICIES.join(', ')})`);
    }
  }

  /** The LNN rules; every request arriving while they train waits on the same training. */
  private lnnRules(): Promise<LnnRulePolicy> {
    this.lnn ??= trainLnnRulesOffThread(LNN_EPISODES).catch((e: unknown) => {
      this.lnn = undefined; // a later request tries again
      throw e;
    });
    return this.lnn;
  }
}

/** Plays the episode as `runHsocEpisode` does, recording grants, decisions and the task timeline. */
function traceEpisode(
  env: HsocEnv,
  { policy, explain }: TracedPolicy,
  seed: number,
): Omit<HsocTraceAnswer, 'workload' | 'load' | 'seed' | 'policy' | 'jobsAsked'> {
  const r = env.reset({ seed });
  policy.reset?.(env);
  const sim = env.sim;
  const n = sim.pes.length;
  let obs = r.obs;
  let infos = r.infos;
  let pending = r.pendingAgents;
  const requests = new Float64Array(n);
  const granted = new Float64Array(n);
  const times: number[] = [];
  const tokens: number[][] = [];
  const decisions: HsocDecision[] = [];
  let cut = false;
  while (pending.length > 0) {
    const actions: Record<string, number> = {};
    requests.fill(0);
    const time = sim.time;
    for (const agent of pending) {
      const p = env.indexOf(agent);
      const a = policy.act(env, p, obs[agent]!, infos[agent]!.actionMask!);
      actions[agent] = a;
      requests[p] = binTokens(a);
      if (decisions.length < MAX_DECISIONS) {
        const v = env.view(p);
        decisions.push({
          time,
          pe: p,
          bin: a,
          ...(v.taskAssigned && { job: v.job, task: v.task }),
          rule: explain(env, p, a),
        });
      } else cut = true;
    }
    sim.grantsOf(requests, granted);
    times.push(time);
    tokens.push(Array.from(granted));
    const s = env.step(actions);
    obs = s.obs;
    infos = s.infos;
    pending = s.pendingAgents;
  }
  const tasks: HsocTraceAnswer['tasks'] = [];
  for (const job of sim.jobs)
    for (let u = 0; u < job.dag.n; u++)
      if (job.pe[u]! >= 0)
        tasks.push({
          job: job.id,
          task: u,
          kind: job.kind,
          pe: job.pe[u]!,
          start: job.start[u]!,
          finish: job.finish[u]!,
        });
  return {
    pes: [...env.possibleAgents],
    available: [...sim.available],
    metrics: env.metrics(),
    times,
    tokens,
    decisions,
    ...(cut && { decisionsCut: true }),
    tasks,
    jobs: sim.jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      arrival: j.arrival,
      deadline: j.deadline,
      completedAt: j.completedAt,
    })),
  };
}
