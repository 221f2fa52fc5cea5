import { z } from 'zod';

const clean = (v: string) => v.normalize('NFC').trim();

const optionalText = (max: number, key: string) =>
  z
    .string({ error: 'validation.invalidType' })
    .optional()
    .transform((v) => (v === undefined ? null : clean(v) || null))
    .pipe(z.string().max(max, key).nullable());

/** A list typed as one string separated by commas (either width), 、 or new lines, or sent as an array. */
const tagList = (maxTags: number, maxLength: number, key: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: 'validation.invalidType' })
    .optional()
    .transform((v) => [...new Set((Array.isArray(v) ? v : (v ?? '').split(/[,，、;；\n]/)).map(clean).filter(Boolean))])
    .pipe(z.array(z.string().max(maxLength, key)).max(maxTags, key));

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('1'), z.boolean(), z.literal('')])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1' || v === true);

const integer = (min: number, max: number, key: string) =>
  z.union([z.number(), z.string()], { error: 'validation.invalidType' }).transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(clean(v));
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: key });
      return z.NEVER;
    }
    return n;
  });

const optionalInteger = (min: number, max: number, key: string) =>
  z
    .union([z.number(), z.string()], { error: 'validation.invalidType' })
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || (typeof v === 'string' && clean(v) === '')) return null;
      const n = typeof v === 'number' ? v : Number(clean(v));
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: key });
        return z.NEVER;
      }
      return n;
    });

/** Units a quantity is counted in; labels come from the catalogs (`products.unit.<value>`). */
export const units = ['piece', 'set', 'pair', 'box', 'carton', 'bag', 'roll', 'meter', 'square-meter', 'cubic-meter', 'kilogram', 'ton', 'liter', 'container'] as const;
/** Incoterms 2020. */
export const incoterms = ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP'] as const;
export const currencies = ['CNY', 'USD'] as const;
export const maxPriceTiers = 4;
export const maxCustomAttributes = 10;
export const maxImages = 10;

/** A price as traders write it: up to 9 digits and 2 decimals, above zero; kept as a decimal string. */
const price = z
  .union([z.number(), z.string()], { error: 'validation.invalidType' })
  .transform((v) => clean(String(v)).replace(/[,，]/g, ''))
  .pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'products.error.price').refine((v) => Number(v) > 0, 'products.error.price'));

export const priceTier = z.object({ minQty: integer(1, 1_000_000_000, 'products.error.tierQuantity'), price });
export type PriceTier = z.output<typeof priceTier>;

export const customAttribute = z.object({
  name: z.string({ error: 'validation.invalidType' }).transform(clean).pipe(z.string().min(1, 'validation.required').max(40, 'products.error.attributeTooLong')),
  value: z.string({ error: 'validation.invalidType' }).transform(clean).pipe(z.string().min(1, 'validation.required').max(200, 'products.error.attributeTooLong')),
});

/**
 * A product as the supplier sends it (form or API). Attribute values are checked against the
 * category's template by the service, which knows the category.
 */
