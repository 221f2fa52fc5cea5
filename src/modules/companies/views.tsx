import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../../platform/http/errors.js';
import { Field, Notice, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { citiesOf, districtsOf, findRegion, provinces } from './regions.js';
import { countryCodes } from './schema.js';
import type { CompanyView, PublicCompany } from './service.js';
import type { CompanyStatus } from './tables.js';

export type { FormState, Values } from '../../platform/http/forms.js';
import type { FormState, Values } from '../../platform/http/forms.js';

function Message({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return state.message ? <Notice kind={state.messageKind ?? 'error'}>{ctx.t(state.message)}</Notice> : null;
}

export function regionName(ctx: PageContext, code: string | null): string {
  const region = code ? findRegion(code) : undefined;
  return region ? (ctx.locale === 'en' ? region.en : region.zh) : '';
}

/** City-level location: province and city, never the street. */
export function cityLevel(ctx: PageContext, c: { country: string; provinceCode: string | null; cityCode: string | null }): string {
  if (c.country !== 'CN') return new Intl.DisplayNames([ctx.locale], { type: 'region' }).of(c.country) ?? c.country;
  const province = regionName(ctx, c.provinceCode);
  const city = regionName(ctx, c.cityCode);
  return city && city !== province ? `${province} ${city}` : province;
}

/** Countries and regions by ISO 3166 code, named in the page language; mainland China first. */
export function countryOptions(ctx: PageContext) {
  const names = new Intl.DisplayNames([ctx.locale], { type: 'region' });
  const others = countryCodes
    .filter((code) => code !== 'CN')
    .map((code) => ({ value: code, label: names.of(code) ?? code }))
    .sort((a, b) => a.label.localeCompare(b.label, ctx.locale));
  return [{ value: 'CN', label: names.of('CN') ?? 'CN' }, ...others];
}

export function provinceOptions(ctx: PageContext) {
  return regionOptions(ctx, provinces());
}

function regionOptions(ctx: PageContext, list: readonly { code: string; zh: string; en: string }[]) {
  return list.map((r) => ({ value: r.code, label: ctx.locale === 'en' ? r.en : r.zh }));
}

/** The fields of 公司信息, shared by registration and the info page. */
export function CompanyInfoFields({ ctx, v, e }: { ctx: PageContext; v: Values; e: FieldErrors }) {
  const { t } = ctx;
  const emptyRegion = t('companies.hint.region');
  return (
    <>
      <Field ctx={ctx} name="nameZh" label={t('companies.field.nameZh')} value={v.nameZh} error={e.nameZh} required maxLength={200} />
      <Field ctx={ctx} name="nameEn" label={t('companies.field.nameEn')} value={v.nameEn} error={e.nameEn} maxLength={200} />
      <Field ctx={ctx} name="creditCode" label={t('companies.field.creditCode')} value={v.creditCode} error={e.creditCode}
        hint={t('companies.hint.creditCode')} required maxLength={24} />
      <Select ctx={ctx} name="country" label={t('companies.field.country')} value={v.country || 'CN'} error={e.country}
        empty={t('companies.error.country')} options={countryOptions(ctx)} />
      <fieldset class="region-select" data-region-select="">
        <legend>{t('companies.profile.location')}</legend>
        <Select ctx={ctx} name="provinceCode" label={t('companies.field.province')} value={v.provinceCode} error={e.provinceCode}
          empty={emptyRegion} options={regionOptions(ctx, provinces())} />
        <Select ctx={ctx} name="cityCode" label={t('companies.field.city')} value={v.cityCode} error={e.cityCode}
          empty={emptyRegion} options={regionOptions(ctx, v.provinceCode ? citiesOf(v.provinceCode) : [])} />
        <Select ctx={ctx} name="districtCode" label={t('companies.field.district')} value={v.districtCode} error={e.districtCode}
          empty={emptyRegion} options={regionOptions(ctx, v.cityCode ? districtsOf(v.cityCode) : [])} />
      </fieldset>
      <Field ctx={ctx} name="street" label={t('companies.field.street')} value={v.street} error={e.street} required maxLength={300} />
      <Field ctx={ctx} name="mainProducts" label={t('companies.field.mainProducts')} value={v.mainProducts} error={e.mainProducts}
        hint={t('companies.hint.mainProducts')} required maxLength={1000} />
      <TextArea ctx={ctx} name="description" label={t('companies.field.description')} value={v.description} error={e.description} maxLength={5000} />
    </>
  );
}

/** The fields of 联系信息, with the notice of who sees them and the authorisation check. */
export function ContactFields({ ctx, v, e }: { ctx: PageContext; v: Values; e: FieldErrors }) {
  const { t } = ctx;
  return (
    <>
      <p class="collection-notice">{t('companies.notice.contact')}</p>
      <Field ctx={ctx} name="contactPerson" label={t('companies.field.contactPerson')} value={v.contactPerson} error={e.contactPerson} required maxLength={100} />
      <div class={e.contactAuthorised ? 'field field-error' : 'field'}>
        <label class="checkbox" for="field-contactAuthorised">
          <input id="field-contactAuthorised" type="checkbox" name="contactAuthorised" value="on" checked={v.contactAuthorised === 'on'}
            aria-describedby={e.contactAuthorised ? 'field-contactAuthorised-error' : undefined} />
          <span>{t('companies.field.contactAuthorised')}</span>
        </label>
        {e.contactAuthorised ? <p class="error-text" id="field-contactAuthorised-error">{t(e.contactAuthorised)}</p> : null}
      </div>
      <Field ctx={ctx} name="contactEmail" type="email" label={t('companies.field.contactEmail')} value={v.contactEmail} error={e.contactEmail} required maxLength={254} />
      <Field ctx={ctx} name="contactMobile" type="tel" label={t('companies.field.contactMobile')} value={v.contactMobile} error={e.contactMobile} maxLength={20} />
      <Field ctx={ctx} name="phone" type="tel" label={t('companies.field.phone')} value={v.phone} error={e.phone} hint={t('companies.hint.phone')} required maxLength={40} />
      <Field ctx={ctx} name="fax" type="tel" label={t('companies.field.fax')} value={v.fax} error={e.fax} maxLength={40} />
    </>
  );
}

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: CompanyStatus }) {
  return <span class={`badge badge-${status}`}>{ctx.t(`companies.status.${status}`)}</span>;
}

