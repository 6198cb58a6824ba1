/**
 * A knowledge base's inference drawn as an SVG graph: each node with its truth bounds, for reading
 * an LNN/PLNN inference at a glance (`arbiter logic infer --svg`).
 */
import { describeLogicNode, OPERATOR_SYMBOL } from '../logic/logic-graph.js';
import type { InferenceResult } from '../logic/infer.js';
import { escapeXml } from './escape-xml.js';
import { mean } from '../core/statistics.js';

/** Options of {@link renderLogicGraphSvg}. */
export interface LogicGraphSvgOptions {
  /** Heading above the graph. Default: the knowledge base name or file. */
  title?: string;
  /** Draw the compiler's hidden nodes (folded n-ary operators, joints, negations). Default true. */
  showHidden?: boolean;
}

const BOX_W = 168;
const BOX_H = 54;
const GAP_X = 18;
const ROW_H = 96;
const MARGIN = 24;
const TOP = 64;

/**
 * The logic graph after inference as a standalone SVG document (hand-written): propositions on the
 * bottom row, each operator one row above its highest operand, edges from operands to operators.
 * Every node box shows its id, its formula or kind and its bounds `[L, U]`, with a bar over
 * [0, 1] filled from L to U. Query nodes have a bold border, nodes with a fact a blue tint,
 * contradicted nodes (L > U) a red box with the crossing drawn in red; the heading counts
 * iterations and contradictions. Each box has a `<title>` tooltip with the full formula.
 */
