import { Notice, Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { formatInstant } from '../../platform/views/format.js';
import type { AuditFilter, AuditPage, AuditVerification } from './service.js';
import { auditActions } from './tables.js';

/** The page's address for a filter and page number, keeping only what is set. */
export function auditHref(filter: AuditFilter, page = 1): string {
  const query = new URLSearchParams();
  if (filter.actorId) query.set('actor', filter.actorId);
  if (filter.action) query.set('action', filter.action);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/staff/audit?${text}` : '/staff/audit';
}

function VerifyResult({ ctx, result }: { ctx: PageContext; result: AuditVerification }) {
  return result.ok ? (
    <Notice kind="success">{ctx.t('audit.verify.ok', { entries: result.entries })}</Notice>
  ) : (
    <Notice kind="error">{ctx.t('audit.verify.broken', { seq: result.brokenAt, reason: ctx.t(`audit.break.${result.reason}`) })}</Notice>
  );
}

/** The audit log for readers: the check of the chain, filters, and entries newest first. */
export function AuditLogPage({ ctx, list, filter, verification }: { ctx: PageContext; list: AuditPage; filter: AuditFilter; verification: AuditVerification | null }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <h2>{t('audit.verify.title')}</h2>
      {verification ? <VerifyResult ctx={ctx} result={verification} /> : null}
      <p class="muted">{t('audit.verify.about')}</p>
      <PostForm ctx={ctx} action="/staff/audit/verify" class="inline-form">
        <button class="button button-secondary" type="submit">{t('audit.verify.button')}</button>
      </PostForm>
      <form method="get" action="/staff/audit" class="filters" aria-label={t('audit.filters')}>
        <label for="audit-actor">{t('audit.filter.actor')}</label>
        <input id="audit-actor" type="text" name="actor" value={filter.actorId ?? ''} maxLength={36} spellcheck={false} />
        <label for="audit-action">{t('audit.filter.action')}</label>
        <select id="audit-action" name="action">
          <option value="">{t('audit.filter.anyAction')}</option>
          {auditActions.map((action) => (
            <option key={action} value={action} selected={filter.action === action}>{t(`audit.action.${action}`)}</option>
          ))}
        </select>
        <button class="button button-secondary" type="submit">{t('audit.filter.submit')}</button>
      </form>
      <p class="muted">{t('audit.count', { total: list.total })}</p>
      {list.items.length === 0 ? <p class="muted">{t('audit.empty')}</p> : (
        <table class="data" aria-label={t('audit.list')}>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.seq')}</th>
              <th scope="col">{t('audit.col.time')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.target')}</th>
              <th scope="col">{t('audit.col.purpose')}</th>
              <th scope="col">{t('audit.col.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.seq} data-seq={e.seq}>
                <td>{e.seq}</td>
                <td><time dateTime={e.recordedAt}>{formatInstant(ctx, e.recordedAt)}</time></td>
                <td><a href={auditHref({ ...filter, actorId: e.actorId })}><code>{e.actorId}</code></a> ({e.actorRole})</td>
                <td>{t(`audit.action.${e.action}`)}</td>
                <td><code>{e.targetType}:{e.targetId}</code></td>
                <td>{t(`audit.purpose.${e.purpose}`)}</td>
                <td><code title={e.hash}>{e.hash.slice(0, 12)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => auditHref(filter, n)} />
    </section>
  );
}
