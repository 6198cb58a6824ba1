import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag, dagToSpec } from '../../../src/dag/build-dag.js';
import { formatStgDag, isStgShaped, parseStgDag } from '../../../src/dag/io/stg-format.js';
import { dataDir, hasData, stgNumbers, unorderedSpec, validationErrorOf } from './io-test-helpers.js';

const parse = (text: string): ReturnType<typeof parseStgDag> => parseStgDag(text, 'g.stg');

/** Diamond 1,2 between entry 0 and exit 3, as in the Kasahara files. */
const SMALL = `# a comment before the header
2
0 0 0
1 4 1 0   # trailing comment
2 3 1 0
3 0 2 1 2
# summary block
#   CP Length : 4
`;

describe('parseStgDag', () => {
  it('reads tasks 0 … n+1 with integer ids and keeps the dummies as real nodes', () => {
    const dag = parse(SMALL);
    expect(dag.ids).toEqual([0, 1, 2, 3]);
    expect([...dag.wcet]).toEqual([0, 4, 3, 0]);
    expect(dag.edges.map(([u, v]) => [dag.ids[u], dag.ids[v]])).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(dag.deadline).toBeUndefined();
    expect(dag.name).toBe('g');
  });

  it('accepts CRLF line endings and fractional WCETs', () => {
    const dag = parse('1\r\n0 0 0\r\n1 2.5 1 0\r\n2 0 1 1\r\n');
    expect([...dag.wcet]).toEqual([0, 2.5, 0]);
  });

  it('reads the deadline and name comments back', () => {
    const dag = parse(`# name: tiny\n# deadline: 12.5\n${SMALL}`);
    expect(dag.deadline).toBe(12.5);
    expect(dag.name).toBe('tiny');
  });

  it('restores ids from `# id` comments (bare, integer and quoted)', () => {
    const dag = parse(
      '2\n0 0 0 # id 0 = entry\n1 4 1 0 # id 1 = v2\n2 3 1 0 # id 2 = 17\n# id 3 = "a b #c"\n3 0 2 1 2\n',
    );
    expect(dag.ids).toEqual(['entry', 'v2', 17, 'a b #c']);
  });
});

describe('formatStgDag', () => {
  it('writes an STG-shaped DAG as it is, with deadline and name comments', () => {
    const dag = buildDag({ ...dagToSpec(parse(SMALL)), name: 'diamond', deadline: 9 });
    expect(isStgShaped(dag)).toBe(true);
    const text = formatStgDag(dag);
    expect(text).toContain('# deadline: 9\n');
    expect(stgNumbers(text)).toEqual([[2], [0, 0, 0], [1, 4, 1, 0], [2, 3, 1, 0], [3, 0, 2, 1, 2]]);
    expect(dagToSpec(parse(text))).toEqual(dagToSpec(dag));
  });

  it('renumbers any other DAG between added dummies and restores its ids on reading', () => {
    const dag = buildDag({
      name: 'ex',
      deadline: 20,
      nodes: [
        { id: 'c', wcet: 2 },
        { id: 'a', wcet: 1 },
        { id: 'b', wcet: 3 },
        { id: 'entry', wcet: 5 },
      ],
      edges: [
        ['a', 'c'],
        ['b', 'c'],
      ],
    });
    expect(isStgShaped(dag)).toBe(false);
    const text = formatStgDag(dag);
    // Topological numbering; 'entry' is taken, so the added entry is 'entry_2'.
    expect(text).toContain('# id 0 = entry_2');
    expect(text).toContain('= exit\n');
    const back = parse(text);
    expect(back.ids).toHaveLength(6);
    expect(back.ids[0]).toBe('entry_2');
    expect(back.ids[5]).toBe('exit');
    const original = new Set(dag.ids);
    const kept = buildDag({
      ...dagToSpec(back),
      nodes: dagToSpec(back).nodes.filter((node) => original.has(node.id)),
      edges: dagToSpec(back).edges.filter(([a, b]) => original.has(a) && original.has(b)),
    });
    expect(unorderedSpec(kept)).toEqual(unorderedSpec(dag));
  });

  it('reuses a unique zero-WCET source and sink as the dummies', () => {
    const dag = buildDag({
      nodes: [
        { id: 's', wcet: 0 },
        { id: 'x', wcet: 2 },
        { id: 't', wcet: 0 },
      ],
      edges: [
        ['s', 'x'],
        ['x', 't'],
      ],
    });
    const back = parse(formatStgDag(dag));
    expect(dagToSpec(back)).toEqual(dagToSpec(dag));
  });

  it('turns a one-node DAG into entry, task, exit', () => {
    const dag = buildDag({ nodes: [{ id: 'only', wcet: 3 }], edges: [] });
    const text = formatStgDag(dag);
    expect(stgNumbers(text)).toEqual([[1], [0, 0, 0], [1, 3, 1, 0], [2, 0, 1, 1]]);
    expect(parse(text).ids).toEqual(['entry', 'only', 'exit']);
  });
});

