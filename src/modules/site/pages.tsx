import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Kysely } from 'kysely';
import { safeNext, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { isLocale, localeCookie } from '../../platform/i18n/i18n.js';
import { listRecentMail, type MailTables } from '../../platform/mail/outbox.js';
import type { PageContext } from '../../platform/views/context.js';
import { hubPages } from './hubs.js';

/** A block of the signed-in person's own on the home page; the app hands it in from its module. */
export type PersonalBlock = (request: FastifyRequest) => Promise<((ctx: PageContext) => ComponentChildren) | null>;

/** The path back, without a `lang` query parameter that would outrank the language just chosen. */
function withoutLangParameter(path: string): string {
  const at = path.indexOf('?');
  if (at < 0) return path;
  const params = new URLSearchParams(path.slice(at + 1));
  params.delete('lang');
  const rest = params.toString();
  return rest ? `${path.slice(0, at)}?${rest}` : path.slice(0, at);
}

/** Site-wide pages: home, 我的丝路 and the staff 工作台, language switch, dev mailbox (contact is the support module's; search the catalogue's; legal documents the legal module's). */
export async function sitePages(app: FastifyInstance, { db, personalBlock }: { db: Kysely<MailTables>; personalBlock?: PersonalBlock }) {
  await app.register(hubPages);
  app.get('/', async (request, reply) => {
    // Visitors share one cached page; a signed-in person's blocks are theirs alone.
    const personal = request.auth && personalBlock ? await personalBlock(request) : null;
    return sendPage(request, reply, { title: request.t('home.title'), cacheForVisitors: true }, (ctx) => (
      <>
        <section class="hero">
          <h1>{ctx.t('home.heading')}</h1>
          <p>{ctx.t('home.lead')}</p>
          {ctx.viewer ? (
            <p>
              <a href="/me">{ctx.t('home.goAccount')}</a>
            </p>
          ) : (
            <p>
              <a class="button" href="/register">{ctx.t('site.register')}</a>
            </p>
          )}
        </section>
        {personal?.(ctx)}
        <section class="grid" aria-label={ctx.t('home.featuresLabel')}>
          {(['suppliers', 'buyers', 'privacy'] as const).map((key) => (
            <article class="card" key={key}>
              <h2>{ctx.t(`home.feature.${key}.title`)}</h2>
              <p>{ctx.t(`home.feature.${key}.body`)}</p>
            </article>
          ))}
        </section>
      </>
    ));
  });

  app.get<{ Params: { locale: string }; Querystring: { next?: string } }>('/lang/:locale', async (request, reply) => {
    const { locale } = request.params;
    if (!isLocale(locale)) throw new AppError('NOT_FOUND');
    reply.setCookie(localeCookie, locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400, httpOnly: false, secure: app.platform.isProduction });
    return reply.redirect(withoutLangParameter(safeNext(request.query.next)), 303);
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
