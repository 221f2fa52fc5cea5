import { Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { NoticePage, NoticeView } from './service.js';

/** The localised text of a notice, from its kind and params. */
export function noticeText(t: PageContext['t'], notice: Pick<NoticeView, 'kind' | 'params'>): string {
  return t(`notices.kind.${notice.kind}`, notice.params);
}

function NoticeItem({ ctx, notice, page }: { ctx: PageContext; notice: NoticeView; page: number }) {
  const { t } = ctx;
  const when = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(
    new Date(notice.createdAt),
  );
  return (
    <li class={notice.isRead ? 'notice-item' : 'notice-item notice-unread'} data-notice-id={notice.id}>
      {notice.isRead ? null : <span class="badge badge-submitted">{t('notices.unread')}</span>}{' '}
      {notice.isRead ? <span>{noticeText(t, notice)}</span> : <strong>{noticeText(t, notice)}</strong>}{' '}
      <time class="muted" dateTime={notice.createdAt}>{when}</time>{' '}
      <a href={notice.link}>{t('notices.open')}</a>
      {notice.isRead ? null : (
        <PostForm ctx={ctx} action={`/notices/${encodeURIComponent(notice.id)}/read`} class="inline-form">
          <input type="hidden" name="page" value={String(page)} />
          <button type="submit" class="link-button">{t('notices.markRead')}</button>
        </PostForm>
      )}
    </li>
  );
}

export function NoticesPage({ ctx, notices, unread }: { ctx: PageContext; notices: NoticePage; unread: number }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('notices.title')}</h1>
      {unread > 0 ? (
        <PostForm ctx={ctx} action="/notices/read-all" class="inline-form">
          <button type="submit" class="button button-secondary">{t('notices.markAllRead')}</button>
        </PostForm>
      ) : null}
      {notices.items.length === 0 ? (
        <p class="muted">{t('notices.empty')}</p>
      ) : (
        <ul class="notice-list" aria-label={t('notices.list')}>
          {notices.items.map((notice) => (
            <NoticeItem key={notice.id} ctx={ctx} notice={notice} page={notices.page} />
          ))}
        </ul>
      )}
      <Pager ctx={ctx} page={notices.page} pages={notices.pages} href={(n) => `/notices?page=${n}`} />
    </section>
  );
}
