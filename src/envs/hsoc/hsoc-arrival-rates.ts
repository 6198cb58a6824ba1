/**
 * Arrival rates of a load preset: the preset names a nominal utilization ρ; the rates
 * follow from the workload's volume and the SoC's nominal capacity, so one preset means the same
 * pressure for the 5-task DAG (volume 15.5) and the 42-task AV DAG (volume 87).
 */
import { OTHER_DAG_MEAN_VOLUME } from './hsoc-workloads.js';
import type { HsocLoadPreset } from './hsoc-platform.js';

/** Arrival rates of workload and other DAG jobs under a preset. */
export interface HsocArrivalRates {
  /** Nominal capacity m^(1−α): work (reference units) per time unit of m CPUs sharing the envelope equally. */
  capacity: number;
  /** Workload jobs per time unit: (1 − otherShare) · ρ · capacity / workload volume. */
  workloadRate: number;
  /** Other DAGs per time unit: otherShare · ρ · capacity / their mean volume. */
  otherRate: number;
}

/**
 * The arrival rates that offer `preset.utilization` of the nominal capacity of `availablePes` PEs.
 * The capacity counts every PE at CPU speed: with equal shares each of m PEs progresses at
 * (1/m)^α, m of them at m^(1−α); faster accelerators only lower the true utilization.
 *
 * @param preset - the load preset
 * @param workloadVolume - sum of the workload DAG's WCETs (reference time units)
 * @param availablePes - PEs the scheduler may use
 * @param alpha - concavity α of the progress rate
 */
export function hsocArrivalRates(
  preset: HsocLoadPreset,
  workloadVolume: number,
  availablePes: number,
  alpha: number,
): HsocArrivalRates {
  const capacity = availablePes ** (1 - alpha);
  const offered = preset.utilization * capacity;
  return {
    capacity,
    workloadRate: ((1 - preset.otherShare) * offered) / workloadVolume,
    otherRate: (preset.otherShare * offered) / OTHER_DAG_MEAN_VOLUME,
  };
}
