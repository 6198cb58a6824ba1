import { egsSearchDevSet } from './egs-search-dev-set.js';
import { createAnalysisContext } from '../src/dag/analysis/analysis-context.js';
import { makespanListSchedule } from '../src/dag/optimal/makespan-list-schedule.js';
import { loadEgsPolicyModel, LARGE_EGS_MODEL_PATH } from '../src/deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../src/deploy/egs-policy-scheduler.js';
const tasks = await egsSearchDevSet({ perGenerator: 8, cache: '/tmp/egsdev/d-cache.json' });
const names = ['dev-layered-n50-7|8', 'dev-fork-join-n50-5|8', 'dev-same-predecessors-n100-1|8', 'dev-layered-n100-2|8'];
const s = new EgsPolicyScheduler(loadEgsPolicyModel(LARGE_EGS_MODEL_PATH));
for (const t of tasks.filter((t) => names.includes(`${t.dag.name}|${t.m}`))) {
  const ctx = createAnalysisContext(t.dag, t.dag.deadline);
  let t0 = performance.now();
  const p = makespanListSchedule(ctx, t.m, { rounds: 400 });
  const per = (performance.now() - t0) / 405;
  for (const o of [{ restarts: 0 }, { restarts: 3 }, { restarts: 3, portfolioTimeS: 2 }, { restarts: 6, searchTimeS: 2 }]) {
    t0 = performance.now();
    const r = s.search(t.dag, o);
    console.log(t.dag.name, t.m, 'per-round ms', per.toFixed(3), 'm-core makespan', p.makespan, 'D', t.dag.deadline, JSON.stringify(o), r.cores, (performance.now() - t0).toFixed(0), r.note?.split('answer from: ')[1]);
  }
}
