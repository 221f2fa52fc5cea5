import { formatInstant } from '../../platform/views/format.js';
import { locales, type Locale } from '../../platform/i18n/i18n.js';
import type { FormState } from '../../platform/http/forms.js';
import { FormMessage, Notice, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { SectionChange } from './diff.js';
import { archivePath, comparePath, currentPath, LegalText, storedPagePath, VersionFactsList } from './render.js';
import { textMaxLength } from './schema.js';
import type { ComingChange, DraftView, VersionView } from './service.js';
import type { LegalDocument } from './tables.js';

/** The site-wide notice of material changes published but not yet in effect. */
export function ComingChangesBanner({ ctx, changes }: { ctx: PageContext; changes: ComingChange[] }) {
  const { t } = ctx;
  return (
    <section class="legal-banner" aria-labelledby="legal-banner-title" id="legal-change-banner">
      <div class="container">
        <h2 id="legal-banner-title">{t('legal.banner.title')}</h2>
        {changes.map((change) => (
          <p key={`${change.document}${change.number}`}>
            {t('legal.banner.body', { document: t(`legal.document.${change.document}`), date: change.effectiveOn })}{' '}
            <a href={change.href}>{t('legal.banner.whatChanges')}</a>
          </p>
        ))}
      </div>
    </section>
  );
}

/** Links to the stored pages of a version in each language. */
function StoredPageLinks({ ctx, version }: { ctx: PageContext; version: VersionView }) {
  return (
    <>
      {locales.map((locale, i) => (
        <span key={locale}>
          {i > 0 ? ' · ' : null}
          <a href={storedPagePath(version.document, version.number, locale)} hreflang={locale} lang={locale}>{ctx.t(`legal.language.${locale}`)}</a>
        </span>
      ))}
    </>
  );
}

const otherDocument: Record<LegalDocument, LegalDocument> = { privacy: 'terms', terms: 'privacy' };

/** The version of a document in effect, in the site layout, with its facts and links to the archive. */
export function CurrentPage({ ctx, version, body, coming }: { ctx: PageContext; version: VersionView; body: string; coming: VersionView[] }) {
  const { t } = ctx;
  const document = version.document;
  return (
    <article class="card legal-document">
      <h1>{t(`legal.document.${document}`)}</h1>
      <VersionFactsList t={t} facts={version} />
      <p class="hint">{t('legal.meta.hashExplained')}</p>
      {coming.map((v) => (
        <Notice key={v.number} kind="info">
          {t(v.isMaterial ? 'legal.current.comingMaterial' : 'legal.current.coming', { number: v.number, date: v.effectiveOn })}{' '}
          <a href={comparePath(document, version.number, v.number)}>{t('legal.current.compareComing')}</a>
        </Notice>
      ))}
      <nav class="legal-links" aria-label={t('legal.current.nav')}>
        <a href={archivePath(document)}>{t('legal.archive.link')}</a>
        {version.number > 1 ? (
          <>
            {' · '}
            <a href={comparePath(document, version.number - 1, version.number)}>{t('legal.current.comparePrevious')}</a>
          </>
        ) : null}
        {' · '}
        {t('legal.current.stored')} <StoredPageLinks ctx={ctx} version={version} />
      </nav>
      <div class="legal-text">
        <LegalText text={body} />
      </div>
      {document === 'privacy' ? <p><a href="/privacy/contact">{t('privacyRequests.legalLink')}</a></p> : null}
      <p><a href={currentPath[otherDocument[document]]}>{t(`legal.document.${otherDocument[document]}`)}</a></p>
    </article>
  );
}

/** Every version of a document: number, dates, material or not, hash, and links. */
export function ArchivePage({ ctx, document, items, inEffect }: { ctx: PageContext; document: LegalDocument; items: VersionView[]; inEffect: number }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('legal.archive.title', { document: t(`legal.document.${document}`) })}</h1>
      <p>{t('legal.archive.intro')}</p>
      <p><a href={currentPath[document]}>{t('legal.current.link')}</a></p>
      <table class="data legal-archive">
        <caption>{t('legal.archive.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('legal.meta.version')}</th>
            <th scope="col">{t('legal.meta.effectiveOn')}</th>
            <th scope="col">{t('legal.archive.material')}</th>
            <th scope="col">{t('legal.meta.hash')}</th>
            <th scope="col">{t('legal.archive.read')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((v) => (
            <tr key={v.number} data-version={v.number}>
              <td>
                {t('legal.meta.versionNumber', { number: v.number })}
                {v.number === inEffect ? <> <span class="badge badge-verified">{t('legal.archive.inEffect')}</span></> : null}
              </td>
              <td><time dateTime={v.effectiveOn}>{v.effectiveOn}</time></td>
              <td>{t(v.isMaterial ? 'legal.archive.materialYes' : 'legal.archive.materialNo')}</td>
              <td><code class="legal-hash">{v.contentHash}</code></td>
              <td>
                <StoredPageLinks ctx={ctx} version={v} />
                {v.number > 1 ? (
                  <>
                    {' · '}
                    <a href={comparePath(document, v.number - 1, v.number)}>{t('legal.archive.comparePrevious')}</a>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length > 1 ? <CompareForm ctx={ctx} document={document} numbers={items.map((v) => v.number).reverse()} from={items[1]!.number} to={items[0]!.number} /> : null}
    </section>
  );
}

/** Choose any two versions to compare. */
function CompareForm({ ctx, document, numbers, from, to }: { ctx: PageContext; document: LegalDocument; numbers: number[]; from: number; to: number }) {
  const { t } = ctx;
  const options = (selected: number) =>
    numbers.map((n) => (
      <option key={n} value={String(n)} selected={n === selected}>
        {t('legal.meta.versionNumber', { number: n })}
      </option>
    ));
  return (
    <form method="get" action={`/legal/${document}/compare`} class="legal-compare-form">
      <div class="field">
        <label for="compare-from">{t('legal.compare.from')}</label>
        <select id="compare-from" name="from">{options(from)}</select>
      </div>
      <div class="field">
        <label for="compare-to">{t('legal.compare.to')}</label>
        <select id="compare-to" name="to">{options(to)}</select>
      </div>
      <button type="submit" class="button button-secondary">{t('legal.compare.submit')}</button>
    </form>
  );
}

/** Sections compared: changed ones with a word diff, added and removed whole, unchanged collapsed. */
export function SectionChanges({ ctx, sections }: { ctx: PageContext; sections: SectionChange[] }) {
  const { t } = ctx;
  const unchanged = sections.filter((s) => s.status === 'same');
  const changes = sections.filter((s) => s.status !== 'same');
  const title = (heading: string) => heading || t('legal.compare.preamble');
  return (
    <div class="legal-diff">
      {changes.length === 0 ? <p>{t('legal.compare.noChanges')}</p> : null}
      {changes.map((s) =>
        s.status === 'changed' ? (
          <section key={`c-${s.id}`} class="legal-diff-section" data-status="changed" data-section={s.id}>
            <h2>{title(s.heading)} <span class="badge badge-submitted">{t('legal.compare.changed')}</span></h2>
            <div class="legal-diff-text">
              {s.parts.map((part, i) =>
                part.change === 'added' ? <ins key={i}>{part.value}</ins> : part.change === 'removed' ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
              )}
            </div>
          </section>
        ) : (
          <section key={`${s.status}-${s.id}`} class="legal-diff-section" data-status={s.status} data-section={s.id}>
            <h2>{title(s.heading)} <span class={s.status === 'added' ? 'badge badge-verified' : 'badge badge-rejected'}>{t(`legal.compare.${s.status}`)}</span></h2>
            <div class="legal-diff-text">{s.status === 'added' ? <ins>{s.text}</ins> : <del>{s.text}</del>}</div>
          </section>
        ),
      )}
      {unchanged.length > 0 ? (
        <details class="legal-unchanged">
          <summary>{t('legal.compare.unchanged', { count: unchanged.length })}</summary>
          <ul>
            {unchanged.map((s) => (
              <li key={s.id} data-section={s.id}>{title(s.heading)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function ComparePage({ ctx, document, from, to, sections, numbers }: {
  ctx: PageContext;
  document: LegalDocument;
  from: VersionView;
  to: VersionView;
  sections: SectionChange[];
  numbers: number[];
}) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('legal.compare.title', { document: t(`legal.document.${document}`), from: from.number, to: to.number })}</h1>
      <p>
        {t('legal.compare.intro', { from: from.number, fromDate: from.effectiveOn, to: to.number, toDate: to.effectiveOn })}
        {to.isMaterial ? <> <strong>{t('legal.compare.material')}</strong></> : null}
      </p>
      <p><a href={archivePath(document)}>{t('legal.archive.link')}</a></p>
      <SectionChanges ctx={ctx} sections={sections} />
      <CompareForm ctx={ctx} document={document} numbers={numbers} from={from.number} to={to.number} />
    </section>
  );
}

/** The officers' overview: each document's version in effect, coming versions, draft, and data-map gaps. */
export function StaffPage({ ctx, documents, coverage, published }: {
  ctx: PageContext;
  documents: { document: LegalDocument; items: VersionView[]; inEffect: number; draft: DraftView }[];
  coverage: { missingTexts: string[]; missingCategories: string[] };
  published: { document: LegalDocument; number: number } | null;
}) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('legal.staff.title')}</h1>
      {published ? (
        <Notice kind="success">{t('legal.staff.published', { document: t(`legal.document.${published.document}`), number: published.number })}</Notice>
      ) : null}
      {coverage.missingCategories.length > 0 ? (
        <Notice kind="error">{t('legal.staff.missingCategories', { categories: coverage.missingCategories.join(', ') })}</Notice>
      ) : null}
      {coverage.missingTexts.length > 0 ? (
        <Notice kind="error">{t('legal.staff.missingTexts', { keys: coverage.missingTexts.slice(0, 10).join(', ') })}</Notice>
      ) : null}
      {documents.map(({ document, items, inEffect, draft }) => (
        <section key={document} class="legal-staff-document" data-document={document}>
          <h2>{t(`legal.document.${document}`)}</h2>
          <p>
            {t('legal.staff.inEffect', { number: inEffect })}
            {items[0] && items[0].number > inEffect ? ` ${t('legal.staff.coming', { number: items[0].number, date: items[0].effectiveOn })}` : ''}
          </p>
          <p>{draft.savedAt ? t('legal.staff.draftSaved', { at: formatInstant(ctx, draft.savedAt) }) : t('legal.staff.noDraft')}</p>
          <p>
            <a href={`/staff/legal/${document}`}>{t('legal.staff.edit')}</a>
            {' · '}
            <a href={`/staff/legal/${document}/preview`}>{t('legal.staff.preview')}</a>
            {' · '}
            <a href={archivePath(document)}>{t('legal.archive.link')}</a>
          </p>
        </section>
      ))}
    </section>
  );
}

function SourceField({ ctx, locale, name, value, error }: { ctx: PageContext; locale: Locale; name: string; value: string; error?: string }) {
  const id = `field-${name}`;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t(`legal.edit.text.${locale}`)}<span class="required" aria-hidden="true">{' *'}</span></label>
      <textarea id={id} name={name} lang={locale} rows={24} maxLength={textMaxLength} required class="legal-source"
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}>
        {value}
      </textarea>
      <p class="hint" id={`${id}-hint`}>{ctx.t('legal.edit.hint', { max: textMaxLength })}</p>
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

/** The draft editor: both languages of a document. */
export function EditPage({ ctx, draft, state }: { ctx: PageContext; draft: DraftView; state: FormState }) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return (
    <section class="card">
      <p><a href="/staff/legal">{t('legal.staff.back')}</a></p>
      <h1>{t('legal.edit.title', { document: t(`legal.document.${draft.document}`) })}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p>{t('legal.edit.intro', { number: draft.basedOn })}</p>
      {draft.document === 'privacy' ? <p class="hint">{t('legal.edit.dataSection')}</p> : null}
      <PostForm ctx={ctx} action={`/staff/legal/${draft.document}/draft`} id="legal-draft-form">
        <SourceField ctx={ctx} locale="zh-CN" name="textZh" value={v.textZh ?? draft.sources['zh-CN']} error={e.textZh} />
        <SourceField ctx={ctx} locale="en" name="textEn" value={v.textEn ?? draft.sources.en} error={e.textEn} />
        <button class="button" type="submit">{t('legal.edit.save')}</button>
      </PostForm>
      {draft.savedAt ? (
        <PostForm ctx={ctx} action={`/staff/legal/${draft.document}/discard`} class="inline-form">
          <button class="button button-secondary" type="submit">{t('legal.edit.discard')}</button>
        </PostForm>
      ) : null}
    </section>
  );
}

/** The draft as it would be published, what it changes, and the publish form. */
export function PreviewPage({ ctx, draft, locale, body, sections, today, earliestMaterial, state }: {
  ctx: PageContext;
  draft: DraftView;
  locale: Locale;
  body: string;
  sections: SectionChange[];
  today: string;
  earliestMaterial: string;
  state: FormState;
}) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const document = draft.document;
  return (
    <section class="card">
      <p><a href="/staff/legal">{t('legal.staff.back')}</a> · <a href={`/staff/legal/${document}`}>{t('legal.staff.edit')}</a></p>
      <h1>{t('legal.preview.title', { document: t(`legal.document.${document}`), number: draft.basedOn + 1 })}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p>{draft.savedAt ? t('legal.staff.draftSaved', { at: formatInstant(ctx, draft.savedAt) }) : t('legal.preview.noDraft')}</p>
      <nav aria-label={t('legal.preview.languages')}>
        {locales.map((l, i) => (
          <span key={l}>
            {i > 0 ? ' · ' : null}
            {l === locale ? <strong>{t(`legal.language.${l}`)}</strong> : <a href={`/staff/legal/${document}/preview?lang=${l}`} hreflang={l}>{t(`legal.language.${l}`)}</a>}
          </span>
        ))}
      </nav>
      <h2>{t('legal.preview.changes', { number: draft.basedOn })}</h2>
      <SectionChanges ctx={ctx} sections={sections} />
      <h2>{t('legal.preview.publish')}</h2>
      <PostForm ctx={ctx} action={`/staff/legal/${document}/publish`} id="legal-publish-form">
        <div class={e.effectiveOn ? 'field field-error' : 'field'}>
          <label for="field-effectiveOn">{t('legal.publish.effectiveOn')}<span class="required" aria-hidden="true">{' *'}</span></label>
          <input id="field-effectiveOn" type="date" name="effectiveOn" required min={today} value={v.effectiveOn ?? ''}
            aria-invalid={e.effectiveOn ? 'true' : undefined} aria-describedby={e.effectiveOn ? 'field-effectiveOn-hint field-effectiveOn-error' : 'field-effectiveOn-hint'} />
          <p class="hint" id="field-effectiveOn-hint">{t('legal.publish.effectiveHint', { days: 7, earliest: earliestMaterial })}</p>
          {e.effectiveOn ? <p class="error-text" id="field-effectiveOn-error">{t(e.effectiveOn)}</p> : null}
        </div>
        <div class={e.material ? 'field field-error' : 'field'}>
          <label class="checkbox" for="field-material">
            <input id="field-material" type="checkbox" name="material" value="on" checked={v.material === 'on'}
              aria-invalid={e.material ? 'true' : undefined} aria-describedby={e.material ? 'field-material-hint field-material-error' : 'field-material-hint'} />
            <span>{t('legal.publish.material')}</span>
          </label>
          <p class="hint" id="field-material-hint">{t('legal.publish.materialHint')}</p>
          {e.material ? <p class="error-text" id="field-material-error">{t(e.material)}</p> : null}
        </div>
        <button class="button" type="submit">{t('legal.publish.submit')}</button>
      </PostForm>
      <h2>{t('legal.preview.text')}</h2>
      <div class="legal-text legal-preview" lang={locale}>
        <LegalText text={body} />
      </div>
    </section>
  );
}
