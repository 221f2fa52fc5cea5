import sanitizeHtml from 'sanitize-html';

/**
 * Formatted text written by users (product descriptions): a small allow-list of tags, no
 * attributes beyond table spans and safe links, no styles, scripts or images (images are
 * uploaded separately and sniffed). Plain text without tags becomes paragraphs.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a'],
  allowedAttributes: { a: ['href', 'rel', 'target'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links leave the site without passing on who sent the visitor, and carry no ranking weight.
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener noreferrer', target: '_blank' }),
    h1: 'h2',
  },
};

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Cleans user-written formatted text to the allow-list; text without any tag is split into
 * paragraphs at blank lines and lines at single breaks.
 * @example sanitizeRichText('<p onclick="x()">Hi<script>alert(1)</script></p>') // '<p>Hi</p>'
 */
export function sanitizeRichText(input: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are removed on purpose
  const text = input.normalize('NFC').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (!text) return '';
  const html = /<[a-z!/]/i.test(text)
    ? text
    : text
        .split(/\n\s*\n/)
        .map((para) => `<p>${escapeText(para.trim()).replace(/\n/g, '<br>')}</p>`)
        .join('');
  return sanitizeHtml(html, options).trim();
}

/**
 * The words of formatted text without its markup, for search and summaries.
 * @example richTextToPlain('<p>304 <b>不锈钢</b></p>') // '304 不锈钢'
 */
export function richTextToPlain(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|li|h\d|td|th|tr|blockquote)>|<br\s*\/?>/gi, ' $& '), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
