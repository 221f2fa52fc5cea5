import { z } from 'zod';
import { AppError } from '../../platform/http/errors.js';
import { incidentScopes } from './tables.js';

export const titleMaxLength = 200;
export const textMaxLength = 5000;
export const contactMaxLength = 200;
/** Login names or emails one incident may list. */
export const maxListedAccounts = 1000;
export const accountsMaxLength = maxListedAccounts * 80;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const lineControls = /[\u0000-\u001f\u007f]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An incident or update id as made by randomUUID. */
export const incidentId = z.string().regex(uuidPattern, 'incidents.error.id');

/** An id from the path; anything that is not one is simply not found. */
export function idParam(value: unknown): string {
  const parsed = incidentId.safeParse(value);
  if (!parsed.success) throw new AppError('NOT_FOUND');
  return parsed.data;
}

/** The day an instant falls on in Asia/Shanghai, as `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whether a value is a real calendar day written `YYYY-MM-DD` (so 2026-02-30 is not). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value && value >= '2000-01-01';
}

const text = (max: number, required: string, tooLong: string, multiline: boolean) =>
  z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, required)
        .max(max, tooLong)
        .refine((v) => !(multiline ? controlCharacters : lineControls).test(v), 'validation.controlCharacters'),
    );

const title = text(titleMaxLength, 'incidents.error.titleRequired', 'incidents.error.titleTooLong', false);
const long = text(textMaxLength, 'incidents.error.textRequired', 'incidents.error.textTooLong', true);

/** A form sends one checkbox as a string and several as an array; none at all is absent. */
const categoryList = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(100)], { error: 'incidents.error.categories' })
  .optional()
  .transform((v) => [...new Set(v === undefined ? [] : typeof v === 'string' ? [v] : v)])
  .pipe(z.array(z.string()).min(1, 'incidents.error.categoriesRequired'));

/** One login name or email per line; blank lines and repeats are dropped. */
const accountLines = z
  .string({ error: 'validation.invalidType' })
  .max(accountsMaxLength, 'incidents.error.accountsTooLong')
  .default('')
  .transform((v) => [...new Set(v.normalize('NFC').split(/\r\n?|\n/).map((line) => line.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(254, 'incidents.error.accountTooLong')).max(maxListedAccounts, 'incidents.error.accountsTooMany'));

/**
 * An incident as the staff form sends it: the texts in both languages, the day it was found (a
 * real day, not in the future), the categories of personal information involved, a contact
 * (empty for the privacy email), and who is affected.
 */
export const incidentInput = z
  .object({
    titleZh: title,
    titleEn: title,
    summaryZh: long,
    summaryEn: long,
    foundOn: z
      .string({ error: 'incidents.error.foundOn' })
      .trim()
      .refine(isCalendarDate, 'incidents.error.foundOn')
      .refine((v) => v <= shanghaiDay(new Date()), 'incidents.error.foundOnFuture'),
    categories: categoryList,
    consequencesZh: long,
    consequencesEn: long,
    measuresZh: long,
    measuresEn: long,
    selfHelpZh: long,
    selfHelpEn: long,
    contact: z
      .string({ error: 'validation.invalidType' })
      .trim()
      .max(contactMaxLength, 'incidents.error.contactTooLong')
      .refine((v) => !lineControls.test(v), 'validation.controlCharacters')
      .default(''),
    scope: z.enum(incidentScopes, { error: 'incidents.error.scope' }),
    accounts: accountLines,
  })
  .superRefine((input, ctx) => {
    if (input.scope === 'listed' && input.accounts.length === 0) ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'incidents.error.accountsRequired' });
  });
export type IncidentInput = z.infer<typeof incidentInput>;

/** A follow-up to a published incident, in both languages. */
export const updateInput = z.object({ bodyZh: long, bodyEn: long });
export type UpdateInput = z.infer<typeof updateInput>;

/** Which page of a list, 20 a page; a bad page number is page 1. */
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
