/**
 * Gantt charts of schedule timetables as standalone SVG (one row per core, one bar per node, the
 * deadline marked), written without dependencies.
 */
import type { NodeId } from '../dag/dag-task.js';
import type { ScheduleResult } from '../dag/schedule/schedule-result.js';
import { formatNumber } from './table.js';
import { escapeXml } from './escape-xml.js';

/** Options of {@link renderGanttSvg}. */
export interface GanttSvgOptions {
  /** Heading above the statistics line (e.g. the task name). Default none. */
  title?: string;
  /** Total width of the picture in pixels (≥ 320). Default 960. */
  width?: number;
  /**
   * Bar fill by node: a map from `String(id)` to a CSS color, or a function of the node id
   * (return undefined for the default). Default: a 10-color palette, hashed from the id.
   */
  colors?: Readonly<Record<string, string>> | ((node: NodeId) => string | undefined);
}

const PALETTE = [
  '#8ecae6',
  '#ffb703',
  '#90be6d',
  '#f4a261',
  '#cdb4db',
  '#a8dadc',
  '#e9c46a',
  '#b5e48c',
  '#f6bd60',
  '#bde0fe',
];
const LEFT = 64; // room for the "core 12" labels
const RIGHT = 24;
const PLOT_TOP = 64; // below the title, the statistics line and the deadline label
const MIN_BAR_PX = 1.5; // a zero-length node is drawn as a marker of this width

/**
 * A Gantt chart of a timetable as a standalone SVG document (hand-written, no dependencies): one
 * row per core (`core 0`, `core 1`, …), one bar per node from start to finish labelled with its id
 * (shortened or hidden when the bar is too narrow; the `<title>` tooltip gives id, core, start and
 * finish), a time axis with ticks in the task's time unit, the deadline as a red dashed line
 * labelled `D = …`, the makespan as a dark line, and a heading with method, cores, makespan and
 * feasibility. Bars are the only `<rect>` elements; zero-length nodes are thin `<line>` markers.
 * Row height and font scale down for many cores (tested for 1…64 cores, 1…1000 nodes).
 */
