import { createHash } from 'node:crypto';
import { locales, type Catalog, type Translate } from '../../platform/i18n/i18n.js';
import type { ColumnClass, DataMap } from '../../platform/privacy/data-map.js';

/**
 * The privacy statement's section generated from the data map, and the catalog keys that give
 * the map's category, purpose, basis and retention values their words in each language.
 */

/** Where the generated section goes in a privacy text; appended at the end when the line is absent. */
export const dataSectionMarker = '[[personal-data]]';
/** The id of the generated section's heading. */
export const dataSectionId = 'personal-data';

/** A catalog-safe key for a free-text data-map value. */
export function textSlug(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return slug || `x-${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/** The catalog keys of the words for each kind of data-map value. */
export const dataTextKey = {
  category: (category: string) => `legal.category.${category}`,
  categoryAbout: (category: string) => `legal.categoryAbout.${category}`,
  purpose: (purpose: string) => `legal.purpose.${textSlug(purpose)}`,
  basis: (basis: string) => `legal.basis.${basis}`,
  retention: (retention: string) => `legal.retention.${textSlug(retention)}`,
};

/** The anchor of a category's sub-section in the statement, e.g. `data-account-contact`. */
export function categoryAnchor(category: string): string {
  return `data-${category.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** Every personal column of the map. */
function personalColumns(dataMap: DataMap): ColumnClass[] {
  return Object.values(dataMap).flatMap((columns) => Object.values(columns).filter((c) => c.personal));
}

/** The categories of personal data the map declares, sorted so the generated text is stable. */
export function dataCategories(dataMap: DataMap): string[] {
  return [...new Set(personalColumns(dataMap).map((c) => c.category))].sort();
}

/** Every catalog key the personal columns of the map need. */
export function requiredTextKeys(dataMap: DataMap): string[] {
  const keys = new Set<string>();
  for (const c of personalColumns(dataMap)) {
    keys.add(dataTextKey.category(c.category));
    keys.add(dataTextKey.categoryAbout(c.category));
    keys.add(dataTextKey.purpose(c.purpose));
    keys.add(dataTextKey.basis(c.basis));
    keys.add(dataTextKey.retention(c.retention));
  }
  return [...keys].sort();
}

/**
 * The keys the map needs that some language of the catalog lacks, as `locale:key`.
 * @example missingDataTexts(dataMap, catalog) // [] when every value has words in both languages
 */
export function missingDataTexts(dataMap: DataMap, catalog: Catalog): string[] {
  const keys = requiredTextKeys(dataMap);
  return locales.flatMap((locale) => keys.filter((key) => !catalog[locale][key]).map((key) => `${locale}:${key}`));
}

/** One line of a category: a purpose with its basis, retention and whether it may be left out. */
export interface DataUse {
  purpose: string;
  basis: string;
  retention: string;
  optional: boolean;
  sensitive: boolean;
}

/** The distinct uses of each category among the given columns, in a stable order. */
export function usesByCategory(columns: ColumnClass[]): Map<string, DataUse[]> {
  const byCategory = new Map<string, Map<string, DataUse>>();
  for (const c of columns) {
    if (!c.personal) continue;
    const use: DataUse = { purpose: c.purpose, basis: c.basis, retention: c.retention, optional: c.optional ?? false, sensitive: c.sensitive };
    const key = JSON.stringify([use.purpose, use.basis, use.retention, use.optional, use.sensitive]);
    const uses = byCategory.get(c.category) ?? new Map<string, DataUse>();
    uses.set(key, use);
    byCategory.set(c.category, uses);
  }
  return new Map([...byCategory].map(([category, uses]) => [category, [...uses].sort(([a], [b]) => a.localeCompare(b)).map(([, use]) => use)]));
}

/** One use in words: purpose, legal basis, retention, required or optional. */
export function describeUse(t: Translate, use: DataUse): string {
  return t('legal.data.use', {
    purpose: t(dataTextKey.purpose(use.purpose)),
    basis: t(dataTextKey.basis(use.basis)),
    retention: t(dataTextKey.retention(use.retention)),
    optional: t(use.optional ? 'legal.data.optional' : 'legal.data.required'),
  }) + (use.sensitive ? t('legal.data.sensitive') : '');
}

/**
 * The generated section in the legal-text format: for each category, what it is, then each use
 * with its purpose, basis, retention and whether it is optional.
 */
export function generateDataSection(dataMap: DataMap, t: Translate): string {
  const uses = usesByCategory(personalColumns(dataMap));
  const lines = [`## ${t('legal.data.heading')} {#${dataSectionId}}`, t('legal.data.intro')];
  for (const category of dataCategories(dataMap)) {
    lines.push('', `### ${t(dataTextKey.category(category))} {#${categoryAnchor(category)}}`, t(dataTextKey.categoryAbout(category)));
    for (const use of uses.get(category) ?? []) lines.push(`- ${describeUse(t, use)}`);
  }
  return lines.join('\n');
}

/** Puts the generated section where the marker line is, or at the end of the text. */
export function insertDataSection(text: string, section: string): string {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => line.trim() === dataSectionMarker);
  if (at < 0) return `${text.trimEnd()}\n\n${section}\n`;
  return [...lines.slice(0, at), section, ...lines.slice(at + 1)].join('\n');
}
