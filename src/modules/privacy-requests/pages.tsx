import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { privacyReplyInput, privacyRequestInput, queueQuery } from './schema.js';
import { canHandlePrivacyRequests, type PrivacyRequestsService } from './service.js';
import * as views from './views.js';

interface Deps {
  privacyRequests: PrivacyRequestsService;
}

/** A request id from the path; anything that is not one is simply not found. */
function requestId(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('NOT_FOUND');
  return id;
}

/** Officers only: visitors are sent to sign in (null), other accounts get 403. */
function officer(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (!request.auth) {
    redirectToSignIn(request, reply);
    return null;
  }
  if (!canHandlePrivacyRequests(request.auth)) throw new AppError('FORBIDDEN');
  return request.auth;
}

const done: Record<string, string> = { reply: 'privacyRequests.reply.sent', close: 'privacyRequests.close.done' };

/** The public privacy contact form and the privacy officers' pages. */
export async function privacyRequestPages(app: FastifyInstance, { privacyRequests }: Deps) {
  const contactPage = async (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) => {
    const accountEmail = await privacyRequests.accountEmail(request.auth);
    return sendPage(request, reply, { title: request.t('privacyRequests.contact.title'), status }, (ctx) => (
      <views.ContactPage ctx={ctx} state={state} accountEmail={accountEmail} />
    ));
  };

  app.get('/privacy/contact', async (request, reply) => contactPage(request, reply, {}));

  // Per address, so one visitor cannot flood the officers' inboxes; bad input counts too.
  app.post('/privacy/contact', { config: { rateLimit: { max: 5, timeWindow: 3600_000 } } }, async (request, reply) => {
    try {
      const input = parseInput(privacyRequestInput, request.body);
      const { reference, dueOn } = await privacyRequests.submit(request.auth, input, request.locale);
      return sendPage(request, reply, { title: request.t('privacyRequests.sent.title') }, (ctx) => (
        <views.SentPage ctx={ctx} reference={reference} dueOn={dueOn} />
      ));
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return contactPage(request, reply, state, status);
    }
  });

  app.get('/staff/privacy', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const { page } = queueQuery.parse(request.query ?? {});
    const queue = await privacyRequests.queue(auth, page);
    return sendPage(request, reply, { title: request.t('privacyRequests.staff.title') }, (ctx) => <views.QueuePage ctx={ctx} queue={queue} />);
  });

  const requestPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, status = 200) => {
    const { request: privacyRequest, replies } = await privacyRequests.get(auth, id);
    return sendPage(request, reply, { title: `${privacyRequest.reference} · ${request.t('privacyRequests.staff.title')}`, status }, (ctx) => (
      <views.RequestPage ctx={ctx} request={privacyRequest} replies={replies} state={state} />
    ));
  };

  app.get('/staff/privacy/:id', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const message = done[(request.query as { done?: string }).done ?? ''];
    return requestPage(request, reply, auth, requestId(request), message ? { message, messageKind: 'success' } : {});
  });

  app.post('/staff/privacy/:id/reply', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const id = requestId(request);
    try {
      await privacyRequests.reply(auth, id, parseInput(privacyReplyInput, request.body));
      return reply.redirect(`/staff/privacy/${id}?done=reply`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return requestPage(request, reply, auth, id, state, status);
    }
  });

  app.post('/staff/privacy/:id/close', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const id = requestId(request);
    await privacyRequests.close(auth, id);
    return reply.redirect(`/staff/privacy/${id}?done=close`, 303);
  });
}
