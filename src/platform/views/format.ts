import type { PageContext } from './context.js';

/**
 * Instants as people in China read them: in Asia/Shanghai, in the page's language.
 * @example formatInstant(ctx, '2026-11-29T02:00:00.000Z') // '2026年11月29日 10:00'
 */
export function formatInstant(ctx: PageContext, iso: string): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

/** The day of an instant in Asia/Shanghai, without the time. */
export function formatDay(ctx: PageContext, iso: string): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}
