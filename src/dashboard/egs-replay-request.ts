/**
 * The schedules view's EGS replay requests: a shipped EGS policy's greedy episode on the request's
 * DAG task, step by step (edge, width, the mask and its size, likeliest edges), with the Gantt chart of where
 * it ends.
 */
import { ArbiterError } from '../core/errors.js';
import { loadEgsPolicyModel, resolveEgsModelPath } from '../deploy/egs-policy-model.js';
import { EgsPolicyScheduler } from '../deploy/egs-policy-scheduler.js';
import { replayEgsPolicy } from '../deploy/egs-replay.js';
import { renderGanttSvg } from '../report/gantt-svg.js';
import type { EgsReplayAnswer, EgsReplayRequest } from './dashboard-api.js';
import { drawDag, readRequestedDag } from './schedule-request.js';

/** Largest task replayed: every step runs the network over all n² pairs. */
export const MAX_REPLAY_NODES = 300;
/** Most allowed edges sent over all steps' masks; a longer episode's masks are left out (sizes only). */
export const MAX_MASK_PAIRS = 400_000;

const schedulers = new Map<string, EgsPolicyScheduler>();

/** Replays the chosen shipped policy on the request's task (errors as {@link readRequestedDag} and the env's). */
export async function runEgsReplayRequest(root: string, request: EgsReplayRequest): Promise<EgsReplayAnswer> {
  const model = request.model ?? 'small';
  if (model !== 'small' && model !== 'large')
    throw new ArbiterError('bad-request', `model must be 'small' or 'large', got '${String(model)}'`);
  if (request.deadline !== undefined && !(typeof request.deadline === 'number' && request.deadline > 0))
    throw new ArbiterError('bad-request', 'the deadline must be a number > 0');
  const dag = await readRequestedDag(root, request);
  if (dag.n > MAX_REPLAY_NODES)
    throw new ArbiterError(
      'bad-request',
      `the replay shows tasks of at most ${MAX_REPLAY_NODES} nodes (this one has ${dag.n}); schedule it with egs instead`,
    );
  let scheduler = schedulers.get(model);
  if (!scheduler) {
    scheduler = new EgsPolicyScheduler(loadEgsPolicyModel(resolveEgsModelPath(model)));
    schedulers.set(model, scheduler);
  }
  const replay = replayEgsPolicy(dag, scheduler, {
    ...(request.deadline !== undefined && { deadline: request.deadline }),
    masks: true,
  });
  if (replay.steps.reduce((sum, s) => sum + s.allowed, 0) > MAX_MASK_PAIRS)
    for (const s of replay.steps) delete s.mask;
  const gantt = renderGanttSvg(replay.result, {
    title: `${dag.name}: EGS replay (${model} policy)`,
    width: 640,
  });
  const { result: _timetable, ...steps } = replay; // the chart shows the timetable
  const dagSvg = drawDag(dag, replay.deadline);
  return { ...steps, nodeIds: [...dag.ids], model, gantt, ...(dagSvg !== undefined && { dagSvg }) };
}