export function renderLogicGraphSvg(result: InferenceResult, options: LogicGraphSvgOptions = {}): string {
  const graph = result.graph;
  const showHidden = options.showHidden ?? true;
  const n = graph.nodes.length;
  const visible = graph.nodes.map((node) => showHidden || !node.hidden);
  // Depth: propositions 0, operators one above their deepest visible operand.
  const depth = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const node = graph.nodes[k]!;
    let d = 0;
    for (const x of node.operands) d = Math.max(d, depth[x]! + (visible[x] ? 1 : 0));
    depth[k] = node.kind === 'proposition' ? 0 : Math.max(1, d);
  }
  const maxDepth = Math.max(0, ...[...depth].filter((_, k) => visible[k]));
  const rows: number[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (let k = 0; k < n; k++) if (visible[k]) rows[depth[k]!]!.push(k);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = Math.max(480, MARGIN * 2 + widest * (BOX_W + GAP_X) - GAP_X);
  const height = TOP + (maxDepth + 1) * ROW_H + MARGIN;
  const cx = new Float64Array(n);
  const cy = new Float64Array(n);
  // Rows bottom-up; within a row, operators sorted by the mean x of their operands (fewer crossings).
  for (let d = 0; d <= maxDepth; d++) {
    const row = rows[d]!;
    if (d > 0) {
      const bary = (k: number): number => {
        const xs = graph.nodes[k]!.operands.filter((x) => visible[x]).map((x) => cx[x]!);
        return xs.length > 0 ? mean(xs) : 0;
      };
      row.sort((a, b) => bary(a) - bary(b) || a - b);
    }
    const rowW = row.length * (BOX_W + GAP_X) - GAP_X;
    const x0 = (width - rowW) / 2 + BOX_W / 2;
    row.forEach((k, i) => {
      cx[k] = x0 + i * (BOX_W + GAP_X);
      cy[k] = TOP + (maxDepth - d) * ROW_H + BOX_H / 2;
    });
  }

  const factOf = new Set(graph.facts.map((f) => f.node));
  const queries = new Set(graph.queries);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" style="background:#fff">`,
  );
  const title = options.title ?? graph.name ?? graph.source ?? 'logic graph';
  out.push(`<text x="${MARGIN}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  const stats =
    `${graph.mode.toUpperCase()} · ${n} nodes · ${graph.facts.length} facts · ` +
    `${result.iterations} iteration${result.iterations === 1 ? '' : 's'}${result.converged ? '' : ' (not converged)'} · ` +
    `${result.contradictions.length} contradiction${result.contradictions.length === 1 ? '' : 's'}`;
  out.push(`<text x="${MARGIN}" y="40" font-size="12">${escapeXml(stats)}</text>`);
  out.push(
    `<text x="${MARGIN}" y="56" font-size="10" fill="#555">bold border: query · blue: fact given · red: contradiction (L &gt; U)</text>`,
  );

  // Edges first, under the boxes.
  out.push('<g stroke="#999" stroke-width="1" fill="none">');
  for (let k = 0; k < n; k++) {
    if (!visible[k]) continue;
    for (const x of graph.nodes[k]!.operands) {
      if (!visible[x]) continue;
      out.push(
        `<line x1="${px(cx[x]!)}" y1="${px(cy[x]! - BOX_H / 2)}" x2="${px(cx[k]!)}" y2="${px(cy[k]! + BOX_H / 2)}"/>`,
      );
    }
  }
  out.push('</g>');

  for (let k = 0; k < n; k++) {
    if (!visible[k]) continue;
    const node = graph.nodes[k]!;
    const bad = result.contradicted[k] === 1;
    const L = result.lower[k]!;
    const U = result.upper[k]!;
    const left = cx[k]! - BOX_W / 2;
    const top = cy[k]! - BOX_H / 2;
    const fill = bad ? '#fde2e2' : factOf.has(k) ? '#e3f0ff' : node.hidden ? '#f6f6f6' : '#ffffff';
    const stroke = bad ? '#d62828' : '#333';
    const formula = describeLogicNode(graph, k);
    const kind = node.kind === 'proposition' ? 'proposition' : `${node.kind} ${OPERATOR_SYMBOL[node.kind]}`;
    out.push(`<g><title>${escapeXml(`${node.id} = ${formula} · ${kind} · [${L}, ${U}]`)}</title>`);
    out.push(
      `<rect x="${px(left)}" y="${px(top)}" width="${BOX_W}" height="${BOX_H}" rx="5" fill="${fill}" stroke="${stroke}" stroke-width="${queries.has(k) ? 2.5 : 1}"${node.hidden ? ' stroke-dasharray="4 2"' : ''}/>`,
    );
    out.push(
      `<text x="${px(cx[k]!)}" y="${px(top + 14)}" font-size="10" font-weight="bold" text-anchor="middle">${escapeXml(fit(node.id, 25))}</text>`,
    );
    const sub =
      node.kind === 'proposition'
        ? `[${L.toFixed(3)}, ${U.toFixed(3)}]`
        : `${OPERATOR_SYMBOL[node.kind]}  [${L.toFixed(3)}, ${U.toFixed(3)}]`;
    out.push(
      `<text x="${px(cx[k]!)}" y="${px(top + 29)}" font-size="10" text-anchor="middle" fill="${bad ? '#d62828' : '#222'}">${escapeXml(sub)}${bad ? ' ✗' : ''}</text>`,
    );
    // Bounds bar over [0, 1].
    const barX = left + 10;
    const barW = BOX_W - 20;
    const barY = top + 38;
    out.push(`<rect x="${px(barX)}" y="${px(barY)}" width="${px(barW)}" height="7" fill="#e5e5e5"/>`);
    if (bad) {
      const a = Math.min(L, U);
      const b = Math.max(L, U);
      out.push(
        `<rect x="${px(barX + a * barW)}" y="${px(barY)}" width="${px(Math.max(1.5, (b - a) * barW))}" height="7" fill="#d62828"/>`,
      );
    } else {
      out.push(
        `<rect x="${px(barX + L * barW)}" y="${px(barY)}" width="${px(Math.max(1.5, (U - L) * barW))}" height="7" fill="#2a6fdb"/>`,
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function fit(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function px(v: number): string {
  return String(Math.round(v * 100) / 100);
}
