import { getInstanceById, init } from 'echarts/core';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChartFigure } from '../html/chart.tsx';
import { CHART_PALETTE, chartCacheSize, type ChartSpec, clearChartCache, renderChart, sanitizeEchartsSvg } from './charts.ts';

const [BLUE, ORANGE] = CHART_PALETTE;

const quarters = (n: number) => Array.from({ length: n }, (_, i) => `${2016 + Math.floor(i / 4)} Q${(i % 4) + 1}`);

function lineSpec(overrides: Partial<ChartSpec> = {}): ChartSpec {
  return {
    kind: 'line',
    title: 'Trade volume',
    categories: ['2024', '2025 Q1', '2025 Q2', '2025 Q3', '2025 Q4'],
    series: [
      { name: 'Actual', values: [120, 135, 150, 149, 170] },
      { name: 'Target', values: [110, 130, 150, 170, 190], dashed: true },
    ],
    unit: 'HKD m',
    ...overrides,
  };
}

/**
 * A small XML well-formedness check (there is no XML parser among the dependencies): every tag
 * is readable with quoted attributes, no attribute repeats, tags nest and balance under a single
 * <svg> root, and text holds no raw `<` or stray `&`. Returns the elements seen, in order.
 */
function parseSvg(svg: string): { name: string; attributes: Map<string, string>; text: string }[] {
  const elements: { name: string; attributes: Map<string, string>; text: string }[] = [];
  const stack: { name: string; text: string }[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<>]*")*)\s*(\/?)>|([^<]+)/y;
  let pos = 0;
  let roots = 0;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what this looks for
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(svg)) throw new Error('control character');
  while (pos < svg.length) {
    token.lastIndex = pos;
    const m = token.exec(svg);
    if (!m) throw new Error(`not well-formed at ${pos}: ${svg.slice(pos, pos + 30)}`);
    pos = token.lastIndex;
    const [, closing, name, attributeText = '', selfClosing, text] = m;
    if (text !== undefined) {
      if (stack.length === 0) throw new Error('text outside the root');
      if (!/^(?:[^&<>]|&(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos);)*$/i.test(text)) throw new Error(`bad text: ${text}`);
      stack[stack.length - 1]!.text += text;
      continue;
    }
    if (closing) {
      const top = stack.pop();
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name}>`);
      continue;
    }
    if (stack.length === 0 && roots++ > 0) throw new Error('more than one root');
    const attributes = new Map<string, string>();
    for (const [, key = '', value = ''] of attributeText.matchAll(/\s+([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) {
      if (attributes.has(key)) throw new Error(`repeated attribute ${key} on <${name}>`);
      attributes.set(key, value);
    }
    const element = { name: name!, attributes, text: '' };
    elements.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (elements[0]?.name !== 'svg') throw new Error('root is not <svg>');
  return elements;
}

/** The drawn line of a series: an unfilled path stroked in the series' colour with width 2. */
function seriesPath(svg: string, colour: string): string {
  const paths = parseSvg(svg).filter((e) => e.name === 'path' && e.attributes.get('stroke') === colour && e.attributes.get('fill') === 'none' && e.attributes.get('stroke-width') === '2');
  expect(paths).toHaveLength(1);
  return paths[0]!.attributes.get('d')!;
}

/** Point symbols of a series: paths placed with a scaling matrix and filled in its colour. */
function symbolCount(svg: string, colour: string): number {
  return parseSvg(svg).filter((e) => e.name === 'path' && e.attributes.get('fill') === colour && e.attributes.get('transform')?.startsWith('matrix(')).length;
}

/** Bars of a series: closed rectangles filled in its colour. */
function barCount(svg: string, colour: string): number {
  return parseSvg(svg).filter((e) => e.name === 'path' && e.attributes.get('fill') === colour && /Z$/.test(e.attributes.get('d') ?? '') && !e.attributes.has('transform')).length;
}

const moves = (d: string) => d.match(/M/g)?.length ?? 0;

/** ECharts numbers its instances ec_<n> in sequence: the ids made by fn() are the ones between two probes. */
function instancesMadeBy(fn: () => void): string[] {
  const probe = () => {
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: 10, height: 10 });
    chart.dispose();
    return Number(chart.id.slice('ec_'.length));
  };
  const before = probe();
  fn();
  const after = probe();
  return Array.from({ length: after - before - 1 }, (_, i) => `ec_${before + 1 + i}`);
}

beforeEach(() => clearChartCache());

describe('renderChart', () => {
  it('returns a well-formed SVG that is an image named by its <title>, and scales', () => {
    const svg = renderChart(lineSpec());
    const elements = parseSvg(svg);
    const root = elements[0]!;
    expect(root.attributes.get('role')).toBe('img');
    expect(root.attributes.get('focusable')).toBe('false');
    expect(root.attributes.get('viewBox')).toBe('0 0 640 320');
    expect(root.attributes.has('width')).toBe(false);
    expect(root.attributes.has('height')).toBe(false);
    const title = elements[1]!;
    expect(title.name).toBe('title');
    expect(root.attributes.get('aria-labelledby')).toBe(title.attributes.get('id'));
    expect(title.text).toBe('Trade volume');
    expect(elements.filter((e) => e.attributes.get('id') === title.attributes.get('id'))).toHaveLength(1);
  });

  it('escapes the title', () => {
    const svg = renderChart(lineSpec({ title: 'A <b> & "c" </title><script>' }));
    parseSvg(svg);
    expect(svg).toContain('>A &lt;b&gt; &amp; &quot;c&quot; &lt;/title&gt;&lt;script&gt;</title>');
    expect(svg).not.toContain('<script');
  });

  it('escapes category and series names', () => {
    const svg = renderChart(
      lineSpec({
        categories: ['<&>', 'b'],
        series: [
          { name: 'x"<y>', values: [1, 2] },
          { name: 'z', values: [2, 1] },
        ],
      }),
    );
    parseSvg(svg);
    expect(svg).toContain('&lt;&amp;&gt;');
    expect(svg).toContain('x&quot;&lt;y&gt;');
  });

  it('carries nothing that a CSP without unsafe-inline would block', () => {
    for (const kind of ['line', 'bar'] as const) {
      const svg = renderChart(lineSpec({ kind, series: [...lineSpec().series, { name: 'Third', values: [1, 2, 3, 4, 5] }] }));
      parseSvg(svg);
      expect(svg).not.toMatch(/\sstyle=/i);
      expect(svg).not.toMatch(/<style/i);
      expect(svg).not.toMatch(/\son[a-z]+=/i);
      expect(svg).not.toMatch(/<script/i);
      expect(svg).not.toMatch(/javascript:/i);
      // What ECharts adds for its hover rules and client runtime goes too.
      expect(svg).not.toMatch(/\sclass=|ecmeta_/);
      // The fonts ECharts put in style attributes survive as presentation attributes.
      expect(svg).toMatch(/<text [^>]*font-size="12px"/);
      expect(svg).toMatch(/^<svg [^>]*font-family="system-ui[^"]*Noto Sans CJK TC/);
    }
  });

  it('leaves a gap where a value is null: the line moves instead of drawing', () => {
    const whole = seriesPath(renderChart(lineSpec({ series: [{ name: 'A', values: [1, 2, 3, 4, 5] }] })), BLUE!);
    const gapped = seriesPath(renderChart(lineSpec({ series: [{ name: 'A', values: [1, 2, null, 4, 5] }] })), BLUE!);
    expect(moves(whole)).toBe(1);
    expect(moves(gapped)).toBe(2);
    expect(gapped.match(/L/g)).toHaveLength(2); // 1→2 and 4→5
  });

  it('draws no bar for a null value', () => {
    const svg = renderChart(lineSpec({ kind: 'bar', series: [{ name: 'A', values: [1, 2, null, 4, 5] }] }));
    expect(barCount(svg, BLUE!)).toBe(4);
  });

  it('draws bar charts with several series side by side, the dashed one hollow', () => {
    const svg = renderChart(lineSpec({ kind: 'bar' }));
    parseSvg(svg);
    expect(barCount(svg, BLUE!)).toBe(5);
    const hollow = parseSvg(svg).filter((e) => e.name === 'path' && e.attributes.get('stroke') === ORANGE && e.attributes.get('fill') === '#ffffff');
    // Five bars and the legend key, all outlined with a dash.
    expect(hollow).toHaveLength(6);
    for (const bar of hollow) expect(bar.attributes.get('stroke-dasharray')).toBeTruthy();
  });

  it('tells series apart by more than colour', () => {
    const svg = renderChart(lineSpec({ series: [...lineSpec().series, { name: 'Other', values: [1, 2, 3, 4, 5] }] }));
    const actual = parseSvg(svg).find((e) => e.name === 'path' && e.attributes.get('stroke') === BLUE && e.attributes.get('stroke-width') === '2');
    const target = parseSvg(svg).find((e) => e.name === 'path' && e.attributes.get('stroke') === ORANGE && e.attributes.get('stroke-width') === '2');
    const other = parseSvg(svg).find((e) => e.name === 'path' && e.attributes.get('stroke') === CHART_PALETTE[2] && e.attributes.get('stroke-width') === '2');
    expect(actual?.attributes.has('stroke-dasharray')).toBe(false);
    expect(target?.attributes.get('stroke-dasharray')).toBe('8,4');
    expect(other?.attributes.get('stroke-dasharray')).toMatch(/\d/);
    expect(other?.attributes.get('stroke-dasharray')).not.toBe('8,4');
  });

  it('shows point symbols on short series only, keeping a point that stands alone', () => {
    expect(symbolCount(renderChart(lineSpec({ series: [{ name: 'A', values: [1, 2, 3, 4, 5] }] })), BLUE!)).toBe(5);
    const categories = quarters(40);
    const values = categories.map((_, i) => (i === 9 || i === 11 ? null : i));
    const svg = renderChart({ kind: 'line', title: 'Long', categories, series: [{ name: 'A', values }] });
    expect(symbolCount(svg, BLUE!)).toBe(1); // point 10, between two gaps
    expect(moves(seriesPath(svg, BLUE!))).toBe(3);
  });

  it('shows a legend only for several series', () => {
    expect(renderChart(lineSpec())).toContain('>Target</text>');
    expect(renderChart(lineSpec({ series: [{ name: 'Lonely', values: [1, 2, 3, 4, 5] }] }))).not.toContain('Lonely');
  });

  it('contains Chinese labels, the unit, and compact numbers in the given language', () => {
    const svg = renderChart({
      kind: 'bar',
      title: '貿易額',
      categories: ['二〇二四年', '二〇二五年第一季'],
      series: [{ name: '實際', values: [12_000, 35_000] }],
      unit: '億港元',
      locale: 'zh-Hant',
    });
    parseSvg(svg);
    expect(svg).toContain('>二〇二四年</text>');
    expect(svg).toContain('>二〇二五年第一季</text>');
    expect(svg).toContain('>億港元</text>');
    expect(svg).toMatch(/>\d+(\.\d+)?萬<\/text>/);
    expect(renderChart(lineSpec({ series: [{ name: 'A', values: [0, 40_000, 1, 2, 3] }] }))).toMatch(/>40K<\/text>/);
  });

  it('caches: the same chart is rendered once, and again identically after the cache is cleared', () => {
    const first = renderChart(lineSpec());
    expect(chartCacheSize()).toBe(1);
    let again = '';
    expect(instancesMadeBy(() => (again = renderChart(lineSpec())))).toHaveLength(0);
    expect(again).toBe(first);
    // The key does not depend on property order or on defaults being spelled out.
    const { title, kind, ...rest } = lineSpec();
    expect(instancesMadeBy(() => renderChart({ ...rest, width: 640, kind, title }))).toHaveLength(0);
    expect(chartCacheSize()).toBe(1);

    clearChartCache();
    expect(chartCacheSize()).toBe(0);
    expect(instancesMadeBy(() => (again = renderChart(lineSpec())))).toHaveLength(1);
    expect(again).toBe(first);
  });

  it('gives different charts different ids', () => {
    const idsOf = (svg: string) => parseSvg(svg).flatMap((e) => e.attributes.get('id') ?? []);
    const a = idsOf(renderChart(lineSpec()));
    const b = idsOf(renderChart(lineSpec({ title: 'Other' })));
    expect(a.length).toBeGreaterThan(1);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('keeps at most 500 charts, dropping the least recently used', () => {
    const numbered = (n: number) => lineSpec({ title: `Chart ${n}`, series: [{ name: 'A', values: [n] }] });
    renderChart(numbered(0));
    renderChart(numbered(1));
    for (let n = 2; n < 500; n++) renderChart(numbered(n));
    expect(chartCacheSize()).toBe(500);
    renderChart(numbered(0)); // a hit: now the most recently used
    renderChart(numbered(500)); // evicts chart 1
    expect(chartCacheSize()).toBe(500);
    expect(instancesMadeBy(() => renderChart(numbered(0)))).toHaveLength(0);
    expect(instancesMadeBy(() => renderChart(numbered(1)))).toHaveLength(1);
  });

  it('disposes of every ECharts instance it makes', () => {
    const made = instancesMadeBy(() => {
      renderChart(lineSpec());
      renderChart(lineSpec({ kind: 'bar' }));
    });
    expect(made).toHaveLength(2);
    for (const id of made) expect(getInstanceById(id)).toBeUndefined();
  });

  it('rejects sizes that make no sense', () => {
    expect(() => renderChart(lineSpec({ width: 0 }))).toThrow(RangeError);
    expect(() => renderChart(lineSpec({ height: Number.NaN }))).toThrow(RangeError);
  });
});

describe('sanitizeEchartsSvg', () => {
  const clean = (svg: string) => sanitizeEchartsSvg(svg, { idPrefix: 'chart-x', title: 'T' });

  it('turns style declarations into presentation attributes and drops the rest', () => {
    const out = clean('<svg width="10" height="10" viewBox="0 0 10 10"><text fill="#000" style="font-size:12px;fill:#123;behavior:url(x.htc);position:absolute">a</text></svg>');
    expect(out).toContain('<text fill="#123" font-size="12px">a</text>');
  });

  it('drops scripts, style elements, handlers, foreign content and outside references', () => {
    const out = clean(
      '<svg onload="alert(1)"><style ><![CDATA[.a:hover{fill:red}]]></style><script>alert(2)</script>' +
        '<foreignObject><div>x</div></foreignObject><a href="https://example.org"><text>link</text></a>' +
        '<path d="M0 0" fill="url(https://example.org/p.svg#x)" stroke="url(#zr12-p0)" onclick="x()" class="zr12-cls-0" ecmeta_data_index="1"></path>' +
        '<clipPath id="zr12-c0"><rect width="1" height="1"></rect></clipPath></svg>',
    );
    parseSvg(out);
    expect(out).toBe(
      '<svg viewBox="0 0 640 320" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-x-title" focusable="false">' +
        '<title id="chart-x-title">T</title><path d="M0 0" stroke="url(#chart-x-p0)"/><clipPath id="chart-x-c0"><rect width="1" height="1"/></clipPath></svg>',
    );
  });

  it('refuses markup it cannot read rather than passing it through', () => {
    expect(() => clean('<svg><text style="font-family:"A";">x</text></svg>')).toThrow();
    expect(() => clean('<svg><g></svg>')).toThrow();
    expect(() => clean('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => clean('<svg></svg><svg onload="x()"></svg>')).toThrow();
  });
});

describe('ChartFigure', () => {
  it('shows the chart, its caption and its data as a table with row and column headers', () => {
    const svg = renderChart(lineSpec());
    const html = renderToString(
      h(ChartFigure, {
        svg,
        caption: 'Trade volume, 2024–2025',
        tableLabel: 'Data table',
        table: {
          caption: 'Trade volume (HKD m)',
          columns: ['Period', 'Actual', 'Target'],
          rows: [
            ['2024', 1200.5, 1100],
            [2025, null, 'n/a'],
          ],
        },
      }),
    );
    expect(html).toContain(`<figure class="chart"><div class="chart-image">${svg}</div><figcaption>Trade volume, 2024–2025</figcaption>`);
    expect(html).toContain('<details class="chart-data"><summary>Data table</summary>');
    expect(html).toContain('<caption>Trade volume (HKD m)</caption>');
    expect(html).toContain('<thead><tr><th scope="col">Period</th><th scope="col">Actual</th><th scope="col">Target</th></tr></thead>');
    expect(html).toContain('<tr><th scope="row">2024</th><td class="num">1,200.5</td><td class="num">1,100</td></tr>');
    // A year in the first column is a label, not a number to group; null is an en dash; text is text.
    expect(html).toContain('<tr><th scope="row">2025</th><td class="num">–</td><td>n/a</td></tr>');
  });
});
