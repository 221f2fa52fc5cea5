import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState, type Values } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { SubscriptionForm, type FormCompany } from './form-view.js';
import * as schema from './schema.js';
import type { SubscriptionsService, SubscriptionView } from './service.js';
import * as views from './views.js';

interface Deps {
  subscriptions: SubscriptionsService;
}

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** A same-site message key for `?done=`; anything else shows nothing. */
const done: Record<string, string> = {
  created: 'subscriptions.done.created',
  updated: 'subscriptions.done.updated',
  deleted: 'subscriptions.done.deleted',
  paused: 'subscriptions.done.paused',
  resumed: 'subscriptions.done.resumed',
};

function doneState(request: FastifyRequest): FormState {
  const key = done[(request.query as { done?: string } | undefined)?.done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/** The id in the URL, or NOT_FOUND: a malformed id names no subscription. */
function idOf(request: FastifyRequest): string {
  const parsed = schema.subscriptionParams.safeParse(request.params);
  if (!parsed.success) throw new AppError('NOT_FOUND');
  return parsed.data.id;
}

/** The form's values for a saved subscription. */
function valuesOf(s: SubscriptionView): Values {
  return {
    name: s.name,
    keyword: s.keyword ?? '',
    category: s.categoryId ?? '',
    province: s.provinceCode ?? '',
    companyId: s.companyId ?? '',
    frequency: s.frequency,
  };
}

/** "我的订阅", its form, a subscription's matches, and the unsubscribe page of alert emails. */
export async function subscriptionsPages(app: FastifyInstance, { subscriptions }: Deps) {
  const dataMap = () => app.silkline.dataMap;
  const writeLimit = { rateLimit: { max: 120, timeWindow: 3600_000, keyGenerator: perAccount } };

  /** The company a form offers to keep: a public one only, named in the page's language. */
  async function formCompany(request: FastifyRequest, companyId: string | undefined): Promise<FormCompany | null> {
    if (!companyId || !/^[0-9a-f-]{36}$/.test(companyId)) return null;
    const names = await subscriptions.findCompany(companyId);
    if (!names) return null;
    return { id: companyId, name: request.locale === 'en' ? names.nameEn ?? names.nameZh : names.nameZh };
  }

  const formPage = async (request: FastifyRequest, reply: FastifyReply, options: { id?: string; state: FormState; status?: number }) => {
    const isNew = options.id === undefined;
    const company = await formCompany(request, options.state.values?.companyId);
    const title = request.t(isNew ? 'subscriptions.form.newTitle' : 'subscriptions.form.editTitle');
    return sendPage(request, reply, { title, status: options.status }, (ctx) => (
      <SubscriptionForm ctx={ctx} action={isNew ? '/subscriptions' : `/subscriptions/${options.id}`} isNew={isNew} state={options.state} company={company} dataMap={dataMap()} />
    ));
  };

  app.get('/subscriptions', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const list = await subscriptions.list(request.auth);
    return sendPage(request, reply, { title: request.t('subscriptions.list.title') }, (ctx) => <views.ListPage ctx={ctx} list={list} state={doneState(request)} />);
  });

  // Pre-filled from the search page's "subscribe to this search", or a company's page.
  app.get('/subscriptions/new', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const q = schema.prefillQuery.parse(request.query ?? {});
    const values: Values = { keyword: q.keyword.slice(0, schema.keywordMaxLength), category: q.category, province: q.province, companyId: q.companyId ?? '' };
    return formPage(request, reply, { state: { values } });
  });

  app.post('/subscriptions', { config: writeLimit }, async (request, reply) => {
    if (!request.auth) return reply.redirect('/sign-in?next=%2Fsubscriptions%2Fnew', 303);
    try {
      await subscriptions.create(request.auth, parseInput(schema.subscriptionInput, request.body), request.locale);
      return reply.redirect('/subscriptions?done=created', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return formPage(request, reply, { state, status });
    }
  });

  app.get('/subscriptions/unsubscribe', async (request, reply) => {
    const token = (request.query as { token?: unknown } | undefined)?.token;
    const found = await subscriptions.checkUnsubscribe(token);
    return sendPage(request, reply, { title: request.t('subscriptions.unsubscribe.title') }, (ctx) => (
      <views.UnsubscribePage ctx={ctx} token={String(token)} name={found.name} outcome={found.isOff ? 'already' : 'confirm'} />
    ));
  });

  // No session and no CSRF token: the signed token is the proof, as the person may read mail
  // anywhere, and a mail program's one-click unsubscribe (RFC 8058) POSTs to the link itself,
  // token in the query, body `List-Unsubscribe=One-Click`. A forged request cannot know the token.
  app.post('/subscriptions/unsubscribe', { config: { csrf: false, rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, reply) => {
    const token = (request.body as { token?: unknown } | undefined)?.token ?? (request.query as { token?: unknown } | undefined)?.token;
    const { name } = await subscriptions.unsubscribe(token);
    return sendPage(request, reply, { title: request.t('subscriptions.unsubscribe.title') }, (ctx) => (
      <views.UnsubscribePage ctx={ctx} token="" name={name} outcome="done" />
    ));
  });

  app.get('/subscriptions/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { page } = schema.pageQuery.parse(request.query ?? {});
    const matches = await subscriptions.matches(request.auth, idOf(request), page);
    return sendPage(request, reply, { title: matches.subscription.name }, (ctx) => <views.MatchesPage ctx={ctx} matches={matches} />);
  });

  app.get('/subscriptions/:id/edit', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idOf(request);
    const found = await subscriptions.get(request.auth, id);
    return formPage(request, reply, { id, state: { values: valuesOf(found) } });
  });

  app.post('/subscriptions/:id', { config: writeLimit }, async (request, reply) => {
    if (!request.auth) return reply.redirect('/sign-in?next=%2Fsubscriptions', 303);
    const id = idOf(request);
    try {
      await subscriptions.update(request.auth, id, parseInput(schema.subscriptionInput, request.body), request.locale);
      return reply.redirect('/subscriptions?done=updated', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      // Someone else's subscription (or one deleted meanwhile) is simply not found.
      if (status === 404) throw error;
      return formPage(request, reply, { id, state, status });
    }
  });

  for (const [action, status] of [['pause', 'paused'], ['resume', 'active']] as const) {
    app.post(`/subscriptions/:id/${action}`, { config: writeLimit }, async (request, reply) => {
      if (!request.auth) return reply.redirect('/sign-in?next=%2Fsubscriptions', 303);
      await subscriptions.setStatus(request.auth, idOf(request), status);
      return reply.redirect(`/subscriptions?done=${action === 'pause' ? 'paused' : 'resumed'}`, 303);
    });
  }

  app.post('/subscriptions/:id/delete', { config: writeLimit }, async (request, reply) => {
    if (!request.auth) return reply.redirect('/sign-in?next=%2Fsubscriptions', 303);
    await subscriptions.remove(request.auth, idOf(request));
    return reply.redirect('/subscriptions?done=deleted', 303);
  });
}
