/**
 * Worker thread that trains the HSoC view's LNN rules: REINFORCE episodes are seconds of CPU, and
 * on the server's own thread they would hold up every other request meanwhile. Posts the chosen
 * policy as `LnnRulePolicy.toJSON()` (or the failure's message) and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectLnnRulePolicy } from '../agents/select-lnn-rule-policy.js';
import type { LnnRuleTrainingReply, LnnRuleTrainingRequest } from './lnn-rule-training.js';

const { episodes } = workerData as LnnRuleTrainingRequest;
let reply: LnnRuleTrainingReply;
try {
  reply = { rules: selectLnnRulePolicy({ restarts: 1, train: { episodes } }).policy.toJSON() };
} catch (e) {
  reply = { error: e instanceof Error ? e.message : String(e) };
}
parentPort?.postMessage(reply);
