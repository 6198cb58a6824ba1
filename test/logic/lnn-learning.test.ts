import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { contradictionLoss, logicalConstraintLoss, supervisedLoss } from '../../src/logic/lnn-losses.js';
import { LnnRuleLayer } from '../../src/logic/lnn-rule-layer.js';
import { trainLnnRules, type LnnSample } from '../../src/logic/train-lnn-rules.js';

const PREDICATES = ['TaskAssigned', 'SiblingTasks', 'ParentTasksCompleted', 'Slack', 'HighPriority', 'Idle'];

describe('LNN rule learning', () => {
  it('recovers a known rule over 6 predicates (2 relevant) after thresholding, for 5 of 5 seeds', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const rng = new Rng(seed);
      // The known rule: two distinct predicates, each used plainly or negated, drawn from the seed.
      const [i, j] = rng.shuffle([0, 1, 2, 3, 4, 5]) as [number, number];
      const negI = rng.bernoulli(0.5);
      const negJ = rng.bernoulli(0.5);
      const lit = (x: number, neg: boolean): number => (neg ? 1 - x : x);
      const samples: LnnSample[] = Array.from({ length: 256 }, () => {
        const truths = PREDICATES.map(() => (rng.bernoulli(0.5) ? 1 : 0));
        return { truths, targets: [Math.min(lit(truths[i]!, negI), lit(truths[j]!, negJ))] };
      });
      const layer = new LnnRuleLayer({ predicates: PREDICATES, heads: ['NeedTokens_0'], seed });
      const { losses } = trainLnnRules(layer, samples, { epochs: 400 });
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
      const rule = layer.rules(0.1)[0]!;
      const expected = [
        { name: PREDICATES[i]!, negated: negI },
        { name: PREDICATES[j]!, negated: negJ },
      ].sort((a, b) =>
        a.negated === b.negated
          ? PREDICATES.indexOf(a.name) - PREDICATES.indexOf(b.name)
          : a.negated
            ? 1
            : -1,
      );
      expect(
        rule.body.map((l) => ({ name: l.name, negated: l.negated })),
        `seed ${seed}`,
      ).toEqual(expected);
      expect(rule.text).toMatch(/^NeedTokens_0 ← /);
    }
  });

  it('reads a single negated literal as `NeedTokens_0 ← ¬ParentTasksCompleted`', () => {
    const layer = new LnnRuleLayer({ predicates: PREDICATES, heads: ['NeedTokens_0'] });
    layer.weights(0).fill(0.02);
    layer.weights(0)[PREDICATES.length + 2] = 1.3;
    expect(layer.rules()[0]!.text).toBe('NeedTokens_0 ← ¬ParentTasksCompleted');
  });

  it('backward is the (straight-through) gradient of forward; the losses’ gradients match finite differences', () => {
    const layer = new LnnRuleLayer({
      predicates: ['a', 'b', 'c'],
      heads: ['h0', 'h1'],
      seed: 3,
      initBeta: 0.9,
    });
    layer.params.set([0.9, 0.3, 0.5, 0.2, 0.05, 0.15, 0.4, 0.95, 0.12, 0.2, 0.13, 0.14, 0.11, 0.2]); // inside the clamp at x
    const x = [0.9, 0.8, 0.95];
    const target = [0.3, 0.7];
    const loss = (): number => {
      const out = new Float64Array(2);
      layer.forward(x, out);
      return supervisedLoss(out, target, new Float64Array(2));
    };
    const out = new Float64Array(2);
    layer.forward(x, out);
    expect(out[0]! > 0 && out[0]! < 1 && out[1]! > 0 && out[1]! < 1).toBe(true); // inside the clamp
    const dOut = new Float64Array(2);
    supervisedLoss(out, target, dOut);
    const grad = new Float64Array(layer.paramCount);
    layer.backward(x, dOut, grad);
    for (let k = 0; k < layer.paramCount; k++) {
      const save = layer.params[k]!;
      layer.params[k] = save + 1e-6;
      const up = loss();
      layer.params[k] = save - 1e-6;
      const down = loss();
      layer.params[k] = save;
      expect(grad[k]).toBeCloseTo((up - down) / 2e-6, 5);
    }
    // logical-constraint loss
    const g2 = new Float64Array(layer.paramCount);
    const c0 = logicalConstraintLoss(layer, 0.75, g2, 0.1);
    expect(c0).toBeGreaterThan(0);
    for (let k = 0; k < layer.paramCount; k++) {
      const save = layer.params[k]!;
      layer.params[k] = save + 1e-6;
      const up = logicalConstraintLoss(layer, 0.75, new Float64Array(layer.paramCount), 0.1);
      layer.params[k] = save - 1e-6;
      const down = logicalConstraintLoss(layer, 0.75, new Float64Array(layer.paramCount), 0.1);
      layer.params[k] = save;
      expect(g2[k]).toBeCloseTo((up - down) / 2e-6, 4);
    }
    // contradiction loss: how far outside the known bounds
    const d = new Float64Array(2);
    expect(contradictionLoss([0.9, 0.1], [0, 0.5], [0.6, 1], d)).toBeCloseTo(0.3 + 0.4, 12);
    expect([...d]).toEqual([1, -1]);
  });

  it('keeps w ≥ 0 and β ≥ 0, round-trips through JSON, and decides in microseconds', () => {
    const layer = new LnnRuleLayer({ predicates: PREDICATES, heads: ['N0', 'Nx', 'N100'], seed: 1 });
    layer.params[1] = -0.5;
    layer.project();
    expect(layer.params[1]).toBe(0);
    const copy = LnnRuleLayer.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
    expect([...copy.params]).toEqual([...layer.params]);
    const x = new Float64Array([1, 0, 1, 0.4, 0, 1]);
    const out = new Float64Array(3);
    const n = 20000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) layer.forward(x, out);
    const usPerDecision = ((performance.now() - t0) * 1000) / n;
    expect(usPerDecision).toBeLessThan(20); // typically well under 1 µs
  });
});
