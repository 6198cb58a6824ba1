/**
 * The observation vector of an HSoC agent: its layout, written once as a list of named fields, and
 * the one function that writes it from an {@link HsocAgentView}. Readers index it by name
 * (`obs[HSOC_OBS.slack + a]`), never by position; the table in the module comment of `hsoc-env.ts`
 * is checked against {@link HSOC_OBS_FIELDS} by a test.
 */
import { TOKEN_BINS, slackOf, type HsocAgentView } from './hsoc-agent-view.js';
import type { PeType } from './hsoc-platform.js';

/** One field of the observation: `size` consecutive values starting at its offset. */
export interface HsocObsField {
  /** Key in {@link HSOC_OBS}. */
  readonly name: string;
  /** Number of values. */
  readonly size: number;
  /** What the value says (as in the env's observation table). */
  readonly meaning: string;
  /** The values it takes. */
  readonly range: string;
}

/** The PE types in the order of the one-hot `peType` field (an FFT accelerator shares the DSP slot). */
export const HSOC_OBS_PE_TYPES: readonly PeType[] = ['cpu', 'gpu', 'dsp'];

/** One-hot slot of a PE type: accelerators (DSP, FFT) share the last slot. */
function peTypeSlot(peType: PeType): number {
  return peType === 'fft' ? 2 : HSOC_OBS_PE_TYPES.indexOf(peType);
}

/** The fields in order (L = critical path of the agent's DAG at reference speed; 1 when idle). */
export const HSOC_OBS_FIELDS = [
  {
    name: 'taskAssigned',
    size: 1,
    meaning: 'a task is placed on the PE (running or reserved)',
    range: '{0, 1}',
  },
  {
    name: 'parentTasksCompleted',
    size: 1,
    meaning: "the PE's task runs (its parents are complete)",
    range: '{0, 1}',
  },
  { name: 'siblingTasks', size: 1, meaning: 'another task of the same DAG job runs', range: '{0, 1}' },
  { name: 'tokenNeed', size: 1, meaning: 'token need / 100 (0 unless running)', range: '[0, 1]' },
  { name: 'highPriorityDag', size: 1, meaning: "the task's job is high priority", range: '{0, 1}' },
  {
    name: 'ownDagShare',
    size: 1,
    meaning: "PEs running the task's DAG / running PEs (0 if none run)",
    range: '[0, 1]',
  },
  { name: 'runningPes', size: 1, meaning: 'running PEs / PE count', range: '[0, 1]' },
  {
    name: 'remainingTime',
    size: 1,
    meaning: 'time the task needs at full power / L, capped at 5',
    range: '[0, 5]',
  },
  { name: 'tail', size: 1, meaning: 'longest path after the task / L, capped at 5', range: '[0, 5]' },
  {
    name: 'speed',
    size: 1,
    meaning: "PE speed on the task's type / 5 (0 when idle)",
    range: '[0, 1] (default speeds)',
  },
  { name: 'deadlineSlack', size: 1, meaning: '(deadline − now) / L, clipped', range: '[−1, 1]' },
  { name: 'congestion', size: 1, meaning: 'congestion factor 1 / (1 + γ·m)', range: '(0, 1]' },
  {
    name: 'peType',
    size: 3,
    meaning: 'PE type one-hot (cpu, gpu, accelerator: dsp or fft)',
    range: '{0, 1}',
  },
  {
    name: 'slack',
    size: TOKEN_BINS,
    meaning: '`Slack` of token bin a = 0 … 10 (0 unless running)',
    range: '[0, 1]',
  },
] as const satisfies readonly HsocObsField[];

/** A field name of the observation. */
export type HsocObsFieldName = (typeof HSOC_OBS_FIELDS)[number]['name'];

/** Offset of each field in the observation vector, built once from {@link HSOC_OBS_FIELDS}. */
export const HSOC_OBS: Readonly<Record<HsocObsFieldName, number>> = (() => {
  const offsets = {} as Record<HsocObsFieldName, number>;
  let at = 0;
  for (const f of HSOC_OBS_FIELDS) {
    offsets[f.name] = at;
    at += f.size;
  }
  return offsets;
})();

/** Length of an agent's observation. */
export const HSOC_OBS_DIM = HSOC_OBS_FIELDS.reduce((n, f) => n + f.size, 0);

/**
 * Writes the observation of an agent whose view is `v`, on a PE of type `peType` of a SoC with
 * `peCount` PEs, into `out` (length {@link HSOC_OBS_DIM}, zero-filled by the caller).
 */
export function writeHsocObservation(
  v: HsocAgentView,
  peType: PeType,
  peCount: number,
  out: Float32Array,
): void {
  const L = v.criticalPath;
  out[HSOC_OBS.taskAssigned] = +v.taskAssigned;
  out[HSOC_OBS.parentTasksCompleted] = +v.parentTasksCompleted;
  out[HSOC_OBS.siblingTasks] = +v.siblingTasks;
  out[HSOC_OBS.tokenNeed] = v.idealShare / 100;
  out[HSOC_OBS.highPriorityDag] = +v.highPriorityDag;
  out[HSOC_OBS.ownDagShare] = v.runningPes > 0 ? v.ownDagRunning / v.runningPes : 0;
  out[HSOC_OBS.runningPes] = v.runningPes / peCount;
  out[HSOC_OBS.remainingTime] = Math.min(5, v.remainingTime / L);
  out[HSOC_OBS.tail] = Math.min(5, v.tail / L);
  out[HSOC_OBS.speed] = v.speed / 5;
  out[HSOC_OBS.deadlineSlack] = Math.max(-1, Math.min(1, v.deadlineSlack));
  out[HSOC_OBS.congestion] = v.congestion;
  out[HSOC_OBS.peType + peTypeSlot(peType)] = 1;
  if (v.parentTasksCompleted)
    for (let a = 0; a < TOKEN_BINS; a++) out[HSOC_OBS.slack + a] = slackOf(a, v.idealShare);
}
