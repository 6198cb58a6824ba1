import { describe, expect, it } from 'vitest';
import { renderLinePlotSvg } from '../../src/report/line-plot-svg.js';
import { svgToPng } from '../../src/report/svg-to-png.js';

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Uint8Array): [number, number] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return [view.getUint32(16), view.getUint32(20)];
}

describe('svgToPng', () => {
  it('rasterises at the SVG size, or scaled to a width keeping the aspect ratio', async () => {
    const svg = await renderLinePlotSvg({
      title: 'curve',
      xLabel: 'env steps',
      yLabel: 'return',
      series: [{ name: 's', x: [0, 1, 2], y: [0, 1, 4] }],
      width: 400,
      height: 200,
    });
    expect(pngSize(await svgToPng(svg))).toEqual([400, 200]);
    expect(pngSize(await svgToPng(svg, { width: 800, background: 'white' }))).toEqual([800, 400]);
  });

  it('draws something: a filled rectangle gives non-background pixels (size grows with content)', async () => {
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"></svg>';
    const box =
      '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><rect x="5" y="5" width="20" height="30" fill="#d62728"/><text x="5" y="45" font-size="10">hi</text></svg>';
    const a = await svgToPng(blank);
    const b = await svgToPng(box);
    expect(pngSize(a)).toEqual([50, 50]);
    expect(b.length).toBeGreaterThan(a.length);
  });
});
