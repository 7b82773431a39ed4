import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders the allowed elements, the text’s first heading level as h2', () => {
    const html = renderMarkdown(
      '## 申領條件\n\n**在內地居住半年以上**，並符合下列*其中一項*：\n\n1. 有合法穩定就業\n2. 有合法穩定住所\n\n### 所需文件\n\n- 港澳居民來往內地通行證\n\n> 以公安機關公布為準\n\n`code`\n\n---',
    );
    expect(html).toContain('<h2>申領條件</h2>');
    expect(html).toContain('<h3>所需文件</h3>');
    expect(html).toContain('<strong>在內地居住半年以上</strong>');
    expect(html).toContain('<em>其中一項</em>');
    expect(html).toMatch(/<ol>\s*<li>有合法穩定就業<\/li>/);
    expect(html).toMatch(/<ul>\s*<li>港澳居民來往內地通行證<\/li>/);
    expect(html).toMatch(/<blockquote>\s*<p>以公安機關公布為準<\/p>\s*<\/blockquote>/);
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<hr />');
  });

  it('shifts headings so the highest is h2 (or the level asked for), never below h4', () => {
    expect(renderMarkdown('# One\n\n## Two\n\n###### Six')).toBe('<h2>One</h2>\n<h3>Two</h3>\n<h4>Six</h4>');
    expect(renderMarkdown('### Three\n\n#### Four', { topHeading: 3 })).toBe('<h3>Three</h3>\n<h4>Four</h4>');
    expect(renderMarkdown('## Two', { topHeading: 4 })).toBe('<h4>Two</h4>');
  });

  it('renders tables with column headers for screen readers, without inline styles', () => {
    const html = renderMarkdown('| 險種 | 繳費 |\n|:--|--:|\n| 養老 | 是 |');
    expect(html).toContain('<th scope="col">險種</th>');
    expect(html).toContain('<td>養老</td>');
    expect(html).not.toContain('style');
  });

  it('links only to web and mail addresses, with rel="noopener"', () => {
    const html = renderMarkdown('[gov](https://www.gov.cn/zhengce/) [mail](mailto:help@example.org) https://www.zj.gov.cn');
    expect(html).toContain('<a href="https://www.gov.cn/zhengce/" rel="noopener">gov</a>');
    expect(html).toContain('<a href="mailto:help@example.org" rel="noopener">mail</a>');
    expect(html).toContain('<a href="https://www.zj.gov.cn" rel="noopener">https://www.zj.gov.cn</a>');
  });

  it('never lets script through: javascript: and data: links, raw HTML, event handlers, relative and protocol-relative links', () => {
    const hostile = [
      '[click](javascript:alert(1))',
      '[click](JaVaScRiPt:alert(1))',
      '[click](java&#x09;script:alert(1))',
      '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[click](vbscript:msgbox(1))',
      '[rel](/admin) [proto](//evil.example/x)',
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      '<a href="https://example.org" onclick="alert(1)">x</a>',
      '<iframe src="https://evil.example"></iframe>',
      '![x](javascript:alert(1))',
      '[x](https://example.org "title\\" onmouseover=\\"alert(1)")',
    ].join('\n\n');
    const html = renderMarkdown(hostile);
    // Every element in the output is an allowed one, with allowed attributes only, and links go to web or mail addresses.
    const tags = [...html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)];
    expect(tags.length).toBeGreaterThan(0);
    for (const [, name, attributes] of tags) {
      expect(['p', 'a']).toContain(name);
      for (const [, attribute, value] of (attributes ?? '').matchAll(/\s([^\s=]+)="([^"]*)"/g)) {
        expect(['href', 'rel']).toContain(attribute);
        if (attribute === 'href') expect(value).toMatch(/^https:\/\//);
      }
    }
    expect(html).not.toContain('href="/admin"');
    expect(html).not.toContain('href="//evil.example/x"');
    // Raw HTML is shown as the text it is, escaped.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The texts of the refused links stay.
    expect(html).toContain('rel');
    expect(html).toContain('proto');
  });
});

describe('markdownToText', () => {
  it('keeps the words and drops the markup and link addresses', () => {
    expect(markdownToText('## 申領\n\n**居住證**可以在[派出所](https://example.org/a)申請。\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
      '申領\n居住證可以在派出所申請。\n一\n二\na\nb\n1\n2',
    );
  });
});
