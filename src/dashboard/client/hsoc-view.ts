/**
 * The HSoC view: one episode of a workload (built-in, or a workload file or STOMP trace under the
 * folder) at a load, from a seed, under a power-sharing policy, drawn as a timeline — a row per PE with its tasks as bars (workload jobs coloured by job,
 * background jobs grey) and the tokens it was granted as a step line — and a slider over the
 * decisions showing, at each event, the bin every agent chose and the rule that fired. A file the
 * server's readers refuse is shown with its file, line or item, and rule.
 */
import type { ApiError, HsocTraceAnswer, HsocTraceOptions, HsocTraceRequest } from '../dashboard-api.js';
import { ApiRequestError, byId, element, getJson, postJson, setStatus } from './api-client.js';
import { StepSlider } from './step-slider.js';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 44;
const LEFT = 60;
const WIDTH = 1100;
/** Option values of the workload files (built-in workloads are their names). */
const FILE_PREFIX = 'file:';
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#b279a2', '#e45756', '#72b7b2', '#eeca3b', '#9d755d'];

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The HSoC view's state and behaviour. */
export class HsocView {
  private answer: HsocTraceAnswer | undefined;
  private slider: StepSlider | undefined;
  /** Distinct decision times and the index of each one's first decision. */
  private events: { time: number; first: number; end: number }[] = [];
  private cursor: SVGLineElement | undefined;
  private scale = (t: number): number => t;

  /** Fills the choices, wires the controls and simulates the first episode. */
  async start(): Promise<void> {
    const options = await getJson<HsocTraceOptions>('/api/hsoc-options');
    const fill = (id: string, values: string[], chosen: string): void => {
      const select = byId<HTMLSelectElement>(id);
      select.replaceChildren(...values.map((v) => element('option', v, { value: v })));
      if (values.includes(chosen)) select.value = chosen;
    };
    const workload = byId<HTMLSelectElement>('hsoc-workload');
    const group = (label: string, values: { value: string; text: string }[]): HTMLOptGroupElement => {
      const g = element('optgroup', undefined, { label });
      g.append(...values.map((v) => element('option', v.text, { value: v.value })));
      return g;
    };
    workload.replaceChildren(
      group(
        'built-in',
        options.workloads.map((w) => ({ value: w, text: w })),
      ),
      ...(options.files.length > 0
        ? [
            group(
              'files under the folder',
              options.files.map((f) => ({ value: FILE_PREFIX + f.path, text: f.path })),
            ),
          ]
        : []),
    );
    workload.value = '5-task';
    fill('hsoc-load', options.loads, 'medium');
    fill('hsoc-policy', options.policies, 'need');
    byId('run-hsoc').addEventListener('click', () => void this.run());
    this.slider = new StepSlider(byId('hsoc-controls'), 'hsoc', { first: '« start', last: 'end »' }, (k) =>
      this.show(k),
    );
    await this.run();
  }

  private async run(): Promise<void> {
    const workload = byId<HTMLSelectElement>('hsoc-workload').value;
    const request: HsocTraceRequest = {
      ...(workload.startsWith(FILE_PREFIX) ? { file: workload.slice(FILE_PREFIX.length) } : { workload }),
      load: byId<HTMLSelectElement>('hsoc-load').value,
      policy: byId<HTMLSelectElement>('hsoc-policy').value,
      seed: byId<HTMLInputElement>('hsoc-seed').valueAsNumber || 0,
    };
    const error = byId('hsoc-error');
    setStatus(
      `simulating ${request.file ?? request.workload} at ${request.load} load with ${request.policy}…`,
    );
    try {
      this.answer = await postJson<HsocTraceAnswer>('/api/hsoc-trace', request);
      setStatus('');
      error.hidden = true;
      error.replaceChildren();
    } catch (e) {
      setStatus('the simulation failed (see above the timeline)', true);
      showError(error, e instanceof ApiRequestError ? e.detail : { code: 'network', message: String(e) });
      return;
    }
    const a = this.answer;
    this.events = [];
    for (let k = 0; k < a.decisions.length; k++) {
      const last = this.events[this.events.length - 1];
      if (last && last.time === a.decisions[k]!.time) last.end = k + 1;
      else this.events.push({ time: a.decisions[k]!.time, first: k, end: k + 1 });
    }
    const m = a.metrics;
    byId('hsoc-summary').textContent =
      `${a.workload}, ${a.load} load, seed ${a.seed}, ${a.policy}: ${m.jobs} workload jobs, mean completion ` +
      `${m.meanCompletion.toFixed(2)}, ${(100 * m.deadlineMissRatio).toFixed(1)} % deadline misses, ` +
      `makespan ${m.makespan.toFixed(2)}, ${m.decisions} decisions${a.decisionsCut ? ' (first 20 000 shown)' : ''}`;
    this.draw(a);
    this.slider?.reset(Math.max(0, this.events.length - 1), 0);
  }

