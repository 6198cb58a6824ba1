/**
 * The dashboard's browser entry: switches between the views by the URL's hash (`#runs`,
 * `#schedules`, `#logic`, `#hsoc`, `#bench`) and starts each view the first time it is shown.
 */
import { byId, setStatus } from './api-client.js';
import { RunsView } from './runs-view.js';
import { BenchView } from './bench-view.js';
import { HsocView } from './hsoc-view.js';
import { LogicView } from './logic-view.js';
import { SchedulesView } from './schedules-view.js';

const views = {
  runs: { section: 'runs-view', create: (): { start(): Promise<void> } => new RunsView() },
  schedules: { section: 'schedules-view', create: (): { start(): Promise<void> } => new SchedulesView() },
  logic: { section: 'logic-view', create: (): { start(): Promise<void> } => new LogicView() },
  hsoc: { section: 'hsoc-view', create: (): { start(): Promise<void> } => new HsocView() },
  bench: { section: 'bench-view', create: (): { start(): Promise<void> } => new BenchView() },
} as const;
type ViewName = keyof typeof views;
const started = new Set<ViewName>();

function show(): void {
  const wanted = location.hash.replace(/^#/, '').split('?')[0] ?? '';
  const name: ViewName = wanted in views ? (wanted as ViewName) : 'runs';
  for (const [k, v] of Object.entries(views)) byId(v.section).hidden = k !== name;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a'))
    a.classList.toggle('active', a.dataset.view === name);
  if (!started.has(name)) {
    started.add(name);
    views[name]
      .create()
      .start()
      .catch((e: unknown) => setStatus(`${name}: ${(e as Error).message}`, true));
  }
}

window.addEventListener('hashchange', show);
show();
