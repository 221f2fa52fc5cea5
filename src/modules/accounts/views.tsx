import { Field, FormMessage, Notice, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { FormState } from '../../platform/http/forms.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import type { Profile, SessionView } from './service.js';

export type { FormState, Values } from '../../platform/http/forms.js';

/** The live strength meter; its labels come from the catalogs through data attributes. */
function StrengthMeter({ ctx, forField }: { ctx: PageContext; forField: string }) {
  const labels = [0, 1, 2, 3, 4].map((score) => ctx.t(`accounts.strength.${score}`));
  return (
    <div class="strength" data-strength-for={forField} data-labels={JSON.stringify(labels)}>
      <span>{ctx.t('accounts.strength.label')}</span>
      <meter min={0} max={4} low={2} high={3} optimum={4} value={0} aria-label={ctx.t('accounts.strength.label')} />
      <span class="strength-text" aria-live="polite">
        {ctx.t('accounts.strength.empty')}
      </span>
    </div>
  );
}

/** What registration collects (and the sign-in that follows records), for the just-in-time notice. */
export const registrationColumns: readonly CollectedColumn[] = [
  ['account', 'login_name'],
  ['account', 'email'],
  ['account', 'mobile'],
  ['account', 'contact_person'],
  ['account', 'password_hash'],
  ['account', 'terms_accepted_at'],
  ['account_session', 'browser'],
  ['account_session', 'os'],
  ['account_session', 'ip_prefix'],
];

export function RegisterPage({ ctx, state, dataMap }: { ctx: PageContext; state: FormState; dataMap: DataMap }) {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const { t } = ctx;
  return (
    <section class="card narrow">
      <h1>{t('accounts.register.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <JitNotice ctx={ctx} dataMap={dataMap} columns={registrationColumns} />
      <PostForm ctx={ctx} action="/register" id="register-form">
        <input type="hidden" name="next" value={v.next ?? '/'} />
        <Field ctx={ctx} name="loginName" label={t('accounts.field.loginName')} value={v.loginName} error={e.loginName}
          hint={t('accounts.hint.loginName')} autocomplete="username" required maxLength={32} />
        <Field ctx={ctx} name="email" type="email" label={t('accounts.field.email')} value={v.email} error={e.email}
          autocomplete="email" required maxLength={254} inputMode="email" />
        <Field ctx={ctx} name="mobile" type="tel" label={t('accounts.field.mobile')} value={v.mobile} error={e.mobile}
          hint={t('accounts.hint.mobile')} autocomplete="tel" required maxLength={20} inputMode="tel" />
        <Field ctx={ctx} name="contactPerson" label={t('accounts.field.contactPerson')} value={v.contactPerson}
          error={e.contactPerson} autocomplete="name" required maxLength={100} />
        <Field ctx={ctx} name="password" type="password" label={t('accounts.field.password')} error={e.password}
          hint={t('accounts.hint.password')} autocomplete="new-password" required maxLength={128} />
        <StrengthMeter ctx={ctx} forField="field-password" />
        <div class={e.acceptTerms ? 'field field-error' : 'field'}>
          <label class="checkbox" for="field-acceptTerms">
            <input id="field-acceptTerms" type="checkbox" name="acceptTerms" value="on" checked={v.acceptTerms === 'on'}
              aria-invalid={e.acceptTerms ? 'true' : undefined}
              aria-describedby={e.acceptTerms ? 'field-acceptTerms-error' : undefined} />
            <span>
              {t('accounts.field.acceptTermsBefore')} <a href="/legal/terms">{t('legal.document.terms')}</a>
              {t('accounts.field.acceptTermsMiddle')} <a href="/legal">{t('legal.document.privacy')}</a>
              {t('accounts.field.acceptTermsAfter')}
            </span>
          </label>
          {e.acceptTerms ? <p class="error-text" id="field-acceptTerms-error">{t(e.acceptTerms)}</p> : null}
        </div>
        <button class="button" type="submit">{t('accounts.register.submit')}</button>
      </PostForm>
      <p>
        {t('accounts.register.haveAccount')} <a href="/sign-in">{t('site.signIn')}</a>
      </p>
    </section>
  );
}

export function RegisteredPage({ ctx }: { ctx: PageContext }) {
  return (
    <section class="card narrow">
      <h1>{ctx.t('accounts.registered.title')}</h1>
      <p>{ctx.t('accounts.registered.body')}</p>
      {ctx.showDevMailbox ? (
        <p class="muted">
          {ctx.t('accounts.registered.devHint')} <a href="/dev/mailbox">{ctx.t('site.devMailbox')}</a>
        </p>
      ) : null}
      <ResendForm ctx={ctx} />
    </section>
  );
}

function ResendForm({ ctx }: { ctx: PageContext }) {
  return (
    <details>
      <summary>{ctx.t('accounts.resend.title')}</summary>
      <PostForm ctx={ctx} action="/verify-email/resend">
        <Field ctx={ctx} name="email" type="email" label={ctx.t('accounts.field.email')} required maxLength={254} autocomplete="email" />
        <button class="button button-secondary" type="submit">{ctx.t('accounts.resend.submit')}</button>
      </PostForm>
    </details>
  );
}

export function VerifyEmailPage({ ctx, token, next, state }: { ctx: PageContext; token: string; next: string; state: FormState }) {
  return (
    <section class="card narrow">
      <h1>{ctx.t('accounts.verify.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p>{ctx.t('accounts.verify.body')}</p>
      <PostForm ctx={ctx} action="/verify-email">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="next" value={next} />
        <button class="button" type="submit">{ctx.t('accounts.verify.submit')}</button>
      </PostForm>
    </section>
  );
}

export function MessagePage({ ctx, title, body, links = [], showResend = false }: {
  ctx: PageContext;
  title: string;
  body: string;
  links?: { href: string; label: string }[];
  showResend?: boolean;
}) {
  return (
    <section class="card narrow">
      <h1>{ctx.t(title)}</h1>
      <p>{ctx.t(body)}</p>
      {links.map((l) => (
        <p key={l.href}>
          <a href={l.href}>{ctx.t(l.label)}</a>
        </p>
      ))}
      {showResend ? <ResendForm ctx={ctx} /> : null}
    </section>
  );
}

export function SignInPage({ ctx, state, next }: { ctx: PageContext; state: FormState; next: string }) {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const { t } = ctx;
  return (
    <section class="card narrow">
      <h1>{t('accounts.signIn.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/sign-in">
        <input type="hidden" name="next" value={next} />
        <Field ctx={ctx} name="identifier" label={t('accounts.field.identifier')} value={v.identifier} error={e.identifier}
          autocomplete="username" required maxLength={320} />
        <Field ctx={ctx} name="password" type="password" label={t('accounts.field.password')} error={e.password}
          autocomplete="current-password" required maxLength={128} />
        <button class="button" type="submit">{t('accounts.signIn.submit')}</button>
      </PostForm>
      <p>
        <a href="/password/forgot">{t('accounts.signIn.forgot')}</a>
      </p>
      <p>
        {t('accounts.signIn.noAccount')} <a href="/register">{t('site.register')}</a>
      </p>
      {state.message === 'accounts.error.emailNotVerified' ? <ResendForm ctx={ctx} /> : null}
    </section>
  );
}

export type AccountTab = 'profile' | 'password' | 'sessions' | 'personal-data';

/** The tabs of 我的账户: basic information, password, devices and personal data. */
export function AccountNav({ ctx, current }: { ctx: PageContext; current: AccountTab }) {
  const tabs: [AccountTab, string, string][] = [
    ['profile', '/account', 'accounts.nav.profile'],
    ['password', '/account/password', 'accounts.nav.password'],
    ['sessions', '/account/sessions', 'accounts.nav.sessions'],
    ['personal-data', '/account/personal-data', 'privacy.nav'],
  ];
  return (
    <nav class="side-nav" aria-label={ctx.t('accounts.nav.label')}>
      {tabs.map(([tab, href, label]) => (
        <a key={tab} href={href} aria-current={tab === current ? 'page' : undefined}>
          {ctx.t(label)}
        </a>
      ))}
    </nav>
  );
}

export function ProfilePage({ ctx, profile, state }: { ctx: PageContext; profile: Profile; state: FormState }) {
  const v = state.values ?? { contactPerson: profile.contactPerson, email: profile.email, mobile: profile.mobile };
  const e = state.errors ?? {};
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('accounts.profile.title')}</h1>
      <AccountNav ctx={ctx} current="profile" />
      <FormMessage ctx={ctx} state={state} />
      <dl>
        <dt>{t('accounts.field.loginName')}</dt>
        <dd>{profile.loginName}</dd>
      </dl>
      {profile.pendingEmail ? (
        <Notice kind="info">{t('accounts.profile.emailPending', { email: profile.pendingEmail })}</Notice>
      ) : null}
      <PostForm ctx={ctx} action="/account">
        <Field ctx={ctx} name="contactPerson" label={t('accounts.field.contactPerson')} value={v.contactPerson}
          error={e.contactPerson} autocomplete="name" required maxLength={100} />
        <Field ctx={ctx} name="email" type="email" label={t('accounts.field.email')} value={v.email} error={e.email}
          hint={t('accounts.hint.emailChange')} autocomplete="email" required maxLength={254} inputMode="email" />
        <Field ctx={ctx} name="mobile" type="tel" label={t('accounts.field.mobile')} value={v.mobile} error={e.mobile}
          hint={t('accounts.hint.mobile')} autocomplete="tel" required maxLength={20} inputMode="tel" />
        <button class="button" type="submit">{t('accounts.profile.submit')}</button>
      </PostForm>
    </section>
  );
}

export function PasswordPage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  const e = state.errors ?? {};
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('accounts.password.title')}</h1>
      <AccountNav ctx={ctx} current="password" />
      <FormMessage ctx={ctx} state={state} />
      <p class="collection-notice">{t('accounts.hint.passwordAdvice')}</p>
      <PostForm ctx={ctx} action="/account/password">
        <Field ctx={ctx} name="currentPassword" type="password" label={t('accounts.field.currentPassword')}
          error={e.currentPassword} autocomplete="current-password" required maxLength={128} />
        <Field ctx={ctx} name="newPassword" type="password" label={t('accounts.field.newPassword')} error={e.newPassword}
          hint={t('accounts.hint.password')} autocomplete="new-password" required maxLength={128} />
        <StrengthMeter ctx={ctx} forField="field-newPassword" />
        <button class="button" type="submit">{t('accounts.password.submit')}</button>
      </PostForm>
    </section>
  );
}

export function SessionsPage({ ctx, sessions, state }: { ctx: PageContext; sessions: SessionView[]; state: FormState }) {
  const { t } = ctx;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section class="card">
      <h1>{t('accounts.sessions.title')}</h1>
      <AccountNav ctx={ctx} current="sessions" />
      <FormMessage ctx={ctx} state={state} />
      <table class="data">
        <caption class="visually-hidden">{t('accounts.sessions.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('accounts.sessions.device')}</th>
            <th scope="col">{t('accounts.sessions.network')}</th>
            <th scope="col">{t('accounts.sessions.created')}</th>
            <th scope="col">{t('accounts.sessions.lastSeen')}</th>
            <th scope="col">{t('accounts.sessions.action')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                {s.browser} · {s.os}
                {s.current ? <strong>{t('accounts.sessions.current')}</strong> : null}
              </td>
              <td>{s.ipPrefix || '—'}</td>
              <td><time dateTime={s.createdAt}>{formatTime(s.createdAt, ctx)}</time></td>
              <td><time dateTime={s.lastSeenAt}>{formatTime(s.lastSeenAt, ctx)}</time></td>
              <td>
                {s.current ? (
                  <span class="muted">—</span>
                ) : (
                  <PostForm ctx={ctx} action={`/account/sessions/${s.id}/revoke`} class="inline-form">
                    <button class="link-button" type="submit">
                      {t('accounts.sessions.revoke')}
                      <span class="visually-hidden">{t('accounts.sessions.revokeOne', { device: `${s.browser} · ${s.os}` })}</span>
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {others > 0 ? (
        <PostForm ctx={ctx} action="/account/sessions/revoke-others">
          <button class="button button-secondary" type="submit">{t('accounts.sessions.revokeOthers')}</button>
        </PostForm>
      ) : (
        <p class="muted">{t('accounts.sessions.noOthers')}</p>
      )}
    </section>
  );
}

function formatTime(iso: string, ctx: PageContext): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

export function ForgotPasswordPage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  const e = state.errors ?? {};
  return (
    <section class="card narrow">
      <h1>{ctx.t('accounts.forgot.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p>{ctx.t('accounts.forgot.body')}</p>
      <PostForm ctx={ctx} action="/password/forgot">
        <Field ctx={ctx} name="email" type="email" label={ctx.t('accounts.field.email')} value={state.values?.email}
          error={e.email} autocomplete="email" required maxLength={254} inputMode="email" />
        <button class="button" type="submit">{ctx.t('accounts.forgot.submit')}</button>
      </PostForm>
    </section>
  );
}

export function ResetPasswordPage({ ctx, token, state }: { ctx: PageContext; token: string; state: FormState }) {
  const e = state.errors ?? {};
  return (
    <section class="card narrow">
      <h1>{ctx.t('accounts.reset.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p class="collection-notice">{ctx.t('accounts.hint.passwordAdvice')}</p>
      <PostForm ctx={ctx} action="/password/reset">
        <input type="hidden" name="token" value={token} />
        <Field ctx={ctx} name="newPassword" type="password" label={ctx.t('accounts.field.newPassword')} error={e.newPassword}
          hint={ctx.t('accounts.hint.password')} autocomplete="new-password" required maxLength={128} />
        <StrengthMeter ctx={ctx} forField="field-newPassword" />
        <button class="button" type="submit">{ctx.t('accounts.reset.submit')}</button>
      </PostForm>
    </section>
  );
}
