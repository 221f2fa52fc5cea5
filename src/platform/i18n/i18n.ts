export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';
export const localeCookie = 'lang';

/** One owner's messages: the same keys in every locale. */
export type Catalog = Record<Locale, Record<string, string>>;

export type Params = Record<string, string | number>;
export type Translate = (key: string, params?: Params) => string;

/** Merges owners' catalogs into one per locale, refusing a key defined twice. */
export function mergeCatalogs(catalogs: Catalog[]): Catalog {
  const merged: Catalog = { 'zh-CN': {}, en: {} };
  for (const catalog of catalogs) {
    for (const locale of locales) {
      for (const [key, text] of Object.entries(catalog[locale])) {
        if (key in merged[locale]) throw new Error(`Message ${key} is defined twice (${locale})`);
        merged[locale][key] = text;
      }
    }
  }
  return merged;
}

/**
 * Makes `t(key, params)` for a locale; `{name}` in a message is replaced by `params.name`.
 * A missing key renders as the key itself so the gap is visible, never as a crash.
 * @example makeTranslator(catalog, 'en')('error.NOT_FOUND')
 */
export function makeTranslator(catalog: Catalog, locale: Locale): Translate {
  const messages = catalog[locale];
  const fallback = catalog[defaultLocale];
  return (key, params) => {
    const text = messages[key] ?? fallback[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/**
 * Chooses the locale: the preference cookie first, then the best Accept-Language match, then zh-CN.
 * @example pickLocale(undefined, 'en-GB,en;q=0.9') // 'en'
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  if (!acceptLanguage) return defaultLocale;
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return defaultLocale;
}
