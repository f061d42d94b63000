import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';

/** The PNG's width in pixels: twice the chart's drawn width, so it stays sharp on high-density screens. */
export const CHART_WIDTH_PX = 1400;

let fontFiles: string[] | undefined;

/**
 * The font files shipped in assets/fonts, found from this module upwards (src/… under tsx and vitest, dist/src/…
 * when built; the Docker image copies assets/ beside dist/). System fonts are never used, so the image is the same
 * on every machine, slim containers included.
 */
export function chartFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'assets', 'fonts', 'DejaVuSans.ttf');
    if (existsSync(candidate)) {
      fontFiles = [candidate, path.join(dir, 'assets', 'fonts', 'DejaVuSans-Bold.ttf')];
      return fontFiles;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('the chart font (assets/fonts/DejaVuSans.ttf) is missing');
    dir = parent;
  }
}

/**
 * The chart as SVG: Vega-Lite compiled to Vega, drawn headless (no browser, no canvas). Vega and Vega-Lite are
 * imported on first use: loading them takes about a second and tens of MB, which every start would otherwise pay
 * for a chart drawn once a week.
 */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as PNG, CHART_WIDTH_PX wide, rasterised by resvg with the project's own font. */
export async function renderChart(spec: TopLevelSpec): Promise<Buffer> {
  const svg = await chartSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: CHART_WIDTH_PX },
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
