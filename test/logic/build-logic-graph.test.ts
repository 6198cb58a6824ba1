import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { buildLogicGraph } from '../../src/logic/build-logic-graph.js';
import { parseKnowledgeBase, readKnowledgeBaseFile } from '../../src/logic/knowledge-base.js';
import { knowledgeBase } from '../../src/logic/logic-builder.js';
import { describeLogicNode } from '../../src/logic/logic-graph.js';

const fixture = (name: string): string => `test/logic/fixtures/${name}`;

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('knowledge base → logic graph', () => {
  it('bad files: each error names the file, the item and the rule', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['bad-unknown-node.json', 'unknown-node', "operator 'AB'", /'Cee' is not a declared proposition/],
      ['bad-cycle.json', 'cycle', "operator 'X'", /X → Y → Z → X/],
      ['bad-fact-range.json', 'fact-range', "fact 'A'", /1\.3 is outside \[0, 1\]/],
      ['bad-fact-order.json', 'fact-order', "fact 'A'", /lower bound 0\.8 > upper bound 0\.3/],
      ['bad-j.json', 'j-range', "operator 'AB'", /j = 1\.5 is outside \[−1, 1\]/],
      ['bad-shape.json', 'format', "operators[0] 'AB'.op", /Invalid option/],
    ];
    for (const [file, rule, item, detail] of cases) {
      const err = await readKnowledgeBaseFile(fixture(file)).then(
        () => undefined,
        (e: unknown) => e as ValidationError,
      );
      expect(err, file).toBeInstanceOf(ValidationError);
      expect(err!.rule).toBe(rule);
      expect(err!.item).toBe(item);
      expect(err!.message).toContain(fixture(file));
      expect(err!.message).toMatch(detail);
    }
  });

  it('rejects fields of the other logic, bad arities, negative weights, unknown keys and malformed JSON', () => {
    const base = { propositions: ['A', 'B'] };
    const cases: [unknown, string][] = [
      [{ logic: 'lnn', ...base, operators: [{ id: 'X', op: 'and', inputs: ['A', 'B'], j: 0 }] }, 'mode'],
      [
        { logic: 'plnn', ...base, operators: [{ id: 'X', op: 'and', inputs: ['A', 'B'], weights: [1, 1] }] },
        'mode',
      ],
      [{ logic: 'lnn', ...base, operators: [{ id: 'X', op: 'given', inputs: ['A', 'B'] }] }, 'mode'],
      [
        { logic: 'lnn', ...base, operators: [{ id: 'X', op: 'and', inputs: ['A', 'B'], weights: [1, -1] }] },
        'weights',
      ],
      [
        { logic: 'lnn', ...base, operators: [{ id: 'X', op: 'and', inputs: ['A', 'B'], weights: [1] }] },
        'weights',
      ],
      [{ logic: 'lnn', ...base, operators: [{ id: 'X', op: 'implies', inputs: ['A'] }] }, 'arity'],
      [{ logic: 'plnn', ...base, operators: [{ id: 'X', op: 'or', inputs: ['A'] }] }, 'arity'],
      [{ logic: 'plnn', ...base, operators: [{ id: 'A', op: 'not', inputs: ['B'] }] }, 'duplicate'],
      [{ logic: 'plnn', ...base, facts: { Q: 1 } }, 'unknown-node'],
      [{ logic: 'plnn', ...base, queries: ['Q'] }, 'unknown-node'],
      [{ logic: 'plnn', ...base, extra: 1 }, 'format'],
    ];
    for (const [spec, rule] of cases) {
      const err = errorOf(() => parseKnowledgeBase(JSON.stringify(spec), 'kb.json'));
      expect(err.rule, JSON.stringify(spec)).toBe(rule);
      expect(err.message.startsWith('kb.json: ')).toBe(true);
    }
    expect(errorOf(() => parseKnowledgeBase('{"logic": ', 'kb.json')).rule).toBe('json-syntax');
  });

  it('grounds predicates and forall operators over finite domains', () => {
    const g = knowledgeBase('lnn')
      .domain('pe', ['cpu0', 'gpu0'])
      .predicate('Ready', 'pe')
      .predicate('Need', 'pe')
      .implies('R', 'Ready(x)', 'Need(x)', { forall: { x: 'pe' } })
      .fact('R', 1)
      .fact('Ready(gpu0)', 1)
      .query('Need')
      .build();
    expect(g.nodes.map((n) => n.id)).toEqual([
      'Ready(cpu0)',
      'Ready(gpu0)',
      'Need(cpu0)',
      'Need(gpu0)',
      'R(cpu0)',
      'R(gpu0)',
    ]);
    expect(describeLogicNode(g, g.index.get('R(gpu0)')!)).toBe('Ready(gpu0) → Need(gpu0)');
    expect(g.facts).toHaveLength(3); // R(cpu0), R(gpu0), Ready(gpu0)
    expect(g.queries.map((k) => g.nodes[k]!.id)).toEqual(['Need(cpu0)', 'Need(gpu0)']);
    const bad = errorOf(() =>
      knowledgeBase('lnn').domain('pe', ['cpu0']).predicate('Ready', 'pe').not('N', 'Ready(dsp9)').build(),
    );
    expect(bad.rule).toBe('unknown-constant');
  });

  it('compiles PLNN n-ary operators to binary ones, negated references to NOT nodes, conditionals to joints', () => {
    const g = knowledgeBase('plnn')
      .propositions('A', 'B', 'C')
      .or('any', ['A', '¬B', 'C'], { j: [-1, 0] })
      .and('AB', ['A', 'B'], { j: [0, 1] })
      .given('B|A', 'B', 'A', { j: [0.2, 1] })
      .build();
    expect(g.nodes.find((n) => n.id === 'any~1')).toMatchObject({ kind: 'or', hidden: true, j: [-1, 0] });
    expect(g.nodes.find((n) => n.id === '¬B')).toMatchObject({ kind: 'not', hidden: true });
    const given = g.nodes.find((n) => n.id === 'B|A')!;
    // the conditional reuses the user's AB as its joint, and J intersects
    expect(g.nodes[given.operands[1]!]!.id).toBe('AB');
    expect(g.nodes[given.operands[1]!]!.j).toEqual([0.2, 1]);
    expect(g.queries.every((k) => !g.nodes[k]!.hidden)).toBe(true);
  });

  it('the builder and the JSON reader produce the same graph', () => {
    const b = knowledgeBase('plnn', 'kb')
      .propositions('A', 'B')
      .given('B|A', 'B', 'A')
      .fact('A', [0.2, 0.4])
      .fact('B|A', 0.5)
      .query('B');
    const fromJson = parseKnowledgeBase(JSON.stringify(b.toSpec()), 'x.json');
    const fromBuilder = b.build();
    expect(fromJson.nodes).toEqual(fromBuilder.nodes);
    expect(fromJson.facts).toEqual(fromBuilder.facts);
    expect(buildLogicGraph(b.toSpec()).queries).toEqual(fromBuilder.queries);
  });

  it('reads the shipped examples', async () => {
    for (const f of ['light-load.json', 'light-load-busy.json', 'power-rules.json']) {
      const text = readFileSync(`examples/logic/${f}`, 'utf8');
      expect(() => parseKnowledgeBase(text, f)).not.toThrow();
    }
  });
});
