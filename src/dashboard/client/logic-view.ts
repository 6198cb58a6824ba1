/**
 * The logic view: a knowledge base's inference (`arbiter logic infer --log`): its contradictions
 * with the nodes involved, the step log as a timeline scrubbed with a slider (every node's bounds
 * after the chosen step, the node that moved highlighted), and the graph with its final bounds.
 */
import type { LogicAnswer, LogicFileList, LogicRequest } from '../dashboard-api.js';
import { byId, element, getJson, postJson, setStatus } from './api-client.js';
import { StepSlider } from './step-slider.js';
import { parseSvg } from './svg-node.js';

/** The example opened first when the package ships it: the one with a contradiction. */
const FIRST_EXAMPLE = 'light-load.json';

/** The logic view's state and behaviour. */
export class LogicView {
  private answer: LogicAnswer | undefined;
  private upload: { name: string; text: string } | undefined;
  private slider: StepSlider | undefined;

  /** Lists the knowledge bases, wires the controls and opens the first one. */
  async start(): Promise<void> {
    const list = await getJson<LogicFileList>('/api/logic-files');
    const select = byId<HTMLSelectElement>('kb-file');
    select.replaceChildren(
      ...list.examples.map((e) => element('option', `example: ${e}`, { value: `example:${e}` })),
      ...list.files.map((f) => element('option', f.path, { value: `file:${f.path}` })),
    );
    if (select.options.length === 0)
      select.append(element('option', '(no knowledge bases; upload one)', { value: '' }));
    if (list.examples.includes(FIRST_EXAMPLE)) select.value = `example:${FIRST_EXAMPLE}`;
    select.addEventListener('change', () => {
      this.upload = undefined;
      void this.run();
    });
    byId('kb-frechet').addEventListener('change', () => void this.run());
    byId<HTMLInputElement>('kb-upload').addEventListener('change', (e) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (!file) return;
      void file.text().then((text) => {
        this.upload = { name: file.name, text };
        void this.run();
      });
    });
    this.slider = new StepSlider(byId('log-controls'), 'log', { first: '« facts', last: 'end »' }, (k) =>
      this.show(k),
    );
    if (select.value !== '') await this.run();
  }

  private async run(): Promise<void> {
    const choice = byId<HTMLSelectElement>('kb-file').value;
    const frechet = byId<HTMLInputElement>('kb-frechet').checked;
    let request: LogicRequest;
    if (this.upload) request = { text: this.upload.text, name: this.upload.name, frechet };
    else if (choice.startsWith('example:')) request = { example: choice.slice(8), frechet };
    else if (choice.startsWith('file:')) request = { file: choice.slice(5), frechet };
    else return;
    try {
      this.answer = await postJson<LogicAnswer>('/api/logic', request);
      setStatus('');
    } catch (e) {
      setStatus((e as Error).message, true);
      return;
    }
    const a = this.answer;
    byId('logic-summary').textContent =
      `${a.name}: ${a.mode.toUpperCase()}, ${a.nodes.length} nodes, ` +
      `${a.converged ? 'converged' : 'NOT converged'} after ${a.iterations} iteration(s), ` +
      `${a.steps.length} log entries, ${a.contradictions.length} contradiction(s)`;
    byId('contradictions').replaceChildren(
      ...a.contradictions.map((c) =>
        element(
          'div',
          `contradiction at ${c.node}: [${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}] (extent ${c.extent.toFixed(3)}), ` +
            `rule ${c.rule} via ${c.via}, iteration ${c.iteration}; nodes involved: ${c.nodes.join(', ')}`,
          { class: 'contradiction', 'data-node': c.node },
        ),
      ),
    );
    byId('logic-graph').replaceChildren(parseSvg(a.svg));
    this.slider?.reset(a.steps.length, a.steps.length);
  }

  /** Shows every node's bounds after the first `k` log entries (0: before any, all: the result). */
  private show(k: number): void {
    const a = this.answer;
    if (!a) return;
    const bounds = new Map(a.nodes.map((n) => [n.id, [0, 1] as [number, number]]));
    for (const s of a.steps.slice(0, k)) bounds.get(s.node)![s.bound === 'lower' ? 0 : 1] = s.to;
    const last = k > 0 ? a.steps[k - 1] : undefined;
    const end = k === a.steps.length;
    // A contradiction shows once the timeline reaches its iteration.
    const reached = a.contradictions.filter(
      (c) => end || (last !== undefined && last.iteration >= c.iteration),
    );
    const crossed = new Map(reached.map((c) => [c.node, c]));
    const involved = new Set(reached.flatMap((c) => c.nodes));
    byId('log-position').textContent = `${k} of ${a.steps.length}`;
    const current = byId('log-current');
    current.dataset.step = String(k);
    current.textContent = last
      ? `iteration ${last.iteration}: ${last.rule} via ${last.via} moved the ${last.bound} bound of ${last.node} ` +
        `${last.from.toFixed(3)} → ${last.to.toFixed(3)}` +
        (last.sources.length > 0 ? ` (from ${last.sources.join(', ')})` : '')
      : 'before the facts: every bound [0, 1]';
    const head = element('tr');
    head.append(
      element('th', 'node'),
      element('th', 'formula'),
      element('th', 'bounds'),
      element('th', 'width'),
    );
    const order = [...a.nodes].sort((x, y) => Number(y.query) - Number(x.query));
    const rows = order.map((n) => {
      const c = crossed.get(n.id);
      const [L, U] = c ? [c.lower, c.upper] : bounds.get(n.id)!;
      const classes = [c || involved.has(n.id) ? 'contradicted' : '', last?.node === n.id ? 'moved' : '']
        .filter(Boolean)
        .join(' ');
      const tr = element('tr', undefined, { 'data-node': n.id, ...(classes && { class: classes }) });
      tr.append(
        element('td', n.query ? `${n.id} (query)` : n.id),
        element('td', n.formula),
        element('td', `[${L.toFixed(3)}, ${U.toFixed(3)}]`),
        element('td', c ? 'contradiction' : (U - L).toFixed(3), { class: 'num' }),
      );
      return tr;
    });
    byId('logic-bounds').replaceChildren(head, ...rows);
  }
}
