import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { categoryName, findCategory } from '../catalogue/index.js';
import { provinces } from '../companies/index.js';
import type { ProductCriteria } from '../products/index.js';
import type { SubscriptionTable } from './tables.js';

/** What describes a subscription's criteria: the row's or an input's, with the company's names. */
export interface CriteriaSummary {
  keyword: string | null;
  categoryId: string | null;
  provinceCode: string | null;
  companyId: string | null;
  company: { nameZh: string; nameEn: string | null } | null;
}

export function criteriaOf(row: Pick<SubscriptionTable, 'keyword' | 'categoryId' | 'provinceCode' | 'companyId'>): ProductCriteria {
  return { keyword: row.keyword, categoryId: row.categoryId, provinceCode: row.provinceCode, companyId: row.companyId };
}

/** The province's name in the reader's language, or the words for "outside mainland China". */
export function provinceLabel(t: Translate, locale: Locale, code: string): string {
  if (code === 'intl') return t('subscriptions.criteria.international');
  const province = provinces().find((p) => p.code === code);
  return province ? (locale === 'en' ? province.en : province.zh) : code;
}

/** The criteria as short phrases in the reader's language: the default name, and list summaries. */
export function describeCriteria(
  t: Translate,
  locale: Locale,
  s: CriteriaSummary,
): string[] {
  const category = s.categoryId ? findCategory(s.categoryId) : undefined;
  return [
    s.keyword ? t('subscriptions.criteria.keyword', { keyword: s.keyword }) : '',
    category ? categoryName(category, locale) : '',
    s.provinceCode ? provinceLabel(t, locale, s.provinceCode) : '',
    s.companyId ? (s.company ? (locale === 'en' ? s.company.nameEn ?? s.company.nameZh : s.company.nameZh) : t('subscriptions.criteria.goneCompany')) : '',
  ].filter(Boolean);
}

