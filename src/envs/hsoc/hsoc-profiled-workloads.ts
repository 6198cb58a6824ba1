/**
 * The seed's two workload DAGs with per-type task profiles for the PE mix of STOMP's power
 * configuration (CPUs, GPUs, FFT accelerators): same graphs and CPU times as the plain 5-task and
 * AV-42 DAGs, plus a time per PE type (`null` where the type cannot run the task) and a
 * sub-deadline ratio per task. The numbers are this project's own illustrative profile, not
 * measurements: GPUs are fast on vision and fusion and slow on control code, an FFT accelerator
 * runs only stream kernels (sensor front-ends, signal processing, some vision) and nothing else.
 * Shipped as JSON in `examples/hsoc/5-task-profiled.json` and `examples/hsoc/av-42-profiled.json`.
 */
import { buildDag } from '../../dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../dag/dag-task.js';
import { ArbiterError } from '../../core/errors.js';
import { autonomousVehicleDagSpec, fiveTaskDagSpec } from './hsoc-workloads.js';
import { subDeadlineRatios } from './hsoc-task-profile.js';
import type { PeType } from './hsoc-platform.js';

/** Names of the profiled workloads. */
export type HsocProfiledWorkload = '5-task-profiled' | 'av-42-profiled';

/** Every profiled workload. */
export const HSOC_PROFILED_WORKLOADS: readonly HsocProfiledWorkload[] = ['5-task-profiled', 'av-42-profiled'];

/** Checks a profiled workload name. */
export function isHsocProfiledWorkload(x: unknown): x is HsocProfiledWorkload {
  return x === '5-task-profiled' || x === 'av-42-profiled';
}

/** Speed-up over a CPU per task type on a GPU and an FFT accelerator (null: cannot run). */
const TYPE_SPEEDUP: Readonly<Record<string, { gpu: number; fft: number | null }>> = {
  sense: { gpu: 1.25, fft: 2.5 },
  signal: { gpu: 2, fft: 5 },
  vision: { gpu: 5, fft: 1.5 },
  fusion: { gpu: 2.5, fft: null },
  planning: { gpu: 1.5, fft: null },
  control: { gpu: 0.6, fft: null },
};

/** Tasks whose kernel departs from its type's speed-up (radar FFTs, the FFT-based lidar filters…). */
const TASK_SPEEDUP: Readonly<Record<string, { gpu: number; fft: number | null }>> = {
  T3: { gpu: 2, fft: 8 },
  radar_fft_front: { gpu: 2, fft: 12 },
  radar_fft_rear: { gpu: 2, fft: 12 },
  pc_filter_top: { gpu: 3, fft: 4 },
  pc_filter_front: { gpu: 3, fft: 4 },
  lidar_segment: { gpu: 4, fft: null },
  lidar_cluster: { gpu: 3, fft: null },
  localization: { gpu: 1.2, fft: null },
};

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Adds `times` (cpu, gpu, fft) and STOMP-rule `subDeadline` ratios to every node of a plain spec. */
function profiled(spec: DagTaskSpec, name: string): DagTaskSpec {
  const nodes = spec.nodes.map((node) => {
    const s = TASK_SPEEDUP[String(node.id)] ?? TYPE_SPEEDUP[node.type ?? ''] ?? { gpu: 1, fft: null };
    const times: Record<Exclude<PeType, 'dsp'>, number | null> = {
      cpu: node.wcet,
      gpu: round2(node.wcet / s.gpu),
      fft: s.fft === null ? null : round2(node.wcet / s.fft),
    };
    return { ...node, times };
  });
  const draft = buildDag({ ...spec, name, nodes });
  const sdr = subDeadlineRatios(draft);
  return {
    ...spec,
    name,
    nodes: nodes.map((n, v) => ({ ...n, subDeadline: Math.round(sdr[v]! * 1000) / 1000 })),
  };
}

/** The 5-task DAG with per-type profiles, as a JSON spec. */
export function profiledFiveTaskDagSpec(): DagTaskSpec {
  return profiled(fiveTaskDagSpec(), 'hsoc-5-task-profiled');
}

/** The AV-42 DAG with per-type profiles, as a JSON spec. */
export function profiledAvDagSpec(): DagTaskSpec {
  return profiled(autonomousVehicleDagSpec(), 'hsoc-av-42-profiled');
}

/** A profiled workload DAG, validated. */
export function hsocProfiledWorkloadDag(workload: HsocProfiledWorkload): Dag {
  if (workload === '5-task-profiled') return buildDag(profiledFiveTaskDagSpec());
  if (workload === 'av-42-profiled') return buildDag(profiledAvDagSpec());
  throw new ArbiterError(
    'invalid-option',
    `HSoC: unknown profiled workload '${String(workload)}' (5-task-profiled, av-42-profiled)`,
  );
}
