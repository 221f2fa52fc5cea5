import type { SearchParams } from './schema.js';

export type SearchLinkParams = SearchParams;

/**
 * The /search URL for the current parameters with some changed, keeping every other one. A new
 * filter, sort or type starts again at page 1; defaults are left out so links stay short, and
 * filters the other result type does not have are dropped.
 * @example searchHref(params, { province: '440000' }) // '/search?q=led&province=440000'
 */
export function searchHref(params: SearchLinkParams, changes: Partial<SearchLinkParams>): string {
  const next: Partial<SearchLinkParams> = { ...params, page: 1, ...changes };
  if (next.type === 'companies') {
    delete next.category;
    delete next.moq;
  } else {
    delete next.verified;
  }
  const query = new URLSearchParams();
  if (next.q) query.set('q', next.q);
  if (next.type === 'companies') query.set('type', 'companies');
  for (const key of ['category', 'province', 'moq', 'verified'] as const) {
    const value = next[key];
    if (value) query.set(key, value);
  }
  if (next.sort && next.sort !== 'relevance') query.set('sort', next.sort);
  if (next.page && next.page > 1) query.set('page', String(next.page));
  const search = query.toString();
  return search ? `/search?${search}` : '/search';
}

/** A category page URL, with the page number after the first. */
export function categoryHref(categoryId: string, page = 1): string {
  return `/categories/${encodeURIComponent(categoryId)}${page > 1 ? `?page=${page}` : ''}`;
}
