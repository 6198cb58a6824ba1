/**
 * The runs view's learning curve: a Vega-Lite line chart (one line per run, zoom and pan with the
 * mouse) rendered as SVG, whose points are appended in place as live metrics arrive. Its
 * expressions run in Vega's interpreter, never through `eval`. Vega is loaded on first use, so the
 * page paints before its code is parsed.
 */
import type { View } from 'vega';

/** One plotted point: a run's metric value at an env step. */
export interface CurvePoint {
  /** Run id. */
  run: string;
  /** Env step. */
  step: number;
  /** Metric value. */
  value: number;
}

/** A live line chart of one metric over several runs. */
export class LearningCurveChart {
  private view: View | undefined;
  private count = 0;
  private generation = 0;

  /**
   * Draws into `container`, whose `data-points` attribute always holds the number of points drawn
   * and `data-render-ms` how long the last full drawing took (parse, data, layout and SVG).
   */
  constructor(private readonly container: HTMLElement) {}

  /** Replaces the chart with these points of `metric` (an empty list shows a hint instead). */
  async show(metric: string, points: readonly CurvePoint[]): Promise<void> {
    const generation = ++this.generation;
    const [{ parse, View: VegaView }, { compile }, { expressionInterpreter }] = await Promise.all([
      import('vega'),
      import('vega-lite'),
      import('vega-interpreter'),
    ]);
    if (generation !== this.generation) return; // a newer call replaced this one meanwhile
    this.view?.finalize();
    this.view = undefined;
    this.container.replaceChildren();
    if (points.length === 0) {
      const hint = document.createElement('p');
      hint.className = 'hint';
      hint.textContent = 'No points of this metric yet.';
      this.container.append(hint);
      this.setCount(0);
      return;
    }
    const t0 = performance.now();
    const width = Math.max(320, this.container.clientWidth - 160);
    const { spec } = compile({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width,
      height: 300,
      data: { name: 'points' },
      params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
      mark: { type: 'line', tooltip: true, interpolate: 'linear' },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'env steps' },
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', title: 'run', legend: { orient: 'bottom', columns: 2 } },
        order: { field: 'step', type: 'quantitative' },
      },
    });
    // Expressions as ASTs walked by the interpreter: Vega's default compiles them with `Function`,
    // which the page's Content-Security-Policy forbids.
    const view = new VegaView(parse(spec, undefined, { ast: true }), {
      expr: expressionInterpreter,
      renderer: 'svg',
      container: this.container,
      hover: true,
    });
    view.insert(
      'points',
      points.map((p) => ({ ...p })),
    );
    await view.runAsync();
    if (generation !== this.generation) {
      view.finalize();
      return;
    }
    this.view = view;
    this.container.dataset.renderMs = String(Math.round(performance.now() - t0));
    this.setCount(points.length);
  }

  /** Appends points to the chart drawn by {@link show} (ignored before it has drawn). */
  async append(points: readonly CurvePoint[]): Promise<void> {
    if (!this.view || points.length === 0) return;
    this.view.insert(
      'points',
      points.map((p) => ({ ...p })),
    );
    await this.view.runAsync();
    this.setCount(this.count + points.length);
  }

  /** Whether a chart is drawn (so {@link append} takes points). */
  get drawn(): boolean {
    return this.view !== undefined;
  }

  private setCount(n: number): void {
    this.count = n;
    this.container.dataset.points = String(n);
  }
}
