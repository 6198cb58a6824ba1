/**
 * The benchmarks view: the result files of `npm run bench` as tables (every array of records in a
 * JSON file, filterable) with the file's scalar fields, and the SVG plots beside them.
 */
import type { BenchList, BenchTables } from '../dashboard-api.js';
import { byId, element, getJson, setStatus } from './api-client.js';

/** The benchmarks view's state and behaviour. */
export class BenchView {
  private current: BenchTables | undefined;

  /** Lists the result files and plots, and opens the first file. */
  async start(): Promise<void> {
    const list = await getJson<BenchList>('/api/bench');
    const select = byId<HTMLSelectElement>('bench-file');
    select.replaceChildren(
      ...(list.tables.length > 0
        ? list.tables.map((f) => element('option', f, { value: f }))
        : [element('option', '(no bench/results here: run npm run bench in a checkout)', { value: '' })]),
    );
    select.addEventListener('change', () => void this.open(select.value));
    byId('bench-filter').addEventListener('input', () => this.render());
    byId('bench-plots').replaceChildren(
      ...list.plots.map((p) => {
        const figure = element('figure', undefined, { class: 'panel' });
        figure.append(
          element('img', undefined, {
            src: `/api/bench/plot?file=${encodeURIComponent(p)}`,
            alt: p,
            loading: 'lazy',
          }),
          element('figcaption', p),
        );
        return figure;
      }),
    );
    if (select.value !== '') await this.open(select.value);
  }

  private async open(file: string): Promise<void> {
    try {
      this.current = await getJson<BenchTables>(`/api/bench/table?file=${encodeURIComponent(file)}`);
      setStatus('');
    } catch (e) {
      setStatus((e as Error).message, true);
      return;
    }
    this.render();
  }

  private render(): void {
    const b = this.current;
    if (!b) return;
    const filter = byId<HTMLInputElement>('bench-filter').value.trim().toLowerCase();
    byId('bench-meta').textContent = Object.entries(b.meta)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(' · ');
    byId('bench-tables').replaceChildren(
      ...b.tables.map((t) => {
        const rows = t.rows.filter((r) => filter === '' || JSON.stringify(r).toLowerCase().includes(filter));
        const wrap = element('div', undefined, { class: 'bench-table', 'data-table': t.key });
        const table = element('table', undefined, { class: 'data' });
        const head = element('tr');
        head.append(...t.columns.map((c) => element('th', c)));
        table.append(
          head,
          ...rows.map((r) => {
            const tr = element('tr');
            tr.append(...t.columns.map((c) => cell(r[c])));
            return tr;
          }),
        );
        wrap.append(element('h3', `${t.key} (${rows.length} of ${t.rows.length} rows)`), table);
        return wrap;
      }),
    );
  }
}

function cell(v: unknown): HTMLTableCellElement {
  if (typeof v === 'number')
    return element('td', Number.isInteger(v) ? String(v) : v.toPrecision(4), { class: 'num' });
  return element(
    'td',
    v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v),
  );
}
