import { describe, expect, it } from 'vitest';
import { selectLnnRulePolicy } from '../../src/agents/select-lnn-rule-policy.js';
import { trainLnnRulesOffThread } from '../../src/dashboard/lnn-rule-training.js';

describe('LNN rules trained on a worker thread', () => {
  it('are the rules selectLnnRulePolicy trains on the calling thread (same weights, same rule text)', async () => {
    const episodes = 6;
    const [remote, local] = [
      await trainLnnRulesOffThread(episodes),
      selectLnnRulePolicy({ restarts: 1, train: { episodes } }).policy,
    ];
    expect(remote.toJSON()).toEqual(local.toJSON());
    expect(remote.rules().map((r) => r.text)).toEqual(local.rules().map((r) => r.text));
  }, 60_000);
});
