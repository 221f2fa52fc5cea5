import type { FormState } from '../../platform/http/forms.js';
import { Field, FormMessage, Pager, PostForm, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { formatDay } from '../../platform/views/format.js';
import { accountsMaxLength, contactMaxLength, textMaxLength, titleMaxLength } from './schema.js';
import type { DeliveryProgress, IncidentView } from './service.js';
import { incidentScopes, type IncidentStatus } from './tables.js';
import { AnnouncementBody, inLocale } from './views.js';

type Values = Record<string, string>;

/** What the incident form shows: the values, the chosen categories and the field errors. */
export interface IncidentForm {
  values: Values;
  categories: string[];
  errors: Values;
}

function StatusBadge({ ctx, status }: { ctx: PageContext; status: IncidentStatus }) {
  return <span class={`badge ${status === 'published' ? 'badge-verified' : 'badge-draft'}`}>{ctx.t(`incidents.status.${status}`)}</span>;
}

/** The form values of a stored draft. */
export function incidentForm(incident: IncidentView, accounts: string[]): IncidentForm {
  const { categories, updates: _updates, ...rest } = incident;
  const values = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { values: { ...values, accounts: accounts.join('\n') }, categories, errors: {} };
}

/** Every field of an incident: texts in both languages, the day, categories, contact and who is affected. */
function IncidentFields({ ctx, form, categories, defaultContact }: { ctx: PageContext; form: IncidentForm; categories: readonly string[]; defaultContact: string }) {
  const { t } = ctx;
  const { values, errors } = form;
  const long = (name: string) => <TextArea ctx={ctx} name={name} label={t(`incidents.field.${name}`)} value={values[name]} error={errors[name]} maxLength={textMaxLength} rows={4} />;
  const scope = values.scope ?? 'listed';
  return (
    <>
      <Field ctx={ctx} name="titleZh" label={t('incidents.field.titleZh')} value={values.titleZh} error={errors.titleZh} required maxLength={titleMaxLength} />
      <Field ctx={ctx} name="titleEn" label={t('incidents.field.titleEn')} value={values.titleEn} error={errors.titleEn} required maxLength={titleMaxLength} />
      {long('summaryZh')}
      {long('summaryEn')}
      <Field ctx={ctx} name="foundOn" type="date" label={t('incidents.field.foundOn')} value={values.foundOn} error={errors.foundOn} hint={t('incidents.field.foundOnHint')} required maxLength={10} />
      <fieldset aria-describedby={errors.categories ? 'field-categories-error' : 'field-categories-hint'} class={errors.categories ? 'field-error' : undefined}>
        <legend>{t('incidents.field.categories')}</legend>
        <p class="hint" id="field-categories-hint">{t('incidents.field.categoriesHint')}</p>
        <div class="checkbox-row">
          {categories.map((c) => (
            <label key={c} class="checkbox"><input type="checkbox" name="categories" value={c} checked={form.categories.includes(c)} /> {t(`legal.category.${c}`)}</label>
          ))}
        </div>
        {errors.categories ? <p class="error-text" id="field-categories-error">{t(errors.categories)}</p> : null}
      </fieldset>
      {long('consequencesZh')}
      {long('consequencesEn')}
      {long('measuresZh')}
      {long('measuresEn')}
      {long('selfHelpZh')}
      {long('selfHelpEn')}
      <Field ctx={ctx} name="contact" label={t('incidents.field.contact')} value={values.contact} error={errors.contact} hint={t('incidents.field.contactHint', { email: defaultContact })} maxLength={contactMaxLength} />
      <fieldset aria-describedby={errors.scope ? 'field-scope-error' : undefined}>
        <legend>{t('incidents.field.scope')}</legend>
        <div class="checkbox-row">
          {incidentScopes.map((s) => (
            <label key={s} class="checkbox"><input type="radio" name="scope" value={s} checked={scope === s} /> {t(`incidents.scope.${s}`)}</label>
          ))}
        </div>
        {errors.scope ? <p class="error-text" id="field-scope-error">{t(errors.scope)}</p> : null}
      </fieldset>
      <TextArea ctx={ctx} name="accounts" label={t('incidents.field.accounts')} value={values.accounts} error={errors.accounts} hint={t('incidents.field.accountsHint')} maxLength={accountsMaxLength} rows={5} />
    </>
  );
}

/** Staff's list of every incident, newest first. */
export function StaffListPage({ ctx, list }: { ctx: PageContext; list: { items: { id: string; status: IncidentStatus; titleZh: string; titleEn: string; foundOn: string; createdAt: string }[]; page: number; pages: number } }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('incidents.staff.title')}</h1>
      <p>{t('incidents.staff.intro')}</p>
      <p><a class="button" href="/staff/incidents/new">{t('incidents.staff.new')}</a></p>
      {list.items.length === 0 ? <div class="empty-state"><p>{t('incidents.staff.empty')}</p></div> : (
        <table class="data">
          <thead><tr><th scope="col">{t('incidents.staff.incidentTitle')}</th><th scope="col">{t('incidents.staff.status')}</th><th scope="col">{t('incidents.staff.foundOn')}</th><th scope="col">{t('incidents.staff.created')}</th></tr></thead>
          <tbody>
            {list.items.map((i) => {
              const title = inLocale(ctx, i.titleZh, i.titleEn);
              return (
                <tr key={i.id}>
                  <td><a href={`/staff/incidents/${i.id}`} lang={title.lang}>{title.text}</a></td>
                  <td><StatusBadge ctx={ctx} status={i.status} /></td>
                  <td>{i.foundOn}</td>
                  <td>{formatDay(ctx, i.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => `/staff/incidents?page=${n}`} />
    </section>
  );
}

/** The draft form, new or existing. */
export function StaffFormPage({ ctx, id, form, state, categories, defaultContact }: { ctx: PageContext; id: string | null; form: IncidentForm; state: FormState; categories: readonly string[]; defaultContact: string }) {
  const { t } = ctx;
  return (
    <section class="card narrow">
      <p><a href="/staff/incidents">{t('incidents.staff.back')}</a></p>
      <h1>{id ? inLocale(ctx, form.values.titleZh ?? '', form.values.titleEn ?? '').text : t('incidents.staff.new')}</h1>
      {id ? <p><StatusBadge ctx={ctx} status="draft" /></p> : null}
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action={id ? `/staff/incidents/${id}` : '/staff/incidents'} id="incident-form">
        <IncidentFields ctx={ctx} form={form} categories={categories} defaultContact={defaultContact} />
        <button class="button" type="submit">{t(id ? 'incidents.staff.save' : 'incidents.staff.create')}</button>
      </PostForm>
      {id ? <p><a class="button button-secondary" href={`/staff/incidents/${id}/preview`}>{t('incidents.staff.preview')}</a></p> : null}
    </section>
  );
}

/** The announcement as it will be published, in the page's language, with the publish button. */
export function StaffPreviewPage({ ctx, incident, affected }: { ctx: PageContext; incident: IncidentView; affected: number }) {
  const { t } = ctx;
  const title = inLocale(ctx, incident.titleZh, incident.titleEn);
  const other = ctx.locale === 'en' ? 'zh-CN' : 'en';
  return (
    <section class="card">
      <p><a href={`/staff/incidents/${incident.id}`}>{t('incidents.preview.edit')}</a></p>
      <p class="muted">{t('incidents.preview.intro')} {t('incidents.preview.language')} <a href={`/staff/incidents/${incident.id}/preview?lang=${other}`} hreflang={other} lang={other}>{other === 'en' ? 'English' : '中文'}</a></p>
      <article class="incident-preview">
        <h1 lang={title.lang}>{t('incidents.preview.title', { title: title.text })}</h1>
        <AnnouncementBody ctx={ctx} incident={incident} />
      </article>
      <h2>{t('incidents.preview.publishTitle')}</h2>
      <p id="incident-affected">{t(incident.scope === 'all' ? 'incidents.preview.affectedAll' : 'incidents.preview.affectedListed', { count: affected })}</p>
      <p>{t('incidents.preview.publishHint')}</p>
      <PostForm ctx={ctx} action={`/staff/incidents/${incident.id}/publish`} class="inline-form">
        <button class="button" type="submit">{t('incidents.preview.publish')}</button>
      </PostForm>
    </section>
  );
}

/** A published incident for staff: the announcement, how far the notices have gone, and the follow-up form. */
export function StaffPublishedPage({ ctx, incident, progress, state, values }: { ctx: PageContext; incident: IncidentView & { publishedAt: string }; progress: DeliveryProgress; state: FormState; values: Values }) {
  const { t } = ctx;
  const title = inLocale(ctx, incident.titleZh, incident.titleEn);
  const errors = state.errors ?? {};
  return (
    <section class="card">
      <p><a href="/staff/incidents">{t('incidents.staff.back')}</a></p>
      <h1 lang={title.lang}>{title.text}</h1>
      <p><StatusBadge ctx={ctx} status="published" /> {t('incidents.staff.publishedOn', { date: formatDay(ctx, incident.publishedAt) })} <a href={`/announcements/${incident.id}`}>{t('incidents.staff.publicLink')}</a></p>
      <FormMessage ctx={ctx} state={state} />
      <section aria-labelledby="incident-progress" id="delivery-progress" data-told={progress.told} data-affected={progress.affected}>
        <h2 id="incident-progress">{t('incidents.staff.progressTitle')}</h2>
        <p>{t('incidents.staff.progress', { told: progress.told, affected: progress.affected })} {t(progress.done ? 'incidents.staff.progressDone' : 'incidents.staff.progressRunning')}</p>
        {progress.updates.length > 0 ? (
          <ul>{progress.updates.map((u) => <li key={u.id}>{t('incidents.staff.updateProgress', { date: formatDay(ctx, incident.updates.find((x) => x.id === u.id)?.createdAt ?? incident.publishedAt), told: u.told })}</li>)}</ul>
        ) : null}
      </section>
      <AnnouncementBody ctx={ctx} incident={incident} />
      <h2>{t('incidents.staff.updatesTitle')}</h2>
      <p>{t('incidents.staff.updateHint')}</p>
      <PostForm ctx={ctx} action={`/staff/incidents/${incident.id}/updates`} id="update-form">
        <TextArea ctx={ctx} name="bodyZh" label={t('incidents.field.bodyZh')} value={values.bodyZh} error={errors.bodyZh} maxLength={textMaxLength} rows={4} />
        <TextArea ctx={ctx} name="bodyEn" label={t('incidents.field.bodyEn')} value={values.bodyEn} error={errors.bodyEn} maxLength={textMaxLength} rows={4} />
        <button class="button" type="submit">{t('incidents.staff.addUpdate')}</button>
      </PostForm>
    </section>
  );
}
