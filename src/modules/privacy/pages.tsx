import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { formFailure, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { clearSessionCookie } from '../accounts/index.js';
import type { PersonalDataDocument, PrivacyService } from './service.js';
import * as views from './views.js';

/** The password, as the form and the API send it; nothing longer than any accepted password. */
export const downloadInput = z.object({
  password: z.string({ error: 'privacy.error.passwordRequired' }).min(1, 'privacy.error.passwordRequired').max(128, 'accounts.error.passwordTooLong'),
});

/** A download limit per person: each one is heavy and mails the person. */
export const downloadLimit = { rateLimit: { max: 5, timeWindow: 3600_000, keyGenerator: (request: FastifyRequest) => request.auth?.accountId ?? request.ip } };

const confirmRequired = 'privacy.cancel.error.confirmRequired';

/** The cancellation form: the password and the ticked "cannot be undone" box. */
export const cancelForm = z.object({ password: downloadInput.shape.password, confirm: z.literal('on', { error: confirmRequired }) });

/** The cancellation through the API: the password and `confirm: true`. */
export const cancelInput = z.object({ password: downloadInput.shape.password, confirm: z.literal(true, { error: confirmRequired }) });

/** Like downloads, cancellation attempts are limited per person: each one checks the password. */
export const cancelLimit = downloadLimit;

/** `silkline-personal-data-2026-11-29.json`, dated in Asia/Shanghai. */
export function downloadName(document: PersonalDataDocument): string {
  const day = new Date(Date.parse(document.generatedAt) + 8 * 3_600_000).toISOString().slice(0, 10);
  return `silkline-personal-data-${day}.json`;
}

/** 我的个人信息 at /account/personal-data with its download, and 注销账号 at /account/cancel. */
export async function privacyPages(app: FastifyInstance, { privacy }: { privacy: PrivacyService }) {
  const page = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, state: FormState, status = 200) => {
    const held = await privacy.summary(auth);
    reply.header('cache-control', 'private, no-store');
    return sendPage(request, reply, { title: request.t('privacy.data.title'), status }, (ctx) => <views.PersonalDataPage ctx={ctx} held={held} state={state} />);
  };

  app.get('/account/personal-data', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return page(request, reply, request.auth, {});
  });

  app.post('/account/personal-data/download', { config: downloadLimit }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    try {
      const { password } = parseInput(downloadInput, request.body);
      const document = await privacy.download(request.auth, password, request.locale);
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${downloadName(document)}"`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(document, null, 2));
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      return page(request, reply, request.auth, state, status);
    }
  });

  const cancelPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, state: FormState, status = 200) => {
    const preview = await privacy.cancellationPreview(auth);
    return sendPage(request, reply, { title: request.t('privacy.cancel.title'), status }, (ctx) => <views.CancelAccountPage ctx={ctx} preview={preview} state={state} />);
  };

  app.get('/account/cancel', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return cancelPage(request, reply, request.auth, {});
  });

  app.post('/account/cancel', { config: cancelLimit }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    try {
      const { password } = parseInput(cancelForm, request.body);
      await privacy.cancelAccount(request.auth, password, request.locale);
    } catch (error) {
      // The box is never kept ticked: each attempt is a fresh decision.
      const { state, status } = formFailure(error, reply, {});
      return cancelPage(request, reply, request.auth, state, status);
    }
    clearSessionCookie(request, reply);
    return reply.redirect('/account/cancelled', 303);
  });

  // Public: the person it was for is no longer signed in.
  app.get('/account/cancelled', async (request, reply) =>
    sendPage(request, reply, { title: request.t('privacy.cancelled.title'), cacheForVisitors: true }, (ctx) => <views.AccountCancelledPage ctx={ctx} />),
  );
}
