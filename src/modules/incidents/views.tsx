import { Pager } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { formatDay } from '../../platform/views/format.js';
import type { IncidentView } from './service.js';

/** The text of the page's language, with the language it is really in (Chinese when English is empty). */
export function inLocale(ctx: PageContext, zh: string, en: string): { text: string; lang: string } {
  return ctx.locale === 'en' && en ? { text: en, lang: 'en' } : { text: zh || en, lang: zh ? 'zh-CN' : 'en' };
}

/** Text as paragraphs, one per blank-line-separated block; line breaks inside a block are kept. */
export function Paragraphs({ text, lang }: { text: string; lang: string }) {
  return <>{text.split(/\n{2,}/).filter(Boolean).map((p, i) => <p key={i} lang={lang} class="incident-text">{p}</p>)}</>;
}

/** The announcement itself: what happened, when, what is involved, consequences, measures, advice, contact and follow-ups. */
export function AnnouncementBody({ ctx, incident }: { ctx: PageContext; incident: IncidentView }) {
  const { t } = ctx;
  const en = ctx.locale === 'en';
  const section = (key: string, zh: string, enText: string) => {
    const text = inLocale(ctx, zh, enText);
    return (
      <section key={key} aria-labelledby={`incident-${key}`}>
        <h2 id={`incident-${key}`}>{t(`incidents.section.${key}`)}</h2>
        <Paragraphs text={text.text} lang={text.lang} />
      </section>
    );
  };
  return (
    <div class="incident-body">
      {section('summary', incident.summaryZh, incident.summaryEn)}
      <section aria-labelledby="incident-foundOn">
        <h2 id="incident-foundOn">{t('incidents.section.foundOn')}</h2>
        <p><time datetime={incident.foundOn}>{incident.foundOn}</time></p>
      </section>
      <section aria-labelledby="incident-categories">
        <h2 id="incident-categories">{t('incidents.section.categories')}</h2>
        <ul>{incident.categories.map((c) => <li key={c} data-category={c}>{t(`legal.category.${c}`)}</li>)}</ul>
      </section>
      {section('consequences', incident.consequencesZh, incident.consequencesEn)}
      {section('measures', incident.measuresZh, incident.measuresEn)}
      {section('selfHelp', incident.selfHelpZh, incident.selfHelpEn)}
      <section aria-labelledby="incident-contact">
        <h2 id="incident-contact">{t('incidents.section.contact')}</h2>
        <p>{/^[^\s@]+@[^\s@]+$/.test(incident.contact) ? <a href={`mailto:${incident.contact}`}>{incident.contact}</a> : incident.contact}</p>
      </section>
      {incident.updates.length > 0 ? (
        <section aria-labelledby="incident-updates" id="updates">
          <h2 id="incident-updates">{t('incidents.section.updates')}</h2>
          <ol class="incident-updates">
            {[...incident.updates].reverse().map((u) => (
              <li key={u.id} data-update-id={u.id}>
                <h3>{t('incidents.public.updateOn', { date: formatDay(ctx, u.createdAt) })}</h3>
                <Paragraphs text={en && u.bodyEn ? u.bodyEn : u.bodyZh} lang={en && u.bodyEn ? 'en' : 'zh-CN'} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

/** The public list of announcements, newest first. */
export function AnnouncementsPage({ ctx, list }: { ctx: PageContext; list: { items: { id: string; titleZh: string; titleEn: string; foundOn: string; publishedAt: string }[]; page: number; pages: number } }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('incidents.public.title')}</h1>
      <p>{t('incidents.public.intro')}</p>
      {list.items.length === 0 ? <div class="empty-state"><p>{t('incidents.public.empty')}</p></div> : (
        <ul class="announcement-list">
          {list.items.map((item) => {
            const title = inLocale(ctx, item.titleZh, item.titleEn);
            return (
              <li key={item.id} data-incident-id={item.id}>
                <h2><a href={`/announcements/${item.id}`} lang={title.lang}>{title.text}</a></h2>
                <p class="muted">{t('incidents.public.publishedOn', { date: formatDay(ctx, item.publishedAt) })} · {t('incidents.public.foundOn', { date: item.foundOn })}</p>
              </li>
            );
          })}
        </ul>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => `/announcements?page=${n}`} />
    </section>
  );
}

/** One public announcement with its follow-ups. */
export function AnnouncementPage({ ctx, incident }: { ctx: PageContext; incident: IncidentView & { publishedAt: string } }) {
  const { t } = ctx;
  const title = inLocale(ctx, incident.titleZh, incident.titleEn);
  return (
    <article class="card">
      <p><a href="/announcements">{t('incidents.public.back')}</a></p>
      <h1 lang={title.lang}>{title.text}</h1>
      <p class="muted">{t('incidents.public.publishedOn', { date: formatDay(ctx, incident.publishedAt) })}</p>
      <AnnouncementBody ctx={ctx} incident={incident} />
    </article>
  );
}
