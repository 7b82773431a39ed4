/**
 * Charts drawn on the server: Apache ECharts renders an SVG string, which is then rewritten so
 * that it can be inlined in a page served with `style-src 'self'` and `script-src 'self'`.
 *
 * What ECharts 6's SSR output contains, and what becomes of it (see sanitizeEchartsSvg):
 * - `style="font-size:12px;font-family:…"` on every <text>: turned into presentation attributes.
 *   zrender does not escape attribute values, so nothing user-supplied may ever reach an
 *   attribute (names and categories only become escaped text), and the font stack uses single
 *   quotes only.
 * - a trailing `<style><![CDATA[.zr0-cls-0:hover {…}]]></style>` with hover rules, and a
 *   `class="zr0-cls-N"` on the shapes: both dropped (the charts are static pictures).
 * - `ecmeta_series_index`, `ecmeta_data_index`, `ecmeta_ssr_type`, `ecmeta_silent` (for ECharts'
 *   optional client runtime): dropped.
 * - ids such as `zr0-c0` (clip paths) and `zr3-p0` (decal patterns) numbered by a process-wide
 *   counter of zrender instances, so the same chart came out different each time: renamed after
 *   the chart's hash, so that output is deterministic.
 * - no scripts and no event handlers; the rewriting keeps an allow-list of elements and
 *   attributes anyway, so none could get through.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

type Init = typeof import('echarts/core').init;
let loaded: Init | undefined;

/** The i-th of a repeating list (colours, line styles), from the start again past its end. */
function cyclic<T>(list: readonly [T, ...T[]], i: number): T {
  return list[i % list.length] as T;
}
/**
 * ECharts with the parts the platform draws, loaded on the first chart drawn rather than at start (it
 * takes about 0.4 s to load, a third of a cold start). Synchronously, as pages are rendered.
 */
function echarts(): Init {
  if (!loaded) {
    const load = createRequire(import.meta.url);
    const core = load('echarts/core') as typeof import('echarts/core');
    const charts = load('echarts/charts') as typeof import('echarts/charts');
    const components = load('echarts/components') as typeof import('echarts/components');
    const renderers = load('echarts/renderers') as typeof import('echarts/renderers');
    core.use([charts.LineChart, charts.BarChart, components.GridComponent, components.LegendComponent, renderers.SVGRenderer]);
    loaded = core.init;
  }
  return loaded;
}

type EChartsOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption>;

interface ChartSeries {
  name: string;
  /** One value per category, in the same order; null is a gap (no point, no bar). */
  values: (number | null)[];
  /** Typically a target: a dashed line, or a hollow bar with a dashed outline. */
  dashed?: boolean;
}

export interface ChartSpec {
  kind: 'line' | 'bar';
  /** The chart's accessible name (the SVG's <title>); not drawn, the figure's caption shows it. */
  title: string;
  /** The x axis, e.g. periods '2024', '2025 Q1'. */
  categories: string[];
  series: ChartSeries[];
  /** Shown as the y axis name. */
  unit?: string;
  /** The drawing's size in SVG units (it scales to its container): default 640 × 320. */
  width?: number;
  height?: number;
  /** BCP 47 tag for the compact numbers of the y axis (zh-Hant-HK: 1.2萬, en: 1.2K); default 'en'. */
  locale?: string;
}

const CHART_DEFAULT_WIDTH = 640;
const CHART_DEFAULT_HEIGHT = 320;
/** Series with more points than this are drawn without point symbols (isolated points keep one). */
const SYMBOL_LIMIT = 12;
const CACHE_MAX = 500;

/** Covers Latin and CJK with system fonts. Single quotes only: zrender writes it unescaped into an attribute. */
const CHART_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang TC', 'PingFang SC', 'Noto Sans CJK TC', 'Noto Sans CJK SC', 'Microsoft JhengHei', 'Microsoft YaHei', sans-serif";

/**
 * Series colours, after Okabe–Ito but darkened: each has at least 4.3:1 against white (WCAG AA
 * asks 3:1 of graphics). Blue, vermilion, green, purple, ochre, grey.
 */
