/**
 * The runs view: the run list (filterable; tick runs to plot them), one learning curve overlaying
 * the ticked runs that grows live from a server-sent event stream of their `metrics.jsonl`, the
 * ticked runs' configuration diff, and the last ticked run's evaluation and checkpoints.
 */
import type { MetricsLine, RunDetail, RunSummary } from '../dashboard-api.js';
import { byId, element, getJson, setStatus } from './api-client.js';
import { diffConfigs } from './config-diff.js';
import { LearningCurveChart, type CurvePoint } from './learning-curve-chart.js';

/** Metrics shown first when a run logs them, in order of preference. */
const PREFERRED_METRICS = ['rollout/ep_rew_mean', 'eval/mean_return', 'train/loss'];
/** How often the run list is refreshed (new runs appear, steps advance), in milliseconds. */
const LIST_REFRESH_MS = 5000;

/** One live stream event: a run's new metrics lines (see the server's `/api/stream`). */
interface StreamEvent {
  run: string;
  lines: MetricsLine[];
  offset: number;
  reset?: boolean;
}

/** The runs view's state and behaviour. */
export class RunsView {
  private runs: RunSummary[] = [];
  private readonly selected: string[] = [];
  private readonly lines = new Map<string, MetricsLine[]>();
  private readonly offsets = new Map<string, number>();
  private readonly details = new Map<string, RunDetail>();
  private readonly metricKeys = new Set<string>();
  private readonly plotted = new Set<string>();
  private readonly chart = new LearningCurveChart(byId('curve'));
  private metric = '';
  private stream: EventSource | undefined;
  private redrawQueued = false;
  private pending: CurvePoint[] = [];

  /** Wires the controls and loads the run list (refreshed every few seconds). */
  async start(): Promise<void> {
    byId<HTMLInputElement>('run-filter').addEventListener('input', () => this.renderList());
    byId<HTMLSelectElement>('metric').addEventListener('change', (e) => {
      this.metric = (e.target as HTMLSelectElement).value;
      this.queueRedraw();
    });
    byId<HTMLInputElement>('live').addEventListener('change', () => this.openStream());
    await this.refreshList();
    setInterval(() => void this.refreshList(), LIST_REFRESH_MS);
  }

  private async refreshList(): Promise<void> {
    try {
      this.runs = await getJson<RunSummary[]>('/api/runs');
      this.renderList();
    } catch (e) {
      setStatus(`run list: ${(e as Error).message}`, true);
    }
  }

  private renderList(): void {
    const filter = byId<HTMLInputElement>('run-filter').value.trim().toLowerCase();
    const shown = this.runs.filter((r) => filter === '' || searchText(r).includes(filter));
    byId('run-count').textContent = `${shown.length} of ${this.runs.length}`;
    const rows = shown.map((r) => {
      const tr = element('tr', undefined, { 'data-run': r.id });
      if (this.selected.includes(r.id)) tr.classList.add('selected');
      const box = element('input', undefined, { type: 'checkbox', 'aria-label': `plot ${r.id}` });
      box.checked = this.selected.includes(r.id);
      box.addEventListener('change', () => this.toggle(r.id, box.checked));
      const evalText =
        r.finalEval !== undefined
          ? `${fmt(r.finalEval)} ± ${fmt(r.finalEvalStd ?? 0)}`
          : r.lastEval !== undefined
            ? `(${fmt(r.lastEval)})`
            : '';
      const steps =
        r.plannedSteps !== undefined && r.finalEval === undefined
          ? `${r.steps} / ${r.plannedSteps}`
          : `${r.steps}`;
      const cells = [
        r.id,
        r.algo ?? '',
        r.env ?? '',
        r.seed !== undefined ? String(r.seed) : '',
        steps,
        evalText,
      ];
      const first = element('td');
      first.append(box);
      tr.append(
        first,
        runIdCell(r.id),
        ...cells.slice(1).map((c, k) => element('td', c, k >= 3 ? { class: 'num' } : {})),
      );
      return tr;
    });
    byId('run-list')
      .querySelector('tbody')!
      .replaceChildren(...rows);
    // When the list was first in the page, and once painted (the next frame's end), as performance
    // marks since navigation: the browser tests hold them to the first-paint budget.
    if (performance.getEntriesByName('run-list-shown').length === 0) {
      performance.mark('run-list-shown');
      requestAnimationFrame(() => setTimeout(() => performance.mark('run-list-painted'), 0));
    }
  }

