import { formatInstant } from '../../platform/views/format.js';
import { Field, FormMessage, Notice, Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { FormState } from '../../platform/http/forms.js';
import { messageMaxLength, nameMaxLength } from './schema.js';
import { anonymousSender, type SupportMessageView, type SupportTicketView, type TicketPage, type TicketThread } from './service.js';
import { supportTopics, ticketStatuses, type TicketStatus } from './tables.js';

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

/** Who wrote: the name they gave, else their address; a placeholder once erased. */
function senderOf(ctx: PageContext, ticket: SupportTicketView): string {
  if (ticket.email === anonymousSender) return ctx.t('support.ticket.anonymous');
  return ticket.name ? `${ticket.name} <${ticket.email}>` : ticket.email;
}

function summaryOf(ctx: PageContext, ticket: SupportTicketView): string {
  return ticket.subject ?? ctx.t(`support.topic.${ticket.topic}`);
}

/** The contact form, the support address, and the way to the privacy channel. */
export function ContactPage({ ctx, state, accountEmail, supportEmail, privacyEmail }: {
  ctx: PageContext;
  state: FormState;
  accountEmail: string | null;
  supportEmail: string;
  privacyEmail: string;
}) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return (
    <section class="card narrow">
      <h1>{t('site.contact')}</h1>
      <p>{t('support.contact.intro', { supportEmail })}</p>
      {accountEmail ? <p><a href="/account/support">{t('support.contact.mine')}</a></p> : null}
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/contact">
        <div class={e.topic ? 'field field-error' : 'field'}>
          <label for="field-topic">{t('support.field.topic')}<span class="required" aria-hidden="true">{' *'}</span></label>
          <select id="field-topic" name="topic" required aria-invalid={e.topic ? 'true' : undefined} aria-describedby={e.topic ? 'field-topic-error' : undefined}>
            <option value="">{t('support.field.topicChoose')}</option>
            {supportTopics.map((topic) => (
              <option key={topic} value={topic} selected={v.topic === topic}>{t(`support.topic.${topic}`)}</option>
            ))}
          </select>
          {e.topic ? <p class="error-text" id="field-topic-error">{t(e.topic)}</p> : null}
        </div>
        <TextArea ctx={ctx} name="message" label={t('support.field.message')} value={v.message ?? ''} error={e.message} hint={t('support.field.messageHint')} />
        {accountEmail ? (
          <div class="field">
            <label for="field-email">{t('support.field.email')}</label>
            <input id="field-email" type="email" value={accountEmail} readOnly aria-describedby="field-email-hint" />
            <p class="hint" id="field-email-hint">{t('support.field.emailFixed')}</p>
          </div>
        ) : (
          <Field ctx={ctx} name="email" type="email" inputMode="email" autocomplete="email" required maxLength={254}
            label={t('support.field.email')} value={v.email ?? ''} error={e.email} />
        )}
        <Field ctx={ctx} name="name" autocomplete="name" maxLength={nameMaxLength} label={t('support.field.name')} value={v.name ?? ''} error={e.name} />
        {/* A trap for automated senders: hidden from view and from the tab order, so people leave it empty. */}
        <div class="visually-hidden">
          <label for="field-website">{t('support.field.honeypot')}</label>
          <input id="field-website" name="website" type="text" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <p class="hint">{t('support.contact.notice')}</p>
        <button class="button" type="submit">{t('support.submit')}</button>
      </PostForm>
      <h2>{t('support.contact.privacyTitle')}</h2>
      <p><a href="/privacy/contact">{t('support.contact.privacyForm')}</a></p>
      <p>
        {t('support.contact.privacyEmail')} <a href={`mailto:${privacyEmail}`}>{privacyEmail}</a>
      </p>
    </section>
  );
}

export function SentPage({ ctx, reference, dueOn, isSignedIn }: { ctx: PageContext; reference: string; dueOn: string; isSignedIn: boolean }) {
  return (
    <section class="card narrow">
      <h1>{ctx.t('support.sent.title')}</h1>
      <Notice kind="success">{ctx.t('support.sent.body', { reference, dueOn })}</Notice>
      <p>{ctx.t('support.sent.emailed')}</p>
      {isSignedIn ? <p><a href="/account/support">{ctx.t('support.contact.mine')}</a></p> : null}
    </section>
  );
}

