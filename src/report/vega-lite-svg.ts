/**
 * Headless Vega-Lite rendering to SVG, shared by every chart built from a Vega-Lite spec.
 */
import { Error as VEGA_ERROR, logger, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to a standalone SVG document headlessly (Vega with `renderer: 'none'`;
 * text widths are estimated, no canvas needed). Vega's warnings are silenced: they would go to
 * the console of a CLI user. Asynchronous because Vega renders asynchronously.
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const quiet = logger(VEGA_ERROR);
  const { spec: vega } = compile(spec, { logger: quiet });
  const view = new View(parse(vega), { renderer: 'none', logger: quiet });
  try {
    const svg = await view.toSVG();
    return svg.endsWith('\n') ? svg : svg + '\n';
  } finally {
    view.finalize();
  }
}