export const CHART_PALETTE = ['#0072b2', '#c45a00', '#007a5a', '#b0457f', '#8a6d00', '#4d5560'] as const;
const TEXT_COLOUR = '#4d5560'; // 7.5:1 on white
const AXIS_COLOUR = '#4d5560';
const GRID_COLOUR = '#dde1e6'; // decoration only: the axis labels carry the values

/** Stroke patterns, so that colour is not the only cue: actual series first solid, targets dashed. */
const SOLID_LINES: readonly ['solid' | number[], ...('solid' | number[])[]] = ['solid', [12, 4, 2, 4], [2, 3]];
const DASHED_LINES: readonly [number[], ...number[][]] = [
  [8, 4],
  [4, 4],
  [8, 3, 2, 3, 2, 3],
];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond'] as const;
/** Fill patterns (ECharts decals) for the second and later filled bar series. */
const DECALS = [
  undefined,
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4, color: 'rgba(255,255,255,0.65)' },
  { symbol: 'circle', symbolSize: 0.7, dashArrayX: [[4, 4]], dashArrayY: [4, 4], color: 'rgba(255,255,255,0.7)' },
  { symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.65)' },
];

const cache = new Map<string, string>();

/** Renders a chart to an SVG string that is safe to inline under the platform's CSP; cached. */
export function renderChart(spec: ChartSpec): string {
  const normal = normalise(spec);
  const hash = createHash('sha1').update(JSON.stringify(normal)).digest('hex');
  const hit = cache.get(hash);
  if (hit !== undefined) {
    // Least recently used first: a hit moves to the end.
    cache.delete(hash);
    cache.set(hash, hit);
    return hit;
  }
  const svg = draw(normal, `chart-${hash.slice(0, 12)}`);
  cache.set(hash, svg);
  if (cache.size > CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return svg;
}

/** How many charts are cached (for tests and monitoring). */
export function chartCacheSize(): number {
  return cache.size;
}

export function clearChartCache(): void {
  cache.clear();
}

type NormalSpec = Required<Omit<ChartSpec, 'unit'>> & { unit: string | null };

/** Defaults filled in, fixed key order, values aligned with the categories: a stable cache key. */
function normalise(spec: ChartSpec): NormalSpec {
  const size = (n: number | undefined, fallback: number, what: string) => {
    const v = Math.round(n ?? fallback);
    if (!Number.isFinite(v) || v < 1 || v > 10_000) throw new RangeError(`Chart ${what} out of range: ${n}`);
    return v;
  };
  const count = spec.categories.length;
  return {
    kind: spec.kind,
    title: spec.title,
    categories: spec.categories.map(String),
    series: spec.series.map((s) => ({
      name: s.name,
      values: Array.from({ length: count }, (_, i) => {
        const v = s.values[i];
        return typeof v === 'number' && Number.isFinite(v) ? v : null;
      }),
      dashed: Boolean(s.dashed),
    })),
    unit: spec.unit || null,
    width: size(spec.width, CHART_DEFAULT_WIDTH, 'width'),
    height: size(spec.height, CHART_DEFAULT_HEIGHT, 'height'),
    locale: spec.locale || 'en',
  };
}

function draw(spec: NormalSpec, idPrefix: string): string {
  const chart = echarts()(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption(chartOption(spec));
    return sanitizeEchartsSvg(chart.renderToSVGString(), { idPrefix, title: spec.title, fontFamily: CHART_FONT_FAMILY });
  } finally {
    chart.dispose();
  }
}

function chartOption(spec: NormalSpec): EChartsOption {
  const several = spec.series.length > 1;
  const numbers = compactFormat(spec.locale);
  let solidIndex = 0;
  let dashedIndex = 0;
  const series = spec.series.map((s, i): LineSeriesOption | BarSeriesOption => {
    const colour = cyclic(CHART_PALETTE, i);
    // The nth solid (or nth dashed) series gets the nth pattern of its family.
    const variant = s.dashed ? dashedIndex++ : solidIndex++;
    const common = { name: s.name, silent: true, emphasis: { disabled: true }, animation: false } as const;
    if (spec.kind === 'line') {
      const lineType = s.dashed ? cyclic(DASHED_LINES, variant) : cyclic(SOLID_LINES, variant);
      const long = s.values.length > SYMBOL_LIMIT;
      return {
        ...common,
        type: 'line',
        color: colour,
        lineStyle: { width: 2, type: lineType, cap: 'butt' },
        symbol: SYMBOLS[i % SYMBOLS.length],
        symbolSize: 7,
        // showSymbol: false would also hide a point standing alone between gaps, which then
        // vanishes; instead each point of a long series gets symbol 'none' unless it is alone.
        showSymbol: true,
        showAllSymbol: true,
        connectNulls: false,
        data: s.values.map((v, j) => (long && !isolated(s.values, j) ? { value: v, symbol: 'none' } : v)),
      } satisfies LineSeriesOption;
    }
    const decal = s.dashed ? undefined : DECALS[variant % DECALS.length];
    return {
      ...common,
      type: 'bar',
      barMaxWidth: 56,
      itemStyle: s.dashed ? { color: '#ffffff', borderColor: colour, borderWidth: 2, borderType: cyclic(DASHED_LINES, variant) } : { color: colour, ...(decal ? { decal } : {}) },
      data: s.values,
    } satisfies BarSeriesOption;
  });

  return {
    animation: false,
    color: [...CHART_PALETTE],
    textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 12, color: TEXT_COLOUR },
    legend: several
      ? {
          show: true,
          top: 4,
          left: 'center',
          itemGap: 20,
          itemWidth: 32,
          selectedMode: false,
          textStyle: { color: TEXT_COLOUR },
          // Without this the key of a hollow dashed (target) bar has a solid outline.
          itemStyle: { borderType: 'inherit' },
        }
      : { show: false },
    grid: {
      left: 8,
      right: 24,
      top: several ? 56 : spec.unit ? 36 : 16,
      bottom: 8,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'category',
      data: spec.categories,
      boundaryGap: spec.kind === 'bar',
      axisLine: { lineStyle: { color: AXIS_COLOUR } },
      axisTick: { alignWithLabel: true, lineStyle: { color: AXIS_COLOUR } },
      axisLabel: { color: TEXT_COLOUR, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      ...(spec.unit ? { name: spec.unit, nameLocation: 'end' as const, nameGap: 12, nameTextStyle: { color: TEXT_COLOUR, align: 'left' as const } } : {}),
      axisLabel: { color: TEXT_COLOUR, formatter: (value: number) => numbers.format(value) },
      splitLine: { lineStyle: { color: GRID_COLOUR } },
    },
    series,
  };
}

function isolated(values: (number | null)[], i: number): boolean {
  return values[i] !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null;
}

const formats = new Map<string, Intl.NumberFormat>();

/** 1234 → 1.23K, 12000 → 1.2萬 (zh-Hant) / 1.2万 (zh-Hans). */
function compactFormat(locale: string): Intl.NumberFormat {
  let format = formats.get(locale);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 });
    } catch {
      format = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
    }
    formats.set(locale, format);
  }
  return format;
}

