/**
 * The HSoC workloads of the seed: the 5-task DAG of its phase-1 training and the 42-task
 * autonomous-vehicle (AV) DAG of its appendix F, plus the generator of "other" background DAGs.
 * WCETs are in reference time units (a CPU holding all 100 tokens); node `type` selects the PE
 * speed (see `DEFAULT_SPEEDS`). The same DAGs are shipped as JSON in `examples/hsoc/`.
 *
 * 5-task DAG (L = 10.5): `T1(sense 2) → T2(vision 4) → T4(vision 3) → T5(control 1.5)` and
 * `T1 → T3(signal 5) → T5`: T3 runs beside the chain T2 → T4, so its best token share depends on
 * where the scheduler will later place T4.
 *
 * AV DAG (42 tasks, L = 25.5, volume 87), seven stages:
 * - sensors (8, `sense`): four cameras (1.0), two lidars (1.5), two radars (0.5);
 * - pre-processing (8, `signal`): one per sensor — ISP (1.5), point-cloud filter (2), radar FFT (1);
 * - perception (10): front / rear / left / right object detection (`vision` 6, 4, 4, 4), lane (4)
 *   and sign (3) detection on the front camera, lidar segmentation (5) and clustering (3), radar
 *   target extraction front / rear (`signal` 1.5);
 * - fusion (4, `fusion`): front (3), rear (2), sides (3), road (2);
 * - tracking (4): object tracking (`fusion` 3), free space (`vision` 2), localization (`signal` 2.5),
 *   track prediction (`planning` 2);
 * - planning (4, `planning`): route (1.5), behaviour (2.5), motion (3), trajectory check (1.5);
 * - control (4, `control`): longitudinal (1), lateral (1), actuation (0.5), vehicle-bus output (0.5).
 * Critical path: front camera → ISP → front detection → front fusion → tracking → prediction →
 * behaviour → motion → check → longitudinal → actuation → bus.
 */
