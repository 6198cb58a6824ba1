import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkXml } from '../helpers/check-xml.js';
import { cli } from './run-cli-helper.js';

const logicCli = (...args: string[]): ReturnType<typeof cli> => cli('logic', ...args);

describe('arbiter logic infer', () => {
  it('reproduces the committed outputs of the worked examples', async () => {
    const cases: [string[], string][] = [
      [['examples/logic/light-load.json', '--log'], 'examples/logic/light-load.out.txt'],
      [['examples/logic/light-load.json', '--frechet'], 'examples/logic/light-load.frechet.out.txt'],
      [['examples/logic/light-load-busy.json'], 'examples/logic/light-load-busy.out.txt'],
      [['examples/logic/power-rules.json'], 'examples/logic/power-rules.out.txt'],
    ];
    for (const [args, expected] of cases) {
      const r = await logicCli('infer', ...args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(readFileSync(expected, 'utf8'));
    }
  });

  it('--json prints one document with the query bounds, contradictions and (with --log) the steps', async () => {
    const r = await logicCli('infer', 'examples/logic/light-load.json', '--json', '--log');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.mode).toBe('plnn');
    expect(doc.converged).toBe(true);
    const ll = doc.queries.find((q: { node: string }) => q.node === 'LightLoad');
    expect(ll.lower).toBeCloseTo(0.5, 9);
    expect(doc.contradictions.map((c: { node: string }) => c.node)).toEqual(['OtherDagTypes']);
    expect(doc.steps.length).toBeGreaterThan(10);
    expect(doc.steps[0]).toMatchObject({ rule: 'fact', iteration: 0 });
    const lnn = JSON.parse((await logicCli('infer', 'examples/logic/power-rules.json', '--json')).stdout);
    expect(lnn.rules).toContain('NeedTokens_0(cpu0) ← ¬ParentTasksCompleted(cpu0)');
  });

  it('--svg writes the graph', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'arbiter-logic-')), 'graph.svg');
    const r = await logicCli('infer', 'examples/logic/light-load.json', '--svg', file);
    expect(r.code).toBe(0);
    const svg = readFileSync(file, 'utf8');
    checkXml(svg);
    expect(svg).toContain('LightLoad');
    expect(svg).toContain('#d62828'); // the contradiction
  });

  it('bad files: non-zero exit and a message naming the file, the item and the rule', async () => {
    const cases: [string, RegExp][] = [
      ['bad-unknown-node.json', /bad-unknown-node\.json: operator 'AB': unknown-node: 'Cee'/],
      ['bad-cycle.json', /bad-cycle\.json: operator 'X': cycle: .*X → Y → Z → X/],
      ['bad-fact-range.json', /bad-fact-range\.json: fact 'A': fact-range: bound 1\.3 is outside \[0, 1\]/],
      ['bad-fact-order.json', /bad-fact-order\.json: fact 'A': fact-order/],
      ['bad-j.json', /bad-j\.json: operator 'AB': j-range: j = 1\.5 is outside \[−1, 1\]/],
      ['missing.json', /missing\.json: read: /],
    ];
    for (const [file, message] of cases) {
      const r = await logicCli('infer', `test/logic/fixtures/${file}`);
      expect(r.code, file).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    expect((await logicCli('infer')).code).toBe(2);
  });
});
