/**
 * Line plots (learning curves, acceptance curves) as standalone SVG, built as a Vega-Lite spec and
 * rendered headlessly.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from './vega-lite-svg.js';
import { ValidationError } from '../core/errors.js';

/** One curve of a line plot. */
export interface LinePlotSeries {
  /** Legend label. */
  name: string;
  /** Abscissae (e.g. env steps). */
  x: readonly number[];
  /** Ordinates, one per abscissa; non-finite points are left out. */
  y: readonly number[];
  /** Optional shaded band (e.g. min–max over seeds), one `lo`/`hi` per abscissa. */
  band?: { lo: readonly number[]; hi: readonly number[] };
}

/** Options of {@link renderLinePlotSvg}. */
export interface LinePlotOptions {
  /** Heading of the plot. */
  title: string;
  /** Title of the horizontal axis (with its unit). */
  xLabel: string;
  /** Title of the vertical axis (with its unit). */
  yLabel: string;
  /** The curves, drawn in order with the Tableau-10 colors. */
  series: readonly LinePlotSeries[];
  /** Total width of the picture in pixels. Default 720. */
  width?: number;
  /** Total height of the picture in pixels. Default 400. */
  height?: number;
  /** A horizontal reference line (e.g. a target return), drawn red and dashed with its label. */
  hline?: { y: number; label: string };
}

/**
 * The Vega-Lite specification behind {@link renderLinePlotSvg}: data inlined as rows
 * `{series, x, y, lo, hi}`, a band layer (area, 20% opacity) under a line layer, and an optional
 * rule + text layer for `hline`. Exported so that callers can embed or tweak the chart.
 */
export function linePlotSpec(options: LinePlotOptions): TopLevelSpec {
  const rows: { series: string; x: number; y: number | null; lo: number | null; hi: number | null }[] = [];
  for (const s of options.series) {
    const n = s.x.length;
    const where = { item: `series '${s.name}'` };
    if (s.y.length !== n)
      throw new ValidationError('plot-series', `x has ${n} values but y has ${s.y.length}`, where);
    if (s.band !== undefined && (s.band.lo.length !== n || s.band.hi.length !== n))
      throw new ValidationError('plot-series', `band lo/hi must have ${n} values like x`, where);
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!;
      if (!Number.isFinite(x)) continue;
      const y = finiteOrNull(s.y[i]!);
      const lo = s.band !== undefined ? finiteOrNull(s.band.lo[i]!) : null;
      const hi = s.band !== undefined ? finiteOrNull(s.band.hi[i]!) : null;
      if (y !== null || (lo !== null && hi !== null)) rows.push({ series: s.name, x, y, lo, hi });
    }
  }
  const names = options.series.map((s) => s.name);
  const x = { field: 'x', type: 'quantitative', title: options.xLabel, axis: { tickCount: 8 } } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain: names },
    legend:
      names.length > 0
        ? {
            title: null,
            orient: 'bottom',
            direction: 'vertical',
            symbolType: 'stroke',
            symbolOpacity: 1, // else the band layer's 20% opacity would fade the legend swatches
            symbolStrokeWidth: 3,
            labelLimit: 0, // long metric names are not cut short
          }
        : null,
  } as const;
  const yScale = { zero: false };
  const layer: Record<string, unknown>[] = [
    {
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', opacity: 0.2 },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: options.yLabel, scale: yScale },
        y2: { field: 'hi' },
        color,
      },
    },
    {
      transform: [{ filter: 'isValid(datum.y)' }],
      mark: { type: 'line', strokeWidth: 2 },
      encoding: { x, y: { field: 'y', type: 'quantitative', title: options.yLabel, scale: yScale }, color },
    },
  ];
  if (options.hline !== undefined) {
    const y = { datum: options.hline.y, type: 'quantitative' } as const;
    const one = { values: [{}] }; // one mark, not one per row of the curves' data
    layer.push(
      {
        data: one,
        mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y },
      },
      {
        data: one,
        mark: { type: 'text', color: '#d62728', align: 'left', baseline: 'bottom', dx: 4, dy: -2, x: 0 },
        encoding: { y, text: { value: options.hline.label } },
      },
    );
  }
  return {
    width: options.width ?? 720,
    height: options.height ?? 400,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 8,
    background: 'white',
    title: { text: options.title, anchor: 'start' },
    config: {
      font: 'sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 11 },
    },
    data: { values: rows },
    layer,
  } as unknown as TopLevelSpec; // built from plain objects; Vega-Lite validates it on compile
}

/**
 * A line plot (learning curves and the like) as a standalone SVG document, rendered headlessly
 * with Vega-Lite → Vega (`renderer: 'none'`; text widths are estimated, no canvas needed):
 * one colored line per series with its optional shaded band, axis titles, a legend below the
 * plot, and an optional dashed reference line. `width`×`height` is the size of the whole picture.
 * Asynchronous because Vega renders asynchronously.
 */
export async function renderLinePlotSvg(options: LinePlotOptions): Promise<string> {
  return renderVegaLiteSvg(linePlotSpec(options));
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
