import { formatInstant } from '../../platform/views/format.js';
import type { ComponentChildren } from 'preact';
import type { FormState } from '../../platform/http/forms.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { Field, FormMessage, Pager, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { ShopNav, VerifiedBadge } from '../companies/index.js';
import type { CompaniesService } from '../companies/index.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import { units } from '../products/index.js';
import type { HandlerSettingsView } from './handlers.js';
import type { PreferenceView } from './notify.js';
import type { ReportQueuePage, ReportView } from './reports.js';
import { currencies, detailsMaxLength, messageMaxLength, searchMaxLength, subjectMaxLength, type ListQuery } from './schema.js';
import type { ThreadPage, UnreadCounts } from './service.js';
import { noticeFrequencies, reportReasons, type ThreadStatus } from './tables.js';
import type { MessageView, ThreadView } from './thread-view.js';

/** Who an inquiry goes to, as the form shows it. */
export interface InquiryTarget {
  company: { id: string; nameZh: string; nameEn: string | null; verified: boolean; verifiedAt: string | null; verifiedChecks: string[] };
  product: { id: string; title: string; unit: string; moq: number } | null;
}

/** What the inquiry form collects, for its just-in-time notice. */
const inquiryColumns: readonly CollectedColumn[] = [
  ['inquiry_thread', 'buyer_name'],
  ['inquiry_thread', 'subject'],
  ['inquiry_message', 'body'],
  ['inquiry_attachment', 'file_name'],
];
const preferenceColumns: readonly CollectedColumn[] = [['message_preference', 'frequency']];

type CompanyView = Awaited<ReturnType<CompaniesService['getForMember']>>;

const attachmentAccept = 'application/pdf,image/jpeg,image/png,image/webp';

function companyName(ctx: PageContext, company: { nameZh: string; nameEn: string | null }): string {
  return ctx.locale === 'en' && company.nameEn ? company.nameEn : company.nameZh;
}

