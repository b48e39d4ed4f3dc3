/**
 * Vega-Lite specs → SVG with Vega's headless renderer (no browser, no canvas), and SVG → PNG with
 * resvg, using the machine's fonts (DejaVu Sans where present).
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** `zoom` 2 gives a sharp PNG at twice the SVG's size. */
export function svgToPng(svg: string, zoom = 2): Uint8Array {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' }).render().asPng();
}
