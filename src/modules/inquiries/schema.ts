import { z } from 'zod';
import { units } from '../products/index.js';
import { handlerModes, noticeFrequencies, reportReasons } from './tables.js';

export const subjectMaxLength = 200;
export const messageMaxLength = 5000;
export const detailsMaxLength = 1000;
export const searchMaxLength = 100;
export const maxQuantity = 1_000_000_000;
export const currencies = ['CNY', 'USD'] as const;

// Line breaks and tabs belong in a message; other control characters never come from a keyboard.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- a one-line text has no line breaks either
const lineControlCharacters = /[\u0000-\u001f\u007f]/;

const clean = (v: string) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim();

/** A message body: line endings as `\n`, NFC, trimmed, 1 to 5,000 characters. */
const messageText = z
  .string({ error: 'inquiries.error.messageRequired' })
  .transform(clean)
  .pipe(
    z
      .string()
      .min(1, 'inquiries.error.messageRequired')
      .max(messageMaxLength, 'inquiries.error.messageTooLong')
      .refine((v) => !controlCharacters.test(v), 'validation.controlCharacters'),
  );

const subject = z
  .string({ error: 'inquiries.error.subjectRequired' })
  .transform(clean)
  .pipe(
    z
      .string()
      .min(1, 'inquiries.error.subjectRequired')
      .max(subjectMaxLength, 'inquiries.error.subjectTooLong')
      .refine((v) => !lineControlCharacters.test(v), 'validation.controlCharacters'),
  );

const quantity = z.union([z.number(), z.string()], { error: 'inquiries.error.quantity' }).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(clean(v).replace(/[,，]/g, ''));
  if ((typeof v === 'string' && clean(v) === '') || !Number.isInteger(n) || n < 1 || n > maxQuantity) {
    ctx.addIssue({ code: 'custom', message: 'inquiries.error.quantity' });
    return z.NEVER;
  }
  return n;
});

/** A price as traders write it: up to 9 digits and 2 decimals, above zero; empty for none. */
const targetPrice = z
  .union([z.number(), z.string()], { error: 'inquiries.error.targetPrice' })
  .optional()
  .transform((v) => (v === undefined ? '' : clean(String(v)).replace(/[,，]/g, '')))
  .pipe(
    z
      .string()
      .refine((v) => v === '' || (/^\d{1,9}(\.\d{1,2})?$/.test(v) && Number(v) > 0), 'inquiries.error.targetPrice')
      .transform((v) => v || null),
  );

const uuid = (message: string) => z.string({ error: message }).trim().pipe(z.uuid(message));
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(z.uuid(message).optional());

/**
 * A new inquiry from the form or the API: to a product (whose company receives it) or to a
 * company. Attachments come only with the form and are checked apart.
 */
export const inquiryInput = z
  .object({
    productId: optionalId('inquiries.error.target'),
    companyId: optionalId('inquiries.error.target'),
    subject,
    message: messageText,
    quantity,
    unit: z.enum(units, { error: 'inquiries.error.unit' }),
    targetPrice,
    currency: z.enum(currencies, { error: 'inquiries.error.currency' }).optional(),
  })
  .refine((v) => v.productId !== undefined || v.companyId !== undefined, { message: 'inquiries.error.target', path: ['companyId'] });
export type InquiryInput = z.output<typeof inquiryInput>;

/** A reply in a thread. */
export const replyInput = z.object({ message: messageText });
export type ReplyInput = z.output<typeof replyInput>;

export const reportInput = z.object({
  reason: z.enum(reportReasons, { error: 'inquiries.error.reportReason' }),
  details: z
    .string({ error: 'validation.invalidType' })
    .optional()
    .transform((v) => (v === undefined ? null : clean(v) || null))
    .pipe(
      z
        .string()
        .max(detailsMaxLength, 'inquiries.error.detailsTooLong')
        .refine((v) => !controlCharacters.test(v), 'validation.controlCharacters')
        .nullable(),
    ),
});
export type ReportInput = z.output<typeof reportInput>;

export const archiveInput = z.object({
  archived: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], { error: 'validation.invalidType' })
    .optional()
    .transform((v) => v === undefined || v === true || v === 'true' || v === '1'),
});

export const preferenceInput = z.object({
  frequency: z.enum(noticeFrequencies, { error: 'inquiries.error.frequency' }),
});
export type PreferenceInput = z.output<typeof preferenceInput>;

/** Who handles a company's inquiries; `members` are account ids, used when the mode is `named`. */
export const handlersInput = z.object({
  mode: z.enum(handlerModes, { error: 'inquiries.error.handlerMode' }),
  members: z
    .union([z.string(), z.array(z.string())], { error: 'validation.invalidType' })
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.uuid('inquiries.error.handlerMember')).max(500, 'inquiries.error.handlerMember')),
});
export type HandlersInput = z.output<typeof handlersInput>;

const page = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);

/** The message centre's list: a side, inbox or archive, an optional search, a page. */
export const listQuery = z.object({
  box: z.enum(['buyer', 'supplier']).catch('buyer').default('buyer'),
  archived: z
    .enum(['0', '1'])
    .catch('0')
    .default('0')
    .transform((v) => v === '1'),
  q: z
    .string()
    .catch('')
    .default('')
    .transform((v) => v.normalize('NFC').trim().slice(0, searchMaxLength)),
  page,
});
export type ListQuery = z.output<typeof listQuery>;

export const pageQuery = z.object({ page });
export const threadParams = z.object({ id: uuid('validation.invalid') });
export const companyParams = z.object({ id: uuid('validation.invalid') });
export const newInquiryQuery = z.object({ product: z.uuid().optional().catch(undefined), company: z.uuid().optional().catch(undefined) });