export const productInput = z
  .object({
    titleZh: optionalText(120, 'products.error.titleTooLong'),
    titleEn: optionalText(200, 'products.error.titleTooLong'),
    categoryId: z.string({ error: 'products.error.category' }).transform(clean).pipe(z.string().min(1, 'products.error.category').max(80, 'products.error.category')),
    attributes: z.record(z.string().max(40), z.union([z.string(), z.number()]).transform((v) => clean(String(v)))).optional().default({}),
    customAttributes: z.array(customAttribute).max(maxCustomAttributes, 'products.error.tooManyAttributes').optional().default([]),
    moq: integer(1, 1_000_000_000, 'products.error.moq'),
    unit: z.enum(units, { error: 'products.error.unit' }),
    currency: z.enum(currencies, { error: 'products.error.currency' }).default('CNY'),
    priceNegotiable: checkbox,
    priceTiers: z.array(priceTier).max(maxPriceTiers, 'products.error.tooManyTiers').optional().default([]),
    leadTimeDays: optionalInteger(1, 365, 'products.error.leadTime'),
    packaging: optionalText(500, 'products.error.packagingTooLong'),
    port: optionalText(100, 'products.error.portTooLong'),
    incoterms: z
      .union([z.enum(incoterms), z.array(z.enum(incoterms))], { error: 'products.error.incoterms' })
      .optional()
      .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])]),
    hsCode: z
      .string({ error: 'validation.invalidType' })
      .optional()
      .transform((v) => (v ?? '').replace(/[\s.]/g, '') || null)
      .pipe(z.string().regex(/^\d{6,10}$/, 'products.error.hsCode').nullable()),
    certifications: tagList(10, 40, 'products.error.certifications'),
    description: z.string({ error: 'validation.invalidType' }).max(20_000, 'products.error.descriptionTooLong').optional().default(''),
  })
  .superRefine((v, ctx) => {
    if (!v.titleZh && !v.titleEn) ctx.addIssue({ code: 'custom', path: ['titleZh'], message: 'products.error.titleRequired' });
    if (!v.priceNegotiable && v.priceTiers.length === 0) ctx.addIssue({ code: 'custom', path: ['priceTiers'], message: 'products.error.priceRequired' });
    for (let i = 1; i < v.priceTiers.length; i++) {
      if (v.priceTiers[i]!.minQty <= v.priceTiers[i - 1]!.minQty) {
        ctx.addIssue({ code: 'custom', path: ['priceTiers'], message: 'products.error.tierOrder' });
        break;
      }
    }
  });
export type ProductInput = z.output<typeof productInput>;

/**
 * The flat fields of the HTML form (`attr.material`, `tier1Qty`, `custom1Name` …) gathered into
 * the shape `productInput` reads, so the form and the API share one schema.
 */
export function fromForm(body: Record<string, unknown>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const tiers: { minQty: unknown; price: unknown }[] = [];
  const custom: { name: unknown; value: unknown }[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('attr.')) {
      if (typeof value === 'string' && value.trim() !== '') attributes[key.slice(5)] = value;
    } else if (!/^(tier|custom)\d+/.test(key)) rest[key] = value;
  }
  // A row counts when either of its fields holds something (anything but blank text goes to validation).
  const filled = (v: unknown) => v !== undefined && !(typeof v === 'string' && v.trim() === '');
  for (let i = 1; i <= maxPriceTiers; i++) {
    const minQty = body[`tier${i}Qty`];
    const tierPrice = body[`tier${i}Price`];
    if (filled(minQty) || filled(tierPrice)) tiers.push({ minQty, price: tierPrice });
  }
  for (let i = 1; i <= maxCustomAttributes; i++) {
    const name = body[`custom${i}Name`];
    const value = body[`custom${i}Value`];
    if (filled(name) || filled(value)) custom.push({ name: name ?? '', value: value ?? '' });
  }
  return { ...rest, attributes, priceTiers: tiers, customAttributes: custom };
}

export const listQuery = z.object({
  status: z.enum(['draft', 'published', 'unpublished']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

/** Search parameters from a URL; anything odd falls back to a default instead of failing. */
export const searchQuery = z.object({
  q: z.string().max(10_000).catch('').default(''),
  type: z.enum(['products', 'companies']).catch('products').default('products'),
  category: z.string().max(80).regex(/^[a-z0-9._-]+$/).optional().catch(undefined),
  province: z.string().regex(/^(\d{2,12}|intl)$/).optional().catch(undefined),
  verified: z.enum(['1']).optional().catch(undefined),
  moq: z.enum(['1-10', '11-100', '101-1000', '1000+']).optional().catch(undefined),
  sort: z.enum(['relevance', 'newest']).catch('relevance').default('relevance'),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});
export type SearchParams = z.output<typeof searchQuery>;

/** The MOQ bucket a product's minimum order falls in (a search facet). */
export function moqBucket(moq: number): NonNullable<SearchParams['moq']> {
  if (moq <= 10) return '1-10';
  if (moq <= 100) return '11-100';
  if (moq <= 1000) return '101-1000';
  return '1000+';
}
