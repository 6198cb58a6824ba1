/**
 * The HSoC view's LNN rules, trained on a worker thread so that the server keeps answering while
 * they train (a few seconds, once per server). The rules are those `selectLnnRulePolicy` gives on
 * the server's thread (the same code and seeds), sent back as `LnnRulePolicy.toJSON()`.
 */
import { siblingModule, startModuleWorker } from '../core/module-worker.js';
import { ArbiterError } from '../core/errors.js';
import { LnnRulePolicy } from '../envs/hsoc/policies/lnn-rule-policy.js';

/** What the worker is started with. */
export interface LnnRuleTrainingRequest {
  /** REINFORCE episodes of the one training run. */
  episodes: number;
}

/** What the worker posts: the trained policy's JSON, or why training failed. */
export type LnnRuleTrainingReply = { rules: ReturnType<LnnRulePolicy['toJSON']> } | { error: string };

/**
 * Trains LNN rules (one `selectLnnRulePolicy` restart of `episodes` REINFORCE episodes) on a worker
 * thread; resolves with the policy, rejects with an `ArbiterError` (`lnn-training`) if it fails.
 */
export function trainLnnRulesOffThread(episodes: number): Promise<LnnRulePolicy> {
  const { url, ts } = siblingModule(import.meta.url, 'lnn-rule-training-worker');
  const worker = startModuleWorker(url, ts, { workerData: { episodes } satisfies LnnRuleTrainingRequest });
  // A server shutting down does not wait for a training nobody will use.
  worker.unref();
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => reject(new ArbiterError('lnn-training', message));
    worker.once('message', (reply: LnnRuleTrainingReply) => {
      if ('rules' in reply) resolve(LnnRulePolicy.fromJSON(reply.rules));
      else fail(`training the LNN rules failed: ${reply.error}`);
      void worker.terminate();
    });
    worker.once('error', (e) => fail(`training the LNN rules failed: ${e.message}`));
    worker.once('exit', (code) => fail(`the LNN training thread ended (exit code ${code}) before answering`));
  });
}
