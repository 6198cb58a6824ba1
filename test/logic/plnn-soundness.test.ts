import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { buildLogicGraph } from '../../src/logic/build-logic-graph.js';
import { infer } from '../../src/logic/infer.js';
import { knowledgeBase } from '../../src/logic/logic-builder.js';
import { andJ, impliesJ, orJ } from '../../src/logic/operators/frechet-j.js';
import {
  probabilitiesFromJoint,
  randomProbabilityModel,
  withTrueFacts,
} from '../../src/logic/random-probability-model.js';

const TOL = 1e-7;

describe('PLNN soundness', () => {
  it('property: with J unconstrained, exact marginals and conditionals as facts give bounds containing every node’s true probability', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, variables) => {
          const rng = new Rng(seed);
          const model = randomProbabilityModel(rng, { variables, operators: 2 + rng.int(6) });
          const spec = withTrueFacts(rng, model, buildLogicGraph(model.spec));
          const graph = buildLogicGraph(spec);
          const truth = probabilitiesFromJoint(graph, model.joint);
          const r = infer(graph, { log: false });
          expect(r.contradictions).toEqual([]);
          graph.nodes.forEach((node, k) => {
            const p = truth[k]!;
            if (Number.isNaN(p)) return; // P(B | A) with P(A) = 0 is any value
            expect(r.lower[k]!, node.id).toBeLessThanOrEqual(p + TOL);
            expect(r.upper[k]!, node.id).toBeGreaterThanOrEqual(p - TOL);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: J = 0 over independent propositions collapses the bounds to the product values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 5 }),
        (seed, variables) => {
          const rng = new Rng(seed);
          const model = randomProbabilityModel(rng, {
            variables,
            operators: variables,
            independent: true,
            tree: true,
            j: 0,
          });
          const base = buildLogicGraph(model.spec);
          const truth = probabilitiesFromJoint(base, model.joint);
          const facts: Record<string, number> = {};
          base.nodes.forEach((n, k) => {
            if (n.kind === 'proposition') facts[n.id] = truth[k]!;
          });
          const graph = buildLogicGraph({ ...model.spec, facts });
          const r = infer(graph, { log: false });
          graph.nodes.forEach((node, k) => {
            expect(r.upper[k]! - r.lower[k]!, node.id).toBeLessThan(1e-9);
            expect(r.lower[k]!, node.id).toBeCloseTo(truth[k]!, 9);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('J-modulated Fréchet: J = −1, 0, 1 give the Fréchet bounds and the product, OR_J = a + b − AND_J', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          expect(andJ(a, b, -1)).toBeCloseTo(Math.max(0, a + b - 1), 12);
          expect(andJ(a, b, 0)).toBeCloseTo(a * b, 12);
          expect(andJ(a, b, 1)).toBeCloseTo(Math.min(a, b), 12);
          expect(orJ(a, b, 0.3)).toBeCloseTo(a + b - andJ(a, b, 0.3), 12);
          expect(impliesJ(a, b, -1)).toBeCloseTo(Math.max(1 - a, b), 12);
          // monotone in J
          expect(andJ(a, b, -0.5)).toBeLessThanOrEqual(andJ(a, b, 0.5) + 1e-15);
        },
      ),
    );
  });

  it('reproduces the closed-form rules of SPEC §8 with J unconstrained (OR down: L_B ≥ L_{A∨B} − U_A, U_B ≤ U_{A∨B})', () => {
    const g = knowledgeBase('plnn')
      .propositions('A', 'B')
      .or('AorB', ['A', 'B'])
      .and('AandB', ['A', 'B'])
      .fact('A', [0.2, 0.3])
      .fact('AorB', [0.7, 0.8])
      .build();
    const r = infer(g);
    const B = g.index.get('B')!;
    expect(r.lower[B]).toBeCloseTo(0.7 - 0.3, 9);
    expect(r.upper[B]).toBeCloseTo(0.8, 9);
    const AB = g.index.get('AandB')!;
    // Fréchet AND over the intervals: [max(0, L_A + L_B − 1), min(U_A, U_B)]
    expect(r.lower[AB]).toBeCloseTo(0, 9);
    expect(r.upper[AB]).toBeCloseTo(0.3, 9);
    // the step log names the rule, the bound and the values
    const step = r.steps.find((s) => s.node === 'B' && s.bound === 'lower')!;
    expect(step).toMatchObject({ rule: 'or.down[1]', via: 'AorB', from: 0, sources: ['AorB', 'A'] });
    expect(step.to).toBeCloseTo(0.4, 9);
  });

  it('conditionals: P(A ∧ B) = P(B | A) · P(A) upward and downward', () => {
    const g = knowledgeBase('plnn')
      .propositions('A', 'B')
      .given('B|A', 'B', 'A')
      .fact('A', 0.5)
      .fact('B|A', [0.6, 0.8])
      .build();
    const r = infer(g);
    const joint = g.index.get('A∧B')!;
    expect(r.lower[joint]).toBeCloseTo(0.3, 9);
    expect(r.upper[joint]).toBeCloseTo(0.4, 9);
    const B = g.index.get('B')!;
    expect(r.lower[B]).toBeCloseTo(0.3, 9);
    expect(r.upper[B]).toBeCloseTo(0.9, 9); // B ≤ P(A∧B) + P(¬A) = 0.4 + 0.5
    // down to the antecedent: P(A) ≤ P(A∧B) / P(B|A)
    const g2 = knowledgeBase('plnn')
      .propositions('A', 'B')
      .given('B|A', 'B', 'A')
      .fact('B', 0.2)
      .fact('B|A', 0.8)
      .build();
    const r2 = infer(g2);
    expect(r2.upper[g2.index.get('A')!]).toBeCloseTo(0.25, 9);
  });

  it('J tightens: a positive correlation raises the joint above the Fréchet lower bound', () => {
    const build = (j?: [number, number]) =>
      knowledgeBase('plnn')
        .propositions('A', 'B')
        .and('AB', ['A', 'B'], j ? { j } : {})
        .fact('A', 0.6)
        .fact('B', 0.7)
        .build();
    const free = infer(build());
    const pos = infer(build([0.5, 1]));
    const k = 2;
    expect(free.lower[k]).toBeCloseTo(0.3, 9);
    expect(free.upper[k]).toBeCloseTo(0.6, 9);
    expect(pos.lower[k]).toBeCloseTo(0.5 * 0.42 + 0.5 * 0.6, 9);
    expect(pos.upper[k]).toBeCloseTo(0.6, 9);
    // ignoreJ gives back the plain Fréchet bounds
    const ignored = infer(build([0.5, 1]), { ignoreJ: true });
    expect(ignored.lower[k]).toBeCloseTo(0.3, 9);
  });
});
