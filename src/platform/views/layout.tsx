import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { PageContext } from './context.js';

export interface PageOptions {
  title: string;
  description?: string;
  /** Names of client islands (bundled scripts) this page loads. */
  scripts?: string[];
  /** Absolute canonical URL of the page. */
  canonicalUrl?: string;
  /** schema.org JSON-LD, already serialised with `<` escaped. */
  jsonLd?: string;
  /** The page in other languages (`hreflang` → absolute URL), including `x-default`. */
  alternates?: { hreflang: string; href: string }[];
}

/** The notices link; with unread ones it shows the count, and says it in words to screen readers. */
function NoticesLink({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const count = ctx.viewer?.unreadNotices ?? 0;
  if (count <= 0) return <a href="/notices">{t('site.notices')}</a>;
  return (
    <a href="/notices" class="notices-link">
      <span aria-hidden="true">{`${t('site.notices')} (${count})`}</span>
      <span class="visually-hidden">{t('site.noticesUnread', { count })}</span>
    </a>
  );
}

/** The message centre link; with unread conversations it shows the count, in words for screen readers. */
function MessagesLink({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const count = ctx.viewer?.unreadMessages ?? 0;
  if (count <= 0) return <a href="/messages">{t('site.messages')}</a>;
  return (
    <a href="/messages" class="messages-link">
      <span aria-hidden="true">{`${t('site.messages')} (${count})`}</span>
      <span class="visually-hidden">{t('site.messagesUnread', { count })}</span>
    </a>
  );
}

function Header({ ctx }: { ctx: PageContext }) {
  const { t, viewer, locale } = ctx;
  const other = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <header class="site-header">
      <div class="container header-row">
        <a class="logo" href="/" title={t('site.homeLink')}>
          <span class="logo-mark" aria-hidden="true">丝</span>
          <span class="logo-text">{t('site.name')}</span>
        </a>
        <form class="search" role="search" action="/search" method="get">
          <label class="visually-hidden" for="site-search">
            {t('site.searchLabel')}
          </label>
          <input id="site-search" type="search" name="q" maxLength={200} placeholder={t('site.searchPlaceholder')} />
          <button type="submit">{t('site.searchButton')}</button>
        </form>
        <nav class="header-nav" aria-label={t('site.accountNav')}>
          <a
            class="lang-switch"
            href={`/lang/${other}?next=${encodeURIComponent(ctx.path)}`}
            hreflang={other}
            lang={other}
          >
            {t('site.switchLanguage')}
          </a>
          <a href="/companies">{t('site.suppliers')}</a>
          {viewer ? (
            <>
              <a href="/rfq">{t('rfq.nav.board')}</a>
              <a href="/shop">{t('site.shop')}</a>
              <MessagesLink ctx={ctx} />
              <NoticesLink ctx={ctx} />
              {viewer.role !== 'user' ? <a href="/staff">{t('site.staff')}</a> : null}
              <a href="/me">{t('site.myAccount', { name: viewer.displayName })}</a>
              <form method="post" action="/sign-out" class="inline-form">
                <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                <button type="submit" class="link-button">
                  {t('site.signOut')}
                </button>
              </form>
            </>
          ) : (
            <>
              <a href="/sign-in">{t('site.signIn')}</a>
              <a class="button-small" href="/register">
                {t('site.register')}
              </a>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

function Footer({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <footer class="site-footer">
      <div class="container footer-row">
        <nav aria-label={t('site.footerNav')}>
          <a href="/legal">{t('site.legal')}</a>
          <a href="/contact">{t('site.contact')}</a>
          <a href="/announcements">{t('site.announcements')}</a>
          <a href="/privacy/settings">{t('site.privacySettings')}</a>
          {ctx.showDevMailbox ? <a href="/dev/mailbox">{t('site.devMailbox')}</a> : null}
        </nav>
        <p>{t('site.copyright', { year: new Date().getUTCFullYear() })}</p>
      </div>
    </footer>
  );
}

/** `{ consent: 'necessary analytics' }` → `{ 'data-consent': 'necessary analytics' }`; other names are dropped. */
function dataAttributes(data: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).filter(([name]) => /^[a-z][a-z0-9-]*$/.test(name)).map(([name, value]) => [`data-${name}`, value]));
}

/**
 * Renders a whole HTML document around a page body. Output is escaped by Preact.
 * @example renderPage(ctx, { title: t('home.title') }, <Home />)
 */
export function renderPage(ctx: PageContext, options: PageOptions, body: ComponentChildren): string {
  const { t } = ctx;
  const html = render(
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${options.title} - ${t('site.name')}`}</title>
        <meta name="description" content={options.description ?? t('site.tagline')} />
        <link rel="stylesheet" href={ctx.asset('site.css')} />
        <link rel="icon" href={ctx.asset('favicon.svg')} type="image/svg+xml" />
        {options.canonicalUrl ? <link rel="canonical" href={options.canonicalUrl} /> : null}
        {(options.alternates ?? []).map((a) => (
          <link rel="alternate" hreflang={a.hreflang} href={a.href} key={a.hreflang} />
        ))}
        {options.jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: options.jsonLd }} /> : null}
        {[...new Set([...(ctx.scripts ?? []), ...(options.scripts ?? [])])].map((name) => (
          <script type="module" src={ctx.asset(`${name}.js`)} key={name} />
        ))}
      </head>
      <body {...dataAttributes(ctx.data)}>
        <a class="skip-link" href="#main">
          {t('site.skipToContent')}
        </a>
        {ctx.banner ? ctx.banner(ctx) : null}
        <Header ctx={ctx} />
        <main id="main" class="container" tabIndex={-1}>
          {body}
        </main>
        <Footer ctx={ctx} />
      </body>
    </html>,
  );
  return `<!doctype html>${html}`;
}
