/**
 * A DAG task drawn as standalone SVG: nodes in layers by depth (a node sits one layer below its
 * deepest predecessor), edges as lines, one critical path and one maximum antichain highlighted,
 * written without dependencies.
 */
import type { Dag, NodeId } from '../dag/dag-task.js';
import { escapeXml } from './escape-xml.js';

/** Options of {@link renderDagSvg}. */
export interface DagSvgOptions {
  /** Nodes of a critical (longest) path, drawn in red with the edges between them. */
  criticalPath?: readonly NodeId[];
  /** Nodes of a maximum antichain, filled blue. */
  antichain?: readonly NodeId[];
  /** Heading above the graph. Default the task name. */
  title?: string;
}

const NODE_R = 13;
const LAYER_GAP = 64;
const NODE_GAP = 36;
const TOP = 56;
const LEFT = 24;

/**
 * The task as SVG: one row per depth layer, nodes ordered within a layer by the mean position of
 * their predecessors (fewer crossings), each a circle labelled with its id and titled with its
 * WCET. Critical-path nodes and edges carry class `critical` (red), antichain nodes class
 * `antichain` (blue fill), so a page or a test can find them.
 */
export function renderDagSvg(dag: Dag, options: DagSvgOptions = {}): string {
  const depth = new Int32Array(dag.n);
  for (const v of dag.topoOrder) for (const u of dag.pred[v]!) depth[v] = Math.max(depth[v]!, depth[u]! + 1);
  const layers: number[][] = [];
  for (const v of dag.topoOrder) (layers[depth[v]!] ??= []).push(v);
  const slot = new Float64Array(dag.n);
  for (const layer of layers) {
    const key = (v: number): number => {
      const p = dag.pred[v]!;
      return p.length === 0 ? v : p.reduce((s, u) => s + slot[u]!, 0) / p.length;
    };
    layer.sort((a, b) => key(a) - key(b) || a - b);
    layer.forEach((v, k) => (slot[v] = k));
  }
  const widest = Math.max(1, ...layers.map((l) => l.length));
  const width = Math.max(320, LEFT * 2 + widest * NODE_GAP);
  const height = TOP + layers.length * LAYER_GAP;
  const x = (v: number): number => {
    const layer = layers[depth[v]!]!;
    return LEFT + NODE_GAP / 2 + ((widest - layer.length) / 2 + slot[v]!) * NODE_GAP;
  };
  const y = (v: number): number => TOP + depth[v]! * LAYER_GAP + NODE_R;
  const onPath = new Set((options.criticalPath ?? []).map(String));
  const pathEdge = new Set<string>();
  const path = options.criticalPath ?? [];
  for (let k = 1; k < path.length; k++) pathEdge.add(`${String(path[k - 1])}\u0000${String(path[k])}`);
  const inAntichain = new Set((options.antichain ?? []).map(String));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
  );
  out.push(
    `<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${escapeXml(options.title ?? dag.name)}</text>`,
    `<text x="${LEFT}" y="38" font-size="12"><tspan fill="#d62728">━ critical path (${path.length} nodes)</tspan>  <tspan fill="#2f6fde">● maximum antichain (${inAntichain.size} nodes)</tspan></text>`,
  );
  out.push('<g stroke-width="1">');
  for (const [u, v] of dag.edges) {
    const critical = pathEdge.has(`${String(dag.ids[u])}\u0000${String(dag.ids[v])}`);
    out.push(
      `<line${critical ? ' class="critical"' : ''} x1="${px(x(u))}" y1="${px(y(u))}" x2="${px(x(v))}" y2="${px(y(v))}" stroke="${critical ? '#d62728' : '#b8bec6'}"${critical ? ' stroke-width="2.5"' : ''}/>`,
    );
  }
  out.push('</g>', '<g font-size="10" text-anchor="middle">');
  for (let v = 0; v < dag.n; v++) {
    const id = String(dag.ids[v]);
    const classes = [onPath.has(id) ? 'critical' : '', inAntichain.has(id) ? 'antichain' : ''].filter(
      Boolean,
    );
    const fill = inAntichain.has(id) ? '#cfe0ff' : '#fff';
    const stroke = onPath.has(id) ? '#d62728' : '#667085';
    out.push(
      `<g${classes.length > 0 ? ` class="${classes.join(' ')}"` : ''} data-node="${escapeXml(id)}"><title>${escapeXml(`${id}: WCET ${dag.wcet[v]}`)}</title>` +
        `<circle cx="${px(x(v))}" cy="${px(y(v))}" r="${NODE_R}" fill="${fill}" stroke="${stroke}" stroke-width="${onPath.has(id) ? 2.5 : 1}"/>` +
        `<text x="${px(x(v))}" y="${px(y(v) + 3.5)}">${escapeXml(id.length > 4 ? id.slice(0, 3) + '…' : id)}</text></g>`,
    );
  }
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}
