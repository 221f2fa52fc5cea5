import { Notice, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { isGranted, optionalPurposes, type Choice, type OptionalPurpose } from './purposes.js';
import type { ConsentRecordView } from './service.js';

/** The hidden fields every consent form carries: which way it was made and where to go back. */
function ChoiceFields({ choice, method, next }: { choice: 'accept-all' | 'reject-all' | 'custom'; method: 'banner' | 'settings'; next: string }) {
  return (
    <>
      <input type="hidden" name="choice" value={choice} />
      <input type="hidden" name="method" value={method} />
      <input type="hidden" name="next" value={next} />
    </>
  );
}

function PurposeToggle({ ctx, purpose, checked, idPrefix }: { ctx: PageContext; purpose: OptionalPurpose; checked: boolean; idPrefix: string }) {
  const id = `${idPrefix}-${purpose}`;
  return (
    <div class="consent-purpose">
      <input type="checkbox" id={id} name={purpose} value="on" checked={checked} aria-describedby={`${id}-desc`} />
      <label for={id}>{ctx.t('consent.purpose.' + purpose)}</label>
      <p class="hint" id={`${id}-desc`}>
        {ctx.t('consent.describe.' + purpose)}
      </p>
    </div>
  );
}

/**
 * The banner shown until the visitor chooses: accept all and reject all look the same, and
 * "choose" opens per-purpose toggles. After a material change of the statement it says so and
 * links to what changed, since choices made before it no longer stand. Plain forms, so it works
 * without JavaScript; the island (consent-banner.js) only submits them in place.
 */
export function ConsentBanner({ ctx, change = null }: { ctx: PageContext; change?: { effectiveOn: string; href: string } | null }) {
  const { t } = ctx;
  const next = ctx.path;
  return (
    <section id="consent-banner" class="consent-banner" aria-labelledby="consent-banner-title">
      <div class="container">
        <h2 id="consent-banner-title">{t('consent.banner.title')}</h2>
        {change ? (
          <p class="consent-changed">
            {t('consent.banner.changed', { date: change.effectiveOn })} <a href={change.href}>{t('consent.banner.whatChanged')}</a>
          </p>
        ) : null}
        <p>
          {t('consent.banner.body')} <a href="/privacy/settings">{t('consent.settings.title')}</a>
        </p>
        <div class="consent-actions">
          <PostForm ctx={ctx} action="/privacy/consent" class="inline-form consent-form">
            <ChoiceFields choice="accept-all" method="banner" next={next} />
            <button type="submit" class="button consent-choice">{t('consent.acceptAll')}</button>
          </PostForm>
          <PostForm ctx={ctx} action="/privacy/consent" class="inline-form consent-form">
            <ChoiceFields choice="reject-all" method="banner" next={next} />
            <button type="submit" class="button consent-choice">{t('consent.rejectAll')}</button>
          </PostForm>
        </div>
        <details class="consent-choose">
          <summary>{t('consent.choose')}</summary>
          <PostForm ctx={ctx} action="/privacy/consent" class="form consent-form">
            <ChoiceFields choice="custom" method="banner" next={next} />
            <fieldset>
              <legend>{t('consent.purposes')}</legend>
              {optionalPurposes.map((purpose) => (
                <PurposeToggle key={purpose} ctx={ctx} purpose={purpose} checked={false} idPrefix="banner" />
              ))}
            </fieldset>
            <button type="submit" class="button consent-choice">{t('consent.saveChoice')}</button>
          </PostForm>
        </details>
      </div>
      <script type="module" src={ctx.asset('consent-banner.js')} />
    </section>
  );
}

/** Every purpose with its description and state, toggles to change them, and a withdraw-all. */
export function SettingsPage({ ctx, choice, isDecided, gpc, saved }: { ctx: PageContext; choice: Choice | null; isDecided: boolean; gpc: boolean; saved: boolean }) {
  const { t } = ctx;
  const next = '/privacy/settings?saved=1';
  return (
    <section class="card">
      <h1>{t('consent.settings.title')}</h1>
      {saved ? <Notice kind="success">{t('consent.settings.saved')}</Notice> : null}
      <p>{t('consent.settings.intro')}</p>
      {gpc ? <Notice kind="info">{t('consent.settings.gpc')}</Notice> : null}
      {isDecided ? null : <p class="muted">{t('consent.settings.notDecided')}</p>}
      <div class="consent-purpose">
        <p>
          <strong>{t('consent.purpose.necessary')}</strong> — <span class="muted">{t('consent.state.always')}</span>
        </p>
        <p class="hint">{t('consent.describe.necessary')}</p>
      </div>
      <PostForm ctx={ctx} action="/privacy/consent" class="form" id="consent-settings">
        <ChoiceFields choice="custom" method="settings" next={next} />
        <fieldset>
          <legend>{t('consent.purposes')}</legend>
          {optionalPurposes.map((purpose) => {
            const on = isGranted(choice, purpose, gpc);
            return (
              <div key={purpose} data-purpose={purpose} data-state={on ? 'on' : 'off'}>
                <PurposeToggle ctx={ctx} purpose={purpose} checked={on} idPrefix="settings" />
                <p class="muted consent-state">{on ? t('consent.state.on') : t('consent.state.off')}</p>
              </div>
            );
          })}
        </fieldset>
        <button type="submit" class="button">{t('consent.saveChoice')}</button>
      </PostForm>
      <PostForm ctx={ctx} action="/privacy/consent" class="inline-form">
        <ChoiceFields choice="reject-all" method="settings" next={next} />
        <button type="submit" class="button button-secondary">{t('consent.settings.withdrawAll')}</button>
      </PostForm>
      <p>
        <a href="/privacy/consents">{t('consent.settings.history')}</a>
      </p>
    </section>
  );
}

/** The ledger lines of the signed-in account or this browser, newest first. */
export function HistoryPage({ ctx, records }: { ctx: PageContext; records: ConsentRecordView[] }) {
  const { t } = ctx;
  const when = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Shanghai' });
  return (
    <section class="card">
      <h1>{t('consent.history.title')}</h1>
      <p>{t('consent.history.intro')}</p>
      {records.length === 0 ? (
        <p class="muted">{t('consent.history.empty')}</p>
      ) : (
        <>
          <p>
            <a href="/privacy/consents/receipt.json" download="consent-receipt.json">
              {t('consent.history.receipt')}
            </a>
          </p>
          <table class="data">
            <caption>{t('consent.history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('consent.history.time')}</th>
                <th scope="col">{t('consent.history.purpose')}</th>
                <th scope="col">{t('consent.history.granted')}</th>
                <th scope="col">{t('consent.history.method')}</th>
                <th scope="col">{t('consent.history.version')}</th>
                <th scope="col">{t('consent.history.ip')}</th>
                <th scope="col">{t('consent.history.browser')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <time dateTime={r.createdAt}>{when.format(new Date(r.createdAt))}</time>
                  </td>
                  <td>{t('consent.purpose.' + r.purpose)}</td>
                  <td>{r.granted ? t('consent.granted.yes') : t('consent.granted.no')}</td>
                  <td>{t('consent.method.' + r.method)}</td>
                  <td>
                    <code title={r.statementVersion}>{r.statementVersion.slice(0, 12)}</code>
                  </td>
                  <td>{r.ipPrefix}</td>
                  <td>{r.browserClass}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p>
        <a href="/privacy/settings">{t('consent.settings.title')}</a>
      </p>
    </section>
  );
}
