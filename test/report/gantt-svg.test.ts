import { describe, expect, it } from 'vitest';
import type { ScheduledNode, ScheduleResult } from '../../src/dag/schedule/schedule-result.js';
import { renderGanttSvg } from '../../src/report/gantt-svg.js';

function result(schedule: ScheduledNode[], extra: Partial<ScheduleResult> = {}): ScheduleResult {
  const cores = new Set(schedule.map((s) => s.core)).size;
  const makespan = Math.max(0, ...schedule.map((s) => s.finish));
  const deadline = extra.deadline ?? 12;
  return {
    method: 'graham',
    cores,
    feasible: schedule.length > 0 && makespan <= deadline,
    deadline,
    makespan,
    schedule,
    addedEdges: [],
    lowerBound: 1,
    timeMs: 0.5,
    guarantee: 'analytic',
    guarantees: [],
    ...extra,
  };
}

/**
 * A tiny well-formedness check: every tag closes in order, self-closing tags stand alone,
 * no raw `<` or `&` outside tags and entities. Returns the element names in document order.
 */
function checkXml(svg: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const tag =
    /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index);
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else {
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  return names;
}

const small: ScheduledNode[] = [
  { node: 'src', core: 0, start: 0, finish: 0 },
  { node: 'v1', core: 0, start: 0, finish: 4 },
  { node: 'v2', core: 1, start: 0, finish: 6 },
  { node: 7, core: 2, start: 1, finish: 2 },
  { node: 'v4', core: 1, start: 6, finish: 10 },
  { node: 'sink', core: 0, start: 10, finish: 10 },
];

describe('renderGanttSvg', () => {
  it('is a well-formed SVG document: <svg …> … </svg>, one <rect> per positive-length node', () => {
    const svg = renderGanttSvg(result(small), { title: 'ex1: graham' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const names = checkXml(svg);
    expect(names.filter((n) => n === 'rect')).toHaveLength(4);
    expect(names.filter((n) => n === 'svg')).toHaveLength(1);
    // Every node, zero-length ones included, has a tooltip.
    expect(names.filter((n) => n === 'title')).toHaveLength(small.length);
    expect(svg).toContain('<title>v2: core 1, start 0, finish 6</title>');
    expect(svg).toContain('<title>src: core 0, start 0, finish 0</title>');
  });

  it('labels cores, every node, the deadline (red dashed), the makespan and a heading', () => {
    const svg = renderGanttSvg(result(small), { title: 'ex1: graham' });
    for (const core of ['core 0', 'core 1', 'core 2']) expect(svg).toContain(`>${core}</text>`);
    expect(svg).not.toContain('core 3');
    for (const id of ['v1', 'v2', '7', 'v4']) expect(svg).toContain(`>${id}</text>`);
    expect(svg).toContain('D = 12');
    expect(svg).toMatch(/stroke="#d62728"[^>]*stroke-dasharray/);
    expect(svg).toContain('makespan = 10');
    expect(svg).toContain('ex1: graham');
    expect(svg).toContain('method graham · 3 cores · makespan 10 · D = 12 · feasible');
    expect(renderGanttSvg(result(small, { deadline: 9, feasible: false }))).toContain('infeasible');
  });

  it('has a time axis with ticks from 0 to at least max(makespan, D)', () => {
    const svg = renderGanttSvg(result(small));
    for (const t of [0, 2, 4, 6, 8, 10, 12]) expect(svg).toContain(`>${t}</text>`);
  });

  it('escapes <, &, " and \' in ids, titles and colors', () => {
    const nasty = `a<b&"c'`;
    const svg = renderGanttSvg(result([{ node: nasty, core: 0, start: 0, finish: 8 }]), {
      title: 'T <&> "x"',
      colors: { [nasty]: '"red"' },
    });
    checkXml(svg);
    expect(svg).toContain('a&lt;b&amp;&quot;c&apos;');
    expect(svg).not.toContain(nasty);
    expect(svg).toContain('T &lt;&amp;&gt; &quot;x&quot;');
    expect(svg).toContain('fill="&quot;red&quot;"');
  });

  it('shortens or hides labels of bars too narrow for them, keeping the tooltip', () => {
    const svg = renderGanttSvg(
      result(
        [
          { node: 'a-rather-long-node-name', core: 0, start: 0, finish: 6 },
          { node: 'tiny', core: 0, start: 6, finish: 6.05 },
          { node: 'rest', core: 0, start: 6.05, finish: 100 },
        ],
        { deadline: 100 },
      ),
    );
    checkXml(svg);
    expect(svg).not.toContain('>a-rather-long-node-name</text>');
    expect(svg).toContain('<title>a-rather-long-node-name: core 0, start 0, finish 6</title>');
    expect(svg).toMatch(/>a-r[^<]*…<\/text>/); // about 50 px: a prefix and an ellipsis
    expect(svg).not.toContain('>tiny</text>');
    expect(svg).toContain('>rest</text>');
  });

  it('applies custom colors given as a record or a function', () => {
    const byRecord = renderGanttSvg(result(small), { colors: { v1: '#000000' } });
    expect(byRecord).toMatch(/<rect[^>]*fill="#000000"/);
    expect(byRecord).toMatch(/fill="#fff">v1</);
    const byFn = renderGanttSvg(result(small), { colors: (id) => (id === 7 ? '#123456' : undefined) });
    expect(byFn).toMatch(/<rect[^>]*fill="#123456"/);
  });

  it('scales to 64 cores and 1000 nodes: well-formed, every core row, one bar per node', () => {
    const schedule: ScheduledNode[] = Array.from({ length: 1000 }, (_, i) => ({
      node: `v${i}`,
      core: i % 64,
      start: Math.floor(i / 64) * 31,
      finish: Math.floor(i / 64) * 31 + 1 + (i % 30),
    }));
    const svg = renderGanttSvg(result(schedule, { deadline: 480 }));
    const names = checkXml(svg);
    expect(names.filter((n) => n === 'rect')).toHaveLength(1000);
    expect(svg).toContain('>core 63</text>');
    expect(svg).toContain('D = 480');
    const height = Number(/height="(\d+)"/.exec(svg)![1]);
    expect(height).toBeLessThan(1200);
    expect(svg.length).toBeLessThan(400_000);
  });

  it('one core, and a result without a timetable, still give a valid picture', () => {
    const one = renderGanttSvg(result([{ node: 'only', core: 0, start: 0, finish: 3 }], { deadline: 3 }));
    checkXml(one);
    expect(one).toContain('>core 0</text>');
    expect(one).toContain('method graham · 1 core ·');
    const none = renderGanttSvg(result([], { cores: 0, feasible: false, deadline: 5 }));
    checkXml(none);
    expect(none).toContain('no timetable');
    expect(none).not.toContain('<rect');
    expect(none).toContain('D = 5');
  });
});