function fileSize(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`;
}

/** A multipart form with its CSRF token (PostForm sends URL-encoded forms only). */
function UploadForm({ ctx, action, children }: { ctx: PageContext; action: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="form" noValidate>
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      {children}
    </form>
  );
}

function AttachmentsField({ ctx, error }: { ctx: PageContext; error?: string }) {
  const { t } = ctx;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="field-attachments">{t('inquiries.field.attachments')}</label>
      <input id="field-attachments" type="file" name="attachments" multiple accept={attachmentAccept}
        aria-describedby={error ? 'field-attachments-hint field-attachments-error' : 'field-attachments-hint'} aria-invalid={error ? 'true' : undefined} />
      <p class="hint" id="field-attachments-hint">{t('inquiries.hint.attachments')}</p>
      {error ? <p class="error-text" id="field-attachments-error">{t(error)}</p> : null}
    </div>
  );
}

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: ThreadStatus }) {
  const kind = status === 'new' ? 'submitted' : status === 'replied' ? 'verified' : 'draft';
  return <span class={`badge badge-${kind}`}>{ctx.t(`inquiries.status.${status}`)}</span>;
}

/** The inquiry form, with who receives it and the just-in-time notice of what is kept. */
export function InquiryFormPage({ ctx, target, state, dataMap }: { ctx: PageContext; target: InquiryTarget; state: FormState; dataMap: DataMap }) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const unitOptions = units.map((u) => ({ value: u, label: t(`products.unit.${u}`) }));
  return (
    <section class="card narrow">
      <h1>{t('inquiries.form.title')}</h1>
      <dl class="inquiry-target">
        <dt>{t('inquiries.field.company')}</dt>
        <dd>
          <a href={`/companies/${target.company.id}`}>{companyName(ctx, target.company)}</a> <VerifiedBadge ctx={ctx} company={target.company} />
        </dd>
        {target.product ? (
          <>
            <dt>{t('inquiries.field.product')}</dt>
            <dd><a href={`/products/${target.product.id}`}>{target.product.title}</a></dd>
          </>
        ) : null}
      </dl>
      <FormMessage ctx={ctx} state={state} />
      <UploadForm ctx={ctx} action="/inquiries/new">
        {target.product ? <input type="hidden" name="productId" value={target.product.id} /> : <input type="hidden" name="companyId" value={target.company.id} />}
        <Field ctx={ctx} name="subject" label={t('inquiries.field.subject')} value={v.subject} error={e.subject} required maxLength={subjectMaxLength} />
        <TextArea ctx={ctx} name="message" label={t('inquiries.field.message')} value={v.message} error={e.message} maxLength={messageMaxLength}
          rows={8} hint={t('inquiries.hint.message')} />
        <div class="field-row">
          <Field ctx={ctx} name="quantity" label={t('inquiries.field.quantity')} value={v.quantity} error={e.quantity} required inputMode="numeric" maxLength={13} />
          <Select ctx={ctx} name="unit" label={t('inquiries.field.unit')} value={v.unit} error={e.unit} empty={t('inquiries.field.choose')} options={unitOptions} />
        </div>
        <div class="field-row">
          <Field ctx={ctx} name="targetPrice" label={t('inquiries.field.targetPrice')} value={v.targetPrice} error={e.targetPrice}
            hint={t('inquiries.hint.targetPrice')} inputMode="text" maxLength={16} />
          <Select ctx={ctx} name="currency" label={t('inquiries.field.currency')} value={v.currency || 'CNY'} error={e.currency}
            empty={t('inquiries.field.choose')} options={currencies.map((c) => ({ value: c, label: c }))} />
        </div>
        <AttachmentsField ctx={ctx} error={e.attachments} />
        <p class="hint">{t('inquiries.form.recipients')}</p>
        <JitNotice ctx={ctx} dataMap={dataMap} columns={inquiryColumns} id="inquiry-notice" />
        <button class="button" type="submit">{t('inquiries.form.submit')}</button>
      </UploadForm>
    </section>
  );
}

function listHref(query: Pick<ListQuery, 'box' | 'archived' | 'q'>, page = 1): string {
  const params = new URLSearchParams({ box: query.box });
  if (query.archived) params.set('archived', '1');
  if (query.q) params.set('q', query.q);
  if (page > 1) params.set('page', String(page));
  return `/messages?${params.toString()}`;
}

function TabLabel({ ctx, label, unread }: { ctx: PageContext; label: string; unread: number }) {
  if (unread <= 0) return <>{label}</>;
  return (
    <>
      <span aria-hidden="true">{`${label} (${unread})`}</span>
      <span class="visually-hidden">{ctx.t('inquiries.centre.tabUnread', { label, count: unread })}</span>
    </>
  );
}

/** The message centre: the buyer and supplier sides in tabs, inbox or archive, search, pages. */
export function MessageCentrePage({ ctx, list, query, unread }: { ctx: PageContext; list: ThreadPage; query: ListQuery; unread: UnreadCounts }) {
  const { t } = ctx;
  const tabs = [
    ['buyer', 'inquiries.centre.buyerTab', unread.buyer],
    ['supplier', 'inquiries.centre.supplierTab', unread.supplier],
  ] as const;
  const emptyKey = query.q ? 'inquiries.centre.noMatch' : query.archived ? 'inquiries.centre.emptyArchive' : `inquiries.centre.empty.${query.box}`;
  return (
    <section class="card">
      <h1>{t('inquiries.centre.title')}</h1>
      <nav class="tabs" aria-label={t('inquiries.centre.tabs')}>
        {tabs.map(([box, label, count]) => (
          <a key={box} href={listHref({ box, archived: false, q: '' })} aria-current={query.box === box ? 'page' : undefined}>
            <TabLabel ctx={ctx} label={t(label)} unread={count} />
          </a>
        ))}
      </nav>
      <div class="search-toolbar">
        <form method="get" action="/messages" role="search" class="filters">
          <input type="hidden" name="box" value={query.box} />
          {query.archived ? <input type="hidden" name="archived" value="1" /> : null}
          <label for="messages-search">{t('inquiries.centre.search')}</label>
          <input id="messages-search" type="search" name="q" value={query.q} maxLength={searchMaxLength} />
          <button class="button button-secondary" type="submit">{t('inquiries.centre.searchButton')}</button>
        </form>
        <p>
          {query.archived ? (
            <a href={listHref({ ...query, archived: false, q: '' })}>{t('inquiries.centre.showInbox')}</a>
          ) : (
            <a href={listHref({ ...query, archived: true, q: '' })}>{t('inquiries.centre.showArchive')}</a>
          )}
        </p>
      </div>
      <h2>{t(query.archived ? 'inquiries.centre.archive' : 'inquiries.centre.inbox')}</h2>
      {query.q ? <p class="muted">{t('inquiries.centre.results', { count: list.total, q: query.q })}</p> : null}
      {list.items.length === 0 ? (
        <div class="empty-state"><p>{t(emptyKey)}</p></div>
      ) : (
        <table class="data threads" aria-label={t(query.box === 'buyer' ? 'inquiries.centre.buyerTab' : 'inquiries.centre.supplierTab')}>
          <thead>
            <tr>
              <th scope="col">{t('inquiries.field.subject')}</th>
              <th scope="col">{t(query.box === 'buyer' ? 'inquiries.field.company' : 'inquiries.field.buyer')}</th>
              <th scope="col">{t('inquiries.field.status')}</th>
              <th scope="col">{t('inquiries.field.lastMessage')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((thread) => (
              <tr key={thread.id} class={thread.isUnread ? 'thread-unread' : undefined} data-thread-id={thread.id}>
                <td>
                  {thread.isUnread ? <><span class="badge badge-submitted">{t('inquiries.centre.unread')}</span>{' '}</> : null}
                  <a href={`/messages/${thread.id}`}>{thread.isUnread ? <strong>{thread.subject}</strong> : thread.subject}</a>
                  {thread.product ? <><br /><span class="muted">{thread.product.title}</span></> : null}
                </td>
                <td>{query.box === 'buyer' ? companyName(ctx, thread.company) : <>{thread.buyerName}<br /><span class="muted">{companyName(ctx, thread.company)}</span></>}</td>
                <td><StatusBadge ctx={ctx} status={thread.status} /></td>
                <td><time dateTime={thread.lastMessageAt}>{formatInstant(ctx, thread.lastMessageAt)}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => listHref(query, n)} />
      <p><a href="/messages/settings">{t('inquiries.settings.link')}</a></p>
    </section>
  );
}

function ThreadFacts({ ctx, thread }: { ctx: PageContext; thread: ThreadView }) {
  const { t } = ctx;
  return (
    <dl class="details">
      <dt>{t('inquiries.field.company')}</dt>
      <dd><a href={`/companies/${thread.company.id}`}>{companyName(ctx, thread.company)}</a></dd>
      <dt>{t('inquiries.field.buyer')}</dt>
      <dd>{thread.buyerName}</dd>
      {thread.product ? (
        <>
          <dt>{t('inquiries.field.product')}</dt>
          <dd>{thread.product.id ? <a href={`/products/${thread.product.id}`}>{thread.product.title}</a> : thread.product.title}</dd>
        </>
      ) : null}
      {thread.quantity !== null ? (
        <>
          <dt>{t('inquiries.field.quantity')}</dt>
          <dd>{thread.quantity.toLocaleString(ctx.locale)} {thread.unit ? t(`products.unit.${thread.unit}`) : ''}</dd>
        </>
      ) : null}
      {thread.targetPrice ? (
        <>
          <dt>{t('inquiries.thread.targetPrice')}</dt>
          <dd>{`${thread.targetCurrency ?? ''} ${thread.targetPrice}`}</dd>
        </>
      ) : null}
      {thread.origin === 'rfq' ? (
        <>
          <dt>{t('inquiries.field.origin')}</dt>
          <dd>{t('inquiries.origin.rfq')}</dd>
        </>
      ) : null}
      <dt>{t('inquiries.field.sentAt')}</dt>
      <dd><time dateTime={thread.createdAt}>{formatInstant(ctx, thread.createdAt)}</time></dd>
    </dl>
  );
}

/** A thread's messages, oldest first, each with its author, side, time and attachments. */
export function MessageList({ ctx, thread, messages, attachmentBase }: { ctx: PageContext; thread: ThreadView; messages: MessageView[]; attachmentBase: string | null }) {
  const { t } = ctx;
  return (
    <ol class="thread-messages" aria-label={t('inquiries.thread.messages')}>
      {messages.map((m, i) => (
        <li key={m.id} id={i === messages.length - 1 ? 'latest' : `m-${m.id}`} class={m.isMine ? 'message message-mine' : 'message'}>
          <p class="message-meta">
            <strong>{m.authorName}</strong>
            {' · '}
            {t(m.side === 'buyer' ? 'inquiries.side.buyer' : 'inquiries.side.supplier', { company: companyName(ctx, thread.company) })}
            {m.isMine ? <> · {t('inquiries.thread.you')}</> : null}
            {' · '}
            <time dateTime={m.createdAt}>{formatInstant(ctx, m.createdAt)}</time>
          </p>
          <p class="message-body">{m.body}</p>
          {m.attachments.length > 0 ? (
            <ul class="attachments" aria-label={t('inquiries.field.attachments')}>
              {m.attachments.map((a) => (
                <li key={a.id}>
                  {attachmentBase ? <a href={`${attachmentBase}/${a.id}`}>{a.fileName}</a> : <span>{a.fileName}</span>}{' '}
                  <span class="muted">({fileSize(a.size)})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** One thread for a participant: facts, messages, the reply form and the actions. */
export function ThreadPageView({ ctx, thread, messages, state }: { ctx: PageContext; thread: ThreadView; messages: MessageView[]; state: FormState }) {
  const { t } = ctx;
  const e = state.errors ?? {};
  const isClosed = thread.status === 'closed';
  return (
    <section class="card">
      <p><a href={`/messages?box=${thread.side ?? 'buyer'}`}>{t('inquiries.thread.back')}</a></p>
      <h1>{thread.subject} <StatusBadge ctx={ctx} status={thread.status} /></h1>
      <FormMessage ctx={ctx} state={state} />
      <ThreadFacts ctx={ctx} thread={thread} />
      <h2>{t('inquiries.thread.messages')}</h2>
      <MessageList ctx={ctx} thread={thread} messages={messages} attachmentBase={`/messages/${thread.id}/attachments`} />
      {isClosed ? (
        <p class="notice notice-info">{t('inquiries.thread.closed')}</p>
      ) : (
        <>
          <h2 id="reply-title">{t('inquiries.thread.reply')}</h2>
          <UploadForm ctx={ctx} action={`/messages/${thread.id}/reply`}>
            <TextArea ctx={ctx} name="message" label={t('inquiries.field.reply')} value={state.values?.message} error={e.message} maxLength={messageMaxLength} rows={6} />
            <AttachmentsField ctx={ctx} error={e.attachments} />
            <button class="button" type="submit">{t('inquiries.thread.send')}</button>
          </UploadForm>
        </>
      )}
      <div class="actions thread-actions">
        {isClosed ? null : (
          <PostForm ctx={ctx} action={`/messages/${thread.id}/close`} class="inline-form">
            <button class="button button-secondary" type="submit">{t('inquiries.thread.close')}</button>
          </PostForm>
        )}
        <PostForm ctx={ctx} action={`/messages/${thread.id}/archive`} class="inline-form">
          <input type="hidden" name="archived" value={thread.isArchived ? '0' : '1'} />
          <button class="button button-secondary" type="submit">{t(thread.isArchived ? 'inquiries.thread.unarchive' : 'inquiries.thread.archive')}</button>
        </PostForm>
      </div>
      <details class="report" open={e.reason !== undefined || e.details !== undefined}>
        <summary>{t('inquiries.report.title')}</summary>
        <p class="hint">{t('inquiries.report.explain')}</p>
        <PostForm ctx={ctx} action={`/messages/${thread.id}/report`}>
          <Select ctx={ctx} name="reason" label={t('inquiries.report.reason')} value={state.values?.reason} error={e.reason} empty={t('inquiries.field.choose')}
            options={reportReasons.map((r) => ({ value: r, label: t(`inquiries.reason.${r}`) }))} />
          <TextArea ctx={ctx} name="details" label={t('inquiries.report.details')} value={state.values?.details} error={e.details} maxLength={detailsMaxLength} rows={3} />
          <button class="button button-danger" type="submit">{t('inquiries.report.submit')}</button>
        </PostForm>
      </details>
    </section>
  );
}

/** How the person hears of new messages by email. */
export function PreferencePage({ ctx, preference, state, dataMap }: { ctx: PageContext; preference: PreferenceView; state: FormState; dataMap: DataMap }) {
  const { t } = ctx;
  const chosen = state.values?.frequency ?? preference.frequency;
  return (
    <section class="card narrow">
      <p><a href="/messages">{t('inquiries.centre.title')}</a></p>
      <h1>{t('inquiries.settings.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/messages/settings">
        <fieldset aria-describedby={state.errors?.frequency ? 'field-frequency-error' : undefined}>
          <legend>{t('inquiries.settings.legend')}</legend>
          {noticeFrequencies.map((f) => (
            <label class="checkbox" key={f} for={`field-frequency-${f}`}>
              <input id={`field-frequency-${f}`} type="radio" name="frequency" value={f} checked={chosen === f} />
              <span>{t(`inquiries.frequency.${f}`)}</span>
            </label>
          ))}
          {state.errors?.frequency ? <p class="error-text" id="field-frequency-error">{t(state.errors.frequency)}</p> : null}
        </fieldset>
        <JitNotice ctx={ctx} dataMap={dataMap} columns={preferenceColumns} id="preference-notice" />
        <button class="button" type="submit">{t('inquiries.settings.save')}</button>
      </PostForm>
    </section>
  );
}

/** Who in the company handles its inquiries; for the owner and admins. */
export function HandlerSettingsPage({ ctx, company, settings, state }: { ctx: PageContext; company: CompanyView; settings: HandlerSettingsView; state: FormState }) {
  const { t } = ctx;
  const mode = state.values?.mode ?? settings.mode;
  return (
    <section class="card">
      <h1>{t('inquiries.handlers.title')}</h1>
      <ShopNav ctx={ctx} company={company} current="inquiries" />
      <FormMessage ctx={ctx} state={state} />
      <p>{t('inquiries.handlers.explain')}</p>
      <PostForm ctx={ctx} action={`/shop/${company.id}/inquiries/settings`}>
        <fieldset>
          <legend>{t('inquiries.handlers.mode')}</legend>
          {(['all', 'named'] as const).map((m) => (
            <label class="checkbox" key={m} for={`field-mode-${m}`}>
              <input id={`field-mode-${m}`} type="radio" name="mode" value={m} checked={mode === m} />
              <span>{t(`inquiries.handlers.mode.${m}`)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset aria-describedby={state.errors?.members ? 'field-members-error' : 'field-members-hint'}>
          <legend>{t('inquiries.handlers.members')}</legend>
          <p class="hint" id="field-members-hint">{t('inquiries.handlers.ownerAlways')}</p>
          {settings.members.map((m) => (
            <label class="checkbox" key={m.accountId} for={`field-member-${m.accountId}`}>
              <input id={`field-member-${m.accountId}`} type="checkbox" name="members" value={m.accountId} checked={m.isNamed || m.role === 'owner'}
                disabled={m.role === 'owner'} />
              <span>{m.contactPerson} <span class="muted">({t(`companies.members.role.${m.role}`)})</span></span>
            </label>
          ))}
          {state.errors?.members ? <p class="error-text" id="field-members-error">{t(state.errors.members)}</p> : null}
        </fieldset>
        <button class="button" type="submit">{t('inquiries.handlers.save')}</button>
      </PostForm>
      <h2>{t('inquiries.handlers.current')}</h2>
      <ul>
        {settings.members.filter((m) => m.isHandler).map((m) => <li key={m.accountId}>{m.contactPerson}</li>)}
      </ul>
      <p><a href="/messages?box=supplier">{t('inquiries.handlers.inbox')}</a></p>
    </section>
  );
}

/** The staff queue of reported threads. */
export function ReportQueuePageView({ ctx, queue }: { ctx: PageContext; queue: ReportQueuePage }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('inquiries.reports.title')}</h1>
      {queue.items.length === 0 ? (
        <div class="empty-state"><p>{t('inquiries.reports.empty')}</p></div>
      ) : (
        <table class="data" aria-label={t('inquiries.reports.title')}>
          <thead>
            <tr>
              <th scope="col">{t('inquiries.field.subject')}</th>
              <th scope="col">{t('inquiries.field.company')}</th>
              <th scope="col">{t('inquiries.report.reason')}</th>
              <th scope="col">{t('inquiries.reports.reportedAt')}</th>
              <th scope="col"><span class="visually-hidden">{t('inquiries.reports.open')}</span></th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((r) => (
              <tr key={r.id} data-report-id={r.id}>
                <td>{r.subject}</td>
                <td>{r.companyNameZh}</td>
                <td>{t(`inquiries.reason.${r.reason}`)}</td>
                <td><time dateTime={r.createdAt}>{formatInstant(ctx, r.createdAt)}</time></td>
                <td><a href={`/staff/inquiry-reports/${r.id}`}>{t('inquiries.reports.open')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={queue.page} pages={queue.pages} href={(n) => `/staff/inquiry-reports?page=${n}`} />
    </section>
  );
}

/** One report with the reported thread, for staff. */
export function ReportPageView({ ctx, report, thread, messages, state }: { ctx: PageContext; report: ReportView; thread: ThreadView; messages: MessageView[]; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card">
      <p><a href="/staff/inquiry-reports">{t('inquiries.reports.back')}</a></p>
      <h1>{t('inquiries.reports.one', { subject: thread.subject })}</h1>
      <FormMessage ctx={ctx} state={state} />
      <dl class="details">
        <dt>{t('inquiries.report.reason')}</dt>
        <dd>{t(`inquiries.reason.${report.reason}`)}</dd>
        <dt>{t('inquiries.reports.by')}</dt>
        <dd>{t(report.side === 'buyer' ? 'inquiries.side.buyer' : 'inquiries.side.supplier', { company: companyName(ctx, thread.company) })}</dd>
        <dt>{t('inquiries.report.details')}</dt>
        <dd class="message-body">{report.details ?? '—'}</dd>
        <dt>{t('inquiries.reports.reportedAt')}</dt>
        <dd><time dateTime={report.createdAt}>{formatInstant(ctx, report.createdAt)}</time></dd>
        {report.handledAt ? (
          <>
            <dt>{t('inquiries.reports.handledAt')}</dt>
            <dd><time dateTime={report.handledAt}>{formatInstant(ctx, report.handledAt)}</time></dd>
          </>
        ) : null}
      </dl>
      <h2>{t('inquiries.reports.thread')}</h2>
      <ThreadFacts ctx={ctx} thread={thread} />
      <MessageList ctx={ctx} thread={thread} messages={messages} attachmentBase={null} />
      {report.handledAt ? null : (
        <PostForm ctx={ctx} action={`/staff/inquiry-reports/${report.id}/handle`}>
          <button class="button" type="submit">{t('inquiries.reports.handle')}</button>
        </PostForm>
      )}
    </section>
  );
}
