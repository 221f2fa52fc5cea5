import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { SurveyAnswerTable, SurveyQuestionTable, SurveyStatus, SurveyTable } from './tables.js';

type Db = Executor<Database>;

const surveyColumns = ['id', 'status', 'titleZh', 'titleEn', 'introZh', 'introEn', 'createdAt', 'updatedAt', 'openedAt', 'closedAt', 'invitedAt', 'anonymisedAt'] as const;
const questionColumns = ['id', 'surveyId', 'position', 'kind', 'promptZh', 'promptEn', 'isRequired', 'options'] as const;

export async function insertSurvey(db: Db, row: Insertable<SurveyTable>): Promise<void> {
  await db.insertInto('survey').values(row).execute();
}

export function findSurvey(db: Db, id: string) {
  return db.selectFrom('survey').select(surveyColumns).where('id', '=', id).executeTakeFirst();
}

/** Changes a survey only while it is in the given status; answers whether it did. */
export async function updateSurveyIn(db: Db, id: string, status: SurveyStatus, changes: Updateable<SurveyTable>): Promise<boolean> {
  const result = await db.updateTable('survey').set(changes).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countSurveys(db: Db): Promise<number> {
  return toCount((await db.selectFrom('survey').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/** One page of every survey, newest first (staff). */
export function listSurveys(db: Db, limit: number, offset: number) {
  return db.selectFrom('survey').select(surveyColumns).orderBy('createdAt', 'desc').orderBy('id').limit(limit).offset(offset).execute();
}

/** The open surveys, newest first, each with whether the account has answered it. */
export function listOpenSurveys(db: Db, accountId: string) {
  return db
    .selectFrom('survey as s')
    .leftJoin('surveyResponse as r', (join) => join.onRef('r.surveyId', '=', 's.id').on('r.accountId', '=', accountId))
    .select(['s.id', 's.titleZh', 's.titleEn', 's.introZh', 's.introEn', 's.openedAt', 'r.id as responseId'])
    .where('s.status', '=', 'open')
    .orderBy('s.openedAt', 'desc')
    .orderBy('s.id')
    .limit(200)
    .execute();
}

export function listQuestions(db: Db, surveyId: string) {
  return db.selectFrom('surveyQuestion').select(questionColumns).where('surveyId', '=', surveyId).orderBy('position').execute();
}

export async function insertQuestion(db: Db, row: Insertable<SurveyQuestionTable>): Promise<void> {
  await db.insertInto('surveyQuestion').values(row).execute();
}

export async function updateQuestion(db: Db, surveyId: string, id: string, changes: Updateable<SurveyQuestionTable>): Promise<boolean> {
  const result = await db.updateTable('surveyQuestion').set(changes).where('id', '=', id).where('surveyId', '=', surveyId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteQuestion(db: Db, surveyId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('surveyQuestion').where('id', '=', id).where('surveyId', '=', surveyId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The account's response to a survey, if any; only ever the account's own. */
export function findResponse(db: Db, surveyId: string, accountId: string) {
  return db.selectFrom('surveyResponse').select(['id', 'createdAt']).where('surveyId', '=', surveyId).where('accountId', '=', accountId).executeTakeFirst();
}

/** Adds a response unless the account has one; answers whether it was added. */
export async function insertResponse(db: Db, row: { id: string; surveyId: string; accountId: string; createdAt: string }): Promise<boolean> {
  const result = await db.insertInto('surveyResponse').values(row).onConflict((oc) => oc.columns(['surveyId', 'accountId']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertAnswers(db: Db, rows: Insertable<SurveyAnswerTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('surveyAnswer').values(rows).execute();
}

export function listAnswers(db: Db, responseIds: string[]) {
  if (responseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('surveyAnswer')
    .select(['responseId', 'questionId', 'optionIndex', 'rating', 'textValue'])
    .where('responseId', 'in', responseIds)
    .orderBy('responseId')
    .orderBy('optionIndex')
    .execute();
}

/** Deletes the account's response to a survey with its answers; answers whether there was one. */
export async function deleteResponse(db: Db, surveyId: string, accountId: string): Promise<boolean> {
  const own = db.selectFrom('surveyResponse').select('id').where('surveyId', '=', surveyId).where('accountId', '=', accountId);
  await db.deleteFrom('surveyAnswer').where('responseId', 'in', own).execute();
  const result = await db.deleteFrom('surveyResponse').where('surveyId', '=', surveyId).where('accountId', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countResponses(db: Db, surveyId: string): Promise<number> {
  return toCount((await db.selectFrom('surveyResponse').select((eb) => eb.fn.countAll().as('n')).where('surveyId', '=', surveyId).executeTakeFirstOrThrow()).n);
}

/** Per question: how many responses answered it. */
export function countRespondents(db: Db, surveyId: string) {
  return db
    .selectFrom('surveyAnswer')
    .select((eb) => ['questionId', eb.fn.count<string | number>('responseId').distinct().as('n')])
    .where('surveyId', '=', surveyId)
    .groupBy('questionId')
    .execute();
}

/** Per question and option (or rating), how many answers chose it. */
export function countChoices(db: Db, surveyId: string) {
  return db
    .selectFrom('surveyAnswer')
    .select((eb) => ['questionId', 'optionIndex', 'rating', eb.fn.countAll<string | number>().as('n')])
    .where('surveyId', '=', surveyId)
    .where('textValue', 'is', null)
    .groupBy(['questionId', 'optionIndex', 'rating'])
    .execute();
}

export async function countTextAnswers(db: Db, surveyId: string, questionId: string): Promise<number> {
  const row = await db
    .selectFrom('surveyAnswer')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('surveyId', '=', surveyId)
    .where('questionId', '=', questionId)
    .where('textValue', 'is not', null)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** One page of a text question's answers, in a fixed order that says nothing of who or when. */
export function listTextAnswers(db: Db, surveyId: string, questionId: string, limit: number, offset: number) {
  return db
    .selectFrom('surveyAnswer')
    .select(['id', 'textValue'])
    .where('surveyId', '=', surveyId)
    .where('questionId', '=', questionId)
    .where('textValue', 'is not', null)
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** The next response ids of a survey after a cursor, in id order (random, so no time order). */
export async function responseIdsAfter(db: Db, surveyId: string, cursor: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('surveyResponse').select('id').where('surveyId', '=', surveyId).where('id', '>', cursor).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Open surveys whose invitations have not all gone out. */
export function listSurveysToInvite(db: Db) {
  return db.selectFrom('survey').select(['id', 'titleZh', 'titleEn', 'inviteCursor']).where('status', '=', 'open').where('invitedAt', 'is', null).orderBy('openedAt').execute();
}

/** The next accounts with a verified address after a cursor, in id order. */
export function accountsAfter(db: Db, cursor: string, limit: number) {
  return db.selectFrom('account').select(['id', 'email']).where('id', '>', cursor).where('emailVerifiedAt', 'is not', null).orderBy('id').limit(limit).execute();
}

/**
 * Moves a survey's invitation cursor, but only from where this worker found it and while the
 * survey is open: answers false when another instance moved it first or the survey closed.
 */
export async function advanceInviteCursor(db: Db, surveyId: string, from: string, to: string, invitedAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable('survey')
    .set({ inviteCursor: to, invitedAt })
    .where('id', '=', surveyId)
    .where('status', '=', 'open')
    .where('inviteCursor', '=', from)
    .where('invitedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records an invitation unless there is one; answers whether it was recorded. */
export async function insertInvitation(db: Db, surveyId: string, accountId: string, createdAt: string): Promise<boolean> {
  const result = await db.insertInto('surveyInvitation').values({ surveyId, accountId, createdAt }).onConflict((oc) => oc.columns(['surveyId', 'accountId']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Closed surveys whose responses are still linked to accounts and closed before the instant. */
export function listSurveysToAnonymise(db: Db, closedBefore: string) {
  return db.selectFrom('survey').select(['id', 'closedAt']).where('status', '=', 'closed').where('anonymisedAt', 'is', null).where('closedAt', '<', closedBefore).execute();
}

/** Removes every account link of a survey's responses and its invitations; answers how many responses. */
export async function anonymiseSurvey(db: Db, surveyId: string, day: string, at: string): Promise<number> {
  const result = await db.updateTable('surveyResponse').set({ accountId: null, createdAt: day }).where('surveyId', '=', surveyId).where('accountId', 'is not', null).executeTakeFirst();
  await db.deleteFrom('surveyInvitation').where('surveyId', '=', surveyId).execute();
  await db.updateTable('survey').set({ anonymisedAt: at }).where('id', '=', surveyId).execute();
  return Number(result.numUpdatedRows);
}

/** The accounts that still have linked responses, after a cursor, in id order. */
export async function linkedAccountsAfter(db: Db, cursor: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('surveyResponse')
    .select('accountId')
    .distinct()
    .where('accountId', 'is not', null)
    .where('accountId', '>', cursor)
    .orderBy('accountId')
    .limit(limit)
    .execute();
  return rows.map((r) => r.accountId!);
}

/** Removes the link of one account's responses, each cut to its day; answers how many. */
export async function anonymiseResponsesOf(db: Db, accountId: string): Promise<number> {
  const rows = await db.selectFrom('surveyResponse').select(['id', 'createdAt']).where('accountId', '=', accountId).execute();
  for (const row of rows) {
    await db.updateTable('surveyResponse').set({ accountId: null, createdAt: `${row.createdAt.slice(0, 10)}T00:00:00.000Z` }).where('id', '=', row.id).execute();
  }
  return rows.length;
}

/** A person's responses with the survey and question texts, for their export. */
export async function listResponsesOf(db: Db, accountId: string) {
  const responses = await db
    .selectFrom('surveyResponse as r')
    .innerJoin('survey as s', 's.id', 'r.surveyId')
    .select(['r.id', 'r.surveyId', 's.titleZh', 's.titleEn', 'r.createdAt'])
    .where('r.accountId', '=', accountId)
    .orderBy('r.createdAt')
    .execute();
  const answers = responses.length === 0 ? [] : await db
    .selectFrom('surveyAnswer as a')
    .innerJoin('surveyQuestion as q', 'q.id', 'a.questionId')
    .select(['a.responseId', 'q.position', 'q.kind', 'q.promptZh', 'q.promptEn', 'q.options', 'a.optionIndex', 'a.rating', 'a.textValue'])
    .where('a.responseId', 'in', responses.map((r) => r.id))
    .orderBy('q.position')
    .orderBy('a.optionIndex')
    .execute();
  return responses.map(({ id, ...response }) => ({
    ...response,
    answers: answers
      .filter((a) => a.responseId === id)
      .map((a) => {
        const options = JSON.parse(a.options) as { zh: string; en: string }[];
        const option = a.optionIndex === null ? null : (options[a.optionIndex] ?? null);
        return { promptZh: a.promptZh, promptEn: a.promptEn, kind: a.kind, optionZh: option?.zh ?? null, optionEn: option?.en ?? null, rating: a.rating, text: a.textValue };
      }),
  }));
}

export function listInvitationsOf(db: Db, accountId: string) {
  return db
    .selectFrom('surveyInvitation as i')
    .innerJoin('survey as s', 's.id', 'i.surveyId')
    .select(['i.surveyId', 's.titleZh', 's.titleEn', 'i.createdAt'])
    .where('i.accountId', '=', accountId)
    .orderBy('i.createdAt')
    .execute();
}

/** Deletes every response of an account with its answers; answers how many rows went. */
export async function deleteResponsesOf(db: Db, accountId: string): Promise<number> {
  const own = db.selectFrom('surveyResponse').select('id').where('accountId', '=', accountId);
  const answers = await db.deleteFrom('surveyAnswer').where('responseId', 'in', own).executeTakeFirst();
  const responses = await db.deleteFrom('surveyResponse').where('accountId', '=', accountId).executeTakeFirst();
  return Number(answers.numDeletedRows) + Number(responses.numDeletedRows);
}
