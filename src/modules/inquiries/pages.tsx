import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import type { UploadedFile } from '../../platform/storage/multipart.js';
import { acceptUpload } from '../../platform/storage/uploads.js';
import type { CompaniesService } from '../companies/index.js';
import type { ProductsService } from '../products/index.js';
import { perAccount } from './rate-limits.js';
import * as schema from './schema.js';
import { maxAttachments, type InquiriesService, type NewAttachment } from './service.js';
import * as views from './views.js';

interface Deps {
  inquiries: InquiriesService;
  products: Pick<ProductsService, 'getPublic'>;
  companies: Pick<CompaniesService, 'getPublic' | 'getForMember'>;
}

/** What an attachment may be: the same kinds and size as a licence. */
export const attachmentRules = { allowed: ['pdf', 'jpeg', 'png', 'webp'] as const, maxBytes: 10 * 1024 * 1024 };
const uploadConfig = { upload: { maxFileBytes: attachmentRules.maxBytes, maxFiles: maxAttachments } };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An id from the path; anything that is not one is simply not found. */
function param(request: FastifyRequest, name: 'id' | 'attachmentId' = 'id'): string {
  const value = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!uuid.test(value)) throw new AppError('NOT_FOUND');
  return value;
}

/**
 * The files of a form, each sniffed and size-checked before anything is kept. A text field
 * posing as a file is refused.
 */
export async function acceptAttachments(body: unknown): Promise<NewAttachment[]> {
  const raw = (body as { attachments?: unknown } | undefined)?.attachments;
  const list = raw === undefined ? [] : Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length > maxAttachments) throw new AppError('PAYLOAD_TOO_LARGE', { messageKey: 'upload.error.tooManyFiles', params: { maxFiles: maxAttachments } });
  const accepted: NewAttachment[] = [];
  for (const item of list) {
    const file = item as Partial<UploadedFile>;
    if (typeof item !== 'object' || item === null || !(file.bytes instanceof Buffer)) {
      throw new AppError('VALIDATION_FAILED', { fields: { attachments: 'inquiries.error.attachment' } });
    }
    accepted.push({ fileName: file.filename ?? '', upload: await acceptUpload(file.bytes, attachmentRules) });
  }
  return accepted;
}

/** A same-site message key for `?done=`; anything else shows nothing. */
const done: Record<string, string> = {
  sent: 'inquiries.done.sent',
  reply: 'inquiries.done.reply',
  closed: 'inquiries.done.closed',
  archived: 'inquiries.done.archived',
  unarchived: 'inquiries.done.unarchived',
  reported: 'inquiries.done.reported',
  saved: 'inquiries.done.saved',
  handled: 'inquiries.done.handled',
};