  private toggle(run: string, on: boolean): void {
    const k = this.selected.indexOf(run);
    if (on && k < 0) this.selected.push(run);
    if (!on && k >= 0) {
      this.selected.splice(k, 1);
      this.plotted.delete(run);
    }
    this.renderList();
    this.openStream();
    this.queueRedraw();
    void this.renderConfig();
  }

  /** (Re)opens one stream for every ticked run, each continuing after the lines it already has. */
  private openStream(): void {
    this.stream?.close();
    this.stream = undefined;
    if (this.selected.length === 0) return;
    const live = byId<HTMLInputElement>('live').checked;
    const loaded = this.selected.every((r) => this.lines.has(r));
    if (!live && loaded) return;
    const query = this.selected
      .map((r) => `run=${encodeURIComponent(r)}&offset=${this.offsets.get(r) ?? 0}`)
      .join('&');
    const stream = new EventSource(`/api/stream?${query}`);
    stream.onmessage = (e: MessageEvent<string>) => this.receive(JSON.parse(e.data) as StreamEvent);
    stream.onerror = () => setStatus('live stream interrupted; reconnecting…', true);
    stream.onopen = () => setStatus(live ? 'live' : '');
    this.stream = stream;
  }

  private receive(event: StreamEvent): void {
    if (!this.selected.includes(event.run)) return;
    const had = this.lines.get(event.run);
    const lines = event.reset || !had ? [] : had;
    lines.push(...event.lines);
    this.lines.set(event.run, lines);
    this.offsets.set(event.run, event.offset);
    const before = this.metricKeys.size;
    for (const line of event.lines)
      for (const [k, v] of Object.entries(line))
        if (k !== 'step' && k !== 'wallTime' && typeof v === 'number') this.metricKeys.add(k);
    if (this.metricKeys.size !== before) this.renderMetricChoice();
    if (event.reset || !this.plotted.has(event.run) || !this.chart.drawn) this.queueRedraw();
    else this.pending.push(...pointsOf(event.run, event.lines, this.metric));
    if (!byId<HTMLInputElement>('live').checked && this.selected.every((r) => this.lines.has(r))) {
      this.stream?.close();
      this.stream = undefined;
    }
    this.flushSoon();
  }

  private renderMetricChoice(): void {
    const keys = [...this.metricKeys].sort();
    if (!this.metricKeys.has(this.metric))
      this.metric = PREFERRED_METRICS.find((m) => this.metricKeys.has(m)) ?? keys[0] ?? '';
    byId<HTMLSelectElement>('metric').replaceChildren(
      ...keys.map((k) => {
        const o = element('option', k, { value: k });
        o.selected = k === this.metric;
        return o;
      }),
    );
  }

  private queueRedraw(): void {
    this.redrawQueued = true;
    this.flushSoon();
  }

