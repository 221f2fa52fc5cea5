import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { safeNext, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { isLocale, localeCookie } from '../../platform/i18n/i18n.js';
import { listRecentMail, type MailTables } from '../../platform/mail/outbox.js';

const legalText = readFileSync(new URL('../../../content/legal-statement.zh.txt', import.meta.url), 'utf8');
const legalParagraphs = legalText
  .split(/\n\s*\n/)
  .map((p) => p.trim())
  .filter(Boolean);

const searchQuery = z.object({ q: z.string().max(10_000).catch('') });

/** Site-wide pages: home, legal statement, contact, search, language switch, dev mailbox. */
export async function sitePages(app: FastifyInstance, { db }: { db: Kysely<MailTables> }) {
  app.get('/', async (request, reply) =>
    sendPage(request, reply, { title: request.t('home.title'), cacheForVisitors: true }, (ctx) => (
      <>
        <section class="hero">
          <h1>{ctx.t('home.heading')}</h1>
          <p>{ctx.t('home.lead')}</p>
          {ctx.viewer ? (
            <p>
              <a href="/account">{ctx.t('home.goAccount')}</a>
            </p>
          ) : (
            <p>
              <a class="button" href="/register">{ctx.t('site.register')}</a>
            </p>
          )}
        </section>
        <section class="grid" aria-label={ctx.t('home.featuresLabel')}>
          {(['suppliers', 'buyers', 'privacy'] as const).map((key) => (
            <article class="card" key={key}>
              <h2>{ctx.t(`home.feature.${key}.title`)}</h2>
              <p>{ctx.t(`home.feature.${key}.body`)}</p>
            </article>
          ))}
        </section>
      </>
    )),
  );

  app.get('/legal', async (request, reply) =>
    sendPage(request, reply, { title: request.t('site.legal'), cacheForVisitors: true }, (ctx) => (
      <article class="card" lang="zh-CN">
        {ctx.locale === 'en' ? (
          <p class="notice notice-info" lang="en">
            {ctx.t('legal.chineseOriginal')}
          </p>
        ) : null}
        {legalParagraphs.map((p, i) => (i === 0 ? <h1 key={i}>{p}</h1> : <p key={i}>{p}</p>))}
        <p lang={ctx.locale}><a href="/privacy/contact">{ctx.t('privacyRequests.legalLink')}</a></p>
      </article>
    )),
  );

  app.get('/contact', async (request, reply) =>
    sendPage(request, reply, { title: request.t('site.contact'), cacheForVisitors: true }, (ctx) => (
      <section class="card narrow">
        <h1>{ctx.t('site.contact')}</h1>
        <p>{ctx.t('contact.body')}</p>
        <p>
          <a href={`mailto:${app.silkline.config.privacyEmail}`}>{app.silkline.config.privacyEmail}</a>
        </p>
      </section>
    )),
  );

  app.get('/search', async (request, reply) => {
    const { q } = searchQuery.parse(request.query ?? {});
    const query = q.trim().slice(0, 200);
    return sendPage(request, reply, { title: request.t('search.title') }, (ctx) => (
      <section class="card">
        <h1>{query ? ctx.t('search.resultsFor', { query }) : ctx.t('search.title')}</h1>
        <p>{ctx.t('search.empty')}</p>
        <ul>
          <li>{ctx.t('search.tipSpelling')}</li>
          <li>{ctx.t('search.tipFewer')}</li>
        </ul>
      </section>
    ));
  });

  app.get<{ Params: { locale: string }; Querystring: { next?: string } }>('/lang/:locale', async (request, reply) => {
    const { locale } = request.params;
    if (!isLocale(locale)) throw new AppError('NOT_FOUND');
    reply.setCookie(localeCookie, locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400, httpOnly: false, secure: app.platform.isProduction });
    return reply.redirect(safeNext(request.query.next), 303);
  });

  if (app.platform.showDevMailbox) {
    app.get('/dev/mailbox', async (request, reply) => {
      const mails = await listRecentMail(db, 50);
      return sendPage(request, reply, { title: request.t('site.devMailbox') }, (ctx) => (
        <section class="card">
          <h1>{ctx.t('site.devMailbox')}</h1>
          <p class="muted">{ctx.t('devMailbox.explain')}</p>
          {mails.length === 0 ? <p>{ctx.t('devMailbox.empty')}</p> : null}
          {mails.map((m) => (
            <article key={m.id} class="card">
              <h2>{m.subject}</h2>
              <p class="muted">
                {ctx.t('devMailbox.to', { to: m.recipient })} · <time dateTime={m.createdAt}>{m.createdAt}</time>
              </p>
              <pre class="mail">{m.textBody}</pre>
            </article>
          ))}
        </section>
      ));
    });
  }
}
