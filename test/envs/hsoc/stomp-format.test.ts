import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDag } from '../../../src/dag/build-dag.js';
import { HsocEnv } from '../../../src/envs/hsoc/hsoc-env.js';
import { HSOC_LOAD_PRESETS, STOMP_PES } from '../../../src/envs/hsoc/hsoc-platform.js';
import {
  importStompWorkload,
  parseHsocWorkloadFile,
  type NamedText,
} from '../../../src/envs/hsoc/hsoc-workload-file.js';
import { readTaskProfiles } from '../../../src/envs/hsoc/hsoc-task-profile.js';
import {
  parseStompComputationCsv,
  parseStompGraphml,
  parseStompTrace,
} from '../../../src/envs/hsoc/stomp-format.js';
import { runHsocEpisode } from '../../../src/envs/hsoc/policies/hsoc-policy.js';
import { UniformPolicy } from '../../../src/envs/hsoc/policies/uniform-policy.js';
import { validationErrorOf } from '../../dag/io/io-test-helpers.js';

const dir = 'examples/hsoc/stomp';
const read = (name: string): NamedText => ({ text: readFileSync(`${dir}/${name}`, 'utf8'), file: name });
const exampleDags = new Map(
  ['4', '6'].map((t) => [t, { graphml: read(`dag${t}.graphml`), computation: read(`dag_${t}.txt`) }]),
);

