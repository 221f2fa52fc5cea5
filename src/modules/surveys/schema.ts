import { z } from 'zod';
import { AppError } from '../../platform/http/errors.js';
import { questionKinds } from './tables.js';

export const titleMaxLength = 200;
export const introMaxLength = 2000;
export const promptMaxLength = 500;
export const optionMaxLength = 200;
export const maxOptions = 20;
export const maxQuestions = 50;
export const textAnswerMaxLength = 2000;

// Line breaks and tabs belong in longer text; other control characters never come from a keyboard.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Titles, prompts and options are one line each.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const lineControls = /[\u0000-\u001f\u007f]/;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A survey or question id as made by randomUUID. */
export const surveyId = z.string().regex(uuidPattern, 'surveys.error.id');

/** An id from the path; anything that is not one is simply not found. */
export function idParam(value: unknown): string {
  const parsed = surveyId.safeParse(value);
  if (!parsed.success) throw new AppError('NOT_FOUND');
  return parsed.data;
}

const text = (max: number, tooLong: string, options: { min?: number; empty?: string; multiline?: boolean } = {}) =>
  z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(options.min ?? 0, options.empty ?? 'validation.required')
        .max(max, tooLong)
        .refine((v) => !(options.multiline ? controlCharacters : lineControls).test(v), 'validation.controlCharacters'),
    );

/** A survey's title and introduction in both languages. */
export const surveyInput = z.object({
  titleZh: text(titleMaxLength, 'surveys.error.titleTooLong', { min: 1, empty: 'surveys.error.titleRequired' }),
  titleEn: text(titleMaxLength, 'surveys.error.titleTooLong', { min: 1, empty: 'surveys.error.titleRequired' }),
  introZh: text(introMaxLength, 'surveys.error.introTooLong', { multiline: true }).default(''),
  introEn: text(introMaxLength, 'surveys.error.introTooLong', { multiline: true }).default(''),
});
export type SurveyInput = z.infer<typeof surveyInput>;

/** One option per line; blank lines are dropped. */
const optionLines = z
  .string({ error: 'validation.invalidType' })
  .max(maxOptions * (optionMaxLength + 2), 'surveys.error.optionsTooLong')
  .transform((v) =>
    v
      .normalize('NFC')
      .split(/\r\n?|\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .default([]);

/**
 * A question as the staff form sends it: its kind, prompt in both languages, whether it must be
 * answered, and for the choice kinds its options one per line in each language (the same count).
 */
export const questionInput = z
  .object({
    kind: z.enum(questionKinds, { error: 'surveys.error.kind' }),
    promptZh: text(promptMaxLength, 'surveys.error.promptTooLong', { min: 1, empty: 'surveys.error.promptRequired' }),
    promptEn: text(promptMaxLength, 'surveys.error.promptTooLong', { min: 1, empty: 'surveys.error.promptRequired' }),
    isRequired: z.literal('on', { error: 'validation.invalidType' }).optional().transform((v) => v === 'on'),
    optionsZh: optionLines,
    optionsEn: optionLines,
  })
  .superRefine((q, ctx) => {
    if (q.kind !== 'single' && q.kind !== 'multiple') return;
    for (const field of ['optionsZh', 'optionsEn'] as const) {
      const lines = q[field];
      if (lines.length < 2) ctx.addIssue({ code: 'custom', path: [field], message: 'surveys.error.optionsTooFew' });
      else if (lines.length > maxOptions) ctx.addIssue({ code: 'custom', path: [field], message: 'surveys.error.optionsTooMany' });
      else if (lines.some((l) => l.length > optionMaxLength || lineControls.test(l))) ctx.addIssue({ code: 'custom', path: [field], message: 'surveys.error.optionTooLong' });
    }
    if (q.optionsZh.length !== q.optionsEn.length) ctx.addIssue({ code: 'custom', path: ['optionsEn'], message: 'surveys.error.optionsMismatch' });
  })
  .transform((q) => ({
    kind: q.kind,
    promptZh: q.promptZh,
    promptEn: q.promptEn,
    isRequired: q.isRequired,
    // Only choice questions have options; a rating or text question keeps none.
    options: q.kind === 'single' || q.kind === 'multiple' ? q.optionsZh.map((zh, i) => ({ zh, en: q.optionsEn[i]! })) : [],
  }));
export type QuestionInput = z.infer<typeof questionInput>;

/** Moving a question one place up or down in a draft. */
export const moveInput = z.object({ direction: z.enum(['up', 'down'], { error: 'surveys.error.direction' }) });

/** One answer as sent: an option index, option indexes, a rating, or a text (forms send strings). */
const answerValue = z.union([
  z.string().max(textAnswerMaxLength * 2, 'surveys.error.textTooLong'),
  z.number(),
  z.array(z.union([z.string().max(10), z.number()])).max(maxOptions, 'surveys.error.invalidChoice'),
]);

/** A person's answers by question id; the survey's questions decide what each must be. */
export const answersInput = z.object({
  answers: z
    .record(surveyId, answerValue, { error: 'surveys.error.answers' })
    .refine((a) => Object.keys(a).length <= maxQuestions, 'surveys.error.answers'),
});
export type AnswersInput = z.infer<typeof answersInput>;
export type AnswerValue = z.infer<typeof answerValue>;

/** Which page of a list, 20 a page; a bad page number is page 1. */
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });

/** The text that goes into a CSV cell or a text answer may not carry control characters. */
export function hasControlCharacters(value: string): boolean {
  return controlCharacters.test(value);
}
