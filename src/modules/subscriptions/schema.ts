import { z } from 'zod';
import { queryTokens } from '../../platform/search/analyzer.js';
import { findCategory } from '../catalogue/index.js';
import { provinces } from '../companies/index.js';
import { alertFrequencies, subscriptionStatuses } from './tables.js';

export const nameMaxLength = 60;
export const keywordMaxLength = 100;

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f]/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Free text on one line: NFC, runs of spaces as one, trimmed; empty is "not given" (null). */
function optionalText(max: number, tooLong: string) {
  return z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').replace(/[ \t\u3000]+/g, ' ').trim())
    .pipe(z.string().max(max, tooLong).refine((v) => !controlCharacters.test(v), 'validation.controlCharacters'))
    .transform((v) => v || null)
    .nullable()
    .optional()
    .transform((v) => v ?? null);
}

/** A chosen value among a fixed set; '' and null mean "any". */
function optionalChoice(isKnown: (value: string) => boolean, error: string) {
  return z
    .string({ error })
    .max(80, error)
    .refine((v) => v === '' || isKnown(v), error)
    .nullable()
    .optional()
    .transform((v) => v || null);
}

const provinceCodes = new Set(provinces().map((p) => p.code));

/** Whether a value is one of the search facet `p`'s: a mainland province code, or `intl`. */
export const isProvinceFacet = (value: string) => value === 'intl' || provinceCodes.has(value);

const criteria = {
  name: optionalText(nameMaxLength, 'subscriptions.error.nameTooLong'),
  keyword: optionalText(keywordMaxLength, 'subscriptions.error.keywordTooLong').refine(
    (v) => v === null || queryTokens(v).length > 0,
    'subscriptions.error.keywordUnsearchable',
  ),
  category: optionalChoice((v) => /^[a-z0-9._-]{1,80}$/.test(v) && findCategory(v) !== undefined, 'subscriptions.error.category'),
  province: optionalChoice(isProvinceFacet, 'subscriptions.error.province'),
  companyId: optionalChoice((v) => uuidPattern.test(v), 'subscriptions.error.company'),
  frequency: z.enum(alertFrequencies, { error: 'subscriptions.error.frequency' }).default('weekly'),
};

/** A subscription as the API takes it: at least one criterion, a name and how often to email. */
export const subscriptionInput = z.object(criteria).superRefine((v, ctx) => {
  if (!v.keyword && !v.category && !v.province && !v.companyId) {
    ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'subscriptions.error.noCriteria' });
  }
});
export type SubscriptionInput = z.output<typeof subscriptionInput>;

/** A change through the API: the whole subscription again, and optionally paused or resumed. */
export const subscriptionUpdate = z
  .object({ ...criteria, status: z.enum(subscriptionStatuses, { error: 'subscriptions.error.status' }).optional() })
  .superRefine((v, ctx) => {
    if (!v.keyword && !v.category && !v.province && !v.companyId) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'subscriptions.error.noCriteria' });
    }
  });
export type SubscriptionUpdate = z.output<typeof subscriptionUpdate>;

/** What the "subscribe to this search" button and links pre-fill; anything odd is left empty. */
export const prefillQuery = z.object({
  keyword: z.string().max(keywordMaxLength * 2).catch('').default(''),
  category: z.string().max(80).catch('').default(''),
  province: z.string().max(12).catch('').default(''),
  companyId: z.string().regex(uuidPattern).optional().catch(undefined),
});

/** A subscription id in a URL. */
export const subscriptionParams = z.object({ id: z.string().regex(uuidPattern, 'error.NOT_FOUND') });

/** A page of a list; a bad page number is page 1. */
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(1000).catch(1).default(1) });

/**
 * An unsubscribe token: a subscription id (or `all-` and an account id, for every alert of the
 * person), a dot and 43 characters of base64url (HMAC-SHA256).
 */
export const unsubscribeToken = z.string().regex(/^(all-)?[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
