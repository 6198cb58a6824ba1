/**
 * Load presets that mean the same on every PE mix and workload (the `per-type` calibration):
 *
 * - **Arrivals.** Every task is charged to its *home* PE type, the type of its fastest available PE
 *   (the scheduler's first choice), at its full-power time there. A type with n_p available PEs
 *   serves at most `c_p = n_p · φ(100 / m)` full-power seconds per second when all m available PEs
 *   run and share the budget equally (φ: the power model's speed factor; m · φ(100/m) is the SoC's
 *   whole power-limited throughput). The offered utilization of type p is
 *   `ρ_p = (λ_w · A_p + λ_o · B_p) / c_p` (A_p, B_p: home-type work of one workload DAG and of one
 *   expected background DAG). A preset's `utilization` is the bottleneck `max_p ρ_p`, and
 *   `otherShare` the background DAGs' share of the offered best-case work; both fix λ_w and λ_o.
 * - **Deadlines.** A job's relative deadline is `deadlineFactor` times its isolated completion
 *   bound: the least completion time any power split allows the DAG alone on the available PEs
 *   (see `hsoc-lower-bound.ts`), so a deadline is always attainable in isolation and 1.5 means 50 %
 *   slack over the power-aware critical path, whatever the PE mix. Sub-deadlines are the tasks'
 *   sub-deadline ratios of it, as in STOMP.
 *
 * Every PE is available in these presets; load is the arrival rate and background mix only. The
 * `nominal` calibration (the default, and the presets of `HSOC_LOAD_PRESETS`) stays as it was: ρ
 * over m^(1−α) CPU-speed PEs, accelerators withheld at medium / heavy, deadlines 1.5 · L at CPU speed.
 */
import type { Dag } from '../../dag/dag-task.js';
import type { HsocArrivalRates } from './hsoc-arrival-rates.js';
import { bestCaseTimes } from './hsoc-lower-bound.js';
import { PE_TYPES, peSpeed, type HsocLoad, type HsocLoadPreset, type PeType } from './hsoc-platform.js';
import { otherDagExpectedWork } from './hsoc-workloads.js';

/** How load presets turn into arrival rates, PE availability and deadlines. */
export type HsocLoadCalibration = 'nominal' | 'per-type';

/** Every PE available. */
const ALL_ACCELERATORS = {
  gpu: Number.MAX_SAFE_INTEGER,
  dsp: Number.MAX_SAFE_INTEGER,
  fft: Number.MAX_SAFE_INTEGER,
};

/**
 * The `per-type` presets: bottleneck utilization 0.3 / 0.6 / 0.85, with 20 / 30 / 50 % of the work
 * from background DAGs, 20 / 50 / 80 % of them memory intensive; all PEs available.
 */
export const HSOC_PER_TYPE_LOAD_PRESETS: Readonly<Record<HsocLoad, HsocLoadPreset>> = {
  light: {
    utilization: 0.3,
    otherShare: 0.2,
    memoryIntenseShare: 0.2,
    accelerators: ALL_ACCELERATORS,
    highPriorityShare: 0.2,
  },
  medium: {
    utilization: 0.6,
    otherShare: 0.3,
    memoryIntenseShare: 0.5,
    accelerators: ALL_ACCELERATORS,
    highPriorityShare: 0.2,
  },
  heavy: {
    utilization: 0.85,
    otherShare: 0.5,
    memoryIntenseShare: 0.8,
    accelerators: ALL_ACCELERATORS,
    highPriorityShare: 0.2,
  },
};

/** Offered utilization of one PE type under the `per-type` calibration. */
export interface HsocTypeUtilization {
  /** PE type. */
  type: PeType;
  /** Its available PEs. */
  pes: number;
  /** `c_p`: full-power seconds per second it serves with all PEs sharing equally. */
  capacity: number;
  /** Offered full-power seconds per second of workload tasks homed on it. */
  workloadDemand: number;
  /** The same for background DAGs. */
  otherDemand: number;
  /** `ρ_p` = demand / capacity. */
  utilization: number;
}

