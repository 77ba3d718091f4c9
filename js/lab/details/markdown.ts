// A run's description (MLflow's `mlflow.note.content`) as safe HTML: Markdown through
// `marked`, where raw HTML is shown as the text it is (never parsed), images become links
// (a description fetches nothing by itself), only http(s) and mailto links are links, and
// every link opens apart (`rel="noopener noreferrer nofollow"`, a new tab). JupyterLab's own
// sanitizer then keeps only the tags Markdown makes, as a second fence.
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Marked, Tokens } from 'marked';

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const LINK_REL = 'noopener noreferrer nofollow';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 'del', 'code', 'pre',
  'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'
];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'target', 'rel'],
  ol: ['start'],
  th: ['align'],
  td: ['align']
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ESCAPES[c]);
}

function linkTag(href: string, title: string | null | undefined, inner: string): string {
  if (!SAFE_LINK.test(href.trim())) {
    return inner;
  }
  const titled = title ? ` title="${escapeHtml(title)}"` : '';
  return `<a href="${escapeHtml(href.trim())}"${titled} target="_blank" rel="${LINK_REL}">${inner}</a>`;
}

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, token: Tokens.Link) {
      return linkTag(token.href, token.title, this.parser.parseInline(token.tokens));
    },
    image({ href, title, text }: Tokens.Image): string {
      return linkTag(href, title, escapeHtml(text || href));
    }
  }
});

/** `source` as HTML that may be set as a node's content. */
export function renderMarkdown(source: string, sanitizer: IRenderMime.ISanitizer): string {
  const html = markdown.parse(source) as string;
  const clean = sanitizer.sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES
  });
  // The sanitizer rewrites a link's rel to "nofollow"; put the whole one back. In its
  // output a "<" that is not a tag is escaped, and ">" inside attributes too.
  return clean.replace(/<a ([^>]*)>/g, (_, attributes: string) => {
    const rest = attributes.replace(/\s*\brel="[^"]*"/g, '').replace(/\s*\btarget="[^"]*"/g, '');
    return `<a ${rest} target="_blank" rel="${LINK_REL}">`;
  });
}