describe('STOMP input format', () => {
  it('imports the self-made example: DAG types, rows in node-id order, None = cannot run, trace', () => {
    const w = importStompWorkload({ trace: read('trace.trc'), dags: exampleDags });
    expect(Object.keys(w.dags)).toEqual(['4', '6']);
    const d4 = buildDag(w.dags['4']!);
    expect(d4.n).toBe(4);
    expect(d4.edges).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ]);
    const p = readTaskProfiles(d4);
    // Row 2 of dag_4.txt: fft_512, 0.45, 25, 11, 4; row 1 has no FFT time.
    expect([d4.types[2], p[2]!.subDeadline, p[2]!.times.cpu, p[2]!.times.gpu, p[2]!.times.fft]).toEqual([
      'fft_512',
      0.45,
      25,
      11,
      4,
    ]);
    expect(p[1]!.times.fft).toBe(Infinity);
    expect(d4.wcet[1]).toBe(9); // best case: the GPU
    expect(w.trace[1]).toEqual({ arrival: 10, id: 1, dag: '6', criticality: 3, deadline: 260 });
  });

  it('a workload file round-trips into a simulator trace that runs on the STOMP PE mix', () => {
    const w = importStompWorkload({ trace: read('trace.trc'), dags: exampleDags });
    const back = parseHsocWorkloadFile(JSON.stringify(w), 'w.json');
    expect(back.trace.map((j) => [j.arrival, j.deadline, j.highPriority, j.dag.n])).toEqual([
      [0, 150, false, 4],
      [10, 260, true, 6],
      [35, 150, false, 4],
      [60, 260, false, 6],
      [62, 150, true, 4],
      [90, 260, false, 6],
    ]);
    const env = new HsocEnv({
      trace: back.trace,
      pes: STOMP_PES,
      load: { ...HSOC_LOAD_PRESETS.light, otherShare: 0 },
      available: STOMP_PES.map(() => true),
    });
    const m = runHsocEpisode(env, new UniformPolicy(), 0);
    expect(m.jobs).toBe(6);
    // Each job takes at least its best-case critical path (5-node camera chain: 2 + 3 + 7 + 3 + 3 at best).
    for (const job of env.sim.jobs) {
      const span = job.completedAt - job.arrival;
      expect(span).toBeGreaterThanOrEqual(job.criticalPath - 1e-9);
    }
  });

  it('computation CSV: bad rows name the file, the line and the rule', () => {
    const csv = (body: string) => `type,P1,P2,...,Pn\n${body}\n`;
    let e = validationErrorOf(() => parseStompComputationCsv(csv('fft,0.2,1,2'), 'c.txt', 3));
    expect([e.rule, e.line, e.file]).toEqual(['csv-columns', 2, 'c.txt']);
    e = validationErrorOf(() => parseStompComputationCsv(csv('fft,0.2,1,2,3\nfft,1.2,1,2,3'), 'c.txt', 3));
    expect([e.rule, e.line]).toEqual(['sub-deadline', 3]);
    expect(e.message).toMatch(/^c\.txt:3: .*sub-deadline/);
    e = validationErrorOf(() => parseStompComputationCsv(csv('fft,0.2,1,x,3'), 'c.txt', 3));
    expect([e.rule, e.line]).toEqual(['server-time', 2]);
    e = validationErrorOf(() => parseStompComputationCsv(csv('fft,0.2,None,None,None'), 'c.txt', 3));
    expect(e.message).toMatch(/all None/);
    e = validationErrorOf(() => parseStompComputationCsv('', 'c.txt', 3));
    expect(e.rule).toBe('csv-header');
  });

  it('GraphML: undirected graphs, duplicate ids, dangling edges and non-GraphML are refused', () => {
    const g = (body: string, dflt = 'directed') =>
      `<graphml><graph edgedefault="${dflt}">\n${body}\n</graph></graphml>`;
    expect(
      validationErrorOf(() => parseStompGraphml(g('<node id="0"/>', 'undirected'), 'g.graphml')).rule,
    ).toBe('graphml-undirected');
    let e = validationErrorOf(() => parseStompGraphml(g('<node id="0"/>\n<node id="0"/>'), 'g.graphml'));
    expect([e.rule, e.line]).toEqual(['duplicate-node', 3]);
    e = validationErrorOf(() =>
      parseStompGraphml(g('<node id="0"/>\n<edge source="0" target="7"/>'), 'g.graphml'),
    );
    expect([e.rule, e.line]).toEqual(['dangling-edge', 3]);
    expect(validationErrorOf(() => parseStompGraphml('<svg/>', 'g.graphml')).rule).toBe('graphml-graph');
    const parsed = parseStompGraphml(
      '<graphml><key id="d0" attr.name="t"/><graph edgedefault="directed"><!-- <node id="9"/> -->' +
        '<node id="0"><data key="d0"> 12 </data></node><node id="1"/><edge source="0" target="1"/></graph></graphml>',
      'g.graphml',
    );
    expect(parsed.nodes.map((n) => [n.id, n.data])).toEqual([
      ['0', { t: '12' }],
      ['1', {}],
    ]);
  });

  it('trace: columns, order, ids, deadlines are checked per line; unknown DAG types and cycles name their file', () => {
    let e = validationErrorOf(() => parseStompTrace('0,0,4,1,150\n5,1,4,1', 't.trc'));
    expect([e.rule, e.line]).toEqual(['trace-columns', 2]);
    e = validationErrorOf(() => parseStompTrace('5,0,4,1,150\n3,1,4,1,150', 't.trc'));
    expect([e.rule, e.line]).toEqual(['arrival-order', 2]);
    e = validationErrorOf(() => parseStompTrace('0,0,4,1,150\n3,0,4,1,150', 't.trc'));
    expect(e.rule).toBe('job-id');
    e = validationErrorOf(() => parseStompTrace('0,0,4,1,-2', 't.trc'));
    expect(e.rule).toBe('deadline');
    e = validationErrorOf(() =>
      importStompWorkload({ trace: { text: '0,0,9,1,10', file: 't.trc' }, dags: exampleDags }),
    );
    expect([e.rule, e.file, e.line]).toEqual(['dag-type', 't.trc', 1]);
    const cyclic = {
      graphml: {
        text: '<graphml><graph><node id="0"/><node id="1"/><edge source="0" target="1"/><edge source="1" target="0"/></graph></graphml>',
        file: 'dag2.graphml',
      },
      computation: { text: 'h\na,0.5,1,1,1\nb,0.5,1,1,1\n', file: 'dag_2.txt' },
    };
    e = validationErrorOf(() =>
      importStompWorkload({ trace: { text: '0,0,2,1,10', file: 't.trc' }, dags: new Map([['2', cyclic]]) }),
    );
    expect([e.rule, e.file]).toEqual(['cycle', 'dag2.graphml']);
    const rowsShort = {
      ...cyclic,
      graphml: { ...cyclic.graphml, text: '<graphml><graph><node id="0"/></graph></graphml>' },
    };
    e = validationErrorOf(() =>
      importStompWorkload({
        trace: { text: '0,0,2,1,10', file: 't.trc' },
        dags: new Map([['2', rowsShort]]),
      }),
    );
    expect([e.rule, e.file]).toEqual(['csv-rows', 'dag_2.txt']);
  });

  it('workload file: bad JSON, format, unknown DAGs and unsorted arrivals name the file and the item', () => {
    const w = importStompWorkload({ trace: read('trace.trc'), dags: exampleDags });
    expect(validationErrorOf(() => parseHsocWorkloadFile('{', 'w.json')).rule).toBe('json');
    expect(validationErrorOf(() => parseHsocWorkloadFile('{"format":"x"}', 'w.json')).rule).toBe('format');
    let e = validationErrorOf(() =>
      parseHsocWorkloadFile(JSON.stringify({ ...w, trace: [{ ...w.trace[0], dag: 'zz' }] }), 'w.json'),
    );
    expect([e.rule, e.item]).toEqual(['dag', 'trace[0]']);
    e = validationErrorOf(() =>
      parseHsocWorkloadFile(JSON.stringify({ ...w, trace: [w.trace[2], w.trace[0]] }), 'w.json'),
    );
    expect([e.rule, e.item]).toEqual(['arrival-order', 'trace[1]']);
    const badTimes = structuredClone(w);
    badTimes.dags['4']!.nodes[1]!['times'] = { cpu: 0 };
    e = validationErrorOf(() => parseHsocWorkloadFile(JSON.stringify(badTimes), 'w.json'));
    expect([e.rule, e.item]).toEqual(['times', 'node 1']);
    expect(e.message).toMatch(/w\.json dags\['4'\]/);
  });
});