export function renderGanttSvg(result: ScheduleResult, options: GanttSvgOptions = {}): string {
  const width = Math.max(320, options.width ?? 960);
  const schedule = result.schedule;
  const rows = Math.max(1, result.cores, ...schedule.map((s) => s.core + 1));
  const rowH = Math.min(40, Math.max(12, Math.floor(560 / rows)));
  const barFont = Math.min(12, Math.max(7, Math.round(rowH * 0.5)));
  const axisFont = 11;
  const plotW = width - LEFT - RIGHT;
  const plotBottom = PLOT_TOP + rows * rowH;
  const height = plotBottom + 44;

  const D = Number.isFinite(result.deadline) && result.deadline > 0 ? result.deadline : undefined;
  const tEnd = Math.max(result.makespan, D ?? 0, ...schedule.map((s) => s.finish));
  const step = niceStep(tEnd > 0 ? tEnd : 1);
  const tMax = Math.max(step, Math.ceil((tEnd > 0 ? tEnd : 1) / step - 1e-9) * step);
  const x = (t: number): number => LEFT + (t / tMax) * plotW;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" style="background:#fff">`,
  );
  if (options.title !== undefined)
    out.push(`<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  const stats =
    `method ${result.method} · ${result.cores} core${result.cores === 1 ? '' : 's'} · ` +
    `makespan ${formatNumber(result.makespan)}` +
    (D !== undefined ? ` · D = ${formatNumber(D)}` : '') +
    ` · ${result.feasible ? 'feasible' : 'infeasible'}` +
    (schedule.length === 0 ? ' · no timetable' : '');
  out.push(
    `<text x="${LEFT}" y="${options.title !== undefined ? 38 : 24}" font-size="12">${escapeXml(stats)}</text>`,
  );

  // Core rows: a label and a separator line.
  out.push(`<g font-size="${Math.min(12, barFont + 1)}" fill="#333">`);
  for (let r = 0; r < rows; r++) {
    const y = PLOT_TOP + r * rowH;
    out.push(
      `<text x="${LEFT - 6}" y="${px(y + rowH / 2)}" text-anchor="end" dominant-baseline="central">core ${r}</text>`,
    );
    out.push(
      `<line x1="${LEFT}" y1="${px(y + rowH)}" x2="${px(LEFT + plotW)}" y2="${px(y + rowH)}" stroke="#e5e5e5"/>`,
    );
  }
  out.push('</g>');

  // Time axis with ticks.
  out.push(`<g font-size="${axisFont}" fill="#333" stroke="#666">`);
  out.push(`<line x1="${LEFT}" y1="${plotBottom}" x2="${px(LEFT + plotW)}" y2="${plotBottom}"/>`);
  out.push(`<line x1="${LEFT}" y1="${PLOT_TOP}" x2="${LEFT}" y2="${plotBottom}"/>`);
  for (let k = 0; k * step <= tMax + 1e-9 * tMax; k++) {
    const t = k * step;
    const tx = px(x(t));
    out.push(`<line x1="${tx}" y1="${plotBottom}" x2="${tx}" y2="${plotBottom + 4}"/>`);
    out.push(
      `<text x="${tx}" y="${plotBottom + 16}" text-anchor="middle" stroke="none">${formatNumber(roundTo(t, step))}</text>`,
    );
  }
  out.push('</g>');

  // Bars: one <g> per node with a tooltip, the bar (or marker) and a label when it fits.
  out.push(`<g font-size="${barFont}">`);
  const barH = Math.max(4, rowH - Math.max(2, Math.round(rowH * 0.2)));
  for (const s of schedule) {
    const id = String(s.node);
    const y = PLOT_TOP + s.core * rowH + (rowH - barH) / 2;
    const x0 = x(s.start);
    const w = x(s.finish) - x0;
    const fill = colorOf(s.node, options.colors);
    const tip = `${id}: core ${s.core}, start ${formatNumber(s.start)}, finish ${formatNumber(s.finish)}`;
    out.push(`<g><title>${escapeXml(tip)}</title>`);
    if (s.finish > s.start) {
      out.push(
        `<rect x="${px(x0)}" y="${px(y)}" width="${px(Math.max(w, MIN_BAR_PX))}" height="${px(barH)}" fill="${escapeXml(fill)}" stroke="#fff" stroke-width="0.5"/>`,
      );
      const label = fitLabel(id, w - 4, barFont);
      if (label !== '')
        out.push(
          `<text x="${px(x0 + w / 2)}" y="${px(y + barH / 2)}" text-anchor="middle" dominant-baseline="central" fill="${textColorOn(fill)}">${escapeXml(label)}</text>`,
        );
    } else {
      // Zero-length node: a thin marker so it stays visible and hoverable.
      out.push(
        `<line x1="${px(x0)}" y1="${px(y)}" x2="${px(x0)}" y2="${px(y + barH)}" stroke="#555" stroke-width="${MIN_BAR_PX}"/>`,
      );
    }
    out.push('</g>');
  }
  out.push('</g>');

  // Makespan and deadline markers, drawn over the bars; labels near the right edge end there.
  const anchorAt = (px0: number): string => (px0 > LEFT + plotW - 50 ? 'end' : 'middle');
  if (schedule.length > 0) {
    const mx = px(x(result.makespan));
    out.push(
      `<line x1="${mx}" y1="${PLOT_TOP}" x2="${mx}" y2="${plotBottom}" stroke="#222" stroke-width="1.5"/>`,
      `<text x="${mx}" y="${plotBottom + 34}" text-anchor="${anchorAt(x(result.makespan))}" font-size="${axisFont}" fill="#222">makespan = ${formatNumber(result.makespan)}</text>`,
    );
  }
  if (D !== undefined) {
    const dx = px(x(D));
    out.push(
      `<line x1="${dx}" y1="${PLOT_TOP - 6}" x2="${dx}" y2="${plotBottom}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${dx}" y="${PLOT_TOP - 10}" text-anchor="${anchorAt(x(D))}" font-size="12" fill="#d62728">D = ${formatNumber(D)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A 1-2-5 tick step giving about 5–10 ticks over [0, span]. */
function niceStep(span: number): number {
  const raw = span / 8;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Removes floating noise such as 0.30000000000000004 from tick values. */
function roundTo(t: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(t.toFixed(Math.min(decimals, 12)));
}

/** Pixel coordinate with at most two decimals (keeps the file small). */
function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** The id if it fits in `room` pixels, else a prefix with an ellipsis, else nothing. */
function fitLabel(id: string, room: number, font: number): string {
  const charW = font * 0.6; // average glyph width of a sans-serif font
  const fits = Math.floor(room / charW);
  if (fits >= id.length) return id;
  if (fits >= 3) return id.slice(0, fits - 1) + '…'; // a lone first letter + '…' says nothing
  return '';
}

/** The custom color, else a palette color hashed from the id (stable across methods' charts). */
function colorOf(node: NodeId, colors: GanttSvgOptions['colors']): string {
  const custom = typeof colors === 'function' ? colors(node) : colors?.[String(node)];
  if (custom !== undefined) return custom;
  let h = 0x811c9dc5;
  for (const ch of String(node)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

/** Black text on light fills, white on dark ones (#rgb / #rrggbb; others get black). */
function textColorOn(fill: string): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(fill);
  if (!m) return '#111';
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const luminance = 0.299 * r! + 0.587 * g! + 0.114 * b!;
  return luminance < 140 ? '#fff' : '#111';
}
