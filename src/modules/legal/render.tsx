import { render } from 'preact-render-to-string';
import { locales, type Locale, type Translate } from '../../platform/i18n/i18n.js';
import { parseBlocks, type Block, type Inline } from './markdown.js';
import type { LegalDocument } from './tables.js';

/** The stylesheet of the stored pages: a stable address, so pages stored years ago still find it. */
export const storedPageStylesheet = '/legal/legal.css';

/** Where each document's version in effect is shown. */
export const currentPath: Record<LegalDocument, string> = { privacy: '/legal', terms: '/legal/terms' };

/** The address of a version's stored page in one language. */
export function storedPagePath(document: LegalDocument, number: number, locale: Locale): string {
  return `/legal/${document}/v${number}.${locale}.html`;
}

export function archivePath(document: LegalDocument): string {
  return `/legal/${document}/versions`;
}

export function comparePath(document: LegalDocument, from: number, to: number): string {
  return `/legal/${document}/compare?from=${from}&to=${to}`;
}

function InlineContent({ content }: { content: Inline[] }) {
  return <>{content.map((part, i) => (part.href ? <a key={i} href={part.href}>{part.text}</a> : part.text))}</>;
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case 'heading':
      return block.level === 2 ? (
        <h2 id={block.id}><InlineContent content={block.content} /></h2>
      ) : (
        <h3 id={block.id}><InlineContent content={block.content} /></h3>
      );
    case 'paragraph':
      return <p><InlineContent content={block.content} /></p>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}><InlineContent content={item} /></li>);
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
  }
}

/** A legal text as HTML: headings with their ids, paragraphs, lists and safe links, all escaped. */
export function LegalText({ text }: { text: string }) {
  return <>{parseBlocks(text).map((block, i) => <BlockView key={i} block={block} />)}</>;
}

/** What the top of a version says about it. */
export interface VersionFacts {
  document: LegalDocument;
  number: number;
  effectiveOn: string;
  modifiedOn: string;
  contentHash: string;
  isMaterial: boolean;
}

/** The facts of a version as a definition list: number, effective and last-modified dates, hash. */
export function VersionFactsList({ t, facts }: { t: Translate; facts: VersionFacts }) {
  return (
    <dl class="legal-facts">
      <dt>{t('legal.meta.version')}</dt>
      <dd>{t(facts.isMaterial ? 'legal.meta.versionMaterial' : 'legal.meta.versionNumber', { number: facts.number })}</dd>
      <dt>{t('legal.meta.effectiveOn')}</dt>
      <dd><time dateTime={facts.effectiveOn}>{facts.effectiveOn}</time></dd>
      <dt>{t('legal.meta.modifiedOn')}</dt>
      <dd><time dateTime={facts.modifiedOn}>{facts.modifiedOn}</time></dd>
      <dt>{t('legal.meta.hash')}</dt>
      <dd><code class="legal-hash">{facts.contentHash}</code></dd>
    </dl>
  );
}

/**
 * The standalone page of one language of a version, as stored at publication and served byte for
 * byte forever: no token, nothing about the visitor, a stylesheet at a stable address, and the
 * effective date, last-modified date and content hash at the top.
 */
export function renderStoredPage(facts: VersionFacts, locale: Locale, body: string, t: Translate): string {
  const title = t(`legal.document.${facts.document}`);
  const html = render(
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('legal.meta.versionNumber', { number: facts.number })} · ${t('site.name')}`}</title>
        <link rel="stylesheet" href={storedPageStylesheet} />
      </head>
      <body>
        <header class="legal-header">
          <p class="legal-site">{t('site.name')}</p>
          <h1>{title}</h1>
          <VersionFactsList t={t} facts={facts} />
          <p class="legal-hash-note">{t('legal.meta.hashExplained')}</p>
          <p class="legal-archived">{t('legal.stored.note', { number: facts.number })}</p>
          <nav aria-label={t('legal.stored.nav')}>
            <a href={currentPath[facts.document]}>{t('legal.current.link')}</a>
            {' · '}
            <a href={archivePath(facts.document)}>{t('legal.archive.link')}</a>
            {locales.filter((other) => other !== locale).map((other) => (
              <span key={other}>
                {' · '}
                <a href={storedPagePath(facts.document, facts.number, other)} hreflang={other} lang={other}>{t(`legal.language.${other}`)}</a>
              </span>
            ))}
          </nav>
        </header>
        <main>
          <article class="legal-text">
            <LegalText text={body} />
          </article>
        </main>
      </body>
    </html>,
  );
  return `<!doctype html>${html}`;
}
