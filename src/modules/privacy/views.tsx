import { Field, FormMessage, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { FormState } from '../../platform/http/forms.js';
import { AccountNav } from '../accounts/index.js';
import { blockerMessage, type CancellationBlocker, type CancellationPreview, type HeldSummary } from './service.js';

/** 我的个人信息: what Silkline holds about the person, module by module, and the download form. */
export function PersonalDataPage({ ctx, held, state }: { ctx: PageContext; held: HeldSummary[]; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('privacy.data.title')}</h1>
      <AccountNav ctx={ctx} current="personal-data" />
      <p>{t('privacy.data.intro')}</p>
      <h2 id="held-title">{t('privacy.data.heldTitle')}</h2>
      {held.length === 0 ? (
        <p class="empty">{t('privacy.data.nothingHeld')}</p>
      ) : (
        <table class="data" aria-labelledby="held-title">
          <thead>
            <tr>
              <th scope="col">{t('privacy.data.area')}</th>
              <th scope="col">{t('privacy.data.records')}</th>
            </tr>
          </thead>
          <tbody>
            {held.map((h) => (
              <tr key={h.provider} data-provider={h.provider}>
                <th scope="row">{t(`privacy.provider.${h.provider}`)}</th>
                <td>{t('privacy.data.recordCount', { count: h.total })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="/legal#personal-data">{t('privacy.data.whatFor')}</a>
      </p>
      <h2>{t('privacy.data.downloadTitle')}</h2>
      <p>{t('privacy.data.downloadIntro')}</p>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/account/personal-data/download">
        <Field ctx={ctx} name="password" type="password" autocomplete="current-password" required label={t('privacy.data.password')} error={state.errors?.password} />
        <button class="button" type="submit">{t('privacy.data.download')}</button>
      </PostForm>
      <h2>{t('privacy.data.otherRights')}</h2>
      <ul>
        <li><a href="/account">{t('privacy.data.correct')}</a></li>
        <li><a href="/privacy/settings">{t('privacy.data.consent')}</a></li>
        <li><a href="/privacy/consents">{t('privacy.data.consentHistory')}</a></li>
        <li><a href="/privacy/contact">{t('privacy.data.request')}</a></li>
        <li><a href="/account/cancel">{t('privacy.data.cancel')}</a></li>
      </ul>
    </section>
  );
}

/** Where a blocker is dealt with, and the words of the link. */
function blockerAction(blocker: CancellationBlocker): { href: string; label: string } {
  return blocker.code === 'company-owner'
    ? { href: `/shop/${blocker.companyId}/members`, label: 'privacy.cancel.blocker.companyOwnerAction' }
    : { href: '/staff', label: 'privacy.cancel.blocker.lastAdminAction' };
}

/**
 * 注销账号: what cancelling does, the companies it closes and the memberships it ends, then
 * either what has to be dealt with first or the form (password and the "cannot be undone" box).
 */
export function CancelAccountPage({ ctx, preview, state }: { ctx: PageContext; preview: CancellationPreview; state: FormState }) {
  const { t } = ctx;
  const e = state.errors ?? {};
  return (
    <section class="card">
      <h1>{t('privacy.cancel.title')}</h1>
      <AccountNav ctx={ctx} current="personal-data" />
      <p>{t('privacy.cancel.intro')}</p>
      <h2>{t('privacy.cancel.whatHappens')}</h2>
      <ul>
        <li>{t('privacy.cancel.effect.account')}</li>
        <li>{t('privacy.cancel.effect.trade')}</li>
        <li>{t('privacy.cancel.effect.companies')}</li>
        <li>{t('privacy.cancel.effect.memberships')}</li>
        <li>{t('privacy.cancel.effect.consent')}</li>
        <li>{t('privacy.cancel.effect.mail')}</li>
      </ul>
      {preview.closing.length > 0 ? (
        <>
          <h2 id="closing-title">{t('privacy.cancel.closingTitle')}</h2>
          <ul aria-labelledby="closing-title">
            {preview.closing.map((c) => <li key={c.companyId} data-closing={c.companyId}>{c.companyName}</li>)}
          </ul>
        </>
      ) : null}
      {preview.leaving.length > 0 ? (
        <>
          <h2 id="leaving-title">{t('privacy.cancel.leavingTitle')}</h2>
          <ul aria-labelledby="leaving-title">
            {preview.leaving.map((c) => <li key={c.companyId} data-leaving={c.companyId}>{c.companyName}</li>)}
          </ul>
        </>
      ) : null}
      <p>
        {t('privacy.cancel.copyFirst')} <a href="/account/personal-data">{t('privacy.data.download')}</a>
      </p>
      <FormMessage ctx={ctx} state={state} />
      {preview.blockers.length > 0 ? (
        <>
          <h2 id="blockers-title">{t('privacy.cancel.blockersTitle')}</h2>
          <ul class="blockers" aria-labelledby="blockers-title">
            {preview.blockers.map((b) => {
              const action = blockerAction(b);
              return (
                <li key={b.code === 'company-owner' ? b.companyId : b.code} data-blocker={b.code}>
                  {t(blockerMessage(b), b.code === 'company-owner' ? { company: b.companyName } : {})} <a href={action.href}>{t(action.label)}</a>
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <>
          <h2>{t('privacy.cancel.formTitle')}</h2>
          <PostForm ctx={ctx} action="/account/cancel">
            <Field ctx={ctx} name="password" type="password" autocomplete="current-password" required label={t('privacy.data.password')} error={e.password} />
            <div class={e.confirm ? 'field field-error' : 'field'}>
              <label class="checkbox" for="field-confirm">
                <input id="field-confirm" type="checkbox" name="confirm" value="on" required
                  aria-invalid={e.confirm ? 'true' : undefined}
                  aria-describedby={e.confirm ? 'field-confirm-error' : undefined} />
                <span>{t('privacy.cancel.confirm')}</span>
              </label>
              {e.confirm ? <p class="error-text" id="field-confirm-error">{t(e.confirm)}</p> : null}
            </div>
            <button class="button button-danger" type="submit">{t('privacy.cancel.submit')}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}

/** After cancellation, for whoever is at the browser: it is done, and what was kept. */
export function AccountCancelledPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="card narrow">
      <h1>{t('privacy.cancelled.title')}</h1>
      <p>{t('privacy.cancelled.body')}</p>
      <p>{t('privacy.cancelled.kept')}</p>
      <p>
        <a href="/">{t('privacy.cancelled.home')}</a>
      </p>
    </section>
  );
}
