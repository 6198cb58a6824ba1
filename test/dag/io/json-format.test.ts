import { describe, expect, it } from 'vitest';
import { dagToSpec } from '../../../src/dag/build-dag.js';
import { formatJsonDag, parseJsonDag } from '../../../src/dag/io/json-format.js';
import { findJsonSyntaxError } from '../../../src/dag/io/json-syntax-error.js';
import { validationErrorOf } from './io-test-helpers.js';

const TASK = `{
  "name": "ex1",
  "deadline": 8,
  "owner": {"team": "rt", "tags": ["a", "b"]},
  "nodes": [
    {"id": "v0", "wcet": 1, "type": "big", "color": "red"},
    {"id": "v1", "wcet": 3},
    {"id": 2, "wcet": 2.5}
  ],
  "edges": [["v0", "v1"], ["v1", 2]]
}`;

const parse = (text: string): ReturnType<typeof parseJsonDag> => parseJsonDag(text, 'task.json');

describe('parseJsonDag', () => {
  it('reads the canonical format and keeps unknown keys', () => {
    const dag = parse(TASK);
    expect(dag.name).toBe('ex1');
    expect(dag.deadline).toBe(8);
    expect(dag.ids).toEqual(['v0', 'v1', 2]);
    expect([...dag.wcet]).toEqual([1, 3, 2.5]);
    expect(dag.types).toEqual(['big', undefined, undefined]);
    expect(dag.nodeExtras[0]).toEqual({ color: 'red' });
    expect(dag.extras).toEqual({ owner: { team: 'rt', tags: ['a', 'b'] } });
  });

  it('round-trips JSON → DAG → JSON → DAG exactly, unknown keys included', () => {
    const dag = parse(TASK);
    const again = parse(formatJsonDag(dag));
    expect(dagToSpec(again)).toEqual(dagToSpec(dag));
    expect(again.extras).toEqual(dag.extras);
  });

  it('writes one node and one edge per line', () => {
    const lines = formatJsonDag(parse(TASK)).split('\n');
    expect(lines).toContain('    {"id": "v0", "wcet": 1, "type": "big", "color": "red"},');
    expect(lines).toContain('    ["v1", 2]');
    expect(lines.at(-1)).toBe('');
  });

  it('names the task after the file stem when it has no name', () => {
    expect(parseJsonDag('{"nodes": [{"id": 1, "wcet": 1}], "edges": []}', 'dir/my-task.json').name).toBe(
      'my-task',
    );
  });

  it('accepts a UTF-8 byte-order mark', () => {
    expect(parse('\uFEFF{"nodes": [{"id": 1, "wcet": 1}], "edges": []}').n).toBe(1);
  });
});

describe('parseJsonDag: malformed JSON is reported with its line', () => {
  it('a trailing comma', () => {
    const e = validationErrorOf(() =>
      parse('{\n  "nodes": [\n    {"id": "a", "wcet": 1},\n  ],\n  "edges": []\n}'),
    );
    expect(e.rule).toBe('json-syntax');
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/^task\.json:4: json-syntax: unexpected '\]'/);
  });

  it('a bare word (V8 gives no position for this one)', () => {
    const e = validationErrorOf(() => parse('{\n  "nodes": [],\n  "edges": xx\n}'));
    expect(e.line).toBe(3);
    expect(e.message).toContain("unexpected 'x'");
    expect(e.message).toContain('column 12');
  });

  it('a file cut short', () => {
    const e = validationErrorOf(() => parse('{\n  "nodes": [\n    {"id": "a"'));
    expect(e.rule).toBe('json-syntax');
    expect(e.line).toBe(3);
    expect(e.message).toContain('end of input');
  });

  it('an empty file', () => {
    expect(validationErrorOf(() => parse('')).message).toBe(
      'task.json:1: json-syntax: unexpected end of input, expected a value (column 1)',
    );
  });

  it('findJsonSyntaxError agrees that valid JSON is valid', () => {
    for (const text of [TASK, '[]', ' "x\\u00e9\\n" ', '-0.5e+3', '{"a": [true, false, null]}'])
      expect(findJsonSyntaxError(text)).toBeUndefined();
    for (const text of ['{"a" 1}', '[1 2]', '"\\x"', '01', '{"a":1}}', '"a\nb"'])
      expect(findJsonSyntaxError(text)).toBeDefined();
  });
});

describe('parseJsonDag: wrong shapes and graph rules name the file, the item and the rule', () => {
  it('a top-level array', () => {
    const e = validationErrorOf(() => parse('[1, 2]'));
    expect(e.rule).toBe('format');
    expect(e.message).toBe(
      'task.json: task: format: a DAG task must be a JSON object {"nodes": [...], "edges": [...]}, got an array',
    );
  });

  it('missing nodes, a node that is not an object, an edge that is not a pair', () => {
    expect(validationErrorOf(() => parse('{"edges": []}')).message).toContain(
      'nodes: format: "nodes" must be',
    );
    const node = validationErrorOf(() => parse('{"nodes": [{"id": 1, "wcet": 1}, 7], "edges": []}'));
    expect(node.message).toContain('node #1: format: a node must be an object');
    const edge = validationErrorOf(() => parse('{"nodes": [{"id": 1, "wcet": 1}], "edges": [[1, 1, 1]]}'));
    expect(edge.message).toBe('task.json: edge #0: format: an edge must be a pair [from, to], got [1,1,1]');
    const end = validationErrorOf(() => parse('{"nodes": [{"id": 1, "wcet": 1}], "edges": [[1, null]]}'));
    expect(end.message).toContain('edge #0: format: edge endpoints must be node ids');
  });

  it('a cycle names the cycle', () => {
    const e = validationErrorOf(() =>
      parse(
        '{"nodes": [{"id": "a", "wcet": 1}, {"id": "b", "wcet": 1}, {"id": "c", "wcet": 1}],' +
          ' "edges": [["a", "b"], ["b", "c"], ["c", "a"]]}',
      ),
    );
    expect(e.rule).toBe('cycle');
    expect(e.message).toMatch(
      /^task\.json: node '.': cycle: the graph has a cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$/,
    );
  });

  it('an unknown edge endpoint', () => {
    const e = validationErrorOf(() => parse('{"nodes": [{"id": "a", "wcet": 1}], "edges": [["a", "zz"]]}'));
    expect(e.rule).toBe('dangling-edge');
    expect(e.message).toBe('task.json: edge a -> zz: dangling-edge: endpoint "zz" is not a node');
  });

  it('a negative or missing WCET', () => {
    const neg = validationErrorOf(() => parse('{"nodes": [{"id": "a", "wcet": -1}], "edges": []}'));
    expect(neg.message).toBe("task.json: node 'a': wcet: wcet must be a finite number >= 0, got -1");
    const missing = validationErrorOf(() => parse('{"nodes": [{"id": "a"}], "edges": []}'));
    expect(missing.rule).toBe('wcet');
  });
});
