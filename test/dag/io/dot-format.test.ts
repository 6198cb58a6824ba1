import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeTiming } from '../../../src/dag/analysis/timing.js';
import { buildDag, dagToSpec } from '../../../src/dag/build-dag.js';
import { formatDotDag, parseDotDag } from '../../../src/dag/io/dot-format.js';
import { egsExample } from '../../helpers/random-dag.js';
import { dataDir, hasData, validationErrorOf } from './io-test-helpers.js';

const parse = (text: string): ReturnType<typeof parseDotDag> => parseDotDag(text, 'g.dot');

describe.skipIf(!hasData)('egs-ex1.dot (the public EGS example)', () => {
  const read = async (): Promise<ReturnType<typeof parseDotDag>> =>
    parseDotDag(await readFile(path.join(dataDir, 'egs-ex1.dot'), 'utf8'), 'egs-ex1.dot');

  it('has 7 nodes 0 … 6, deadline 8, vol 16, L 8, and keeps the label names', async () => {
    const dag = await read();
    expect(dag.n).toBe(7);
    expect(dag.ids).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(dag.deadline).toBe(8);
    const t = computeTiming(dag);
    expect(t.volume).toBe(16);
    expect(t.criticalPath).toBe(8);
    expect(dag.nodeExtras.map((e) => e?.label)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    expect(dag.name).toBe('DAG');
  });

  it('is the same graph as the inline egsExample helper', async () => {
    const dag = await read();
    const example = egsExample();
    expect([...dag.wcet]).toEqual([...example.wcet]);
    expect(dag.edges).toEqual(example.edges);
  });

  it('round-trips DOT → DAG → DOT → DAG', async () => {
    const dag = await read();
    const text = formatDotDag(dag);
    expect(text).toContain('T=8;');
    expect(text).toContain('1 [label="v2, C=5"];');
    expect(dagToSpec(parseDotDag(text, 'egs-ex1.dot'))).toEqual(dagToSpec(dag));
  });
});

describe('parseDotDag: the dialect', () => {
  it('deadline from graph [T=…] or D=, WCET from C= or wcet= attributes', () => {
    const a = parse('digraph { graph [T=10]; a [C=2]; b [wcet=3]; a -> b }');
    expect(a.deadline).toBe(10);
    expect([...a.wcet]).toEqual([2, 3]);
    expect(parse('digraph { D=7; a [C=1] }').deadline).toBe(7);
    expect(parse('digraph { a [C=1] }').deadline).toBeUndefined();
  });

  it('edge chains, quoted ids, ports, comments of all three kinds, attribute lists', () => {
    const dag = parse(`/* header
      block */ strict digraph "my task" {
      // line comment
      # preprocessor-style comment
      rankdir=LR; node [shape=box, style="filled"]; edge [color=red]
      "first node" [label="A, C=1"]
      b [C=2] [color="a" + "b"]
      c [C="3.5"; type=big]
      "first node" -> b:port:n -> c [weight=2];
    }`);
    expect(dag.name).toBe('my task');
    expect(dag.ids).toEqual(['first node', 'b', 'c']);
    expect([...dag.wcet]).toEqual([1, 2, 3.5]);
    expect(dag.types).toEqual([undefined, undefined, 'big']);
    expect(dag.nodeExtras[0]).toEqual({ label: 'A' });
    expect(dag.edges).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });

  it('integer-looking ids become numbers ("3" too), others stay strings', () => {
    const dag = parse('digraph { 3 [C=1]; "4" [C=1]; "07" [C=1]; -2 [C=1]; 3 -> "4" }');
    expect(dag.ids).toEqual([3, 4, '07', -2]);
  });

  it('default node statements give C to the nodes declared after them', () => {
    const dag = parse('digraph { node [C=2]; a; b [C=5]; subgraph s { node [C=7]; c } d; a -> b -> c -> d }');
    expect([...dag.wcet]).toEqual([2, 5, 7, 2]);
  });

  it('edges to and from subgraphs join every node inside', () => {
    const dag = parse('digraph { node [C=1]; a -> {b c} -> d }');
    expect(dag.edges.map(([u, v]) => `${dag.ids[u]}${dag.ids[v]}`)).toEqual(['ab', 'ac', 'bd', 'cd']);
  });

  it('a label without C= is kept whole; a label that only repeats the id is dropped', () => {
    const dag = parse('digraph { a [label="Alpha, beta", C=1]; b [label="b\\nC=2"]; c [label="c, C=1"] }');
    expect(dag.nodeExtras.map((e) => e?.label)).toEqual(['Alpha, beta', undefined, undefined]);
    expect(dag.wcet[1]).toBe(2);
  });

  it('merges a duplicate edge with a warning', () => {
    const dag = parse('digraph { node [C=1]; a -> b; a -> b }');
    expect(dag.edges).toHaveLength(1);
    expect(dag.warnings[0]).toContain('duplicate-edge');
  });
});

describe('formatDotDag', () => {
  it('writes deadline, labels, types and quoted ids so they read back identically', () => {
    const dag = buildDag({
      name: 'odd name',
      deadline: 12.5,
      nodes: [
        { id: 'a "b"', wcet: 1.5, type: 'big' },
        { id: 'node', wcet: 2, label: 'with, comma' },
        { id: 7, wcet: 0 },
        { id: 'back\\slash', wcet: 3 },
      ],
      edges: [
        ['a "b"', 'node'],
        [7, 'a "b"'],
        ['node', 'back\\slash'],
      ],
    });
    const text = formatDotDag(dag);
    expect(text.startsWith('digraph "odd name" {\n  T=12.5;\n')).toBe(true);
    expect(text).toContain('"node" [label="with, comma, C=2"];');
    expect(dagToSpec(parse(text))).toEqual(dagToSpec(dag));
  });
});

describe('parseDotDag: errors name the file, the line, the item and the rule', () => {
  it('C=NaN and a negative C', () => {
    const nan = validationErrorOf(() => parse('digraph {\n  a [C=1]\n  b [C=NaN]\n  a -> b\n}'));
    expect(nan.message).toBe("g.dot:3: node 'b': wcet: wcet must be a finite number >= 0, got C='NaN'");
    const neg = validationErrorOf(() => parse('digraph {\n  b [label="v1, C=-4"]\n}'));
    expect(neg.message).toBe("g.dot:2: node 'b': wcet: wcet must be a finite number >= 0, got label C='-4'");
  });

  it('a node without WCET (e.g. only named in an edge) and conflicting WCETs', () => {
    const none = validationErrorOf(() => parse('digraph {\n  a [C=1]\n  a -> zz\n}'));
    expect(none.message).toMatch(/^g\.dot:3: node 'zz': wcet: the node has no WCET/);
    const two = validationErrorOf(() => parse('digraph {\n  a [C=1, label="x, C=2"]\n}'));
    expect(two.message).toBe("g.dot:2: node 'a': wcet: conflicting WCETs: C=1 and label C=2");
  });

  it('a redefinition with another value, across statements or in one list, names both places', () => {
    const across = validationErrorOf(() => parse('digraph {\n  a [C=1]\n  a [C=5]\n}'));
    expect(across.rule).toBe('dot-conflict');
    expect(across.message).toBe(
      "g.dot:3: node 'a': dot-conflict: C=5 (line 3, column 6) contradicts C=1 (line 2, column 6); " +
        'an attribute may be repeated only with the same value',
    );
    const inList = validationErrorOf(() => parse('digraph { a [wcet=2, wcet=3] }'));
    expect(inList.message).toContain('wcet=3 (line 1, column 22) contradicts wcet=2 (line 1, column 14)');
    const type = validationErrorOf(() => parse('digraph {\n  a [C=1, type=gpu]\n  a [type=cpu]\n}'));
    expect(type.message).toMatch(
      /^g\.dot:3: node 'a': dot-conflict: type=cpu .* type=gpu \(line 2, column 11\)/,
    );
    const label = validationErrorOf(() => parse('digraph { a [label="x, C=1"]; a [label="y, C=1"] }'));
    expect(label.rule).toBe('dot-conflict');
    const deadline = validationErrorOf(() => parse('digraph {\n  T=3\n  graph [T=5]\n  a [C=1]\n}'));
    expect(deadline.message).toMatch(
      /^g\.dot:3: graph: dot-conflict: T=5 \(line 3, column 10\) contradicts T=3 \(line 2, column 3\)/,
    );
  });

  it('a repeated identical value, an overridden node default and other attributes stay allowed', () => {
    expect(Array.from(parse('digraph { a [C=1]; a [C=1.0]; T=4; graph [T=4] }').wcet)).toEqual([1]);
    expect(Array.from(parse('digraph { node [C=2]; a; a [C=5] }').wcet)).toEqual([5]);
    expect(Array.from(parse('digraph { a [C=1, color=red]; a [color=blue] }').wcet)).toEqual([1]);
  });

  it('a malformed edge statement', () => {
    const e = validationErrorOf(() => parse('digraph {\n  a [C=1]\n  a -> ;\n}'));
    expect(e.rule).toBe('dot-syntax');
    expect(e.message).toBe("g.dot:3: node 'a': dot-syntax: expected a node id, got ';'");
  });

  it('an unterminated string, a stray character, a missing brace, trailing content', () => {
    expect(validationErrorOf(() => parse('digraph {\n a [label="x]\n}')).message).toBe(
      'g.dot:2: dot-syntax: unterminated quoted string',
    );
    expect(validationErrorOf(() => parse('digraph {\n a [C=1] @\n}')).message).toBe(
      "g.dot:2: dot-syntax: unexpected character '@'",
    );
    expect(validationErrorOf(() => parse('digraph {\n a [C=1]\n')).message).toBe(
      "g.dot:3: dot-syntax: missing '}' at the end of the graph",
    );
    expect(validationErrorOf(() => parse('digraph { a [C=1] }\ndigraph {}')).line).toBe(2);
    expect(validationErrorOf(() => parse('digraph {\n a [C=1 b=]\n}')).message).toBe(
      "g.dot:2: node 'a': dot-syntax: expected a value for b, got ']'",
    );
    expect(validationErrorOf(() => parse('digraph { 2a [C=1] }')).message).toContain("'2a' is not a DOT id");
  });

  it('undirected graphs and edges', () => {
    expect(validationErrorOf(() => parse('graph { a -- b }')).message).toContain('undirected `graph`');
    expect(validationErrorOf(() => parse('digraph {\n a -- b }')).message).toBe(
      "g.dot:2: node 'a': dot-syntax: undirected edge '--' in a digraph; use '->'",
    );
  });

  it('a bad deadline', () => {
    expect(validationErrorOf(() => parse('digraph {\n T=0\n a [C=1] }')).message).toBe(
      "g.dot:2: deadline: deadline: deadline T= must be a finite number > 0, got '0'",
    );
    expect(validationErrorOf(() => parse('digraph {\n T=3; D=4\n a [C=1] }')).message).toContain(
      'T=3 and D=4 disagree',
    );
  });

  it('a cycle is named, at the line of the node', () => {
    const e = validationErrorOf(() => parse('digraph {\n  node [C=1]\n  a -> b\n  b -> c\n  c -> a\n}'));
    expect(e.rule).toBe('cycle');
    expect(e.message).toMatch(/^g\.dot:3: node '.': cycle: the graph has a cycle: /);
    expect(e.message).toMatch(/a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/);
  });

  it('a self-loop is located at its edge', () => {
    const e = validationErrorOf(() => parse('digraph {\n  node [C=1]\n  a\n  a -> a\n}'));
    expect(e.message).toBe('g.dot:4: edge a -> a: self-loop: a node cannot precede itself');
  });
});
