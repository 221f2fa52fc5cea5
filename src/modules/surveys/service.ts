import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { optionalPurposes, type ConsentService, type OptionalPurpose } from '../consent/index.js';
import type { NoticesService } from '../notices/index.js';
import type { AuditRecorder } from '../audit/index.js';
import { answerRows, givenAnswers, type GivenAnswer, type QuestionView } from './answers.js';
import { createSurveyJobs } from './jobs.js';
import * as repo from './repo.js';
import { createSurveyResults } from './results.js';
import { maxQuestions, type AnswersInput, type QuestionInput, type SurveyInput } from './schema.js';
import type { SurveyStatus } from './tables.js';

export const surveysPageSize = 20;

/** Only administrators write, open, close and read the results of surveys. */
export function canManageSurveys(auth: AuthState | null): auth is AuthState {
  return auth !== null && auth.role === 'admin';
}

export interface SurveysDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  consent: Pick<ConsentService, 'hasConsent' | 'current' | 'record'>;
  notices: Pick<NoticesService, 'notify'>;
  /** Records staff reading results and downloading answers; none is shown unrecorded. */
  audit: AuditRecorder;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
  clock?: () => Date;
  /** Accounts considered per invitation batch (tests make it small). */
  inviteBatchSize?: number;
}

/** A survey with its questions in order. */
export interface SurveyView {
  id: string;
  status: SurveyStatus;
  titleZh: string;
  titleEn: string;
  introZh: string;
  introEn: string;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  questions: QuestionView[];
}

/** An open survey as the people's list shows it. */
export interface OpenSurvey {
  id: string;
  titleZh: string;
  titleEn: string;
  introZh: string;
  introEn: string;
  openedAt: string;
  hasAnswered: boolean;
}

/** A person's own response: when, and the answers by question id. */
export interface OwnResponse {
  createdAt: string;
  answers: Map<string, GivenAnswer>;
}

/** Where a consent given on a survey page comes from, for the consent ledger. */
export interface ConsentOrigin {
  ip?: string;
  userAgent?: string;
  /** The browser sent `Sec-GPC: 1`. */
  gpc: boolean;
}

function toQuestion(row: Awaited<ReturnType<typeof repo.listQuestions>>[number]): QuestionView {
  return {
    id: row.id,
    position: Number(row.position),
    kind: row.kind,
    promptZh: row.promptZh,
    promptEn: row.promptEn,
    isRequired: Number(row.isRequired) === 1,
    options: JSON.parse(row.options) as { zh: string; en: string }[],
  };
}

