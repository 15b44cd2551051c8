/**
 * Chart images for Telegram: an ECharts option rendered server-side to SVG (no DOM, no canvas), then rasterised
 * to PNG by resvg. Both install from the npm registry alone (resvg ships its native part as a per-platform npm
 * package). Text is drawn with DejaVu Sans from the npm package `dejavu-fonts-ttf` (Latin and Cyrillic; a cut of
 * it in assets/fonts first, for speed), never the system's fonts: a slim production image has none, and the same chart renders the same everywhere.
 */
import path from 'node:path';
import type * as ResvgModule from '@resvg/resvg-js';
import type * as Echarts from 'echarts';

/**
 * ECharts and resvg are loaded on the first chart drawn, not at start: a worker or bot that never draws one (or
 * draws it minutes later) does not pay ~0.1 s of its start-up loading them.
 */
let engines: { echarts: typeof Echarts; Resvg: typeof ResvgModule.Resvg } | undefined;
function chartEngines(): NonNullable<typeof engines> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use (above); import() would make renderChart async */
  engines ??= {
    echarts: require('echarts') as typeof Echarts,
    Resvg: (require('@resvg/resvg-js') as typeof ResvgModule).Resvg,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return engines;
}

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
/** DejaVu Sans cut to the characters the card and charts draw (scripts/subset-card-fonts.sh), from the repo root. */
const CARD_FONT_DIR = path.join(__dirname, '..', '..', 'assets', 'fonts');
/**
 * resvg reads a text's font file once per <text> element, so the small cut comes first: a card of ~100 labels
 * renders in half the time, pixel for pixel the same. Any other character falls back to the full files after it
 * (drawn, though a bold label then shows that character in the regular weight).
 */
export const FONT_FILES = [
  path.join(CARD_FONT_DIR, 'DejaVuSans-card.ttf'),
  path.join(CARD_FONT_DIR, 'DejaVuSans-Bold-card.ttf'),
  path.join(FONT_DIR, 'DejaVuSans.ttf'),
  path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
];
const FONT = {
  fontFiles: FONT_FILES,
  loadSystemFonts: false,
  defaultFontFamily: 'DejaVu Sans',
  sansSerifFamily: 'DejaVu Sans',
};

export interface ChartImage {
  png: Buffer;
  /** The SVG the PNG was drawn from: its <text> elements are the chart's labels (tests read them). */
  svg: string;
  width: number;
  height: number;
}

export const CHART_SIZE = { width: 960, height: 540 } as const;

/** Renders one ECharts option (animation off) to SVG and PNG. */
export function renderChart(
  option: Echarts.EChartsOption,
  size: { width: number; height: number } = CHART_SIZE,
): ChartImage {
  const { echarts, Resvg } = chartEngines();
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans' },
      ...option,
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { background: '#ffffff', font: FONT }).render().asPng();
    return { png, svg, width: size.width, height: size.height };
  } finally {
    chart.dispose();
  }
}

/** The text labels of a rendered chart (decoded), e.g. to check that a title or an axis name is there. */
export function chartLabels(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) {
    out.push(
      m[1]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    );
  }
  return out;
}

export type { EChartsOption } from 'echarts';
