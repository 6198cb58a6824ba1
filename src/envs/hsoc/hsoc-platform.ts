/**
 * The heterogeneous system-on-chip of the HSoC environment: processing-element types with
 * a speed per task type, the PE inventory, the power envelope, and the load presets.
 *
 * Units: work is measured in reference time units — a task's WCET is its execution time on a CPU
 * holding the whole envelope (100 tokens). A PE of type p running a task of type t with k tokens
 * progresses at `speed[p][t] · (k / 100)^α · congestion` work units per time unit.
 */
import { ArbiterError } from '../../core/errors.js';

/**
 * Processing-element types: CPU cores, GPUs, DSPs and FFT accelerators (the PE mix of STOMP's
 * power-management configuration is 3 CPUs, 3 GPUs and 3 FFT accelerators).
 */
export type PeType = 'cpu' | 'gpu' | 'dsp' | 'fft';

/** Every PE type, in a fixed order (profile columns, tables). */
export const PE_TYPES: readonly PeType[] = ['cpu', 'gpu', 'dsp', 'fft'];

/** Checks a PE type name. */
export function isPeType(x: unknown): x is PeType {
  return x === 'cpu' || x === 'gpu' || x === 'dsp' || x === 'fft';
}

/** Task types of the shipped workloads (a node's `type` in the DAG). */
export type HsocTaskType = 'sense' | 'signal' | 'vision' | 'fusion' | 'planning' | 'control';

/** Every task type, in a fixed order (for observation one-hots and tables). */
export const HSOC_TASK_TYPES: readonly HsocTaskType[] = [
  'sense',
  'signal',
  'vision',
  'fusion',
  'planning',
  'control',
];

/**
 * Speed of each PE type per task type, relative to a CPU at full power. A GPU is fast on vision
 * and fusion, a DSP on signal processing and sensor front-ends; both are poor at control code.
 * An FFT accelerator runs only stream kernels (sensor front-ends, signal processing, some vision);
 * speed 0 means the PE type cannot run the task type.
 */
export const DEFAULT_SPEEDS: Readonly<Record<PeType, Readonly<Record<HsocTaskType, number>>>> = {
  cpu: { sense: 1, signal: 1, vision: 1, fusion: 1, planning: 1, control: 1 },
  gpu: { sense: 1, signal: 2, vision: 5, fusion: 2.5, planning: 1.5, control: 0.6 },
  dsp: { sense: 3, signal: 4, vision: 1.5, fusion: 1, planning: 0.5, control: 1 },
  fft: { sense: 2, signal: 6, vision: 1.5, fusion: 0, planning: 0, control: 0 },
};

/** The PE mix of STOMP's power-management configuration: 3 CPUs, 3 GPUs, 3 FFT accelerators. */
export const STOMP_PES: readonly PeType[] = ['cpu', 'cpu', 'cpu', 'gpu', 'gpu', 'gpu', 'fft', 'fft', 'fft'];

/**
 * A PE mix: `count` PEs of each type, in {@link PE_TYPES} order (agents `cpu0 …`). Throws
 * `ArbiterError('invalid-option')` for a count that is not an integer ≥ 0 or a mix without a CPU.
 */
export function peMix(count: Readonly<Partial<Record<PeType, number>>>): PeType[] {
  const pes: PeType[] = [];
  for (const [type, k] of Object.entries(count)) {
    if (!isPeType(type))
      throw new ArbiterError('invalid-option', `HSoC: unknown PE type '${type}' (${PE_TYPES.join(', ')})`);
    if (!Number.isInteger(k) || k! < 0)
      throw new ArbiterError(
        'invalid-option',
        `HSoC: PE count of '${type}' must be an integer ≥ 0, got ${k}`,
      );
  }
  for (const type of PE_TYPES) for (let i = 0; i < (count[type] ?? 0); i++) pes.push(type);
  if (!pes.includes('cpu')) throw new ArbiterError('invalid-option', 'HSoC: a PE mix needs at least one CPU');
  return pes;
}

/** The SoC's PEs, in agent order: 4 CPUs, 2 GPUs, 2 DSPs. */
export const DEFAULT_PES: readonly PeType[] = ['cpu', 'cpu', 'cpu', 'cpu', 'gpu', 'gpu', 'dsp', 'dsp'];

/** Tokens of the power envelope (shared by all PEs). */
export const ENVELOPE_TOKENS = 100;

/** Agent name of PE `i`: its type and its index among PEs of that type, e.g. `gpu1`. */
export function peNames(pes: readonly PeType[]): string[] {
  const count: Record<string, number> = {};
  return pes.map((p) => {
    const k = count[p] ?? 0;
    count[p] = k + 1;
    return `${p}${k}`;
  });
}