/** Makes the surveys service: staff drafts and their life, people's responses, results and jobs. */
export function createSurveysService(deps: SurveysDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const jobs = createSurveyJobs({ ...deps, clock });

  function assertStaff(auth: AuthState): void {
    if (!canManageSurveys(auth)) throw new AppError('FORBIDDEN');
  }

  async function load(handle: typeof db, id: string): Promise<SurveyView> {
    const row = await repo.findSurvey(handle, id);
    if (!row) throw new AppError('NOT_FOUND');
    const questions = (await repo.listQuestions(handle, id)).map(toQuestion);
    return { id: row.id, status: row.status, titleZh: row.titleZh, titleEn: row.titleEn, introZh: row.introZh, introEn: row.introEn, createdAt: row.createdAt, openedAt: row.openedAt, closedAt: row.closedAt, questions };
  }

  /**
   * Runs a change of a draft in one transaction that first touches the draft: a survey that is
   * open or closed is refused, and opening waits for the change, so answers stay comparable.
   */
  async function changeDraft<T>(auth: AuthState, id: string, change: (trx: Kysely<Database>, survey: SurveyView) => Promise<T>): Promise<T> {
    assertStaff(auth);
    return db.transaction().execute(async (trx) => {
      if (!(await repo.updateSurveyIn(trx, id, 'draft', { updatedAt: clock().toISOString() }))) {
        if (!(await repo.findSurvey(trx, id))) throw new AppError('NOT_FOUND');
        throw new AppError('CONFLICT', { messageKey: 'surveys.error.frozen' });
      }
      return change(trx, await load(trx, id));
    });
  }

  function findQuestion(survey: SurveyView, questionId: string): QuestionView {
    const question = survey.questions.find((q) => q.id === questionId);
    if (!question) throw new AppError('NOT_FOUND');
    return question;
  }

  const results = createSurveyResults({ db, load: (id) => load(db, id), assertStaff, audit: deps.audit });

  return {
    ...results,

    /** One page of every survey, newest first; administrators only. */
    async list(auth: AuthState, page: number) {
      assertStaff(auth);
      const total = await repo.countSurveys(db);
      const pages = Math.max(1, Math.ceil(total / surveysPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const items = await repo.listSurveys(db, surveysPageSize, (current - 1) * surveysPageSize);
      return { items, page: current, pages, total };
    },

    /** A survey with its questions, in any status; administrators only. */
    async get(auth: AuthState, id: string): Promise<SurveyView> {
      assertStaff(auth);
      return load(db, id);
    },

    /** Starts a draft; administrators only. */
    async create(auth: AuthState, input: SurveyInput): Promise<{ id: string }> {
      assertStaff(auth);
      const id = randomUUID();
      const now = clock().toISOString();
      await repo.insertSurvey(db, { id, status: 'draft', ...input, createdAt: now, updatedAt: now, openedAt: null, closedAt: null, inviteCursor: '', invitedAt: null, anonymisedAt: null });
      return { id };
    },

    /** Changes a draft's title and introduction; CONFLICT once it is open. */
    async update(auth: AuthState, id: string, input: SurveyInput): Promise<void> {
      await changeDraft(auth, id, (trx) => repo.updateSurveyIn(trx, id, 'draft', input));
    },

    /** Adds a question at the end of a draft; at most 50. */
    async addQuestion(auth: AuthState, id: string, input: QuestionInput): Promise<{ id: string }> {
      return changeDraft(auth, id, async (trx, survey) => {
        if (survey.questions.length >= maxQuestions) throw new AppError('CONFLICT', { messageKey: 'surveys.error.tooManyQuestions', params: { max: maxQuestions } });
        const questionId = randomUUID();
        const position = (survey.questions.at(-1)?.position ?? 0) + 1;
        await repo.insertQuestion(trx, { id: questionId, surveyId: id, position, kind: input.kind, promptZh: input.promptZh, promptEn: input.promptEn, isRequired: input.isRequired ? 1 : 0, options: JSON.stringify(input.options) });
        return { id: questionId };
      });
    },

    /** Rewrites a question of a draft. */
    async updateQuestion(auth: AuthState, id: string, questionId: string, input: QuestionInput): Promise<void> {
      await changeDraft(auth, id, async (trx, survey) => {
        findQuestion(survey, questionId);
        await repo.updateQuestion(trx, id, questionId, { kind: input.kind, promptZh: input.promptZh, promptEn: input.promptEn, isRequired: input.isRequired ? 1 : 0, options: JSON.stringify(input.options) });
      });
    },

    /** Removes a question of a draft; the others keep their order. */
    async deleteQuestion(auth: AuthState, id: string, questionId: string): Promise<void> {
      await changeDraft(auth, id, async (trx, survey) => {
        findQuestion(survey, questionId);
        await repo.deleteQuestion(trx, id, questionId);
      });
    },

    /** Swaps a question of a draft with its neighbour above or below; at either end nothing changes. */
    async moveQuestion(auth: AuthState, id: string, questionId: string, direction: 'up' | 'down'): Promise<void> {
      await changeDraft(auth, id, async (trx, survey) => {
        const at = survey.questions.indexOf(findQuestion(survey, questionId));
        const other = survey.questions[direction === 'up' ? at - 1 : at + 1];
        if (!other) return;
        const question = survey.questions[at]!;
        await repo.updateQuestion(trx, id, question.id, { position: other.position });
        await repo.updateQuestion(trx, id, other.id, { position: question.position });
      });
    },

    /**
     * Opens a draft that has questions: from now on its questions cannot change, people who
     * consent to surveys may answer, and invitations start going out in the background.
     */
    async open(auth: AuthState, id: string): Promise<void> {
      assertStaff(auth);
      const survey = await load(db, id);
      if (survey.status !== 'draft') throw new AppError('CONFLICT', { messageKey: 'surveys.error.notDraft' });
      if (survey.questions.length === 0) throw new AppError('CONFLICT', { messageKey: 'surveys.error.noQuestions' });
      const now = clock().toISOString();
      if (!(await repo.updateSurveyIn(db, id, 'draft', { status: 'open', openedAt: now, updatedAt: now }))) throw new AppError('CONFLICT', { messageKey: 'surveys.error.notDraft' });
      jobs.startInvitations();
    },

    /** Closes an open survey for good: no more answers or invitations. */
    async close(auth: AuthState, id: string): Promise<void> {
      assertStaff(auth);
      const now = clock().toISOString();
      if (await repo.updateSurveyIn(db, id, 'open', { status: 'closed', closedAt: now, updatedAt: now })) return;
      if (!(await repo.findSurvey(db, id))) throw new AppError('NOT_FOUND');
      throw new AppError('CONFLICT', { messageKey: 'surveys.error.notOpen' });
    },

    /** The open surveys for a signed-in person, each with whether they have answered it. */
    async openSurveys(auth: AuthState): Promise<OpenSurvey[]> {
      const rows = await repo.listOpenSurveys(db, auth.accountId);
      return rows.map((r) => ({ id: r.id, titleZh: r.titleZh, titleEn: r.titleEn, introZh: r.introZh, introEn: r.introEn, openedAt: r.openedAt ?? '', hasAnswered: r.responseId !== null }));
    },

    /** An open or closed survey and the person's own response to it, if any; drafts are not found. */
    async forPerson(auth: AuthState, id: string): Promise<{ survey: SurveyView; response: OwnResponse | null }> {
      const survey = await load(db, id);
      if (survey.status === 'draft') throw new AppError('NOT_FOUND');
      const own = await repo.findResponse(db, id, auth.accountId);
      if (!own) return { survey, response: null };
      return { survey, response: { createdAt: own.createdAt, answers: givenAnswers(await repo.listAnswers(db, [own.id])) } };
    },

    /**
     * Stores a person's answers to an open survey: only with their consent to surveys (GPC
     * applied), once per person (CONFLICT the second time), and all answers checked first.
     */
    async submit(auth: AuthState, id: string, input: AnswersInput, origin: Pick<ConsentOrigin, 'gpc'>): Promise<void> {
      const survey = await load(db, id);
      if (survey.status === 'draft') throw new AppError('NOT_FOUND');
      if (survey.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'surveys.error.closed' });
      if (!(await deps.consent.hasConsent(auth.accountId, 'surveys', { gpc: origin.gpc }))) throw new AppError('FORBIDDEN', { messageKey: 'surveys.error.consentNeeded' });
      const rows = answerRows(survey.questions, input.answers);
      await db.transaction().execute(async (trx) => {
        const responseId = randomUUID();
        // The unique (survey, account) pair settles two submissions racing each other.
        if (!(await repo.insertResponse(trx, { id: responseId, surveyId: id, accountId: auth.accountId, createdAt: clock().toISOString() }))) {
          throw new AppError('CONFLICT', { messageKey: 'surveys.error.alreadyAnswered' });
        }
        await repo.insertAnswers(trx, rows.map((row) => ({ ...row, responseId, surveyId: id })));
      });
    },

    /** Deletes the person's own response while the survey is open; NOT_FOUND when there is none. */
    async deleteResponse(auth: AuthState, id: string): Promise<void> {
      const survey = await load(db, id);
      if (survey.status === 'draft') throw new AppError('NOT_FOUND');
      if (survey.status !== 'open') throw new AppError('CONFLICT', { messageKey: 'surveys.error.closed' });
      const deleted = await db.transaction().execute((trx) => repo.deleteResponse(trx, id, auth.accountId));
      if (!deleted) throw new AppError('NOT_FOUND');
    },

    /**
     * Records the person's consent to surveys, given on a survey page, through the consent
     * ledger with method `settings`. The ledger takes a whole choice, so every other purpose is
     * written as it is in force now (under GPC, a grant made through the API is not in force and
     * stays off): only surveys changes.
     */
    async grantConsent(auth: AuthState, origin: ConsentOrigin): Promise<void> {
      const current = await deps.consent.current({ subject: auth.accountId });
      const grants = Object.fromEntries(
        optionalPurposes.map((purpose) => {
          const grant = current?.choice[purpose] ?? 'refused';
          return [purpose, purpose === 'surveys' || grant === 'explicit' || (grant === 'api' && !origin.gpc)];
        }),
      ) as Record<OptionalPurpose, boolean>;
      await deps.consent.record({ subject: auth.accountId, consentId: null }, grants, { method: 'settings', ip: origin.ip, userAgent: origin.userAgent });
    },

    /** Sends the invitations that are due, in batches; answers how many people were invited. */
    sendInvitations: (): Promise<number> => jobs.sendInvitations(),
    /** Waits for invitations started in the background (at shutdown, and in tests). */
    drainInvitations: (): Promise<void> => jobs.drain(),
    /** Removes the account link of responses past their retention or whose consent was withdrawn. */
    anonymiseExpired: (at?: Date): Promise<number> => jobs.anonymiseExpired(at),
  };
}

export type SurveysService = ReturnType<typeof createSurveysService>;
