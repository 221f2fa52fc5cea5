import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { pageQuery, queueQuery, supportReplyInput, supportTicketInput } from './schema.js';
import { canHandleSupport, type SupportService } from './service.js';
import * as views from './views.js';

export interface SupportPagesOptions {
  support: SupportService;
  supportEmail: string;
  privacyEmail: string;
}

/** A ticket id from the path; anything that is not one is simply not found. */
function ticketId(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('NOT_FOUND');
  return id;
}

/** Signed-in people only: visitors are sent to sign in (null). */
function signedIn(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (request.auth) return request.auth;
  redirectToSignIn(request, reply);
  return null;
}

/** Support staff only: visitors are sent to sign in (null), other accounts get 403. */
function staff(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  const auth = signedIn(request, reply);
  if (auth && !canHandleSupport(auth)) throw new AppError('FORBIDDEN');
  return auth;
}

const done: Record<string, string> = { reply: 'support.reply.sent', close: 'support.close.done', reopen: 'support.reopen.done' };

/** The contact form at /contact, the sender's own tickets, and the support staff's queue. */
export async function supportPages(app: FastifyInstance, { support, supportEmail, privacyEmail }: SupportPagesOptions) {
  const contactPage = async (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) => {
    const accountEmail = await support.accountEmail(request.auth);
    // The empty form looks the same to every visitor, so it can be shared; an answered one cannot.
    const isBlank = status === 200 && !state.values && !state.message;
    return sendPage(request, reply, { title: request.t('site.contact'), status, cacheForVisitors: isBlank }, (ctx) => (
      <views.ContactPage ctx={ctx} state={state} accountEmail={accountEmail} supportEmail={supportEmail} privacyEmail={privacyEmail} />
    ));
  };

  app.get('/contact', async (request, reply) => contactPage(request, reply, {}));

  // Per address, so one sender cannot flood the queue; bad input counts too.
  app.post('/contact', { config: { rateLimit: { max: 10, timeWindow: 3600_000 } } }, async (request, reply) => {
    try {
      const input = parseInput(supportTicketInput, request.body);
      const { reference, dueOn } = await support.submit(request.auth, input, request.locale);
      return sendPage(request, reply, { title: request.t('support.sent.title') }, (ctx) => (
        <views.SentPage ctx={ctx} reference={reference} dueOn={dueOn} isSignedIn={request.auth !== null} />
      ));
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return contactPage(request, reply, state, status);
    }
  });

  app.get('/account/support', async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const { page } = pageQuery.parse(request.query ?? {});
    const list = await support.listOwn(auth, page);
    return sendPage(request, reply, { title: request.t('support.mine.title') }, (ctx) => <views.MinePage ctx={ctx} list={list} />);
  });

  app.get('/account/support/:id', async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const thread = await support.getOwn(auth, ticketId(request));
    return sendPage(request, reply, { title: `${thread.ticket.reference} · ${request.t('support.mine.title')}` }, (ctx) => (
      <views.MyTicketPage ctx={ctx} thread={thread} />
    ));
  });

  app.get('/staff/support', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const { status, page } = queueQuery.parse(request.query ?? {});
    const queue = await support.queue(auth, status, page);
    return sendPage(request, reply, { title: request.t('support.staff.title') }, (ctx) => <views.QueuePage ctx={ctx} queue={queue} status={status} />);
  });

  const ticketPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, status = 200) => {
    const thread = await support.get(auth, id);
    return sendPage(request, reply, { title: `${thread.ticket.reference} · ${request.t('support.staff.title')}`, status }, (ctx) => (
      <views.StaffTicketPage ctx={ctx} thread={thread} state={state} />
    ));
  };

  app.get('/staff/support/:id', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const message = done[(request.query as { done?: string }).done ?? ''];
    return ticketPage(request, reply, auth, ticketId(request), message ? { message, messageKind: 'success' } : {});
  });

  app.post('/staff/support/:id/reply', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const id = ticketId(request);
    try {
      await support.reply(auth, id, parseInput(supportReplyInput, request.body));
      return reply.redirect(`/staff/support/${id}?done=reply`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return ticketPage(request, reply, auth, id, state, status);
    }
  });

  for (const action of ['close', 'reopen'] as const) {
    app.post(`/staff/support/:id/${action}`, async (request, reply) => {
      const auth = staff(request, reply);
      if (!auth) return reply;
      const id = ticketId(request);
      await support[action](auth, id);
      return reply.redirect(`/staff/support/${id}?done=${action}`, 303);
    });
  }
}