export function ShopNav({ ctx, company, current }: { ctx: PageContext; company: CompanyView; current: 'info' | 'contact' | 'verification' | 'members' | 'products' | 'inquiries' }) {
  const tabs = [
    ['info', `/shop/${company.id}/info`, 'companies.nav.info'],
    ['contact', `/shop/${company.id}/contact`, 'companies.nav.contact'],
    ['verification', `/shop/${company.id}/verification`, 'companies.nav.verification'],
    ['members', `/shop/${company.id}/members`, 'companies.nav.members'],
    ['products', `/shop/${company.id}/products`, 'companies.nav.products'],
    ['inquiries', `/shop/${company.id}/inquiries/settings`, 'companies.nav.inquiries'],
  ] as const;
  return (
    <>
      <p>
        <strong>{company.nameZh}</strong> <StatusBadge ctx={ctx} status={company.status} />
      </p>
      <nav class="side-nav" aria-label={ctx.t('companies.nav.label')}>
        {tabs.map(([tab, href, label]) => (
          <a key={tab} href={href} aria-current={tab === current ? 'page' : undefined}>{ctx.t(label)}</a>
        ))}
      </nav>
    </>
  );
}

type Verification = Pick<PublicCompany, 'verified' | 'verifiedAt' | 'verifiedChecks'>;

/** When the company was verified and what the reviewer checked, in words. */
export function verificationDetail(ctx: PageContext, company: Verification): string {
  if (!company.verifiedAt) return '';
  const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(new Date(company.verifiedAt));
  const checks = company.verifiedChecks.map((c) => ctx.t(`companies.check.${c}`)).join(ctx.locale === 'en' ? ', ' : '、');
  return ctx.t('companies.badge.detail', { date, checks });
}

export function VerifiedBadge({ ctx, company }: { ctx: PageContext; company: Verification }) {
  if (!company.verified || !company.verifiedAt) return <span class="badge badge-draft">{ctx.t('companies.badge.unverified')}</span>;
  const detail = verificationDetail(ctx, company);
  return (
    <span class="badge badge-verified" title={detail || undefined}>
      ✓ {ctx.t('companies.badge.verified')}
      {detail ? <span class="visually-hidden">{detail}</span> : null}
    </span>
  );
}

export function Card({ children }: { children: ComponentChildren }) {
  return <section class="card">{children}</section>;
}

export function FormPage(props: { ctx: PageContext; title: string; state: FormState; action: string; nav?: ComponentChildren; children: ComponentChildren; submit: string }) {
  return (
    <section class="card">
      <h1>{props.title}</h1>
      {props.nav}
      <Message ctx={props.ctx} state={props.state} />
      <PostForm ctx={props.ctx} action={props.action}>
        {props.children}
        <button class="button" type="submit">{props.submit}</button>
      </PostForm>
    </section>
  );
}