import { buildDag } from '../../dag/build-dag.js';
import type { Dag, DagTaskSpec } from '../../dag/dag-task.js';
import { ArbiterError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';

/** Names of the shipped workloads. */
export type HsocWorkload = '5-task' | 'av-42';

/** Every shipped workload. */
export const HSOC_WORKLOADS: readonly HsocWorkload[] = ['5-task', 'av-42'];

/** The 5-task DAG as a JSON spec. */
export function fiveTaskDagSpec(): DagTaskSpec {
  return {
    name: 'hsoc-5-task',
    nodes: [
      { id: 'T1', wcet: 2, type: 'sense' },
      { id: 'T2', wcet: 4, type: 'vision' },
      { id: 'T3', wcet: 5, type: 'signal' },
      { id: 'T4', wcet: 3, type: 'vision' },
      { id: 'T5', wcet: 1.5, type: 'control' },
    ],
    edges: [
      ['T1', 'T2'],
      ['T1', 'T3'],
      ['T2', 'T4'],
      ['T3', 'T5'],
      ['T4', 'T5'],
    ],
  };
}

/** `[id, type, wcet, parents]` of the AV DAG's tasks, stage by stage. */
const AV_TASKS: readonly (readonly [string, string, number, readonly string[]])[] = [
  // sensors
  ['cam_front', 'sense', 1, []],
  ['cam_rear', 'sense', 1, []],
  ['cam_left', 'sense', 1, []],
  ['cam_right', 'sense', 1, []],
  ['lidar_top', 'sense', 1.5, []],
  ['lidar_front', 'sense', 1.5, []],
  ['radar_front', 'sense', 0.5, []],
  ['radar_rear', 'sense', 0.5, []],
  // pre-processing
  ['isp_front', 'signal', 1.5, ['cam_front']],
  ['isp_rear', 'signal', 1.5, ['cam_rear']],
  ['isp_left', 'signal', 1.5, ['cam_left']],
  ['isp_right', 'signal', 1.5, ['cam_right']],
  ['pc_filter_top', 'signal', 2, ['lidar_top']],
  ['pc_filter_front', 'signal', 2, ['lidar_front']],
  ['radar_fft_front', 'signal', 1, ['radar_front']],
  ['radar_fft_rear', 'signal', 1, ['radar_rear']],
  // perception
  ['detect_front', 'vision', 6, ['isp_front']],
  ['lane_detect', 'vision', 4, ['isp_front']],
  ['sign_detect', 'vision', 3, ['isp_front']],
  ['detect_rear', 'vision', 4, ['isp_rear']],
  ['detect_left', 'vision', 4, ['isp_left']],
  ['detect_right', 'vision', 4, ['isp_right']],
  ['lidar_segment', 'vision', 5, ['pc_filter_top']],
  ['lidar_cluster', 'vision', 3, ['pc_filter_front']],
  ['radar_targets_front', 'signal', 1.5, ['radar_fft_front']],
  ['radar_targets_rear', 'signal', 1.5, ['radar_fft_rear']],
  // fusion
  ['fuse_front', 'fusion', 3, ['detect_front', 'lidar_cluster', 'radar_targets_front']],
  ['fuse_rear', 'fusion', 2, ['detect_rear', 'radar_targets_rear']],
  ['fuse_sides', 'fusion', 3, ['detect_left', 'detect_right', 'lidar_segment']],
  ['fuse_road', 'fusion', 2, ['lane_detect', 'sign_detect', 'lidar_segment']],
  // tracking
  ['object_tracking', 'fusion', 3, ['fuse_front', 'fuse_rear', 'fuse_sides']],
  ['free_space', 'vision', 2, ['fuse_sides', 'lidar_segment']],
  ['localization', 'signal', 2.5, ['fuse_road', 'lidar_cluster']],
  ['track_prediction', 'planning', 2, ['object_tracking']],
  // planning
  ['route_planning', 'planning', 1.5, ['localization']],
  ['behavior_planning', 'planning', 2.5, ['track_prediction', 'fuse_road', 'route_planning']],
  ['motion_planning', 'planning', 3, ['behavior_planning', 'free_space']],
  ['trajectory_check', 'planning', 1.5, ['motion_planning', 'track_prediction']],
  // control
  ['longitudinal_control', 'control', 1, ['trajectory_check']],
  ['lateral_control', 'control', 1, ['trajectory_check']],
  ['actuation', 'control', 0.5, ['longitudinal_control', 'lateral_control']],
  ['vehicle_bus', 'control', 0.5, ['actuation']],
];

/** The 42-task autonomous-vehicle DAG as a JSON spec (structure in the module comment). */
export function autonomousVehicleDagSpec(): DagTaskSpec {
  return {
    name: 'hsoc-av-42',
    nodes: AV_TASKS.map(([id, type, wcet]) => ({ id, wcet, type })),
    edges: AV_TASKS.flatMap(([id, , , parents]) => parents.map((p) => [p, id] as [string, string])),
  };
}

/** A shipped workload DAG, validated. */
export function hsocWorkloadDag(workload: HsocWorkload): Dag {
  if (workload === '5-task') return buildDag(fiveTaskDagSpec());
  if (workload === 'av-42') return buildDag(autonomousVehicleDagSpec());
  throw new ArbiterError('invalid-option', `HSoC: unknown workload '${String(workload)}' (5-task, av-42)`);
}

/** Checks a workload name. */
export function isHsocWorkload(x: unknown): x is HsocWorkload {
  return x === '5-task' || x === 'av-42';
}

/** Parallel tasks of an other DAG: an integer drawn uniformly from this range. */
const OTHER_WIDTH = [2, 4] as const;
/** WCET range of an other DAG's parallel tasks (drawn uniformly, rounded to 0.1). */
const OTHER_WCET = [1, 3] as const;
/** WCET of an other DAG's source and sink. */
const OTHER_END_WCET = 0.5;

/**
 * Expected volume (sum of WCETs) of {@link otherDag}: 2 · 0.5 + E[k] · E[wcet] = 1 + 3 · 2 = 7
 * reference time units. The load presets use it to turn a utilization into an arrival rate.
 */
export const OTHER_DAG_MEAN_VOLUME =
  2 * OTHER_END_WCET + ((OTHER_WIDTH[0] + OTHER_WIDTH[1]) / 2) * ((OTHER_WCET[0] + OTHER_WCET[1]) / 2);

/**
 * Expected work (reference time units) per task type of one {@link otherDag}: its two `control`
 * ends, and E[k] · E[wcet] = 3 · 2 of `fusion` (memory intensive) or half `vision`, half `planning`.
 * The per-type load calibration turns it into demand per PE type.
 */
export function otherDagExpectedWork(memoryIntense: boolean): { type: string; work: number }[] {
  const middle = ((OTHER_WIDTH[0] + OTHER_WIDTH[1]) / 2) * ((OTHER_WCET[0] + OTHER_WCET[1]) / 2);
  const ends = { type: 'control', work: 2 * OTHER_END_WCET };
  return memoryIntense
    ? [ends, { type: 'fusion', work: middle }]
    : [ends, { type: 'vision', work: middle / 2 }, { type: 'planning', work: middle / 2 }];
}

/**
 * A background ("other") DAG: source → k ∈ [2, 4] parallel tasks → sink. Compute-intensive DAGs
 * run `vision`/`planning` kernels; memory-intensive ones run `fusion` kernels and congest the
 * interconnect while they run (see the simulator's congestion factor).
 */
export function otherDag(rng: Rng, memoryIntense: boolean, index: number): Dag {
  const k = rng.intBetween(OTHER_WIDTH[0], OTHER_WIDTH[1]);
  const nodes: DagTaskSpec['nodes'] = [{ id: 's', wcet: OTHER_END_WCET, type: 'control' }];
  const edges: [string, string][] = [];
  for (let i = 0; i < k; i++) {
    const type = memoryIntense ? 'fusion' : rng.bernoulli(0.5) ? 'vision' : 'planning';
    nodes.push({ id: `m${i}`, wcet: Math.round(rng.uniform(OTHER_WCET[0], OTHER_WCET[1]) * 10) / 10, type });
    edges.push(['s', `m${i}`], [`m${i}`, 'e']);
  }
  nodes.push({ id: 'e', wcet: OTHER_END_WCET, type: 'control' });
  return buildDag({ name: `other-${memoryIntense ? 'mi' : 'ci'}-${index}`, nodes, edges });
}
