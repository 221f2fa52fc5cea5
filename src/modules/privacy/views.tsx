import { Field, FormMessage, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { FormState } from '../../platform/http/forms.js';
import { AccountNav } from '../accounts/index.js';
import type { HeldSummary } from './service.js';

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
      </ul>
    </section>
  );
}
