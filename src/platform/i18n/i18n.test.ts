import { describe, expect, it } from 'vitest';
import { makeTranslator, mergeCatalogs, pickLocale, type Catalog } from './i18n.js';
import { platformMessages } from './messages.js';
import { accountsMessages } from '../../modules/accounts/messages.js';
import { siteMessages } from '../../modules/site/messages.js';
import { catalog } from '../../messages.js';

const owners: [string, Catalog][] = [
  ['platform', platformMessages],
  ['accounts', accountsMessages],
  ['site', siteMessages],
];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it.each(owners)('%s has the same keys in zh-CN and en', (_owner, catalog) => {
    const zh = Object.keys(catalog['zh-CN']).sort();
    const en = Object.keys(catalog.en).sort();
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.length).toBeGreaterThan(10);
  });

  it.each(owners)('%s uses the same placeholders in both languages', (_owner, catalog) => {
    for (const [key, text] of Object.entries(catalog['zh-CN'])) {
      expect({ key, placeholders: placeholders(catalog.en[key] ?? '') }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it('has every key of every owner in both languages, with the same placeholders', () => {
    const zh = Object.keys(catalog['zh-CN']);
    const en = Object.keys(catalog.en);
    expect(zh.filter((k) => !(k in catalog.en))).toEqual([]);
    expect(en.filter((k) => !(k in catalog['zh-CN']))).toEqual([]);
    const mismatched = zh.filter((k) => placeholders(catalog['zh-CN'][k]!).join() !== placeholders(catalog.en[k] ?? '').join());
    expect(mismatched).toEqual([]);
    expect(zh.length).toBeGreaterThan(300);
  });

  it('refuses a key defined by two owners', () => {
    const a: Catalog = { 'zh-CN': { x: '一' }, en: { x: 'one' } };
    expect(() => mergeCatalogs([a, a])).toThrow(/defined twice/);
  });

  it('fills placeholders and shows a missing key as itself', () => {
    const t = makeTranslator(mergeCatalogs(owners.map(([, c]) => c)), 'en');
    expect(t('site.myAccount', { name: 'Li' })).toBe('My Silkline (Li)');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});

describe('pickLocale', () => {
  it.each([
    [undefined, undefined, 'zh-CN'],
    [undefined, 'en-GB,en;q=0.9', 'en'],
    [undefined, 'fr-FR,en;q=0.8,zh;q=0.9', 'zh-CN'],
    [undefined, 'de-DE', 'zh-CN'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-US', 'zh-CN'],
    ['xx', 'en', 'en'],
    [undefined, 'en;q=abc,,;;', 'en'],
    [undefined, ';;,q=0', 'zh-CN'],
  ])('cookie %s and Accept-Language %s give %s', (cookie, header, expected) => {
    expect(pickLocale(cookie, header)).toBe(expected);
  });
});
