/**
 * The EGS replay panel of the schedules view: a shipped policy's greedy episode on the chosen
 * task, scrubbed step by step with a slider: the edge added and its probability, the width before
 * and after (drawn as a falling step line), the mask (which edges i → j were allowed, as a matrix)
 * and its size, the policy's likeliest edges, and the Gantt chart where the episode ends.
 */
import type { EgsReplayAnswer, EgsReplayRequest } from '../dashboard-api.js';
import { byId, element, postJson, setStatus } from './api-client.js';
import { StepSlider } from './step-slider.js';
import { parseSvg } from './svg-node.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The replay panel; `source` gives the task currently chosen in the schedules view. */
export class EgsReplayView {
  private replay: EgsReplayAnswer | undefined;

  constructor(private readonly source: () => Omit<EgsReplayRequest, 'model'> | undefined) {}

  private slider: StepSlider | undefined;

  /** Wires the controls. */
  start(): void {
    byId('run-replay').addEventListener('click', () => void this.run());
    this.slider = new StepSlider(
      byId('replay-controls'),
      'replay',
      { first: '« first', last: 'last »' },
      (k) => this.show(k),
    );
  }

  private async run(): Promise<void> {
    const source = this.source();
    if (!source) {
      setStatus('choose or upload a DAG file first', true);
      return;
    }
    const model = byId<HTMLSelectElement>('replay-model').value as 'small' | 'large';
    setStatus('replaying the EGS policy…');
    try {
      this.replay = await postJson<EgsReplayAnswer>('/api/egs-replay', { ...source, model });
      setStatus('');
    } catch (e) {
      setStatus((e as Error).message, true);
      return;
    }
    byId('replay-gantt').replaceChildren(parseSvg(this.replay.gantt));
    this.slider?.reset(this.replay.steps.length, 0);
  }

  /** Shows the state after `k` steps (0 = the task itself). */
  private show(k: number): void {
    const r = this.replay;
    if (!r) return;
    const step = k > 0 ? r.steps[k - 1] : undefined;
    const width = step ? step.widthAfter : r.initialWidth;
    const state = byId('replay-state');
    state.dataset.step = String(k);
    state.dataset.width = String(width);
    state.textContent = step
      ? `step ${k} of ${r.steps.length}: added ${step.edge.from} → ${step.edge.to} (p = ${step.edge.probability.toFixed(2)}); ` +
        `width ${step.widthBefore} → ${step.widthAfter}; the mask allowed ${step.allowed} edges` +
        (k === r.steps.length ? ` — final width ${r.finalWidth} (lower bound ${r.lowerBound})` : '')
      : `${r.name}: ${r.nodes} nodes, D = ${r.deadline}, width ${r.initialWidth}, lower bound ${r.lowerBound}; ` +
        `${r.steps.length} steps to width ${r.finalWidth}`;
    this.drawWidths(r, k);
    this.drawEdges(r, k);
    this.drawMask(r, k);
    const next = r.steps[k] ?? step;
    const table = byId('replay-top');
    if (!next) {
      table.replaceChildren();
      return;
    }
    const head = element('tr');
    head.append(
      element('th', next === step ? `likeliest edges at step ${k}` : `likeliest edges at step ${k + 1}`),
      element('th', 'probability'),
    );
    table.replaceChildren(
      head,
      ...next.top.map((c) => {
        const chosen = c.from === next.edge.from && c.to === next.edge.to;
        const tr = element('tr', undefined, chosen ? { class: 'chosen' } : {});
        tr.append(
          element('td', `${c.from} → ${c.to}${chosen ? ' (taken)' : ''}`),
          element('td', c.probability.toFixed(3), { class: 'num' }),
        );
        return tr;
      }),
    );
  }

  /**
   * The task drawn with the edges added by the first `k` steps (dashed; the k-th in red) and the
   * next step's candidates (thin blue), over the server's drawing of the task.
   */
  private drawEdges(r: EgsReplayAnswer, k: number): void {
    const target = byId('replay-dag');
    if (r.dagSvg === undefined) {
      target.replaceChildren();
      return;
    }
    const svg = parseSvg(r.dagSvg) as SVGSVGElement;
    const centre = new Map<string, [number, number]>();
    for (const g of svg.querySelectorAll('g[data-node]')) {
      const c = g.querySelector('circle');
      if (c)
        centre.set(g.getAttribute('data-node')!, [
          Number(c.getAttribute('cx')),
          Number(c.getAttribute('cy')),
        ]);
    }
    const layer = document.createElementNS(SVG_NS, 'g');
    const line = (from: string | number, to: string | number, cls: string): void => {
      const a = centre.get(String(from));
      const b = centre.get(String(to));
      if (!a || !b) return;
      const l = document.createElementNS(SVG_NS, 'line');
      l.setAttribute('class', cls);
      l.setAttribute('x1', String(a[0]));
      l.setAttribute('y1', String(a[1]));
      l.setAttribute('x2', String(b[0]));
      l.setAttribute('y2', String(b[1]));
      layer.append(l);
    };
    r.steps
      .slice(0, k)
      .forEach((s, i) => line(s.edge.from, s.edge.to, i === k - 1 ? 'added latest' : 'added'));
    for (const c of r.steps[k]?.top ?? []) line(c.from, c.to, 'candidate');
    // Under the nodes, over the task's own edges.
    const nodes = svg.querySelector('g[data-node]')?.parentNode;
    if (nodes) svg.insertBefore(layer, nodes);
    else svg.append(layer);
    target.replaceChildren(svg);
  }

