import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { toCount } from '../../platform/db/client.js';
import { givenAnswers, type QuestionView } from './answers.js';
import * as repo from './repo.js';
import type { SurveyView } from './service.js';
import type { AuditRecorder } from '../audit/index.js';

export const textAnswersPageSize = 20;
const csvBatch = 500;

/** A count with its share of the question's respondents, in whole percent. */
export interface Tally {
  count: number;
  percent: number;
}

/** What a question's answers add up to. */
export interface QuestionResult {
  question: QuestionView;
  /** Responses that answered this question. */
  respondents: number;
  /** Per option, in the question's order (choice questions). */
  options: Tally[];
  /** Per rating 1 to 5 (rating questions). */
  ratings: Tally[];
  /** The mean rating, to one decimal; null without ratings. */
  average: number | null;
  /** The first page of text answers (text questions), and how many there are. */
  texts: { id: string; text: string }[];
  textTotal: number;
}

export interface SurveyResults {
  survey: SurveyView;
  responses: number;
  questions: QuestionResult[];
}

const percentOf = (count: number, of: number) => (of === 0 ? 0 : Math.round((count / of) * 100));

/**
 * A CSV cell: quoted, quotes doubled, and a leading `= + - @` or tab made inert so a spreadsheet
 * never runs a person's text as a formula.
 */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The statistics and the CSV download of a survey's answers; administrators only. */
export function createSurveyResults(deps: { db: Kysely<Database>; load: (id: string) => Promise<SurveyView>; assertStaff: (auth: AuthState) => void; audit: AuditRecorder }) {
  const recordView = (auth: AuthState, id: string, action: 'survey-results.view' | 'survey-results.export') =>
    deps.audit.record(deps.db, { actor: auth, action, target: { type: 'survey', id }, purpose: 'survey-analysis' });
  const { db } = deps;

  return {
    /** Per question: counts and shares of options and ratings, the mean rating, the first text answers. */
    async results(auth: AuthState, id: string): Promise<SurveyResults> {
      deps.assertStaff(auth);
      const survey = await deps.load(id);
      const [responses, respondents, choices] = await Promise.all([repo.countResponses(db, id), repo.countRespondents(db, id), repo.countChoices(db, id)]);
      const answered = new Map(respondents.map((r) => [r.questionId, toCount(r.n)]));
      const questions = await Promise.all(
        survey.questions.map(async (question): Promise<QuestionResult> => {
          const of = answered.get(question.id) ?? 0;
          const mine = choices.filter((c) => c.questionId === question.id);
          const countOf = (match: (c: (typeof mine)[number]) => boolean) => mine.filter(match).reduce((sum, c) => sum + toCount(c.n), 0);
          const options = question.options.map((_, index) => {
            const count = countOf((c) => c.optionIndex !== null && Number(c.optionIndex) === index);
            return { count, percent: percentOf(count, of) };
          });
          const ratings = question.kind === 'rating' ? [1, 2, 3, 4, 5].map((value) => {
            const count = countOf((c) => c.rating !== null && Number(c.rating) === value);
            return { count, percent: percentOf(count, of) };
          }) : [];
          const rated = ratings.reduce((sum, r) => sum + r.count, 0);
          const average = rated === 0 ? null : Math.round((ratings.reduce((sum, r, i) => sum + r.count * (i + 1), 0) / rated) * 10) / 10;
          const [texts, textTotal] = question.kind === 'text'
            ? await Promise.all([repo.listTextAnswers(db, id, question.id, textAnswersPageSize, 0), repo.countTextAnswers(db, id, question.id)])
            : [[], 0];
          return { question, respondents: of, options, ratings, average, texts: texts.map((t) => ({ id: t.id, text: t.textValue ?? '' })), textTotal };
        }),
      );
      await recordView(auth, id, 'survey-results.view');
      return { survey, responses, questions };
    },

    /** One page (20) of a text question's answers, in an order that says nothing of who or when. */
    async textAnswers(auth: AuthState, id: string, questionId: string, page: number) {
      deps.assertStaff(auth);
      const survey = await deps.load(id);
      const question = survey.questions.find((q) => q.id === questionId && q.kind === 'text');
      if (!question) throw new AppError('NOT_FOUND');
      const total = await repo.countTextAnswers(db, id, questionId);
      const pages = Math.max(1, Math.ceil(total / textAnswersPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await repo.listTextAnswers(db, id, questionId, textAnswersPageSize, (current - 1) * textAnswersPageSize);
      await recordView(auth, id, 'survey-results.view');
      return { survey, question, items: rows.map((r) => ({ id: r.id, text: r.textValue ?? '' })), page: current, pages, total };
    },

    /**
     * Every response's answers as CSV, one row per response and one column per question, in the
     * staff member's language. Rows are numbered in the order of their random ids: no account,
     * response id or time goes into the file.
     */
    async csv(auth: AuthState, id: string, locale: Locale): Promise<string> {
      deps.assertStaff(auth);
      const survey = await deps.load(id);
      const text = (zh: string, en: string) => (locale === 'en' ? en : zh);
      const lines = [['#', ...survey.questions.map((q, i) => `Q${i + 1}. ${text(q.promptZh, q.promptEn)}`)].map(cell).join(',')];
      let cursor = '';
      let number = 0;
      for (;;) {
        const ids = await repo.responseIdsAfter(db, id, cursor, csvBatch);
        const answers = await repo.listAnswers(db, ids);
        for (const responseId of ids) {
          const given = givenAnswers(answers.filter((a) => a.responseId === responseId));
          const values = survey.questions.map((q) => {
            const answer = given.get(q.id);
            if (!answer) return '';
            if (q.kind === 'rating') return answer.rating ?? '';
            if (q.kind === 'text') return answer.text ?? '';
            return answer.optionIndexes.map((i) => (q.options[i] ? text(q.options[i].zh, q.options[i].en) : '')).join('; ');
          });
          number += 1;
          lines.push([number, ...values].map(cell).join(','));
        }
        if (ids.length < csvBatch) break;
        cursor = ids.at(-1)!;
      }
      await recordView(auth, id, 'survey-results.export');
      // A byte-order mark, so spreadsheet programs read the Chinese text as UTF-8.
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  };
}