// ---------------------------------------------------------------------------------------------
// SVG rewriting

/** Elements kept; any other element is dropped with everything inside it (style, script, image, foreignObject, a…). */
const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'defs',
  'clipPath',
  'pattern',
  'linearGradient',
  'radialGradient',
  'stop',
  'title',
  'desc',
]);

const TEXT_ELEMENTS = new Set(['text', 'tspan', 'title', 'desc']);

/** Geometry and structure attributes kept as they are. */
const GEOMETRY = new Set([
  'id',
  'd',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'dx',
  'dy',
  'width',
  'height',
  'points',
  'transform',
  'viewBox',
  'preserveAspectRatio',
  'xmlns',
  'xml:space',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'gradientUnits',
  'gradientTransform',
  'clipPathUnits',
  'offset',
  'textLength',
  'lengthAdjust',
  'href',
  'xlink:href',
]);

/** SVG presentation attributes: what a `style` declaration may become. */
const PRESENTATION = new Set([
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant',
  'font-stretch',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'letter-spacing',
  'word-spacing',
  'text-decoration',
  'paint-order',
  'visibility',
  'display',
  'shape-rendering',
  'text-rendering',
  'vector-effect',
  'stop-color',
  'stop-opacity',
  'color',
  'direction',
]);

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*(?:="[^"<]*")?)*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([A-Za-z_:][\w:.-]*)(?:="([^"<]*)")?/g;
const TEXT = /[^<]+/y;
const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/y;
const WELL_ESCAPED_TEXT = /^(?:[^&<>]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);)*$/;
const LOCAL_URL = /^url\(#([\w-]+)\)$/;

/**
 * Rewrites ECharts' SSR SVG so that it carries only an allow-list of elements and of geometry
 * and presentation attributes: `style` attributes become presentation attributes, <style> and
 * every other element off the list go with their content, classes, `ecmeta_*`, event handlers
 * and non-local references go. zrender's ids (`zr<N>-…`) are renamed `<idPrefix>-…`. The root
 * gets role="img", a <title> (its accessible name) and a viewBox, and loses its width and height.
 * Markup it cannot read makes it throw rather than pass anything through.
 */
export function sanitizeEchartsSvg(
  svg: string,
  { idPrefix, title, fontFamily }: { idPrefix: string; title: string /** Set once on the root and dropped where repeated. */; fontFamily?: string },
): string {
  const out: string[] = [];
  const open: string[] = [];
  let skipDepth = 0; // > 0 while inside a dropped element
  let rootSeen = false;
  let pos = 0;
  const rename = (id: string) => id.replace(/^zr\d+-/, `${idPrefix}-`);

  while (pos < svg.length) {
    CDATA.lastIndex = pos;
    if (svg.startsWith('<![CDATA[', pos)) {
      const m = CDATA.exec(svg);
      if (!m || skipDepth === 0) throw new Error(`Unexpected CDATA in chart SVG at ${pos}`);
      pos = CDATA.lastIndex;
      continue;
    }
    if (svg[pos] === '<') {
      TAG.lastIndex = pos;
      const m = TAG.exec(svg);
      if (!m) throw new Error(`Unreadable markup in chart SVG at ${pos}: ${svg.slice(pos, pos + 40)}`);
      pos = TAG.lastIndex;
      const [, closing, name = '', attributeText = '', selfClosing] = m;
      if (closing) {
        if (open.pop() !== name) throw new Error(`Unbalanced </${name}> in chart SVG`);
        if (skipDepth > 0) {
          skipDepth--;
        } else if (out[out.length - 1] === PENDING) {
          // An element with no content closes itself: <path …/>.
          out.pop();
          out[out.length - 1] = (out.at(-1) ?? '').replace(/>$/, '/>');
        } else {
          out.push(`</${name}>`);
        }
        continue;
      }
      if (rootSeen && open.length === 0) throw new Error('Markup after the chart SVG root');
      if (skipDepth > 0 || !ELEMENTS.has(name)) {
        if (!selfClosing) {
          open.push(name);
          skipDepth++;
        }
        continue;
      }
      const isRoot = !rootSeen;
      if (isRoot && name !== 'svg') throw new Error('Chart SVG does not start with <svg>');
      rootSeen = true;
      const attributes = cleanAttributes(attributeText, rename);
      if (fontFamily !== undefined && attributes.get('font-family') === fontFamily) attributes.delete('font-family');
      if (isRoot) {
        const width = attributes.get('width');
        const height = attributes.get('height');
        if (!attributes.has('viewBox')) attributes.set('viewBox', `0 0 ${width ?? CHART_DEFAULT_WIDTH} ${height ?? CHART_DEFAULT_HEIGHT}`);
        // No width or height: with only a viewBox the picture takes its container's width and
        // its height follows the aspect ratio (the stylesheet's `.chart svg { width: 100%;
        // height: auto }` says the same for older engines). A fixed size would overflow phones.
        attributes.delete('width');
        attributes.delete('height');
        attributes.set('xmlns', 'http://www.w3.org/2000/svg');
        attributes.set('role', 'img');
        attributes.set('aria-labelledby', `${idPrefix}-title`);
        attributes.set('focusable', 'false');
        if (fontFamily !== undefined) attributes.set('font-family', fontFamily);
      }
      out.push(`<${name}${serialiseAttributes(attributes)}>`);
      if (isRoot) {
        if (selfClosing) throw new Error('Chart SVG is empty');
        out.push(`<title id="${idPrefix}-title">${escapeXml(title)}</title>`);
        open.push(name);
      } else if (selfClosing) {
        out[out.length - 1] = (out.at(-1) ?? '').replace(/>$/, '/>');
      } else {
        open.push(name);
        out.push(PENDING);
      }
      continue;
    }
    TEXT.lastIndex = pos;
    const m = TEXT.exec(svg);
    const text = m?.[0] ?? '';
    pos = TEXT.lastIndex;
    if (skipDepth > 0) continue;
    if (open.length === 0) {
      if (text.trim()) throw new Error('Text outside the chart SVG root');
      continue;
    }
    // zrender puts a newline between elements: only text inside text elements means anything.
    if (!TEXT_ELEMENTS.has(open.at(-1) ?? '') && !text.trim()) continue;
    if (!WELL_ESCAPED_TEXT.test(text)) throw new Error('Unescaped text in chart SVG');
    if (out[out.length - 1] === PENDING) out.pop();
    out.push(text);
  }
  if (open.length > 0 || !rootSeen) throw new Error('Chart SVG is incomplete');
  return out.filter((part) => part !== PENDING).join('');
}

/** Marks an element just opened, so that an immediate close can become `/>`. */
const PENDING = '\u0000';

function cleanAttributes(text: string, rename: (id: string) => string): Map<string, string> {
  const attributes = new Map<string, string>();
  const fromStyle = new Map<string, string>();
  for (const [, name = '', value = ''] of text.matchAll(ATTRIBUTE)) {
    if (name === 'style') {
      for (const declaration of value.split(';')) {
        const colon = declaration.indexOf(':');
        if (colon < 0) continue;
        const property = declaration.slice(0, colon).trim().toLowerCase();
        const propertyValue = declaration.slice(colon + 1).trim();
        if (PRESENTATION.has(property) && propertyValue) fromStyle.set(property, propertyValue);
      }
      continue;
    }
    if (!GEOMETRY.has(name) && !PRESENTATION.has(name)) continue;
    attributes.set(name, value);
  }
  // A style declaration wins over the attribute of the same name, as it would in CSS.
  for (const [name, value] of fromStyle) attributes.set(name, value);

  for (const [name, value] of attributes) {
    if (name === 'id') {
      attributes.set(name, rename(value));
    } else if (name === 'href' || name === 'xlink:href') {
      if (value.startsWith('#')) attributes.set(name, `#${rename(value.slice(1))}`);
      else attributes.delete(name);
    } else if (/url\(/i.test(value)) {
      const local = LOCAL_URL.exec(value);
      if (local) attributes.set(name, `url(#${rename(local[1] ?? '')})`);
      else attributes.delete(name);
    } else if (/expression\(|javascript:/i.test(value)) {
      attributes.delete(name);
    }
  }
  return attributes;
}

function serialiseAttributes(attributes: Map<string, string>): string {
  let s = '';
  for (const [name, value] of attributes) s += ` ${name}="${escapeAttribute(value)}"`;
  return s;
}

/** zrender writes attribute values raw: escape them, leaving entities that are already there. */
function escapeAttribute(value: string): string {
  return value
    .replace(/&(?!(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);)/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
