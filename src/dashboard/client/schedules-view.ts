/**
 * The schedules view: pick a DAG task file under the dashboard folder or upload one (file picker
 * or drag and drop), tick methods, and see the CLI's result table and one Gantt chart per method
 * side by side.
 */
import type { DagFileEntry, MethodList, ScheduleRequest, ScheduleResponse } from '../dashboard-api.js';
import { byId, element, getJson, postJson, setStatus } from './api-client.js';
import { EgsReplayView } from './egs-replay-view.js';
import { parseSvg } from './svg-node.js';

/** Largest file the page uploads, in bytes (the server checks again). */
const MAX_UPLOAD_BYTES = 1024 * 1024;

/** The schedules view's state and behaviour. */
export class SchedulesView {
  private upload: { name: string; text: string } | undefined;
  private readonly replay = new EgsReplayView(() => this.source());

  /** Loads the DAG file and method lists and wires the controls. */
  async start(): Promise<void> {
    const [dags, methods] = await Promise.all([
      getJson<DagFileEntry[]>('/api/dags'),
      getJson<MethodList>('/api/methods'),
    ]);
    const select = byId<HTMLSelectElement>('dag-file');
    select.replaceChildren(
      element('option', dags.length > 0 ? '(choose a file)' : '(no DAG files in this folder)', { value: '' }),
      ...dags.map((d) => element('option', d.path, { value: d.path })),
    );
    select.addEventListener('change', () => {
      this.upload = undefined;
      if (select.value !== '') void this.run();
    });
    byId('method-list').replaceChildren(
      ...methods.all.map((m) => {
        const label = element('label');
        const box = element('input', undefined, { type: 'checkbox', value: m, name: 'method' });
        box.checked = methods.defaults.includes(m);
        label.append(box, ` ${m}`);
        return label;
      }),
    );
    byId('run-schedule').addEventListener('click', () => void this.run());
    this.replay.start();
    byId<HTMLInputElement>('dag-upload').addEventListener('change', (e) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (file) void this.takeFile(file);
    });
    const zone = byId('drop-zone');
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      const file = e.dataTransfer?.files[0];
      if (file) void this.takeFile(file);
    });
  }

  private async takeFile(file: File): Promise<void> {
    if (file.size > MAX_UPLOAD_BYTES) {
      setStatus(`${file.name} is larger than ${MAX_UPLOAD_BYTES / 1024} KiB`, true);
      return;
    }
    this.upload = { name: file.name, text: await file.text() };
    byId<HTMLSelectElement>('dag-file').value = '';
    await this.run();
  }

  /** The chosen task (a file under the folder, or the upload) and the deadline typed in, if any. */
  private source(): Pick<ScheduleRequest, 'file' | 'text' | 'name' | 'deadline'> | undefined {
    const file = byId<HTMLSelectElement>('dag-file').value;
    const deadline = byId<HTMLInputElement>('deadline').valueAsNumber;
    const task =
      file !== '' ? { file } : this.upload ? { text: this.upload.text, name: this.upload.name } : undefined;
    return task && { ...task, ...(Number.isFinite(deadline) && { deadline }) };
  }

  private async run(): Promise<void> {
    const methods = [...document.querySelectorAll<HTMLInputElement>('#method-list input:checked')].map(
      (b) => b.value,
    );
    const source = this.source();
    if (!source) {
      setStatus('choose or upload a DAG file first', true);
      return;
    }
    const budget = byId<HTMLInputElement>('budget').valueAsNumber;
    const request: ScheduleRequest = {
      ...source,
      methods,
      ...(Number.isFinite(budget) && { budgetS: budget }),
    };
    setStatus(`scheduling ${source.file ?? source.name} with ${methods.join(', ')}…`);
    byId('run-schedule').setAttribute('disabled', '');
    try {
      this.render(await postJson<ScheduleResponse>('/api/schedule', request));
      setStatus('');
    } catch (e) {
      setStatus((e as Error).message, true);
    } finally {
      byId('run-schedule').removeAttribute('disabled');
    }
  }

  private render(r: ScheduleResponse): void {
    byId('schedule-summary').textContent =
      `${r.name}: ${r.nodes} nodes, deadline D = ${r.deadline}, lower bound ${r.lowerBound} cores` +
      (r.optimum !== undefined ? `, optimum ${r.optimum} cores (proved by optimal)` : '');
    const table = byId('schedule-table');
    const head = element('tr');
    head.append(...[...r.head, 'vs optimum'].map((h) => element('th', h)));
    const rows = r.results.map((a) => {
      const tr = element('tr', undefined, { 'data-method': a.method });
      const gap = (g: number | undefined): string => (g === undefined ? '' : `+${Math.round(g * 100)}%`);
      tr.append(
        ...a.row.map((c) => element('td', String(c), typeof c === 'number' ? { class: 'num' } : {})),
        element('td', r.optimum === undefined ? '' : gap(a.gapToOptimum), { class: 'num' }),
      );
      return tr;
    });
    table.replaceChildren(head, ...rows);
    byId('schedule-notes').replaceChildren(
      ...r.results
        .filter((a) => a.note)
        .map((a) => element('p', `${a.method}: ${a.note}`, { class: 'hint' })),
    );
    byId('dag-graph').replaceChildren(...(r.dagSvg !== undefined ? [parseSvg(r.dagSvg)] : []));
    byId('gantts').replaceChildren(
      ...r.results.map((a) => {
        const panel = element('div', undefined, { class: 'panel gantt', 'data-method': a.method });
        panel.append(element('h2', `${a.method}: ${a.feasible ? `${a.cores} cores` : 'no timetable'}`));
        if (a.gantt) panel.append(parseSvg(a.gantt));
        return panel;
      }),
    );
  }
}
