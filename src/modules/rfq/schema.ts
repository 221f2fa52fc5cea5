import { z } from 'zod';
import { currencies, maxPriceTiers, units } from '../products/index.js';

export { currencies, maxPriceTiers, units };

export const productNameMaxLength = 120;
export const specificationsMaxLength = 5000;
export const destinationMaxLength = 200;
export const quoteMessageMaxLength = 2000;

// Line breaks and tabs belong in a text; other control characters never come from a keyboard.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- a one-line field has no line breaks either
const lineBreaksOrControls = /[\u0000-\u001f\u007f]/;

/** Text as people type it: NFC, `\n` line endings, trimmed, within bounds, no control characters. */
const text = (options: { min: number; max: number; required: string; tooLong: string; oneLine?: boolean }) =>
  z
    .string({ error: options.required })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(options.min, options.required)
        .max(options.max, options.tooLong)
        .refine((v) => !(options.oneLine ? lineBreaksOrControls : controlCharacters).test(v), 'validation.controlCharacters'),
    );

/** A whole number typed in a form or sent as a number, within bounds. */
const integer = (min: number, max: number, key: string) =>
  z.union([z.number(), z.string()], { error: key }).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.normalize('NFKC').trim().replace(/[,，]/g, ''));
    if (typeof v === 'string' && v.trim() === '') {
      ctx.addIssue({ code: 'custom', message: key });
      return z.NEVER;
    }
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: key });
      return z.NEVER;
    }
    return n;
  });

/** A real calendar day written `YYYY-MM-DD` (so 2026-02-30 is not one); ranges are the service's. */
const calendarDate = (key: string) =>
  z
    .string({ error: key })
    .transform((v) => v.trim())
    .pipe(z.string().refine(isCalendarDate, key));

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** A buying request as the buyer sends it (form or API). */
export const rfqInput = z.object({
  productName: text({ min: 1, max: productNameMaxLength, required: 'rfq.error.productName', tooLong: 'rfq.error.productNameTooLong', oneLine: true }),
  categoryId: z
    .string({ error: 'rfq.error.category' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'rfq.error.category').max(80, 'rfq.error.category')),
  quantity: integer(1, 1_000_000_000, 'rfq.error.quantity'),
  unit: z.enum(units, { error: 'rfq.error.unit' }),
  specifications: text({ min: 1, max: specificationsMaxLength, required: 'rfq.error.specifications', tooLong: 'rfq.error.specificationsTooLong' }),
  destination: text({ min: 1, max: destinationMaxLength, required: 'rfq.error.destination', tooLong: 'rfq.error.destinationTooLong', oneLine: true }),
  deadline: calendarDate('rfq.error.deadline'),
});
export type RfqInput = z.output<typeof rfqInput>;

/** A price as traders write it: up to 9 digits and 2 decimals, above zero; kept as a decimal string. */
const price = z
  .union([z.number(), z.string()], { error: 'rfq.error.price' })
  .transform((v) => String(v).normalize('NFKC').trim().replace(/[,，]/g, ''))
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'rfq.error.price').refine((v) => Number(v) > 0, 'rfq.error.price'));

export const priceTier = z.object({ minQty: integer(1, 1_000_000_000, 'rfq.error.tierQuantity'), price });
export type PriceTier = z.output<typeof priceTier>;

/** A quote as the supplier sends it (form or API). */
export const quoteInput = z
  .object({
    /** The company quoting; needed only when the member belongs to several that may quote. */
    companyId: z
      .string({ error: 'rfq.error.company' })
      .optional()
      .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
      .pipe(z.uuid('rfq.error.company').optional()),
    currency: z.enum(currencies, { error: 'rfq.error.currency' }),
    priceTiers: z
      .array(priceTier, { error: 'rfq.error.priceRequired' })
      .min(1, 'rfq.error.priceRequired')
      .max(maxPriceTiers, 'rfq.error.tooManyTiers'),
    leadTimeDays: integer(1, 365, 'rfq.error.leadTime'),
    validUntil: calendarDate('rfq.error.validUntil'),
    message: text({ min: 0, max: quoteMessageMaxLength, required: 'validation.invalidType', tooLong: 'rfq.error.messageTooLong' }).optional().default(''),
  })
  .superRefine((v, ctx) => {
    for (let i = 1; i < v.priceTiers.length; i++) {
      if (v.priceTiers[i]!.minQty <= v.priceTiers[i - 1]!.minQty) {
        ctx.addIssue({ code: 'custom', path: ['priceTiers'], message: 'rfq.error.tierOrder' });
        break;
      }
    }
  });
export type QuoteInput = z.output<typeof quoteInput>;

/**
 * The flat fields of the quote form (`tier1Qty`, `tier1Price` …) gathered into the shape
 * `quoteInput` reads, so the form and the API share one schema.
 */
export function quoteFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!/^tier\d+/.test(key)) rest[key] = value;
  // A row counts when either of its fields holds something (anything but blank text goes to validation).
  const filled = (v: unknown) => v !== undefined && !(typeof v === 'string' && v.trim() === '');
  const tiers: { minQty: unknown; price: unknown }[] = [];
  for (let i = 1; i <= maxPriceTiers; i++) {
    const minQty = body[`tier${i}Qty`];
    const tierPrice = body[`tier${i}Price`];
    if (filled(minQty) || filled(tierPrice)) tiers.push({ minQty: minQty ?? '', price: tierPrice ?? '' });
  }
  return { ...rest, priceTiers: tiers };
}

const page = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);

export const pageQuery = z.object({ page });

/** The board's filters from a URL; anything odd falls back to no filter instead of failing. */
export const boardQuery = z.object({
  category: z.string().max(80).regex(/^[a-z0-9._-]+$/).optional().catch(undefined),
  page,
});
export type BoardQuery = z.output<typeof boardQuery>;

export const rfqParams = z.object({ id: z.uuid() });
export const quoteParams = z.object({ id: z.uuid(), quoteId: z.uuid() });
