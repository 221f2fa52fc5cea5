import { z } from 'zod';
import { isCalendarDate } from './dates.js';
import { hasSectionHeading } from './markdown.js';
import { legalDocuments } from './tables.js';

/** Characters per language: room for a long statement, and the form stays under the body limit. */
export const textMaxLength = 20_000;

/** Control characters other than tab and newline have no place in a legal text (and PostgreSQL refuses NUL). */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f]/;

const legalText = z
  .string({ error: 'legal.error.textRequired' })
  .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'legal.error.textRequired')
      .max(textMaxLength, 'legal.error.textTooLong')
      .refine((v) => !controlCharacters.test(v), 'legal.error.textInvalid')
      .refine(hasSectionHeading, 'legal.error.headingRequired'),
  );

/** The draft form: the document in both languages. */
export const draftInput = z.object({ textZh: legalText, textEn: legalText });
export type DraftInput = z.infer<typeof draftInput>;

/** The publish form: the day the version takes effect, and whether it is a material change. */
export const publishInput = z
  .object({
    effectiveOn: z
      .string({ error: 'legal.error.date' })
      .trim()
      .refine(isCalendarDate, 'legal.error.date'),
    material: z.literal('on', { error: 'validation.invalid' }).optional(),
  })
  .transform((v) => ({ effectiveOn: v.effectiveOn, isMaterial: v.material === 'on' }));
export type PublishInput = z.output<typeof publishInput>;

export const documentParam = z.enum(legalDocuments);

const versionNumber = z.coerce.number().int().min(1).max(1_000_000);

/** Which versions to compare; either may be left out (then: the newest, and the one before it). */
export const compareQuery = z.object({
  from: versionNumber.optional().catch(undefined),
  to: versionNumber.optional().catch(undefined),
});

/** A stored page's file name, e.g. `v3.en.html`. */
export const storedPageName = /^v(\d{1,6})\.(zh-CN|en)\.html$/;

export const previewQuery = z.object({ saved: z.literal('1').optional().catch(undefined) });
