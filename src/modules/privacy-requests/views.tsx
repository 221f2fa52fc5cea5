import { formatInstant } from '../../platform/views/format.js';
import { Field, FormMessage, Notice, Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { FormState } from '../../platform/http/forms.js';
import { messageMaxLength } from './schema.js';
import type { PrivacyQueuePage, PrivacyReplyView, PrivacyRequestView } from './service.js';
import { privacyTopics } from './tables.js';

/** A labelled textarea with its hint and error, wired for screen readers like `Field`. */
function TextArea({ ctx, name, label, value, error, hint }: { ctx: PageContext; name: string; label: string; value: string; error?: string; hint?: string }) {
  const id = `field-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}<span class="required" aria-hidden="true">{' *'}</span></label>
      <textarea id={id} name={name} rows={8} maxLength={messageMaxLength} required aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined}>
        {value}
      </textarea>
      {hint ? <p class="hint" id={`${id}-hint`}>{hint}</p> : null}
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

/** The privacy contact form, with its just-in-time notice of what is collected and why. */
export function ContactPage({ ctx, state, accountEmail }: { ctx: PageContext; state: FormState; accountEmail: string | null }) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return (
    <section class="card narrow">
      <h1>{t('privacyRequests.contact.title')}</h1>
      <p>{t('privacyRequests.contact.intro')}</p>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/privacy/contact">
        <div class={e.topic ? 'field field-error' : 'field'}>
          <label for="field-topic">{t('privacyRequests.field.topic')}<span class="required" aria-hidden="true">{' *'}</span></label>
          <select id="field-topic" name="topic" required aria-invalid={e.topic ? 'true' : undefined} aria-describedby={e.topic ? 'field-topic-error' : undefined}>
            <option value="">{t('privacyRequests.field.topicChoose')}</option>
            {privacyTopics.map((topic) => (
              <option key={topic} value={topic} selected={v.topic === topic}>{t(`privacyRequests.topic.${topic}`)}</option>
            ))}
          </select>
          {e.topic ? <p class="error-text" id="field-topic-error">{t(e.topic)}</p> : null}
        </div>
        <TextArea ctx={ctx} name="message" label={t('privacyRequests.field.message')} value={v.message ?? ''} error={e.message}
          hint={t('privacyRequests.field.messageHint')} />
        {accountEmail ? (
          <div class="field">
            <label for="field-email">{t('privacyRequests.field.email')}</label>
            <input id="field-email" type="email" value={accountEmail} readOnly aria-describedby="field-email-hint" />
            <p class="hint" id="field-email-hint">{t('privacyRequests.field.emailFixed')}</p>
          </div>
        ) : (
          <Field ctx={ctx} name="email" type="email" inputMode="email" autocomplete="email" required maxLength={254}
            label={t('privacyRequests.field.email')} value={v.email ?? ''} error={e.email} />
        )}
        <p class="hint">{t('privacyRequests.contact.notice')}</p>
        <button class="button" type="submit">{t('privacyRequests.submit')}</button>
      </PostForm>
    </section>
  );
}

export function SentPage({ ctx, reference, dueOn }: { ctx: PageContext; reference: string; dueOn: string }) {
  return (
    <section class="card narrow">
      <h1>{ctx.t('privacyRequests.sent.title')}</h1>
      <Notice kind="success">{ctx.t('privacyRequests.sent.body', { reference, dueOn })}</Notice>
      <p>{ctx.t('privacyRequests.sent.emailed')}</p>
    </section>
  );
}

function StatusBadge({ ctx, request }: { ctx: PageContext; request: PrivacyRequestView }) {
  return (
    <>
      <span class={`badge badge-${request.status}`}>{ctx.t(`privacyRequests.status.${request.status}`)}</span>
      {request.isOverdue ? <> <strong class="badge badge-rejected">{ctx.t('privacyRequests.staff.overdue')}</strong></> : null}
    </>
  );
}

/** The officers' queue: requests not yet closed, soonest due first. */
export function QueuePage({ ctx, queue }: { ctx: PageContext; queue: PrivacyQueuePage }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('privacyRequests.staff.title')}</h1>
      {queue.items.length === 0 ? <p class="muted">{t('privacyRequests.staff.empty')}</p> : (
        <table class="data" aria-label={t('privacyRequests.staff.list')}>
          <thead>
            <tr>
              <th scope="col">{t('privacyRequests.staff.reference')}</th>
              <th scope="col">{t('privacyRequests.staff.topic')}</th>
              <th scope="col">{t('privacyRequests.staff.status')}</th>
              <th scope="col">{t('privacyRequests.staff.dueOn')}</th>
              <th scope="col">{t('privacyRequests.staff.received')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((r) => (
              <tr key={r.id} class={r.isOverdue ? 'overdue' : undefined} data-request-id={r.id}>
                <td>{r.reference}</td>
                <td>{t(`privacyRequests.topic.${r.topic}`)}</td>
                <td><StatusBadge ctx={ctx} request={r} /></td>
                <td><time dateTime={r.dueOn}>{r.dueOn}</time></td>
                <td><time dateTime={r.createdAt}>{formatInstant(ctx, r.createdAt)}</time></td>
                <td><a href={`/staff/privacy/${r.id}`}>{t('privacyRequests.staff.open')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={queue.page} pages={queue.pages} href={(n) => `/staff/privacy?page=${n}`} />
    </section>
  );
}

/** One request with its replies, the reply form and the close button. */
export function RequestPage({ ctx, request, replies, state }: { ctx: PageContext; request: PrivacyRequestView; replies: PrivacyReplyView[]; state: FormState }) {
  const { t } = ctx;
  const isClosed = request.status === 'closed';
  return (
    <section class="card">
      <p><a href="/staff/privacy">{t('privacyRequests.staff.back')}</a></p>
      <h1>{request.reference} <StatusBadge ctx={ctx} request={request} /></h1>
      <FormMessage ctx={ctx} state={state} />
      <dl class="details">
        <dt>{t('privacyRequests.staff.topic')}</dt><dd>{t(`privacyRequests.topic.${request.topic}`)}</dd>
        <dt>{t('privacyRequests.request.sender')}</dt><dd>{t(request.accountId ? 'privacyRequests.request.account' : 'privacyRequests.request.visitor')}</dd>
        <dt>{t('privacyRequests.request.email')}</dt><dd>{request.email}</dd>
        <dt>{t('privacyRequests.request.locale')}</dt><dd>{request.locale}</dd>
        <dt>{t('privacyRequests.staff.received')}</dt><dd><time dateTime={request.createdAt}>{formatInstant(ctx, request.createdAt)}</time></dd>
        <dt>{t('privacyRequests.staff.dueOn')}</dt><dd><time dateTime={request.dueOn}>{request.dueOn}</time></dd>
        {request.closedAt ? <><dt>{t('privacyRequests.request.closedAt')}</dt><dd><time dateTime={request.closedAt}>{formatInstant(ctx, request.closedAt)}</time></dd></> : null}
      </dl>
      <h2>{t('privacyRequests.request.message')}</h2>
      <p class="pre-wrap">{request.message}</p>
      <h2>{t('privacyRequests.request.replies')}</h2>
      {replies.length === 0 ? <p class="muted">{t('privacyRequests.request.noReplies')}</p> : (
        <ol class="replies">
          {replies.map((r) => (
            <li key={r.id}>
              <time dateTime={r.sentAt}>{formatInstant(ctx, r.sentAt)}</time>
              <p class="pre-wrap">{r.body}</p>
            </li>
          ))}
        </ol>
      )}
      {isClosed ? null : (
        <>
          <PostForm ctx={ctx} action={`/staff/privacy/${request.id}/reply`}>
            <TextArea ctx={ctx} name="body" label={t('privacyRequests.reply.label')} value={state.values?.body ?? ''} error={state.errors?.body} />
            <button class="button" type="submit">{t('privacyRequests.reply.submit')}</button>
          </PostForm>
          <PostForm ctx={ctx} action={`/staff/privacy/${request.id}/close`} class="inline-form">
            <button class="button button-secondary" type="submit">{t('privacyRequests.close.submit')}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}
