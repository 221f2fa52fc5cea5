import { getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';
import { email as emailSchema, mobile as mobileSchema } from '../accounts/schema.js';
import { creditCode } from './credit-code.js';
import { optionalPhone, phone } from './phone.js';
import { findRegion } from './regions.js';

const text = (max: number, key: string) =>
  z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(z.string().min(1, 'validation.required').max(max, key));

const optionalText = (max: number, key: string) =>
  z
    .string({ error: 'validation.invalidType' })
    .optional()
    .transform((v) => v?.normalize('NFC').trim() || null)
    .pipe(z.string().max(max, key).nullable());

/** ISO 3166 codes of the countries and regions a company may be in (those with telephone plans). */
export const countryCodes: readonly string[] = getCountries();

/** Main products as tags: typed separated by commas (either width) or 、, 1–20 tags of ≤ 40 characters. */
export const mainProducts = z
  .union([z.string(), z.array(z.string())], { error: 'validation.invalidType' })
  .transform((v) =>
    [...new Set((Array.isArray(v) ? v : v.split(/[,，、;；\n]/)).map((t) => t.normalize('NFC').trim()).filter(Boolean))],
  )
  .pipe(
    z
      .array(z.string().max(40, 'companies.error.tagTooLong'))
      .min(1, 'companies.error.mainProductsRequired')
      .max(20, 'companies.error.tooManyTags'),
  );

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.boolean(), z.literal('')])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

/** 公司信息: what identifies and describes the company. */
export const companyInfo = z
  .object({
    nameZh: text(200, 'companies.error.nameTooLong'),
    nameEn: optionalText(200, 'companies.error.nameTooLong'),
    creditCode,
    country: z
      .string({ error: 'validation.invalidType' })
      .transform((v) => v.trim().toUpperCase())
      .pipe(z.string().refine((v) => countryCodes.includes(v), 'companies.error.country')),
    provinceCode: optionalText(12, 'companies.error.region'),
    cityCode: optionalText(12, 'companies.error.region'),
    districtCode: optionalText(12, 'companies.error.region'),
    street: text(300, 'companies.error.streetTooLong'),
    mainProducts,
    description: text(5000, 'companies.error.descriptionTooLong'),
  })
  .superRefine((v, ctx) => {
    if (v.country !== 'CN') return;
    // For China the address is a province → city → district chain from the official list.
    const province = v.provinceCode ? findRegion(v.provinceCode) : undefined;
    const city = v.cityCode ? findRegion(v.cityCode) : undefined;
    const district = v.districtCode ? findRegion(v.districtCode) : undefined;
    if (province?.level !== 'province') ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: 'companies.error.region' });
    else if (city?.level !== 'city' || city.parent !== province.code) ctx.addIssue({ code: 'custom', path: ['cityCode'], message: 'companies.error.region' });
    else if (district && (district.level !== 'district' || district.parent !== city.code)) {
      ctx.addIssue({ code: 'custom', path: ['districtCode'], message: 'companies.error.region' });
    }
  });
export type CompanyInfo = z.output<typeof companyInfo>;

/** 联系信息: how trade partners and staff reach the company. */
export const contactInfo = z.object({
  contactPerson: text(100, 'accounts.error.contactPersonTooLong'),
  contactEmail: emailSchema,
  contactMobile: z
    .string({ error: 'validation.invalidType' })
    .optional()
    .transform((v) => v?.trim() ?? '')
    .pipe(z.union([z.literal('').transform(() => null), mobileSchema])),
  phone,
  fax: optionalPhone,
  /** Ticked when the contact person is someone else: the registrant has their authorisation. */
  contactAuthorised: checkbox,
});
export type ContactInfo = z.output<typeof contactInfo>;

export const registration = z.intersection(companyInfo, contactInfo);
export type CompanyRegistration = z.output<typeof registration>;

export const reviewDecision = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    checks: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.enum(['licence', 'creditCode', 'name', 'address'])).min(1, 'companies.error.checksRequired')),
  }),
  z.object({
    decision: z.literal('reject'),
    reason: text(1000, 'companies.error.reasonTooLong'),
  }),
], { error: 'companies.error.decision' });

export const joinRequest = z.object({ creditCode });

export const directoryQuery = z.object({
  province: z.string().regex(/^\d{2,12}$/).optional().catch(undefined),
  verified: z.enum(['1']).optional().catch(undefined),
  product: z.string().max(40).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
