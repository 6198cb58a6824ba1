import { describe, expect, it } from 'vitest';
import { linePlotSpec, renderLinePlotSvg } from '../../src/report/line-plot-svg.js';
import { checkXml, svgTexts } from '../helpers/check-xml.js';

const steps = [0, 2048, 4096, 6144, 8192];

describe('renderLinePlotSvg', () => {
  it('renders a well-formed SVG with title, axis titles, legend names and one path per curve', async () => {
    const svg = await renderLinePlotSvg({
      title: 'PPO on CartPole-v1 <3 seeds> & more',
      xLabel: 'env steps',
      yLabel: 'episode return',
      series: [
        {
          name: 'rollout/ep_rew_mean',
          x: steps,
          y: [10, 20, 40, 80, 160],
          band: { lo: [5, 15, 30, 70, 150], hi: [15, 25, 50, 90, 170] },
        },
        { name: 'eval/mean_return', x: [4096, 8192], y: [50, 200] },
      ],
      width: 640,
      height: 360,
      hline: { y: 195, label: 'solved (195)' },
    });
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    expect(svg).toMatch(/^<svg [^>]*width="640" height="360"/);
    const texts = svgTexts(svg);
    for (const t of [
      'PPO on CartPole-v1 <3 seeds> & more',
      'env steps',
      'episode return',
      'rollout/ep_rew_mean',
      'eval/mean_return',
      'solved (195)',
    ])
      expect(texts).toContain(t);
    expect(texts.filter((t) => t === 'solved (195)')).toHaveLength(1);
    // One line per series, one band (only the first series has one), one reference rule.
    const count = (re: RegExp): number => (svg.match(re) ?? []).length;
    expect(count(/class="mark-line role-mark[^"]*"[^>]*><path /g)).toBe(2);
    expect(count(/class="mark-area role-mark[^"]*"[^>]*><path /g)).toBe(1);
    expect(count(/class="mark-rule role-mark[^"]*"[^>]*><line /g)).toBe(1);
    expect(count(/class="mark-symbol role-legend-symbol/g)).toBe(2);
    expect(svg).toContain('stroke-dasharray="6,4"');
  });

  it('skips non-finite points and still renders an empty plot', async () => {
    const spec = linePlotSpec({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', x: [0, 1, 2, NaN], y: [1, NaN, 3, 4] }],
    }) as unknown as { data: { values: { x: number; y: number | null }[] } };
    expect(spec.data.values.map((r) => [r.x, r.y])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const empty = await renderLinePlotSvg({
      title: 'nothing yet',
      xLabel: 'env steps',
      yLabel: 'return',
      series: [],
    });
    checkXml(empty);
    expect(svgTexts(empty)).toEqual(expect.arrayContaining(['nothing yet', 'env steps', 'return']));
  });

  it('rejects series whose arrays disagree in length', () => {
    expect(() =>
      linePlotSpec({ title: '', xLabel: '', yLabel: '', series: [{ name: 'bad', x: [1, 2], y: [1] }] }),
    ).toThrow(expect.objectContaining({ code: 'invalid-input/plot-series', item: "series 'bad'" }));
    expect(() =>
      linePlotSpec({
        title: '',
        xLabel: '',
        yLabel: '',
        series: [{ name: 'b', x: [1, 2], y: [1, 2], band: { lo: [0], hi: [2, 3] } }],
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-input/plot-series' }));
  });
});