  private draw(a: HsocTraceAnswer): void {
    const end = Math.max(a.metrics.makespan, 1e-9);
    this.scale = (t) => LEFT + ((WIDTH - LEFT - 30) * t) / end;
    const rows = a.pes.length;
    const root = svg('svg', {
      width: WIDTH,
      height: rows * ROW + 30,
      viewBox: `0 0 ${WIDTH} ${rows * ROW + 30}`,
      role: 'img',
      'aria-label': 'tokens and tasks per PE over time',
    });
    root.dataset.tasks = String(a.tasks.length);
    for (let p = 0; p < rows; p++) {
      const y = p * ROW;
      root.append(
        svg('text', { x: 4, y: y + ROW / 2 + 4, class: a.available[p] ? 'pe' : 'pe off' }, a.pes[p]!),
        svg('line', { x1: LEFT, x2: WIDTH - 10, y1: y + ROW, y2: y + ROW, class: 'row-line' }),
      );
    }
    const workloadIndex = new Map<number, number>();
    for (const j of a.jobs) if (j.kind === 'workload') workloadIndex.set(j.id, workloadIndex.size);
    for (const t of a.tasks) {
      if (!(t.finish > t.start)) continue;
      const k = workloadIndex.get(t.job);
      const bar = svg('rect', {
        x: this.scale(t.start),
        y: t.pe * ROW + ROW / 2,
        width: Math.max(0.5, this.scale(t.finish) - this.scale(t.start)),
        height: ROW / 2 - 4,
        class: k === undefined ? 'task background' : 'task workload',
        fill: k === undefined ? '#bbb' : PALETTE[k % PALETTE.length]!,
      });
      bar.append(
        svg(
          'title',
          {},
          `job ${t.job} (${t.kind}) task ${t.task}: ${a.pes[t.pe]}, ${t.start.toFixed(2)}–${t.finish.toFixed(2)}`,
        ),
      );
      root.append(bar);
    }
    // Tokens: a step line per PE, 0 at the row's middle line … 100 at its top.
    for (let p = 0; p < rows; p++) {
      const base = p * ROW + ROW / 2 - 2;
      const h = ROW / 2 - 6;
      let d = '';
      for (let i = 0; i < a.times.length; i++) {
        const x0 = this.scale(a.times[i]!);
        const x1 = this.scale(i + 1 < a.times.length ? a.times[i + 1]! : end);
        const y = base - (h * a.tokens[i]![p]!) / 100;
        d += `${i === 0 ? 'M' : 'L'}${x0.toFixed(1)},${y.toFixed(1)}H${x1.toFixed(1)}`;
      }
      if (d !== '') root.append(svg('path', { d, class: 'tokens', 'data-pe': a.pes[p]! }));
    }
    const axisY = rows * ROW + 16;
    for (let k = 0; k <= 5; k++) {
      const t = (end * k) / 5;
      root.append(
        svg('text', { x: this.scale(t), y: axisY, class: 'axis', 'text-anchor': 'middle' }, t.toFixed(1)),
      );
    }
    this.cursor = svg('line', { x1: LEFT, x2: LEFT, y1: 0, y2: rows * ROW, class: 'cursor' });
    root.append(this.cursor);
    byId('hsoc-timeline').replaceChildren(root);
  }

  /** Shows decision event k: the cursor on the timeline, and every agent's choice and rule. */
  private show(k: number): void {
    const a = this.answer;
    const event = this.events[k];
    const state = byId('hsoc-state');
    const table = byId('hsoc-decisions');
    if (!a || !event) {
      state.textContent = 'No decisions in this episode.';
      table.replaceChildren();
      return;
    }
    state.dataset.step = String(k);
    state.textContent = `event ${k + 1} of ${this.events.length} at time ${event.time.toFixed(3)}`;
    const x = this.scale(event.time);
    this.cursor?.setAttribute('x1', String(x));
    this.cursor?.setAttribute('x2', String(x));
    const head = element('tr');
    for (const h of ['PE', 'request', 'task', 'rule that fired']) head.append(element('th', h));
    const rows = a.decisions.slice(event.first, event.end).map((d) => {
      const tr = element('tr', undefined, { 'data-pe': a.pes[d.pe]! });
      tr.append(
        element('td', a.pes[d.pe]!),
        element('td', `${d.bin * 10} %`),
        element('td', d.job === undefined ? '—' : `job ${d.job} task ${d.task}`),
        element('td', d.rule),
      );
      return tr;
    });
    table.replaceChildren(head, ...rows);
  }
}

/** Shows an error answer: its message, and for invalid input the file, line, item and rule, each labelled. */
function showError(box: HTMLElement, detail: ApiError): void {
  const list = element('dl');
  for (const [key, label] of [
    ['file', 'file'],
    ['line', 'line'],
    ['item', 'item'],
    ['rule', 'rule'],
  ] as const) {
    const value = detail[key];
    if (value === undefined) continue;
    list.append(element('dt', label), element('dd', String(value), { 'data-field': key }));
  }
  box.replaceChildren(element('strong', detail.message, { 'data-field': 'message' }));
  if (list.childElementCount > 0) box.append(list);
  box.dataset.code = detail.code;
  box.hidden = false;
}
