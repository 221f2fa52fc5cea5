import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { isLocale, type Locale } from '../../platform/i18n/i18n.js';
import { storedPageStylesheet } from './render.js';
import { compareQuery, documentParam, draftInput, previewQuery, publishInput, storedPageName } from './schema.js';
import { canEditLegalDocuments, type LegalService } from './service.js';
import { legalDocuments, type LegalDocument } from './tables.js';
import * as views from './views.js';

const stylesheet = readFileSync(new URL('./content/legal.css', import.meta.url));

/** The document named in the path; anything else is simply not found. */
function documentOf(request: FastifyRequest): LegalDocument {
  const parsed = documentParam.safeParse((request.params as { document?: string }).document);
  if (!parsed.success) throw new AppError('NOT_FOUND');
  return parsed.data;
}

/** Officers only: visitors are sent to sign in (null), other accounts get 403. */
function officer(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (!request.auth) {
    redirectToSignIn(request, reply);
    return null;
  }
  if (!canEditLegalDocuments(request.auth)) throw new AppError('FORBIDDEN');
  return request.auth;
}

/** The legal pages: documents in effect, stored versions, the archive and comparisons, and the officers' editor. */
export async function legalPages(app: FastifyInstance, { legal }: { legal: LegalService }) {
  const currentPage = async (request: FastifyRequest, reply: FastifyReply, document: LegalDocument) => {
    const { version, body, coming } = await legal.current(document, request.locale);
    return sendPage(request, reply, { title: request.t(`legal.document.${document}`) }, (ctx) => (
      <views.CurrentPage ctx={ctx} version={version} body={body} coming={coming} />
    ));
  };

  app.get('/legal', async (request, reply) => currentPage(request, reply, 'privacy'));
  app.get('/legal/terms', async (request, reply) => currentPage(request, reply, 'terms'));
  app.get('/legal/privacy', async (_request, reply) => reply.redirect('/legal', 301));

  app.get(storedPageStylesheet, { config: { rateLimit: false } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/css; charset=utf-8').send(stylesheet),
  );

  app.get('/legal/:document/versions', async (request, reply) => {
    const document = documentOf(request);
    const { items, inEffect } = legal.versions(document);
    return sendPage(request, reply, { title: request.t('legal.archive.title', { document: request.t(`legal.document.${document}`) }) }, (ctx) => (
      <views.ArchivePage ctx={ctx} document={document} items={items} inEffect={inEffect} />
    ));
  });

  app.get('/legal/:document/compare', async (request, reply) => {
    const document = documentOf(request);
    const range = compareQuery.parse(request.query ?? {});
    const { from, to, sections, numbers } = await legal.compare(document, request.locale, range);
    const title = request.t('legal.compare.title', { document: request.t(`legal.document.${document}`), from: from.number, to: to.number });
    return sendPage(request, reply, { title }, (ctx) => (
      <views.ComparePage ctx={ctx} document={document} from={from} to={to} sections={sections} numbers={numbers} />
    ));
  });

  // The stored bytes, exactly as published: nothing of this request goes into them.
  app.get('/legal/:document/:file', async (request, reply) => {
    const document = documentOf(request);
    const match = storedPageName.exec((request.params as { file: string }).file);
    if (!match) throw new AppError('NOT_FOUND');
    const { html, contentHash } = await legal.storedPage(document, Number(match[1]), match[2] as Locale);
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-sha256', contentHash)
      .type('text/html; charset=utf-8')
      .send(Buffer.from(html, 'utf8'));
  });

  app.get('/staff/legal', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const documents = await Promise.all(legalDocuments.map(async (document) => ({ document, ...legal.versions(document), draft: await legal.draft(auth, document) })));
    const number = Number((request.query as { published?: string }).published);
    const publishedDocument = documentParam.safeParse((request.query as { document?: string }).document);
    const published = publishedDocument.success && Number.isInteger(number) && number > 0 ? { document: publishedDocument.data, number } : null;
    return sendPage(request, reply, { title: request.t('legal.staff.title') }, (ctx) => (
      <views.StaffPage ctx={ctx} documents={documents} coverage={legal.coverage()} published={published} />
    ));
  });

  const editPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, document: LegalDocument, state: FormState, status = 200) => {
    const draft = await legal.draft(auth, document);
    return sendPage(request, reply, { title: request.t('legal.edit.title', { document: request.t(`legal.document.${document}`) }), status }, (ctx) => (
      <views.EditPage ctx={ctx} draft={draft} state={state} />
    ));
  };

  app.get('/staff/legal/:document', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    return editPage(request, reply, auth, documentOf(request), {});
  });

  app.post('/staff/legal/:document/draft', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const document = documentOf(request);
    try {
      await legal.saveDraft(auth, document, parseInput(draftInput, request.body));
      return reply.redirect(`/staff/legal/${document}/preview?saved=1`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return editPage(request, reply, auth, document, state, status);
    }
  });

  app.post('/staff/legal/:document/discard', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const document = documentOf(request);
    await legal.discardDraft(auth, document);
    return reply.redirect(`/staff/legal/${document}`, 303);
  });

  const previewPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, document: LegalDocument, state: FormState, status = 200) => {
    const asked = (request.query as { lang?: string } | undefined)?.lang;
    const locale = isLocale(asked) ? asked : request.locale;
    const preview = await legal.preview(auth, document, locale);
    const title = request.t('legal.preview.title', { document: request.t(`legal.document.${document}`), number: preview.draft.basedOn + 1 });
    return sendPage(request, reply, { title, status }, (ctx) => (
      <views.PreviewPage ctx={ctx} draft={preview.draft} locale={locale} body={preview.body} sections={preview.sections}
        today={preview.today} earliestMaterial={preview.earliestMaterial} state={state} />
    ));
  };

  app.get('/staff/legal/:document/preview', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const { saved } = previewQuery.parse(request.query ?? {});
    return previewPage(request, reply, auth, documentOf(request), saved ? { message: 'legal.edit.saved', messageKind: 'success' } : {});
  });

  app.post('/staff/legal/:document/publish', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const document = documentOf(request);
    try {
      const version = await legal.publish(auth, document, parseInput(publishInput, request.body));
      // Banners and the documents in effect may have changed: pages rendered for visitors are stale.
      app.platform.visitorPages.clear();
      return reply.redirect(`/staff/legal?document=${document}&published=${version.number}`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return previewPage(request, reply, auth, document, state, status);
    }
  });
}