function doneState(request: FastifyRequest): FormState {
  const key = done[(request.query as { done?: string } | undefined)?.done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/** The inquiry form, the message centre, thread pages, settings, and the staff queue of reported threads. */
export async function inquiryPages(app: FastifyInstance, { inquiries, products, companies }: Deps) {
  const dataMap = () => app.silkline.dataMap;

  /** Whom an inquiry goes to: a public product's company, or a public company. */
  async function loadTarget(request: FastifyRequest, productId: string | undefined, companyId: string | undefined): Promise<views.InquiryTarget> {
    if (productId) {
      const { product, company } = await products.getPublic(productId);
      const title = (request.locale === 'en' ? product.titleEn ?? product.titleZh : product.titleZh ?? product.titleEn) ?? '';
      return { company, product: { id: product.id, title, unit: product.unit, moq: product.moq } };
    }
    if (companyId) return { company: await companies.getPublic(companyId), product: null };
    throw new AppError('NOT_FOUND');
  }

  const formPage = (request: FastifyRequest, reply: FastifyReply, target: views.InquiryTarget, state: FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('inquiries.form.title'), status }, (ctx) => (
      <views.InquiryFormPage ctx={ctx} target={target} state={state} dataMap={dataMap()} />
    ));

  app.get('/inquiries/new', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const query = schema.newInquiryQuery.parse(request.query ?? {});
    const target = await loadTarget(request, query.product, query.company);
    await inquiries.assertMayInquire(request.auth, target.company.id);
    const values: Record<string, string> = target.product
      ? { subject: request.t('inquiries.form.subjectFor', { product: target.product.title }), quantity: String(target.product.moq), unit: target.product.unit, currency: 'CNY' }
      : { currency: 'CNY' };
    return formPage(request, reply, target, { values });
  });

  app.post('/inquiries/new', { config: { ...uploadConfig, rateLimit: perAccount(10, 60_000) } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const values = formValues(request.body);
    const target = await loadTarget(request, uuid.test(values.productId ?? '') ? values.productId : undefined, uuid.test(values.companyId ?? '') ? values.companyId : undefined);
    try {
      const input = parseInput(schema.inquiryInput, request.body);
      const attachments = await acceptAttachments(request.body);
      const { threadId } = await inquiries.send(request.auth, input, attachments, request.locale);
      return reply.redirect(`/messages/${threadId}?done=sent`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, values);
      return formPage(request, reply, target, state, status);
    }
  });

  app.get('/messages', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const query = schema.listQuery.parse(request.query ?? {});
    const list = await inquiries.list(request.auth, query);
    const unread = await inquiries.unread(request.auth.accountId);
    return sendPage(request, reply, { title: request.t('inquiries.centre.title') }, (ctx) => (
      <views.MessageCentrePage ctx={ctx} list={list} query={query} unread={unread} />
    ));
  });

  const preferencePage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, state: FormState, status = 200) => {
    const preference = await inquiries.preference(auth);
    return sendPage(request, reply, { title: request.t('inquiries.settings.title'), status }, (ctx) => (
      <views.PreferencePage ctx={ctx} preference={preference} state={state} dataMap={dataMap()} />
    ));
  };

  app.get('/messages/settings', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return preferencePage(request, reply, request.auth, doneState(request));
  });

  app.post('/messages/settings', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    try {
      await inquiries.setPreference(request.auth, parseInput(schema.preferenceInput, request.body), request.locale);
      return reply.redirect('/messages/settings?done=saved', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return preferencePage(request, reply, request.auth, state, status);
    }
  });

  const threadPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, status = 200) => {
    const { thread, messages } = await inquiries.get(auth, id);
    // Reading the thread may have lowered the header's count, taken before the handler ran.
    request.viewerExtras = { ...request.viewerExtras, unreadMessages: (await inquiries.unread(auth.accountId)).total };
    return sendPage(request, reply, { title: thread.subject, status }, (ctx) => (
      <views.ThreadPageView ctx={ctx} thread={thread} messages={messages} state={state} />
    ));
  };

  app.get('/messages/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return threadPage(request, reply, request.auth, param(request), doneState(request));
  });

  app.post('/messages/:id/reply', { config: { ...uploadConfig, rateLimit: perAccount(30, 60_000) } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    try {
      const input = parseInput(schema.replyInput, request.body);
      const attachments = await acceptAttachments(request.body);
      await inquiries.reply(request.auth, id, input, attachments, request.locale);
      return reply.redirect(`/messages/${id}?done=reply#latest`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return threadPage(request, reply, request.auth, id, state, status);
    }
  });

  app.post('/messages/:id/close', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    await inquiries.close(request.auth, id);
    return reply.redirect(`/messages/${id}?done=closed`, 303);
  });

  app.post('/messages/:id/archive', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    const { archived } = parseInput(schema.archiveInput, request.body);
    await inquiries.archive(request.auth, id, archived);
    return reply.redirect(`/messages/${id}?done=${archived ? 'archived' : 'unarchived'}`, 303);
  });

  app.post('/messages/:id/report', { config: { rateLimit: perAccount(10, 3600_000) } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    try {
      await inquiries.report(request.auth, id, parseInput(schema.reportInput, request.body));
      return reply.redirect(`/messages/${id}?done=reported`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return threadPage(request, reply, request.auth, id, state, status);
    }
  });

  /** Sends an attachment privately: never cached, always downloaded, its type as sniffed. */
  app.get('/messages/:id/attachments/:attachmentId', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const file = await inquiries.attachment(request.auth, param(request), param(request, 'attachmentId'));
    const name = encodeURIComponent(file.fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-type', file.mime)
      .header('content-disposition', `attachment; filename="attachment.${file.extension}"; filename*=UTF-8''${name}`)
      .header('x-content-type-options', 'nosniff')
      .send(file.bytes);
  });

  const handlerPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, companyId: string, state: FormState, status = 200) => {
    const company = await companies.getForMember(auth, companyId);
    const settings = await inquiries.handlerSettings(auth, companyId);
    return sendPage(request, reply, { title: request.t('inquiries.handlers.title'), status }, (ctx) => (
      <views.HandlerSettingsPage ctx={ctx} company={company} settings={settings} state={state} />
    ));
  };

  app.get('/shop/:id/inquiries/settings', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return handlerPage(request, reply, request.auth, param(request), doneState(request));
  });

  app.post('/shop/:id/inquiries/settings', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    try {
      await inquiries.setHandlers(request.auth, id, parseInput(schema.handlersInput, request.body));
      return reply.redirect(`/shop/${id}/inquiries/settings?done=saved`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return handlerPage(request, reply, request.auth, id, state, status);
    }
  });

  app.get('/staff/inquiry-reports', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { page } = schema.pageQuery.parse(request.query ?? {});
    const queue = await inquiries.reportQueue(request.auth, page);
    return sendPage(request, reply, { title: request.t('inquiries.reports.title') }, (ctx) => <views.ReportQueuePageView ctx={ctx} queue={queue} />);
  });

  app.get('/staff/inquiry-reports/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { report, thread, messages } = await inquiries.getReport(request.auth, param(request));
    return sendPage(request, reply, { title: request.t('inquiries.reports.title') }, (ctx) => (
      <views.ReportPageView ctx={ctx} report={report} thread={thread} messages={messages} state={doneState(request)} />
    ));
  });

  app.post('/staff/inquiry-reports/:id/handle', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = param(request);
    await inquiries.handleReport(request.auth, id);
    return reply.redirect(`/staff/inquiry-reports/${id}?done=handled`, 303);
  });
}
