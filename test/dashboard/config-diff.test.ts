import { describe, expect, it } from 'vitest';
import { diffConfigs, flattenConfig } from '../../src/dashboard/client/config-diff.js';

describe('config diff', () => {
  it('flattens nested configs to dotted keys', () => {
    expect([...flattenConfig({ a: 1, b: { c: 'x', d: [1, 2] }, e: {} })]).toEqual([
      ['a', '1'],
      ['b.c', '"x"'],
      ['b.d', '[1,2]'],
      ['e', '{}'],
    ]);
  });

  it('marks the keys whose values differ, a key missing from one run included', () => {
    const rows = diffConfigs([
      { algo: 'ppo', seed: 0, config: { lr: 0.001 } },
      { algo: 'ppo', seed: 1, config: { lr: 0.001, clip: 0.2 } },
    ]);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['config.clip', 'seed']);
    expect(rows.find((r) => r.key === 'config.clip')!.values).toEqual([undefined, '0.2']);
  });
});