/** Arrival rates of the `per-type` calibration, with the per-type table behind them. */
export interface HsocPerTypeArrivalRates extends HsocArrivalRates {
  /** One row per PE type with an available PE. */
  perType: HsocTypeUtilization[];
}

/** What {@link perTypeArrivalRates} needs of the SoC and the workload. */
export interface HsocPerTypeLoadInputs {
  /** The preset (utilization = bottleneck ρ). */
  preset: HsocLoadPreset;
  /** The workload DAG and its speed matrix `[v · PEs + p]`. */
  workload: Dag;
  /** Speed matrix of the workload on the PEs. */
  workloadSpeed: Float64Array;
  /** PE types in agent order. */
  pes: readonly PeType[];
  /** Availability per PE. */
  available: readonly boolean[];
  /** Speed table (background DAGs use it). */
  speeds: Readonly<Partial<Record<PeType, Readonly<Record<string, number>>>>>;
  /** The power model's speed factor of a share in percent. */
  phi: (share: number) => number;
}

/** Home-type work (best available PE type, full power) of the expected background DAG. */
function otherWork(inputs: HsocPerTypeLoadInputs): { perType: Map<PeType, number>; total: number } {
  const perType = new Map<PeType, number>();
  let total = 0;
  const mi = inputs.preset.memoryIntenseShare;
  for (const [memory, weight] of [
    [true, mi],
    [false, 1 - mi],
  ] as const)
    for (const { type, work } of otherDagExpectedWork(memory)) {
      let best = 0;
      let home: PeType = 'cpu';
      inputs.pes.forEach((pe, p) => {
        const s = peSpeed(inputs.speeds, pe, type);
        if (inputs.available[p] && s > best) {
          best = s;
          home = pe;
        }
      });
      const tau = (weight * work) / best;
      perType.set(home, (perType.get(home) ?? 0) + tau);
      total += tau;
    }
  return { perType, total };
}

/** The arrival rates of the module comment. */
export function perTypeArrivalRates(inputs: HsocPerTypeLoadInputs): HsocPerTypeArrivalRates {
  const { preset, pes, available } = inputs;
  const m = available.filter((a) => a).length;
  const perPe = inputs.phi(100 / m);
  const times = bestCaseTimes(inputs.workload, inputs.workloadSpeed, available);
  const workloadWork = new Map<PeType, number>();
  for (let v = 0; v < inputs.workload.n; v++) {
    const type = pes[times.home[v]!]!;
    workloadWork.set(type, (workloadWork.get(type) ?? 0) + times.tau[v]!);
  }
  const other = otherWork(inputs);
  // λ_o per λ_w so that background DAGs offer `otherShare` of the best-case work.
  const s = preset.otherShare;
  const ratio = (s / (1 - s)) * (times.volume / other.total);
  const types = PE_TYPES.filter((t) => pes.some((pe, p) => pe === t && available[p]));
  const rows = types.map((type) => {
    const n = pes.filter((pe, p) => pe === type && available[p]).length;
    const capacity = n * perPe;
    const perWorkloadRate =
      ((workloadWork.get(type) ?? 0) + ratio * (other.perType.get(type) ?? 0)) / capacity;
    return { type, n, capacity, perWorkloadRate };
  });
  const bottleneck = Math.max(...rows.map((r) => r.perWorkloadRate));
  const workloadRate = preset.utilization / bottleneck;
  const otherRate = ratio * workloadRate;
  return {
    capacity: m * perPe,
    workloadRate,
    otherRate,
    perType: rows.map(({ type, n, capacity }) => {
      const workloadDemand = workloadRate * (workloadWork.get(type) ?? 0);
      const otherDemand = otherRate * (other.perType.get(type) ?? 0);
      return {
        type,
        pes: n,
        capacity,
        workloadDemand,
        otherDemand,
        utilization: (workloadDemand + otherDemand) / capacity,
      };
    }),
  };
}