function StatusBadge({ ctx, ticket }: { ctx: PageContext; ticket: SupportTicketView }) {
  return (
    <>
      <span class={`badge badge-${ticket.status}`}>{ctx.t(`support.status.${ticket.status}`)}</span>
      {ticket.isOverdue ? <> <strong class="badge badge-rejected">{ctx.t('support.staff.overdue')}</strong></> : null}
    </>
  );
}

/** A thread, oldest first: what the sender wrote and what staff answered. */
function Thread({ ctx, messages }: { ctx: PageContext; messages: SupportMessageView[] }) {
  const { t } = ctx;
  return (
    <ol class="replies">
      {messages.map((m) => (
        <li key={m.id} data-direction={m.direction}>
          <p>
            <strong>{t(`support.ticket.${m.direction}`)}</strong> · <time dateTime={m.createdAt}>{formatInstant(ctx, m.createdAt)}</time>
          </p>
          <pre class="mail">{m.body}</pre>
          {m.attachmentCount > 0 ? (
            <>
              <p class="muted">{t('support.ticket.attachments', { count: m.attachmentCount })}</p>
              <ul>
                {m.attachments.map((name, i) => <li key={i}>{name || t('support.ticket.unnamed')}</li>)}
              </ul>
            </>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The staff queue: one status at a time; waiting tickets soonest due first, overdue marked. */
export function QueuePage({ ctx, queue, status }: { ctx: PageContext; queue: TicketPage; status: TicketStatus }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('support.staff.title')}</h1>
      <nav class="side-nav" aria-label={t('support.staff.filter')}>
        {ticketStatuses.map((s) => (
          <a key={s} href={`/staff/support?status=${s}`} aria-current={s === status ? 'page' : undefined}>{t(`support.status.${s}`)}</a>
        ))}
      </nav>
      {queue.items.length === 0 ? <p class="muted">{t('support.staff.empty')}</p> : (
        <table class="data" aria-label={t('support.staff.list')}>
          <thead>
            <tr>
              <th scope="col">{t('support.staff.reference')}</th>
              <th scope="col">{t('support.staff.summary')}</th>
              <th scope="col">{t('support.staff.from')}</th>
              <th scope="col">{t('support.staff.status')}</th>
              <th scope="col">{t('support.staff.dueOn')}</th>
              <th scope="col">{t('support.staff.received')}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((ticket) => (
              <tr key={ticket.id} class={ticket.isOverdue ? 'overdue' : undefined} data-ticket-id={ticket.id}>
                <td>{ticket.reference}</td>
                <td>{summaryOf(ctx, ticket)}</td>
                <td>{senderOf(ctx, ticket)}</td>
                <td><StatusBadge ctx={ctx} ticket={ticket} /></td>
                <td><time dateTime={ticket.dueOn}>{ticket.dueOn}</time></td>
                <td><time dateTime={ticket.createdAt}>{formatInstant(ctx, ticket.createdAt)}</time></td>
                <td><a href={`/staff/support/${ticket.id}`}>{t('support.staff.open')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={queue.page} pages={queue.pages} href={(n) => `/staff/support?status=${status}&page=${n}`} />
    </section>
  );
}

/** The ticket's facts as a description list; staff see who sent it and to which address. */
function TicketDetails({ ctx, ticket, isStaff }: { ctx: PageContext; ticket: SupportTicketView; isStaff: boolean }) {
  const { t } = ctx;
  return (
    <dl class="details">
      <dt>{t('support.staff.summary')}</dt><dd>{summaryOf(ctx, ticket)}</dd>
      <dt>{t('support.ticket.channel')}</dt><dd>{t(`support.channel.${ticket.channel}`)}</dd>
      {isStaff && ticket.sentTo ? <><dt>{t('support.ticket.sentTo')}</dt><dd>{ticket.sentTo}</dd></> : null}
      {isStaff ? <><dt>{t('support.ticket.sender')}</dt><dd>{t(ticket.accountId ? 'support.ticket.account' : 'support.ticket.visitor')}</dd></> : null}
      <dt>{t('support.ticket.email')}</dt><dd>{ticket.email === anonymousSender ? t('support.ticket.anonymous') : ticket.email}</dd>
      {ticket.name ? <><dt>{t('support.ticket.name')}</dt><dd>{ticket.name}</dd></> : null}
      {isStaff ? <><dt>{t('support.ticket.locale')}</dt><dd>{ticket.locale}</dd></> : null}
      <dt>{t('support.staff.received')}</dt><dd><time dateTime={ticket.createdAt}>{formatInstant(ctx, ticket.createdAt)}</time></dd>
      <dt>{t('support.ticket.updated')}</dt><dd><time dateTime={ticket.updatedAt}>{formatInstant(ctx, ticket.updatedAt)}</time></dd>
      {ticket.status === 'closed' ? null : <><dt>{t('support.staff.dueOn')}</dt><dd><time dateTime={ticket.dueOn}>{ticket.dueOn}</time></dd></>}
      {ticket.closedAt ? <><dt>{t('support.ticket.closedAt')}</dt><dd><time dateTime={ticket.closedAt}>{formatInstant(ctx, ticket.closedAt)}</time></dd></> : null}
    </dl>
  );
}

/** One ticket for staff: its thread, the reply form, and close or reopen. */
export function StaffTicketPage({ ctx, thread, state }: { ctx: PageContext; thread: TicketThread; state: FormState }) {
  const { t } = ctx;
  const { ticket, messages } = thread;
  const isClosed = ticket.status === 'closed';
  return (
    <section class="card">
      <p><a href="/staff/support">{t('support.staff.back')}</a></p>
      <h1>{ticket.reference} <StatusBadge ctx={ctx} ticket={ticket} /></h1>
      <FormMessage ctx={ctx} state={state} />
      <TicketDetails ctx={ctx} ticket={ticket} isStaff />
      <h2>{t('support.ticket.thread')}</h2>
      <Thread ctx={ctx} messages={messages} />
      {isClosed ? (
        <PostForm ctx={ctx} action={`/staff/support/${ticket.id}/reopen`} class="inline-form">
          <button class="button button-secondary" type="submit">{t('support.reopen.submit')}</button>
        </PostForm>
      ) : (
        <>
          {ticket.email === anonymousSender ? null : (
            <PostForm ctx={ctx} action={`/staff/support/${ticket.id}/reply`}>
              <TextArea ctx={ctx} name="body" label={t('support.reply.label')} value={state.values?.body ?? ''} error={state.errors?.body} />
              <button class="button" type="submit">{t('support.reply.submit')}</button>
            </PostForm>
          )}
          <PostForm ctx={ctx} action={`/staff/support/${ticket.id}/close`} class="inline-form">
            <button class="button button-secondary" type="submit">{t('support.close.submit')}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}

/** The signed-in person's own tickets. */
export function MinePage({ ctx, list }: { ctx: PageContext; list: TicketPage }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('support.mine.title')}</h1>
      <p>{t('support.mine.intro')}</p>
      {list.items.length === 0 ? <p class="muted">{t('support.mine.empty')}</p> : (
        <table class="data" aria-label={t('support.mine.title')}>
          <thead>
            <tr>
              <th scope="col">{t('support.staff.reference')}</th>
              <th scope="col">{t('support.staff.summary')}</th>
              <th scope="col">{t('support.staff.status')}</th>
              <th scope="col">{t('support.ticket.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((ticket) => (
              <tr key={ticket.id} data-ticket-id={ticket.id}>
                <td><a href={`/account/support/${ticket.id}`}>{ticket.reference}</a></td>
                <td>{summaryOf(ctx, ticket)}</td>
                <td><span class={`badge badge-${ticket.status}`}>{t(`support.status.${ticket.status}`)}</span></td>
                <td><time dateTime={ticket.updatedAt}>{formatInstant(ctx, ticket.updatedAt)}</time></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => `/account/support?page=${n}`} />
      <p><a href="/contact">{t('support.mine.write')}</a></p>
    </section>
  );
}

/** One of the person's own tickets with its thread. */
export function MyTicketPage({ ctx, thread }: { ctx: PageContext; thread: TicketThread }) {
  const { t } = ctx;
  return (
    <section class="card">
      <p><a href="/account/support">{t('support.mine.back')}</a></p>
      <h1>{thread.ticket.reference} <span class={`badge badge-${thread.ticket.status}`}>{t(`support.status.${thread.ticket.status}`)}</span></h1>
      <TicketDetails ctx={ctx} ticket={thread.ticket} isStaff={false} />
      <h2>{t('support.ticket.thread')}</h2>
      <Thread ctx={ctx} messages={thread.messages} />
    </section>
  );
}