  private flushQueued = false;
  private drawing: Promise<void> = Promise.resolve();
  /** Redraws or appends once per animation frame, however many events arrived, one drawing at a time. */
  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    requestAnimationFrame(() => {
      this.drawing = this.drawing
        .then(() => this.flush())
        .catch((e: unknown) => setStatus(`chart: ${(e as Error).message}`, true));
    });
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    if (this.redrawQueued) {
      this.redrawQueued = false;
      this.pending = [];
      const runs = this.selected.filter((r) => this.lines.has(r));
      const points = runs.flatMap((r) => pointsOf(r, this.lines.get(r)!, this.metric));
      this.plotted.clear();
      for (const r of runs) this.plotted.add(r);
      if (this.selected.length === 0) {
        await this.chart.show(this.metric, []);
        return;
      }
      await this.chart.show(this.metric, points);
    } else if (this.pending.length > 0) {
      const points = this.pending;
      this.pending = [];
      await this.chart.append(points);
    }
  }

  private async renderConfig(): Promise<void> {
    const runs = [...this.selected];
    try {
      for (const r of runs)
        if (!this.details.has(r))
          this.details.set(r, await getJson<RunDetail>(`/api/run?id=${encodeURIComponent(r)}`));
    } catch (e) {
      setStatus(`run details: ${(e as Error).message}`, true);
      return;
    }
    const table = element('table', undefined, { class: 'data' });
    const rows = diffConfigs(runs.map((r) => this.details.get(r)?.config ?? {}));
    const differing = rows.filter((r) => r.differs).length;
    byId('config-mode').textContent = runs.length > 1 ? `${differing} of ${rows.length} keys differ` : '';
    const head = element('tr');
    head.append(element('th', 'key'), ...runs.map((r) => element('th', r)));
    table.append(head);
    for (const row of rows) {
      const tr = element('tr');
      tr.append(
        element('td', row.key),
        ...row.values.map((v) => element('td', v ?? '—', row.differs ? { class: 'differs' } : {})),
      );
      table.append(tr);
    }
    byId('config-diff').replaceChildren(...(runs.length > 0 ? [table] : []));
    this.renderDetail(runs.at(-1));
  }

  private renderDetail(run: string | undefined): void {
    const target = byId('run-detail');
    const d = run !== undefined ? this.details.get(run) : undefined;
    if (!d) {
      target.replaceChildren();
      return;
    }
    const parts: HTMLElement[] = [element('h3', d.id)];
    const ev = d.evaluation;
    if (ev && typeof ev.meanReturn === 'number')
      parts.push(
        element(
          'p',
          `final evaluation at step ${String(ev.step ?? '?')}: mean return ${fmt(ev.meanReturn)} ± ${fmt(Number(ev.stdReturn ?? 0))} over ${String(ev.episodes ?? '?')} episodes`,
        ),
      );
    else parts.push(element('p', 'no final evaluation yet (the run is training or stopped early)'));
    parts.push(
      element('p', d.checkpoints.length > 0 ? `checkpoints: ${d.checkpoints.join(', ')}` : 'no checkpoints'),
    );
    if (d.checkpoints.length > 0) parts.push(exportControls(d.id, d.checkpoints));
    target.replaceChildren(...parts);
  }
}

/** The formats the export links offer: `arbiter export`'s formats (C as its two files). */
const EXPORTS = [
  { label: 'JSON', query: 'format=json' },
  { label: 'int8', query: 'format=int8' },
  { label: 'C source', query: 'format=c&part=c' },
  { label: 'C header', query: 'format=c&part=h' },
] as const;

/**
 * A checkpoint choice and one download link per export format; the server runs `arbiter export`'s
 * writer on the chosen checkpoint (default: the run's newest good one) and sends the file.
 */
function exportControls(run: string, checkpoints: readonly string[]): HTMLElement {
  const box = element('p', 'export ', { class: 'export-controls' });
  const select = element('select', undefined, {
    id: 'export-checkpoint',
    'aria-label': 'checkpoint to export',
  });
  select.append(
    element('option', 'newest good checkpoint', { value: '' }),
    ...checkpoints.map((c) => element('option', c, { value: c })),
  );
  const links = EXPORTS.map((e) =>
    element('a', e.label, { class: 'export', 'data-format': e.label, download: '' }),
  );
  const update = (): void => {
    const checkpoint = select.value === '' ? '' : `&checkpoint=${encodeURIComponent(select.value)}`;
    for (const [k, a] of links.entries())
      a.href = `/api/export?run=${encodeURIComponent(run)}${checkpoint}&${EXPORTS[k]!.query}`;
  };
  select.addEventListener('change', update);
  update();
  box.append(select, ...links.flatMap((a) => [' ', a]));
  return box;
}

/** The points of `metric` in a run's lines (non-finite values, stored as null, are left out). */
export function pointsOf(run: string, lines: readonly MetricsLine[], metric: string): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const line of lines) {
    const value = line[metric];
    if (typeof value === 'number') out.push({ run, step: line.step, value });
  }
  return out;
}

/** The run id, its sweep folders muted and a line break allowed after each `/`. */
function runIdCell(id: string): HTMLTableCellElement {
  const td = element('td', undefined, { class: 'run-id' });
  const slash = id.lastIndexOf('/');
  if (slash >= 0) td.append(element('span', id.slice(0, slash + 1), { class: 'group' }), element('wbr'));
  td.append(element('span', id.slice(slash + 1), { class: 'name' }));
  return td;
}

function searchText(r: RunSummary): string {
  return `${r.id} ${r.algo ?? ''} ${r.env ?? ''}`.toLowerCase();
}

function fmt(x: number): string {
  return x.toFixed(2);
}
