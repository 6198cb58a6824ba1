/**
 * The arrays of one vector-env step result (fresh per step, or kept and reused when the vector env
 * reuses its buffers), shared by the synchronous and worker implementations so both hand back the
 * same shape.
 */
import type { Info } from '../env.js';
import type { VectorStepResult } from '../vector-env.js';

/** Fresh, zeroed arrays for one vector-env result (shared by the sync and worker implementations). */
export function allocateVectorStepResult(numEnvs: number, obsDim: number, maskDim: number): VectorStepResult {
  return {
    obs: new Float32Array(numEnvs * obsDim),
    infos: new Array<Info>(numEnvs).fill({}),
    rewards: new Float32Array(numEnvs),
    terminated: new Uint8Array(numEnvs),
    truncated: new Uint8Array(numEnvs),
    finalObs: new Array<Float32Array | null>(numEnvs).fill(null),
    finalInfos: new Array<Info | null>(numEnvs).fill(null),
    actionMasks: new Uint8Array(numEnvs * maskDim),
  };
}

/**
 * The result handed to the caller from the working buffers: `actionMasks` only when the copies give
 * masks (so `'actionMasks' in result` tells masked envs apart).
 */
export function vectorStepResult(buffers: VectorStepResult, hasMasks: boolean): VectorStepResult {
  const res: VectorStepResult = {
    obs: buffers.obs,
    infos: buffers.infos,
    rewards: buffers.rewards,
    terminated: buffers.terminated,
    truncated: buffers.truncated,
    finalObs: buffers.finalObs,
    finalInfos: buffers.finalInfos,
  };
  if (hasMasks) res.actionMasks = buffers.actionMasks!;
  return res;
}
