import { describe, expect, it } from 'vitest';
import { RolloutBuffer } from '../../src/agents/rollout-buffer.js';

describe('RolloutBuffer', () => {
  it('per-step views write into the step-major arrays; gather copies selected rows', () => {
    const b = new RolloutBuffer({
      numSteps: 3,
      numEnvs: 2,
      obsDim: 2,
      actionKind: 'discrete',
      actionDim: 3,
      masked: true,
    });
    expect(b.size).toBe(6);
    for (let t = 0; t < 3; t++) {
      b.obsRows[t]!.set([t, 0, t, 1]);
      b.actionRows[t]!.set([t, 2 - t]);
      b.valueRows[t]!.set([10 * t, 10 * t + 1]);
      b.maskRows![t]!.set([1, 0, 1, 0, 1, 1]);
    }
    expect([...b.obs]).toEqual([0, 0, 0, 1, 1, 0, 1, 1, 2, 0, 2, 1]);
    expect([...b.actions]).toEqual([0, 2, 1, 1, 2, 0]);
    b.advantages.set([0, 1, 2, 3, 4, 5]);
    const mb = b.createMinibatch(3);
    b.gather(Int32Array.of(5, 0, 3), 0, 3, mb);
    expect(mb.size).toBe(3);
    expect([...mb.obs]).toEqual([2, 1, 0, 0, 1, 1]);
    expect([...mb.actions]).toEqual([0, 0, 1]);
    expect([...mb.values]).toEqual([21, 0, 11]);
    expect([...mb.advantages]).toEqual([5, 0, 3]);
    expect([...mb.masks!]).toEqual([0, 1, 1, 1, 0, 1, 0, 1, 1]);
  });

  it('Box actions take actionDim floats per entry; masks are refused for Box', () => {
    const b = new RolloutBuffer({
      numSteps: 2,
      numEnvs: 1,
      obsDim: 1,
      actionKind: 'box',
      actionDim: 2,
      masked: false,
    });
    expect(b.actions).toBeInstanceOf(Float32Array);
    b.actionRows[1]!.set([0.5, -0.5]);
    const mb = b.gather(Int32Array.of(1), 0, 1, b.createMinibatch(1));
    expect([...mb.actions]).toEqual([0.5, -0.5]);
    expect(
      () =>
        new RolloutBuffer({
          numSteps: 1,
          numEnvs: 1,
          obsDim: 1,
          actionKind: 'box',
          actionDim: 1,
          masked: true,
        }),
    ).toThrow(/Discrete/);
    expect(
      () =>
        new RolloutBuffer({
          numSteps: 0,
          numEnvs: 1,
          obsDim: 1,
          actionKind: 'box',
          actionDim: 1,
          masked: false,
        }),
    ).toThrow(/numSteps/);
  });
});
