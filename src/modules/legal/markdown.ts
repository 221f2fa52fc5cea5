/**
 * The tiny Markdown-like format legal texts are written in: `## ` section headings and `### `
 * sub-headings (each may end with `{#id}`), `- ` and `1. ` list items, one paragraph per other
 * line, and `[text](href)` links to same-site paths, `mailto:` or `https:` addresses. Nothing
 * else has a meaning: there is no raw HTML, and the renderer (Preact) escapes every character.
 */

export type Inline = { text: string; href?: undefined } | { text: string; href: string };

export type Block =
  | { kind: 'heading'; level: 2 | 3; id: string; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

/** The text between two `## ` headings: what a comparison of versions works on. */
export interface Section {
  /** The heading's id: the one written as `{#id}`, else `section-N`. */
  id: string;
  /** Whether the id was written in the text, so it names the same section in every version. */
  hasOwnId: boolean;
  /** The heading without its id; '' for the text before the first heading. */
  heading: string;
  /** The section's lines as written, ids removed, for a readable word diff. */
  text: string;
}

const headingPattern = /^(#{2,3}) +(.+?)(?: +\{#([a-z][a-z0-9-]{0,62})\})? *$/;
const linkPattern = /\[([^\]\n]{1,300})\]\(([^)\s]{1,500})\)/g;

/** Only links that stay on this site or open mail or a secure page; anything else stays text. */
export function isSafeHref(href: string): boolean {
  if (href.startsWith('/')) return !href.startsWith('//') && !href.startsWith('/\\');
  return /^mailto:[^\s@]+@[^\s@]+$/.test(href) || /^https:\/\/[^\s/]+/.test(href);
}

/** Splits a line into text and links. */
export function parseInline(line: string): Inline[] {
  const parts: Inline[] = [];
  let at = 0;
  for (const match of line.matchAll(linkPattern)) {
    const [whole, text = '', href = ''] = match;
    if (!isSafeHref(href)) continue;
    if (match.index > at) parts.push({ text: line.slice(at, match.index) });
    parts.push({ text, href });
    at = match.index + whole.length;
  }
  if (at < line.length) parts.push({ text: line.slice(at) });
  return parts;
}

/** The plain text of inline content, links as their text. */
export function plainText(content: Inline[]): string {
  return content.map((part) => part.text).join('');
}

interface Line {
  heading?: { level: 2 | 3; text: string; ownId?: string };
  item?: { ordered: boolean; text: string };
  text?: string;
}

function classify(raw: string): Line | null {
  const line = raw.trim();
  if (!line) return null;
  const heading = headingPattern.exec(line);
  if (heading) return { heading: { level: heading[1]!.length as 2 | 3, text: heading[2]!, ownId: heading[3] } };
  const bullet = /^[-*] +(.+)$/.exec(line);
  if (bullet) return { item: { ordered: false, text: bullet[1]! } };
  const numbered = /^\d{1,3}\. +(.+)$/.exec(line);
  if (numbered) return { item: { ordered: true, text: numbered[1]! } };
  return { text: line };
}

/** Gives every heading a unique id: its own when written and not taken, else `section-N`. */
function headingIds(lines: (Line | null)[]): string[] {
  const taken = new Set<string>();
  const ids: string[] = [];
  let n = 0;
  for (const line of lines) {
    if (!line?.heading) continue;
    n += 1;
    const own = line.heading.ownId;
    const id = own && !taken.has(own) ? own : `section-${n}`;
    taken.add(id);
    ids.push(id);
  }
  return ids;
}

/**
 * Parses a legal text into blocks.
 * @example parseBlocks('## Contact {#contact}\nWrite to [us](mailto:privacy@example.cn).')
 */
export function parseBlocks(text: string): Block[] {
  const lines = text.split(/\r?\n/).map(classify);
  const ids = headingIds(lines);
  const blocks: Block[] = [];
  let headingIndex = 0;
  for (const line of lines) {
    if (!line) continue;
    if (line.heading) {
      blocks.push({ kind: 'heading', level: line.heading.level, id: ids[headingIndex++]!, content: parseInline(line.heading.text) });
    } else if (line.item) {
      const last = blocks.at(-1);
      if (last?.kind === 'list' && last.ordered === line.item.ordered) last.items.push(parseInline(line.item.text));
      else blocks.push({ kind: 'list', ordered: line.item.ordered, items: [parseInline(line.item.text)] });
    } else {
      blocks.push({ kind: 'paragraph', content: parseInline(line.text ?? '') });
    }
  }
  return blocks;
}

/** Splits a legal text at its `## ` headings; the text before the first one is the preamble. */
export function splitSections(text: string): Section[] {
  const lines = text.split(/\r?\n/);
  const ids = headingIds(lines.map(classify));
  const sections: Section[] = [];
  let current: Section & { lines: string[] } = { id: 'preamble', hasOwnId: true, heading: '', text: '', lines: [] };
  let headingIndex = 0;
  const close = () => {
    const body = current.lines.join('\n').trim();
    if (current.heading || body) sections.push({ id: current.id, hasOwnId: current.hasOwnId, heading: current.heading, text: body });
  };
  for (const raw of lines) {
    const line = classify(raw);
    if (line?.heading) {
      const id = ids[headingIndex++]!;
      if (line.heading.level === 2) {
        close();
        current = { id, hasOwnId: id === line.heading.ownId, heading: line.heading.text, text: '', lines: [] };
        continue;
      }
      current.lines.push(`${'#'.repeat(line.heading.level)} ${line.heading.text}`);
      continue;
    }
    current.lines.push(raw.trimEnd());
  }
  close();
  return sections;
}

/** Whether a text has at least one section heading. */
export function hasSectionHeading(text: string): boolean {
  return text.split(/\r?\n/).some((line) => classify(line)?.heading?.level === 2);
}
