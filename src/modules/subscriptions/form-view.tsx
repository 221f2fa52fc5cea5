import type { FormState } from '../../platform/http/forms.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { Field, FormMessage, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { categoryName, categoryTree, findCategory, type Category } from '../catalogue/index.js';
import { provinceOptions } from '../companies/index.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import { keywordMaxLength, nameMaxLength } from './schema.js';
import { alertFrequencies } from './tables.js';

/** What the subscription form collects, for its just-in-time notice. */
export const subscriptionColumns: readonly CollectedColumn[] = [
  ['subscription', 'name'],
  ['subscription', 'keyword'],
  ['subscription', 'category_id'],
  ['subscription', 'province_code'],
  ['subscription', 'company_id'],
  ['subscription', 'alert_frequency'],
];

/** The company a form is limited to, named in the reader's language. */
export interface FormCompany {
  id: string;
  name: string;
}

/** An industry's categories below it, indented by depth so the level is heard and seen. */
function descendants(category: Category): Category[] {
  return category.children.flatMap((id) => {
    const child = findCategory(id);
    return child ? [child, ...descendants(child)] : [];
  });
}

/** Industries as option groups: the whole industry first, then its groups and leaves. */
function CategorySelect({ ctx, value, error }: { ctx: PageContext; value: string; error?: string }) {
  const id = 'field-category';
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t('subscriptions.form.category')}</label>
      <select id={id} name="category" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{ctx.t('subscriptions.form.anyCategory')}</option>
        {categoryTree().map((industry) => (
          <optgroup key={industry.id} label={categoryName(industry, ctx.locale)}>
            <option value={industry.id} selected={value === industry.id}>
              {ctx.t('subscriptions.form.allOf', { name: categoryName(industry, ctx.locale) })}
            </option>
            {descendants(industry).map((c) => (
              <option key={c.id} value={c.id} selected={value === c.id}>
                {`${'\u3000'.repeat(c.depth - 2)}${categoryName(c, ctx.locale)}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

function ProvinceSelect({ ctx, value, error }: { ctx: PageContext; value: string; error?: string }) {
  const id = 'field-province';
  const options = [...provinceOptions(ctx), { value: 'intl', label: ctx.t('subscriptions.criteria.international') }];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t('subscriptions.form.province')}</label>
      <select id={id} name="province" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">{ctx.t('subscriptions.form.anyProvince')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

/**
 * The form to create or edit a subscription: a name, the criteria (at least one) in a fieldset
 * that carries the "no criterion" error, the email frequency, and the just-in-time notice.
 */
export function SubscriptionForm(props: { ctx: PageContext; action: string; isNew: boolean; state: FormState; company: FormCompany | null; dataMap: DataMap }) {
  const { ctx, state, company } = props;
  const { t } = ctx;
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const frequency = (alertFrequencies as readonly string[]).includes(v.frequency ?? '') ? v.frequency : 'weekly';
  const criteriaError = e.criteria;
  return (
    <section class="card subscription-form">
      <p>
        <a href="/subscriptions">{t('subscriptions.form.back')}</a>
      </p>
      <h1>{t(props.isNew ? 'subscriptions.form.newTitle' : 'subscriptions.form.editTitle')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action={props.action} id="subscription-form">
        <Field ctx={ctx} name="name" label={t('subscriptions.form.name')} value={v.name ?? ''} error={e.name} maxLength={nameMaxLength}
          hint={t('subscriptions.form.nameHint', { max: nameMaxLength })} />
        <fieldset class={criteriaError ? 'field-error' : undefined} aria-describedby={criteriaError ? 'field-criteria-error' : undefined}>
          <legend>{t('subscriptions.form.criteria')}</legend>
          {criteriaError ? <p class="error-text" id="field-criteria-error">{t(criteriaError)}</p> : null}
          <Field ctx={ctx} name="keyword" label={t('subscriptions.form.keyword')} value={v.keyword ?? ''} error={e.keyword} maxLength={keywordMaxLength}
            hint={t('subscriptions.form.keywordHint', { max: keywordMaxLength })} />
          <CategorySelect ctx={ctx} value={v.category ?? ''} error={e.category} />
          <ProvinceSelect ctx={ctx} value={v.province ?? ''} error={e.province} />
          {company ? (
            <div class={e.companyId ? 'field field-error' : 'field'}>
              <label class="checkbox" for="field-companyId">
                <input id="field-companyId" type="checkbox" name="companyId" value={company.id} checked={v.companyId === company.id}
                  aria-describedby={e.companyId ? 'field-companyId-error' : undefined} />{' '}
                {t('subscriptions.form.company', { name: company.name })}
              </label>
              {e.companyId ? <p class="error-text" id="field-companyId-error">{t(e.companyId)}</p> : null}
            </div>
          ) : e.companyId ? (
            <p class="error-text" id="field-companyId-error">{t(e.companyId)}</p>
          ) : null}
        </fieldset>
        <fieldset aria-describedby="field-frequency-hint">
          <legend>{t('subscriptions.form.frequency')}</legend>
          {alertFrequencies.map((f) => (
            <label key={f} class="checkbox" for={`field-frequency-${f}`}>
              <input id={`field-frequency-${f}`} type="radio" name="frequency" value={f} checked={frequency === f} /> {t(`subscriptions.frequency.${f}`)}
            </label>
          ))}
          <p class="hint" id="field-frequency-hint">{t('subscriptions.form.frequencyHint')}</p>
          {e.frequency ? <p class="error-text">{t(e.frequency)}</p> : null}
        </fieldset>
        <JitNotice ctx={ctx} dataMap={props.dataMap} columns={subscriptionColumns} id="subscription-notice" />
        <button class="button" type="submit">{t(props.isNew ? 'subscriptions.form.submitNew' : 'subscriptions.form.submitEdit')}</button>
      </PostForm>
    </section>
  );
}