  /**
   * The mask of the next step (the last one's at the end) as an n × n matrix: a cell (row i,
   * column j) is filled when the edge i → j was allowed, red for the edge the policy took.
   */
  private drawMask(r: EgsReplayAnswer, k: number): void {
    const target = byId('replay-mask');
    const at = Math.min(k, r.steps.length - 1);
    const step = r.steps[at];
    if (!step?.mask) {
      target.replaceChildren(
        element('p', step ? 'the mask is too large to send (its size is above)' : '', { class: 'hint' }),
      );
      delete target.dataset.allowed;
      return;
    }
    const n = r.nodes;
    const size = 240;
    const cell = size / n;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
    svg.setAttribute('width', String(size));
    svg.setAttribute('height', String(size));
    const frame = document.createElementNS(SVG_NS, 'rect');
    frame.setAttribute('class', 'frame');
    frame.setAttribute('width', String(size));
    frame.setAttribute('height', String(size));
    svg.append(frame);
    const index = new Map(r.nodeIds.map((id, i) => [String(id), i]));
    const taken = index.get(String(step.edge.from))! * n + index.get(String(step.edge.to))!;
    for (const a of step.mask) {
      const i = Math.floor(a / n);
      const j = a % n;
      const rect = document.createElementNS(SVG_NS, 'rect');
      rect.setAttribute('class', a === taken ? 'allowed taken' : 'allowed');
      rect.setAttribute('x', String(j * cell));
      rect.setAttribute('y', String(i * cell));
      rect.setAttribute('width', String(cell));
      rect.setAttribute('height', String(cell));
      const title = document.createElementNS(SVG_NS, 'title');
      title.textContent = `${r.nodeIds[i]} → ${r.nodeIds[j]}${a === taken ? ' (taken)' : ''}`;
      rect.append(title);
      svg.append(rect);
    }
    target.dataset.allowed = String(step.mask.length);
    target.replaceChildren(
      element('p', `mask at step ${at + 1}: ${step.mask.length} allowed edges (row → column)`, {
        class: 'hint',
      }),
      svg,
    );
  }

  /** The width after each step as a step line, the current step marked. */
  private drawWidths(r: EgsReplayAnswer, k: number): void {
    const widths = [r.initialWidth, ...r.steps.map((s) => s.widthAfter)];
    const W = 360;
    const H = 140;
    const pad = 28;
    const maxW = Math.max(...widths, 1);
    const x = (i: number): number => pad + (i / Math.max(1, widths.length - 1)) * (W - 2 * pad);
    const y = (w: number): number => H - pad - (w / maxW) * (H - 2 * pad);
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('width', String(W));
    svg.setAttribute('height', String(H));
    const points: string[] = [];
    widths.forEach((w, i) => {
      if (i > 0) points.push(`${x(i)},${y(widths[i - 1]!)}`);
      points.push(`${x(i)},${y(w)}`);
    });
    const line = document.createElementNS(SVG_NS, 'polyline');
    line.setAttribute('points', points.join(' '));
    const dot = document.createElementNS(SVG_NS, 'circle');
    dot.setAttribute('class', 'now');
    dot.setAttribute('cx', String(x(k)));
    dot.setAttribute('cy', String(y(widths[k]!)));
    dot.setAttribute('r', '4');
    const label = (text: string, tx: number, ty: number): SVGTextElement => {
      const t = document.createElementNS(SVG_NS, 'text');
      t.setAttribute('x', String(tx));
      t.setAttribute('y', String(ty));
      t.textContent = text;
      return t;
    };
    svg.append(
      line,
      dot,
      label(`width ${maxW}`, 2, y(maxW) - 4),
      label('0', 2, y(0)),
      label(`steps → ${widths.length - 1}`, W - pad - 60, H - 6),
    );
    byId('replay-width').replaceChildren(svg);
  }
}
