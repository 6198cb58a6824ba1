/** The HSoC benchmark's bar chart: mean DAG completion per load, policy and workload (Vega-Lite). */
import type { TopLevelSpec } from 'vega-lite';
import { HSOC_LOADS } from '../envs/hsoc/hsoc-platform.js';
import type { HsocBenchmarkRow } from './hsoc-benchmark-result.js';
import { renderVegaLiteSvg } from './vega-lite-svg.js';

/** Vega-Lite grouped bar chart: mean completion per load (x), policy (color), workload (column). */
export function hsocBarChartSpec(rows: readonly HsocBenchmarkRow[]): TopLevelSpec {
  return {
    background: 'white',
    padding: 8,
    title: { text: 'HSoC: mean DAG completion time (lower is better)', anchor: 'start' },
    data: {
      values: rows.map((r) => ({
        ...r,
        lo: r.meanCompletion - r.stdCompletion,
        hi: r.meanCompletion + r.stdCompletion,
      })),
    },
    facet: { column: { field: 'workload', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 260,
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: {
              field: 'load',
              type: 'nominal',
              sort: [...HSOC_LOADS],
              title: 'load',
              axis: { labelAngle: 0 },
            },
            xOffset: { field: 'policy', type: 'nominal', sort: [...new Set(rows.map((r) => r.policy))] },
            y: { field: 'meanCompletion', type: 'quantitative', title: 'mean DAG completion time' },
            color: {
              field: 'policy',
              type: 'nominal',
              scale: { domain: [...new Set(rows.map((r) => r.policy))] },
              legend: { orient: 'bottom', title: null },
            },
          },
        },
        {
          mark: { type: 'rule', color: 'black' },
          encoding: {
            x: { field: 'load', type: 'nominal', sort: [...HSOC_LOADS] },
            xOffset: { field: 'policy', type: 'nominal', sort: [...new Set(rows.map((r) => r.policy))] },
            y: { field: 'lo', type: 'quantitative' },
            y2: { field: 'hi' },
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

/** The bar chart as an SVG document (headless Vega, as `renderLinePlotSvg`). */
export async function renderHsocBarChartSvg(rows: readonly HsocBenchmarkRow[]): Promise<string> {
  return renderVegaLiteSvg(hsocBarChartSpec(rows));
}
