import MarkdownIt, { type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by people on the platform (knowledge articles, later other modules' long texts),
 * turned into HTML that is safe to put in a page: raw HTML in the source is shown as text, links may
 * only go to http, https and mailto addresses, and whatever the renderer produced passes an
 * allow-list of elements and attributes before it is used.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** The highest heading level a rendered text may use: the page's own title is its h1. */
const TOP_HEADING = 2;
const LOWEST_HEADING = 4;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'blockquote', 'code', 'pre', 'hr', 'br'],
  allowedAttributes: { a: ['href', 'rel'], th: ['scope'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Elements that are not allowed go with their content when the content is code, otherwise only the tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math'],
  transformTags: {
    // A second guard behind linkTarget(): an address of any other kind leaves a link without one.
    a: (tagName, attribs): sanitizeHtml.Tag => ({ tagName, attribs: LINK.test(attribs.href ?? '') ? { href: attribs.href as string, rel: 'noopener' } : {} }),
    th: (tagName) => ({ tagName, attribs: { scope: 'col' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'p' && !frame.text.trim(),
};

/** The only addresses a link may have: absolute web and mail addresses. */
const LINK = /^(https?:\/\/|mailto:)/i;

/**
 * Links to anything but an absolute web or mail address keep their text and lose the link; images
 * become their description (the allow-list has no images).
 */
function neutralise(tokens: Token[]): void {
  for (const block of tokens) {
    let dropping = false;
    for (const token of block.children ?? []) {
      if (token.type === 'link_open' && !LINK.test(token.attrGet('href') ?? '')) {
        dropping = true;
        Object.assign(token, { type: 'text', tag: '', nesting: 0, content: '', attrs: null });
      } else if (token.type === 'link_close' && dropping) {
        dropping = false;
        Object.assign(token, { type: 'text', tag: '', nesting: 0, content: '' });
      } else if (token.type === 'image') {
        Object.assign(token, { type: 'text', tag: '', nesting: 0, content: token.content, children: null, attrs: null });
      }
    }
  }
}

/** Moves every heading so that the text's highest level becomes `top`, and none goes below h4. */
function shiftHeadings(tokens: Token[], top: number): void {
  const levels = tokens.filter((t) => t.type === 'heading_open').map((t) => Number(t.tag.slice(1)));
  if (levels.length === 0) return;
  const shift = top - Math.min(...levels);
  for (const token of tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    token.tag = `h${Math.min(LOWEST_HEADING, Number(token.tag.slice(1)) + shift)}`;
  }
}

/**
 * Markdown → HTML safe to insert into a page as it is (the only HTML views may insert unescaped).
 * The text's highest heading becomes h2 (`topHeading` for a text shown deeper in a page).
 */
export function renderMarkdown(source: string, options: { topHeading?: 2 | 3 | 4 } = {}): string {
  const tokens = markdown.parse(source, {});
  shiftHeadings(tokens, options.topHeading ?? TOP_HEADING);
  neutralise(tokens);
  const html = markdown.renderer.render(tokens, markdown.options, {});
  return sanitizeHtml(html, SANITIZE).trim();
}

function inlineText(token: Token): string {
  return (token.children ?? [])
    .map((child) => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return '\n';
      if (child.type === 'image') return child.content;
      return '';
    })
    .join('');
}

/** The words of a Markdown text without its markup (for search): one line a block, link texts without addresses. */
export function markdownToText(source: string): string {
  const lines: string[] = [];
  for (const token of markdown.parse(source, {})) {
    if (token.type === 'inline') lines.push(inlineText(token));
    else if (token.type === 'fence' || token.type === 'code_block') lines.push(token.content);
  }
  return lines
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
