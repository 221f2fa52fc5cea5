import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { redirectToSignIn, safeNext, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { parseInput } from '../../platform/http/validation.js';
import { formFailure, formValues } from '../../platform/http/forms.js';
import * as schema from './schema.js';
import { sessionCookie, sessionCookieMaxAge, type AccountsService } from './service.js';
import * as views from './views.js';

const strict = { rateLimit: { max: 10, timeWindow: 60_000 } };
const passwordScripts = ['password-strength'];

function cookieOptions(request: FastifyRequest) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.server.platform.isProduction,
    path: '/',
  };
}

/** Ends the session cookie in the browser, for pages elsewhere that end the account (its cancellation). */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookie, cookieOptions(request));
}

/** The HTML pages of accounts: registration, verification, sign-in, 个人信息-基本信息, password, sessions. */
export async function accountPages(app: FastifyInstance, { accounts }: { accounts: AccountsService }) {
  app.get('/register', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next, '/');
    if (request.auth) return reply.redirect(next === '/' ? '/account' : next, 303);
    return sendPage(request, reply, { title: request.t('accounts.register.title'), scripts: passwordScripts }, (ctx) => (
      <views.RegisterPage ctx={ctx} state={{ values: { next } }} dataMap={app.silkline.dataMap} />
    ));
  });

  app.post('/register', { config: strict }, async (request, reply) => {
    const values = formValues(request.body);
    try {
      await accounts.register(parseInput(schema.registration, request.body), request.locale, safeNext(values.next, '/'));
      return reply.redirect('/register/sent', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, values);
      return sendPage(request, reply, { title: request.t('accounts.register.title'), status, scripts: passwordScripts }, (ctx) => (
        <views.RegisterPage ctx={ctx} state={state} dataMap={app.silkline.dataMap} />
      ));
    }
  });

  app.get('/register/sent', async (request, reply) =>
    sendPage(request, reply, { title: request.t('accounts.registered.title') }, (ctx) => <views.RegisteredPage ctx={ctx} />),
  );

  app.get('/verify-email', async (request, reply) => {
    const query = schema.tokenQuery.safeParse(request.query);
    if (!query.success) throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.verifyLinkInvalid' });
    const next = safeNext((request.query as Record<string, unknown>).next, '/');
    return sendPage(request, reply, { title: request.t('accounts.verify.title') }, (ctx) => (
      <views.VerifyEmailPage ctx={ctx} token={query.data.token} next={next} state={{}} />
    ));
  });

  app.post('/verify-email', { config: strict }, async (request, reply) => {
    const { token } = parseInput(schema.tokenQuery, request.body);
    const next = safeNext(formValues(request.body).next, '/');
    const signInLink = next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
    try {
      await accounts.verifyEmail(token);
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      return sendPage(request, reply, { title: request.t('accounts.verify.title'), status }, (ctx) => (
        <views.MessagePage ctx={ctx} title="accounts.verify.failedTitle" body={state.message ?? 'error.TOKEN_INVALID'} showResend />
      ));
    }
    return sendPage(request, reply, { title: request.t('accounts.verified.title') }, (ctx) => (
      <views.MessagePage ctx={ctx} title="accounts.verified.title" body="accounts.verified.body"
        links={[{ href: request.auth ? (next === '/' ? '/account' : next) : signInLink, label: request.auth ? 'accounts.verified.continue' : 'site.signIn' }]} />
    ));
  });

  app.post('/verify-email/resend', { config: strict }, async (request, reply) => {
    const { email } = parseInput(z.object({ email: schema.email }), request.body);
    await accounts.resendVerification(email, request.locale);
    return sendPage(request, reply, { title: request.t('accounts.resend.title') }, (ctx) => (
      <views.MessagePage ctx={ctx} title="accounts.resend.title" body="accounts.resend.done" />
    ));
  });

  app.get('/sign-in', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next, '/account');
    if (request.auth) return reply.redirect(next, 303);
    return sendPage(request, reply, { title: request.t('accounts.signIn.title') }, (ctx) => (
      <views.SignInPage ctx={ctx} state={{}} next={next} />
    ));
  });

  app.post('/sign-in', { config: strict }, async (request, reply) => {
    const values = formValues(request.body);
    const next = safeNext(values.next, '/account');
    try {
      const input = parseInput(schema.signIn, request.body);
      if (request.auth) await accounts.signOut(request.auth);
      const { token } = await accounts.signIn(input, { ip: request.ip, userAgent: request.headers['user-agent'] });
      reply.setCookie(sessionCookie, token, { ...cookieOptions(request), maxAge: sessionCookieMaxAge });
      return reply.redirect(next, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, values);
      return sendPage(request, reply, { title: request.t('accounts.signIn.title'), status }, (ctx) => (
        <views.SignInPage ctx={ctx} state={state} next={next} />
      ));
    }
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.auth) await accounts.signOut(request.auth);
    reply.clearCookie(sessionCookie, cookieOptions(request));
    return reply.redirect('/', 303);
  });

  app.get('/account', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const profile = await accounts.getProfile(request.auth.accountId);
    const saved = (request.query as Record<string, unknown>).saved;
    const state: views.FormState =
      saved === 'email' ? { message: 'accounts.profile.savedEmailPending', messageKind: 'success', messageParams: { email: profile.pendingEmail ?? '' } }
      : saved === '1' ? { message: 'accounts.profile.saved', messageKind: 'success' }
      : {};
    return sendPage(request, reply, { title: request.t('accounts.profile.title') }, (ctx) => (
      <views.ProfilePage ctx={ctx} profile={profile} state={state} />
    ));
  });

  app.post('/account', async (request, reply) => {
    const auth = request.auth;
    if (!auth) return redirectToSignIn(request, reply);
    const values = formValues(request.body);
    try {
      const { emailPending } = await accounts.updateProfile(auth.accountId, parseInput(schema.profileUpdate, request.body), request.locale);
      return reply.redirect(emailPending ? '/account?saved=email' : '/account?saved=1', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, values);
      const profile = await accounts.getProfile(auth.accountId);
      return sendPage(request, reply, { title: request.t('accounts.profile.title'), status }, (ctx) => (
        <views.ProfilePage ctx={ctx} profile={profile} state={state} />
      ));
    }
  });

  app.get('/account/password', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return sendPage(request, reply, { title: request.t('accounts.password.title'), scripts: passwordScripts }, (ctx) => (
      <views.PasswordPage ctx={ctx} state={saved ? { message: 'accounts.password.saved', messageKind: 'success' } : {}} />
    ));
  });

  app.post('/account/password', { config: strict }, async (request, reply) => {
    const auth = request.auth;
    if (!auth) return redirectToSignIn(request, reply);
    try {
      await accounts.changePassword(auth, parseInput(schema.passwordChange, request.body), request.locale);
      return reply.redirect('/account/password?saved=1', 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      return sendPage(request, reply, { title: request.t('accounts.password.title'), status, scripts: passwordScripts }, (ctx) => (
        <views.PasswordPage ctx={ctx} state={state} />
      ));
    }
  });

  app.get('/account/sessions', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const sessions = await accounts.listSessions(request.auth);
    const done = (request.query as Record<string, unknown>).done;
    const state: views.FormState = done === '1' ? { message: 'accounts.sessions.revoked', messageKind: 'success' } : {};
    return sendPage(request, reply, { title: request.t('accounts.sessions.title') }, (ctx) => (
      <views.SessionsPage ctx={ctx} sessions={sessions} state={state} />
    ));
  });

  app.post<{ Params: { id: string } }>('/account/sessions/:id/revoke', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    await accounts.revokeSession(request.auth, request.params.id);
    return reply.redirect('/account/sessions?done=1', 303);
  });

  app.post('/account/sessions/revoke-others', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    await accounts.revokeOtherSessions(request.auth);
    return reply.redirect('/account/sessions?done=1', 303);
  });

  app.get('/password/forgot', async (request, reply) =>
    sendPage(request, reply, { title: request.t('accounts.forgot.title') }, (ctx) => <views.ForgotPasswordPage ctx={ctx} state={{}} />),
  );

  app.post('/password/forgot', { config: strict }, async (request, reply) => {
    const values = formValues(request.body);
    try {
      const { email } = parseInput(schema.passwordResetRequest, request.body);
      await accounts.requestPasswordReset(email, request.locale);
      return sendPage(request, reply, { title: request.t('accounts.forgot.title') }, (ctx) => (
        <views.MessagePage ctx={ctx} title="accounts.forgot.sentTitle" body="accounts.forgot.sent" />
      ));
    } catch (error) {
      const { state, status } = formFailure(error, reply, values);
      return sendPage(request, reply, { title: request.t('accounts.forgot.title'), status }, (ctx) => (
        <views.ForgotPasswordPage ctx={ctx} state={state} />
      ));
    }
  });

  app.get('/password/reset', async (request, reply) => {
    const query = schema.tokenQuery.safeParse(request.query);
    if (!query.success || !(await accounts.isResetTokenUsable(query.data.token))) {
      throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.resetLinkInvalid' });
    }
    return sendPage(request, reply, { title: request.t('accounts.reset.title'), scripts: passwordScripts }, (ctx) => (
      <views.ResetPasswordPage ctx={ctx} token={query.data.token} state={{}} />
    ));
  });

  app.post('/password/reset', { config: strict }, async (request, reply) => {
    const token = formValues(request.body).token ?? (request.body as Record<string, unknown> | undefined)?.token;
    try {
      const input = parseInput(schema.passwordReset, request.body);
      await accounts.resetPassword(input.token, input.newPassword);
      reply.clearCookie(sessionCookie, cookieOptions(request));
      return sendPage(request, reply, { title: request.t('accounts.reset.doneTitle') }, (ctx) => (
        <views.MessagePage ctx={ctx} title="accounts.reset.doneTitle" body="accounts.reset.done" links={[{ href: '/sign-in', label: 'site.signIn' }]} />
      ));
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      return sendPage(request, reply, { title: request.t('accounts.reset.title'), status, scripts: passwordScripts }, (ctx) => (
        <views.ResetPasswordPage ctx={ctx} token={typeof token === 'string' ? token.slice(0, 100) : ''} state={state} />
      ));
    }
  });
}
