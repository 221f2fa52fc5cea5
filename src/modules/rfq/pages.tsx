import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import type { QuoteSort } from './present.js';
import { addDays, maxDeadlineDays, maxValidityDays, shanghaiDate } from './rules.js';
import { boardQuery, pageQuery, quoteFromForm, quoteInput, rfqInput } from './schema.js';
import type { RfqService } from './service.js';
import * as quoteViews from './quote-views.js';
import * as views from './views.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The ids in the path; anything that is not one is simply not found. */
function ids(request: FastifyRequest): { id: string; quoteId: string } {
  const p = request.params as { id?: string; quoteId?: string };
  for (const value of [p.id, p.quoteId]) if (value !== undefined && !uuid.test(value)) throw new AppError('NOT_FOUND');
  return { id: p.id ?? '', quoteId: p.quoteId ?? '' };
}

function sortOf(request: FastifyRequest): QuoteSort {
  const sort = (request.query as { sort?: unknown }).sort;
  return sort === 'leadTime' || sort === 'newest' ? sort : 'price';
}

const flash: Record<string, string> = {
  posted: 'rfq.flash.posted',
  quoted: 'rfq.flash.quoted',
  revised: 'rfq.flash.revised',
  accepted: 'rfq.flash.accepted',
  closed: 'rfq.flash.closed',
};

function flashState(request: FastifyRequest): FormState {
  const key = flash[(request.query as { done?: string }).done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/** Buyers' and suppliers' pages: post a request, my requests, the board, one request, accept, close. */
export async function rfqPages(app: FastifyInstance, { rfq }: { rfq: RfqService }) {
  const formPage = (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) => {
    const today = shanghaiDate(new Date());
    return sendPage(request, reply, { title: request.t('rfq.new.title'), status }, (ctx) => (
      <views.RfqFormPage ctx={ctx} state={state} minDeadline={addDays(today, 1)} maxDeadline={addDays(today, maxDeadlineDays)} />
    ));
  };

  app.get('/rfq/new', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return formPage(request, reply, {});
  });

  app.post('/rfq/new', { config: { rateLimit: { max: 20, timeWindow: 3600_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    try {
      const posted = await rfq.post(request.auth, parseInput(rfqInput, request.body));
      return reply.redirect(`/rfq/${posted.id}?done=posted`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return formPage(request, reply, state, status);
    }
  });

  app.get('/rfq/mine', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { page } = pageQuery.parse(request.query ?? {});
    const list = await rfq.listMine(request.auth, page);
    return sendPage(request, reply, { title: request.t('rfq.mine.title') }, (ctx) => <views.MinePage ctx={ctx} list={list} state={flashState(request)} />);
  });

  app.get('/rfq', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const query = boardQuery.parse(request.query ?? {});
    const board = await rfq.board(request.auth, query);
    return sendPage(request, reply, { title: request.t('rfq.board.title') }, (ctx) => <views.BoardPage ctx={ctx} board={board} category={query.category} />);
  });

  /** The request as its viewer sees it: the buyer compares quotes, a supplier quotes. */
  const detailPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, status = 200) => {
    const sort = sortOf(request);
    const { rfq: view, quotes, quotingCompanies } = await rfq.get(auth, id, sort);
    const today = shanghaiDate(new Date());
    return sendPage(request, reply, { title: view.productName, status }, (ctx) =>
      view.isMine ? (
        <quoteViews.BuyerPage ctx={ctx} rfq={view} quotes={quotes} sort={sort} state={state} />
      ) : (
        <quoteViews.SupplierPage ctx={ctx} rfq={view} quotes={quotes} companies={quotingCompanies} state={state} today={today} maxValid={addDays(today, maxValidityDays)} />
      ),
    );
  };

  app.get('/rfq/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return detailPage(request, reply, request.auth, ids(request).id, flashState(request));
  });

  app.post('/rfq/:id/quotes', { config: { rateLimit: { max: 60, timeWindow: 3600_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { id } = ids(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const { isRevision } = await rfq.sendQuote(request.auth, id, parseInput(quoteInput, quoteFromForm(body)), request.locale);
      return reply.redirect(`/rfq/${id}?done=${isRevision ? 'revised' : 'quoted'}`, 303);
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') throw error;
      const { state, status } = formFailure(error, reply, formValues(body));
      return detailPage(request, reply, request.auth, id, state, status);
    }
  });

  app.get('/rfq/:id/quotes/:quoteId/accept', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { id, quoteId } = ids(request);
    const { rfq: view, quotes } = await rfq.get(request.auth, id);
    const quote = view.isMine ? quotes.find((q) => q.id === quoteId) : undefined;
    if (!quote) throw new AppError('NOT_FOUND');
    // The same refusals the acceptance itself gives, before the buyer is asked to confirm.
    if (view.status !== 'open' || quote.status !== 'sent') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
    if (!quote.isValid) throw new AppError('CONFLICT', { messageKey: 'rfq.error.quoteExpired' });
    return sendPage(request, reply, { title: request.t('rfq.accept.title') }, (ctx) => <quoteViews.AcceptPage ctx={ctx} rfq={view} quote={quote} />);
  });

  app.post('/rfq/:id/quotes/:quoteId/accept', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { id, quoteId } = ids(request);
    try {
      await rfq.accept(request.auth, id, quoteId, request.locale);
      return reply.redirect(`/rfq/${id}?done=accepted`, 303);
    } catch (error) {
      if (!isAppError(error) || error.code === 'NOT_FOUND') throw error;
      const { state, status } = formFailure(error, reply, {});
      return detailPage(request, reply, request.auth, id, state, status);
    }
  });

  app.get('/rfq/:id/close', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { rfq: view, quotes } = await rfq.get(request.auth, ids(request).id);
    if (!view.isMine) throw new AppError('NOT_FOUND');
    if (view.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'rfq.error.decided' });
    return sendPage(request, reply, { title: request.t('rfq.close.title') }, (ctx) => <quoteViews.ClosePage ctx={ctx} rfq={view} quoteCount={quotes.length} />);
  });

  app.post('/rfq/:id/close', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { id } = ids(request);
    try {
      await rfq.close(request.auth, id);
      return reply.redirect(`/rfq/${id}?done=closed`, 303);
    } catch (error) {
      if (!isAppError(error) || error.code === 'NOT_FOUND') throw error;
      const { state, status } = formFailure(error, reply, {});
      return detailPage(request, reply, request.auth, id, state, status);
    }
  });
}
