import { writeFileAtomic } from '../src/core/atomic-write.js';
import { Rng } from '../src/core/rng.js';
import { solveLp } from '../src/dag/optimal/highs-solver.js';
import { buildLogicGraph } from '../src/logic/build-logic-graph.js';
import { exactBoundsLp } from '../src/logic/exact-bounds-lp.js';
import { infer } from '../src/logic/infer.js';
import { LnnRuleLayer } from '../src/logic/lnn-rule-layer.js';
import { randomProbabilityModel, withTrueFacts } from '../src/logic/random-probability-model.js';
import { formatMarkdownTable } from '../src/report/markdown-table.js';
import { describeMachine, median, timeIt } from './machine.js';

const SEED = 2026;
const GRAPHS = 40;

/** `npm run bench -- logic`: PLNN tightness vs the exact LP, inference and rule-layer timings → bench/results/logic.md. */
export async function runLogicBench(): Promise<void> {
  const out: string[] = [];
  const log = (s: string): void => {
    out.push(s);
    process.stderr.write(s + '\n');
  };
  log('# Logic layer benchmark');
  log('');
  log(`- machine: ${describeMachine()}`);
  log(
    `- command: \`npm run bench -- logic\` (bench/logic-bench.ts), seed ${SEED}, ${new Date().toISOString().slice(0, 10)}`,
  );
  log('');
  log('## PLNN tightness vs the exact LP over the 2^n atoms');
  log('');
  log(
    `Random joint distributions over n binary propositions, ${GRAPHS} random PLNN graphs per n (3–8 operators: and/or/implies/not/given over propositions, earlier operators and negations), facts = the exact probabilities of about half the nodes (points or intervals around them), J unconstrained. For every user node: PLNN's bounds vs the tightest bounds from two LPs over the atoms (HiGHS). Excess = PLNN width − exact width (≥ 0: PLNN is sound). Times are medians per graph (all nodes); compare ratios only.`,
  );
  log('');
  const rows: (string | number)[][] = [];
  let allExcess = 0;
  let allCount = 0;
  for (const n of [2, 3, 4, 5, 6]) {
    const rng = new Rng(SEED + n);
    let excess = 0;
    let plnnWidth = 0;
    let exactWidth = 0;
    let exactNodes = 0;
    let count = 0;
    let unsound = 0;
    const plnnMs: number[] = [];
    const lpMs: number[] = [];
    for (let g = 0; g < GRAPHS; g++) {
      const model = randomProbabilityModel(rng, { variables: n, operators: 3 + rng.int(6) });
      const graph = buildLogicGraph(
        withTrueFacts(rng, model, buildLogicGraph(model.spec), { factShare: 0.5 }),
      );
      plnnMs.push(median(await timeIt(() => infer(graph, { log: false }), 5, 1)));
      const r = infer(graph, { log: false });
      let lpTime = 0;
      for (let k = 0; k < graph.nodes.length; k++) {
        if (graph.nodes[k]!.hidden) continue;
        const lp = exactBoundsLp(graph, k);
        const lo = await solveLp(lp.min);
        const hi = await solveLp(lp.max);
        lpTime += lo.timeMs + hi.timeMs;
        if (lo.status !== 'optimal' || hi.status !== 'optimal') continue;
        const w = r.upper[k]! - r.lower[k]!;
        const we = hi.objective! - lo.objective!;
        if (r.lower[k]! > lo.objective! + 1e-6 || r.upper[k]! < hi.objective! - 1e-6) unsound++;
        excess += w - we;
        plnnWidth += w;
        exactWidth += we;
        if (w - we < 1e-6) exactNodes++;
        count++;
      }
      lpMs.push(lpTime);
    }
    allExcess += excess;
    allCount += count;
    rows.push([
      n,
      GRAPHS,
      count,
      (plnnWidth / count).toFixed(3),
      (exactWidth / count).toFixed(3),
      (excess / count).toFixed(3),
      `${((100 * exactNodes) / count).toFixed(0)}%`,
      unsound,
      median(plnnMs).toFixed(3),
      median(lpMs).toFixed(1),
    ]);
  }
  log(
    formatMarkdownTable(
      [
        'n',
        'graphs',
        'nodes',
        'mean PLNN width',
        'mean exact width',
        'mean width excess',
        'nodes exact',
        'unsound',
        'PLNN ms',
        'LP ms',
      ],
      rows,
    ),
  );
  log('');
  log(`Average width excess over all ${allCount} nodes: **${(allExcess / allCount).toFixed(3)}**.`);
  log('');
  log('## Rule layer decision cost');
  log('');
  const layer = new LnnRuleLayer({
    predicates: ['TaskAssigned', 'SiblingTasks', 'ParentTasksCompleted', 'Slack'],
    heads: ['NeedTokens_0', 'NeedTokens_x', 'NeedTokens_100'],
    seed: SEED,
  });
  const x = new Float64Array([1, 1, 1, 0.4]);
  const y = new Float64Array(3);
  const reps = 200_000;
  const ms = median(
    await timeIt(
      () => {
        for (let i = 0; i < reps; i++) layer.forward(x, y);
      },
      5,
      1,
    ),
  );
  log(
    `\`LnnRuleLayer.forward\`, 4 predicates (8 literals) × 3 heads: ${((ms * 1000) / reps).toFixed(3)} µs per decision (median of 5 × ${reps}).`,
  );
  log('');
  await writeFileAtomic('bench/results/logic.md', out.join('\n') + '\n');
}
