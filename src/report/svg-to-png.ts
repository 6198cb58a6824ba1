/**
 * PNG export of SVG reports through resvg, an optional native module: when it cannot load, only
 * PNG output fails, with a clear error.
 */
import { ArbiterError } from '../core/errors.js';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Width of the PNG in pixels; the height follows the SVG's aspect ratio. Default the SVG's own width. */
  width?: number;
  /** Background color (CSS syntax) under transparent parts. Default transparent. */
  background?: string;
  /**
   * Font family used for `sans-serif` and unnamed text. Default `"DejaVu Sans"` (on most Linux
   * systems); the system fonts are searched, so text is drawn only if the machine has some font.
   */
  sansSerifFamily?: string;
}

/**
 * Rasterises an SVG document (e.g. from `renderLinePlotSvg` or `renderGanttSvg`) to PNG bytes with
 * resvg (`@resvg/resvg-js`, a prebuilt native module loaded on first use). Throws an
 * {@link ArbiterError} with code `png-unavailable` when that module cannot be loaded on this
 * platform; SVG output keeps working then.
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Uint8Array> {
  let resvg: typeof import('@resvg/resvg-js');
  try {
    // Loaded lazily: a platform without the native binary still gets every SVG feature.
    resvg = await import('@resvg/resvg-js');
  } catch (e) {
    throw new ArbiterError('png-unavailable', `PNG export needs @resvg/resvg-js: ${(e as Error).message}`);
  }
  const family = options.sansSerifFamily ?? 'DejaVu Sans';
  const renderer = new resvg.Resvg(svg, {
    font: { loadSystemFonts: true, sansSerifFamily: family, defaultFontFamily: family },
    ...(options.width !== undefined ? { fitTo: { mode: 'width', value: Math.round(options.width) } } : {}),
    ...(options.background !== undefined ? { background: options.background } : {}),
    logLevel: 'off',
  });
  return new Uint8Array(renderer.render().asPng());
}