describe.skipIf(!hasData)('the Kasahara samples in shared/data', () => {
  const sample = async (name: string): Promise<{ text: string; dag: ReturnType<typeof parseStgDag> }> => {
    const text = await readFile(path.join(dataDir, name), 'utf8');
    return { text, dag: parseStgDag(text, name) };
  };

  it('stg-50-rand0007: 52 nodes, 82 + 30 edges, CP length 77 as its summary says', async () => {
    const { dag } = await sample('stg-50-rand0007.stg');
    expect(dag.n).toBe(52);
    expect(dag.edges).toHaveLength(112);
    expect(dag.warnings).toEqual([]);
    const t = computeTiming(dag);
    expect(t.criticalPath).toBe(77);
    expect(t.volume).toBe(519); // 50 tasks × average 10.38
  });

  it('stg-100-rand0001: 102 nodes, 366 + 26 edges, CP length 81', async () => {
    const { dag } = await sample('stg-100-rand0001.stg');
    expect(dag.n).toBe(102);
    expect(dag.edges).toHaveLength(392);
    const t = computeTiming(dag);
    expect(t.criticalPath).toBe(81);
    expect(t.volume).toBe(533);
  });

  it('STG → DAG → STG reproduces the same numbers', async () => {
    for (const name of ['stg-50-rand0007.stg', 'stg-100-rand0001.stg']) {
      const { text, dag } = await sample(name);
      expect(isStgShaped(dag)).toBe(true);
      const written = formatStgDag(dag);
      expect(stgNumbers(written)).toEqual(stgNumbers(text));
      expect(dagToSpec(parseStgDag(written, name))).toEqual(dagToSpec(dag));
    }
  });
});

