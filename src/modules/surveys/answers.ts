import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { AppError, type FieldErrors } from '../../platform/http/errors.js';
import { hasControlCharacters, textAnswerMaxLength, type AnswerValue } from './schema.js';
import type { QuestionKind, SurveyAnswerTable } from './tables.js';

/** A question as the rules and pages see it. */
export interface QuestionView {
  id: string;
  position: number;
  kind: QuestionKind;
  promptZh: string;
  promptEn: string;
  isRequired: boolean;
  options: { zh: string; en: string }[];
}

/** The field a question's answer has in forms and in the API's field errors. */
export function answerField(questionId: string): string {
  return `answers.${questionId}`;
}

/** An option index or rating as sent: a whole number, or its digits as a form sends them. */
function wholeNumber(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  return /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** Whether nothing was given: no key, an empty string, or an empty list. */
function isBlank(value: AnswerValue | undefined): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

type Row = Omit<Insertable<SurveyAnswerTable>, 'responseId' | 'surveyId'>;

/** The rows of one answer, or the message key of what is wrong with it. */
function rowsOf(question: QuestionView, value: AnswerValue): Row[] | string {
  const base = { questionId: question.id, optionIndex: null, rating: null, textValue: null };
  switch (question.kind) {
    case 'single': {
      const one = Array.isArray(value) ? (value.length === 1 ? value[0]! : null) : value;
      const index = one === null ? null : wholeNumber(one);
      if (index === null || index >= question.options.length) return 'surveys.error.invalidChoice';
      return [{ ...base, id: randomUUID(), optionIndex: index }];
    }
    case 'multiple': {
      const indexes = (Array.isArray(value) ? value : [value]).map(wholeNumber);
      if (indexes.some((i) => i === null || i >= question.options.length)) return 'surveys.error.invalidChoice';
      return [...new Set(indexes as number[])].sort((a, b) => a - b).map((optionIndex) => ({ ...base, id: randomUUID(), optionIndex }));
    }
    case 'rating': {
      const rating = Array.isArray(value) ? null : wholeNumber(value);
      if (rating === null || rating < 1 || rating > 5) return 'surveys.error.rating';
      return [{ ...base, id: randomUUID(), rating }];
    }
    case 'text': {
      if (typeof value !== 'string') return 'validation.invalidType';
      const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
      if (text.length > textAnswerMaxLength) return 'surveys.error.textTooLong';
      if (hasControlCharacters(text)) return 'validation.controlCharacters';
      return [{ ...base, id: randomUUID(), textValue: text }];
    }
  }
}

/**
 * Checks a person's answers against the survey's questions and makes their rows: a required
 * question must be answered, an option must be one of the question's, a rating 1 to 5, a text
 * at most 2,000 characters. Throws VALIDATION_FAILED with a message per question otherwise.
 */
export function answerRows(questions: QuestionView[], answers: Record<string, AnswerValue>): Row[] {
  const fields: FieldErrors = {};
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) fields[answerField(id)] = 'surveys.error.unknownQuestion';
  }
  const rows: Row[] = [];
  for (const question of questions) {
    const value = answers[question.id];
    if (isBlank(value)) {
      if (question.isRequired) fields[answerField(question.id)] = 'surveys.error.required';
      continue;
    }
    const result = rowsOf(question, value!);
    if (typeof result === 'string') fields[answerField(question.id)] = result;
    else rows.push(...result);
  }
  if (Object.keys(fields).length > 0) throw new AppError('VALIDATION_FAILED', { fields });
  return rows;
}

/** A person's answer to one question, as their response page shows it. */
export interface GivenAnswer {
  optionIndexes: number[];
  rating: number | null;
  text: string | null;
}

/** Groups stored answer rows by question. */
export function givenAnswers(rows: { questionId: string; optionIndex: number | null; rating: number | null; textValue: string | null }[]): Map<string, GivenAnswer> {
  const byQuestion = new Map<string, GivenAnswer>();
  for (const row of rows) {
    const given = byQuestion.get(row.questionId) ?? { optionIndexes: [], rating: null, text: null };
    if (row.optionIndex !== null) given.optionIndexes.push(Number(row.optionIndex));
    if (row.rating !== null) given.rating = Number(row.rating);
    if (row.textValue !== null) given.text = row.textValue;
    byQuestion.set(row.questionId, given);
  }
  return byQuestion;
}