/** Speed of PE type `pe` on task type `type` (task types or PE types missing from the table run at speed 1). */
export function peSpeed(
  speeds: Readonly<Partial<Record<PeType, Readonly<Record<string, number>>>>>,
  pe: PeType,
  type: string | undefined,
): number {
  return speeds[pe]?.[type ?? ''] ?? 1;
}

/** Names of the load presets. */
export type HsocLoad = 'light' | 'medium' | 'heavy';

/** Every load preset, lightest first. */
export const HSOC_LOADS: readonly HsocLoad[] = ['light', 'medium', 'heavy'];

/**
 * A load preset: how much work arrives, how much of it is other (background) DAGs, how many
 * accelerators the scheduler may use, and what the other DAGs are like.
 *
 * The arrival rates follow from the target utilization ρ (see `hsocArrivalRates`): offered work per
 * time unit over the SoC's nominal capacity m^(1−α), the throughput of m available PEs at CPU speed
 * sharing the envelope equally. Every preset keeps ρ < 1 for every workload, so queues stay
 * bounded and the mean completion time is a property of the load, not of the episode length
 * (an overloaded SoC's completion times grow with every job admitted).
 */
export interface HsocLoadPreset {
  /** Nominal utilization ρ of all arrivals (workload and other DAGs together), in (0, 1) for a stable SoC. */
  utilization: number;
  /** Share of ρ that comes from other (background) DAGs, in [0, 1). */
  otherShare: number;
  /** Probability that an other DAG is memory intensive (congests the interconnect). */
  memoryIntenseShare: number;
  /**
   * Number of GPUs and DSPs the scheduler may use (the rest are busy elsewhere / powered off);
   * FFT accelerators follow `fft`, or the DSP count when `fft` is absent.
   */
  accelerators: { gpu: number; dsp: number; fft?: number };
  /** Probability that a workload job is high priority. */
  highPriorityShare: number;
}

/**
 * The three presets, the seed's "number of concurrent DAGs and availability of accelerator PEs":
 * light (ρ = 0.3, all accelerators), medium (ρ = 0.6, one GPU and one DSP), heavy (ρ = 0.85, one
 * GPU, half of the work from mostly memory-intensive other DAGs). Accelerators serve some task
 * types faster than a CPU, so the true utilization is below the nominal one.
 */
export const HSOC_LOAD_PRESETS: Readonly<Record<HsocLoad, HsocLoadPreset>> = {
  light: {
    utilization: 0.3,
    otherShare: 0.2,
    memoryIntenseShare: 0.2,
    accelerators: { gpu: 2, dsp: 2 },
    highPriorityShare: 0.2,
  },
  medium: {
    utilization: 0.6,
    otherShare: 0.3,
    memoryIntenseShare: 0.5,
    accelerators: { gpu: 1, dsp: 1 },
    highPriorityShare: 0.2,
  },
  heavy: {
    utilization: 0.85,
    otherShare: 0.5,
    memoryIntenseShare: 0.8,
    accelerators: { gpu: 1, dsp: 0 },
    highPriorityShare: 0.2,
  },
};

/** Checks a load name (CLI and options). */
export function isHsocLoad(x: unknown): x is HsocLoad {
  return x === 'light' || x === 'medium' || x === 'heavy';
}

/** The preset of a load name; throws `ArbiterError('invalid-option')` for an unknown name. */
export function hsocLoadPreset(load: HsocLoad | HsocLoadPreset): HsocLoadPreset {
  if (typeof load !== 'string') {
    if (!(load.utilization > 0))
      throw new ArbiterError('invalid-option', `HSoC: load utilization must be > 0, got ${load.utilization}`);
    if (!(load.otherShare >= 0 && load.otherShare < 1))
      throw new ArbiterError(
        'invalid-option',
        `HSoC: load otherShare must be in [0, 1), got ${load.otherShare}`,
      );
    return load;
  }
  if (!isHsocLoad(load))
    throw new ArbiterError('invalid-option', `HSoC: unknown load '${String(load)}' (light, medium, heavy)`);
  return HSOC_LOAD_PRESETS[load];
}

/** Availability per PE under a preset: the first `gpu` GPUs, `dsp` DSPs and `fft` FFT accelerators, every CPU. */
export function availablePes(pes: readonly PeType[], preset: HsocLoadPreset): boolean[] {
  const used: Record<PeType, number> = { cpu: 0, gpu: 0, dsp: 0, fft: 0 };
  const { gpu, dsp, fft = dsp } = preset.accelerators;
  const allowed: Record<PeType, number> = { cpu: Infinity, gpu, dsp, fft };
  return pes.map((p) => used[p]++ < allowed[p]);
}