describe('parseStgDag: malformed lines name the file, the line, the task and the rule', () => {
  const withLine = (line: string, at = 3): string => {
    const lines = SMALL.split('\n');
    lines[at] = line; // lines[3] is task 1 (file line 4)
    return lines.join('\n');
  };

  it('a line that is not `id wcet npred preds…`', () => {
    const e = validationErrorOf(() => parse(withLine('xx')));
    expect(e.rule).toBe('stg-syntax');
    expect(e.line).toBe(4);
    expect(e.message).toBe("g.stg:4: task 1: stg-syntax: expected `id wcet npred preds…`, got 'xx'");
  });

  it('a NaN, negative or non-numeric WCET', () => {
    const nan = validationErrorOf(() => parse(withLine('1 nan 1 0')));
    expect(nan.message).toBe("g.stg:4: task 1: wcet: wcet must be a finite number >= 0, got 'nan'");
    const neg = validationErrorOf(() => parse(withLine('1 -2 1 0')));
    expect(neg.message).toBe("g.stg:4: task 1: wcet: wcet must be a finite number >= 0, got '-2'");
    const word = validationErrorOf(() => parse(withLine('1 four 1 0')));
    expect(word.message).toBe("g.stg:4: task 1: stg-syntax: wcet 'four' is not a number");
  });

  it('a wrong predecessor count', () => {
    const e = validationErrorOf(() => parse(withLine('1 4 2 0')));
    expect(e.message).toBe('g.stg:4: task 1: stg-pred-count: npred = 2 but the line lists 1 predecessor (0)');
  });

  it('a non-integer id and an id out of sequence', () => {
    const bad = validationErrorOf(() => parse(withLine('1.5 4 1 0')));
    expect(bad.message).toBe(
      "g.stg:4: task 1: stg-syntax: task id '1.5' is not a non-negative integer (expected 1)",
    );
    const seq = validationErrorOf(() => parse(withLine('2 4 1 0')));
    expect(seq.rule).toBe('stg-sequence');
    expect(seq.message).toBe(
      'g.stg:4: task 2: stg-sequence: tasks must be listed 0 … 3 in order: expected task 1, got 2',
    );
  });

  it('missing tasks at the end of the file', () => {
    const e = validationErrorOf(() => parse('3\n0 0 0\n1 4 1 0\n'));
    expect(e.rule).toBe('stg-missing-tasks');
    expect(e.item).toBe('task 2');
    expect(e.message).toContain('n = 3 (line 1) promises tasks 0 … 4, but the file ends after task 1');
  });

  it('a bad header, an empty file, content after the last task', () => {
    expect(validationErrorOf(() => parse('2 3\n')).message).toBe(
      "g.stg:1: header: stg-syntax: expected the task count `n` on the first line, got '2 3'",
    );
    expect(validationErrorOf(() => parse('# nothing\n')).rule).toBe('stg-syntax');
    const extra = validationErrorOf(() => parse(`${SMALL}4 1 1 3\n`));
    expect(extra.line).toBe(9);
    expect(extra.message).toContain('unexpected line after the last task 3');
  });

  it('a predecessor that is not a task (unknown edge endpoint)', () => {
    const e = validationErrorOf(() => parse(withLine('1 4 1 9')));
    expect(e.rule).toBe('dangling-edge');
    expect(e.message).toBe(
      'g.stg:4: edge 9 -> 1: dangling-edge: predecessor 9 is not a task (tasks are 0 … 3)',
    );
  });

  it('dummies with work', () => {
    const e = validationErrorOf(() => parse(withLine('0 5 0', 2)));
    expect(e.message).toBe(
      'g.stg:3: task 0: stg-dummy: task 0 is the dummy entry and must have wcet 0, got 5',
    );
  });

  it('a cycle is named, at the line of the task that closes it', () => {
    // Task 1 also waits for task 2, which waits for task 1.
    const e = validationErrorOf(() => parse('2\n0 0 0\n1 4 2 0 2\n2 3 1 1\n3 0 2 1 2\n'));
    expect(e.rule).toBe('cycle');
    expect(e.message).toMatch(
      /^g\.stg:\d+: node [12]: cycle: the graph has a cycle: (1 -> 2 -> 1|2 -> 1 -> 2)$/,
    );
    expect(e.line).toBe(e.message.includes('node 1') ? 3 : 4);
  });

  it('a self-loop and a zero WCET inside the graph are located too', () => {
    const loop = validationErrorOf(() => parse(withLine('1 4 2 0 1')));
    expect(loop.message).toBe('g.stg:4: edge 1 -> 1: self-loop: a node cannot precede itself');
    const zero = validationErrorOf(() => parse(withLine('1 0 1 0')));
    expect(zero.message).toMatch(/^g\.stg:4: node 1: wcet: wcet 0 is allowed only on dummy/);
  });

  it('bad deadline and id comments', () => {
    expect(validationErrorOf(() => parse(`# deadline: -3\n${SMALL}`)).message).toBe(
      "g.stg:1: deadline: deadline: deadline must be a finite number > 0, got '-3'",
    );
    expect(validationErrorOf(() => parse(`# deadline: 3\n# deadline: 4\n${SMALL}`)).rule).toBe('stg-comment');
    expect(validationErrorOf(() => parse(`# id 9 = x\n${SMALL}`)).message).toBe(
      'g.stg:1: task 9: stg-comment: there is no task 9 (tasks are 0 … 3)',
    );
    const dup = validationErrorOf(() => parse(`# id 1 = a\n# id 2 = a\n${SMALL}`));
    expect(dup.rule).toBe('duplicate-id');
  });
});
