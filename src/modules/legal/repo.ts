import type { Insertable } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { LegalDocument, LegalDraftTable, LegalTextTable, LegalVersionTable } from './tables.js';

type Db = Executor<Database>;

const summaryColumns = [
  'id', 'document', 'number', 'contentHash', 'isMaterial', 'effectiveOn', 'effectiveAt', 'modifiedOn', 'publishedAt', 'dataCategories', 'notifiedAt',
] as const;

/** Every published version of every document (not their texts), oldest first. */
export function listVersions(db: Db) {
  return db.selectFrom('legalVersion').select(summaryColumns).orderBy('document').orderBy('number').execute();
}

/** One language of a version: its facts, the text as published, and what the officer wrote. */
export function findText(db: Db, document: LegalDocument, number: number, locale: string) {
  return db
    .selectFrom('legalVersion')
    .innerJoin('legalText', 'legalText.versionId', 'legalVersion.id')
    .select(['legalVersion.id as id', 'legalText.body as body', 'legalText.source as source'])
    .where('legalVersion.document', '=', document)
    .where('legalVersion.number', '=', number)
    .where('legalText.locale', '=', locale)
    .executeTakeFirst();
}

/** The exact stored bytes of one language of a version. */
export function findStoredPage(db: Db, document: LegalDocument, number: number, locale: string) {
  return db
    .selectFrom('legalVersion')
    .innerJoin('legalText', 'legalText.versionId', 'legalVersion.id')
    .select(['legalText.html as html', 'legalVersion.contentHash as contentHash'])
    .where('legalVersion.document', '=', document)
    .where('legalVersion.number', '=', number)
    .where('legalText.locale', '=', locale)
    .executeTakeFirst();
}

/** Every language of a version: what the officer wrote and the text as published. */
export function listTexts(db: Db, versionId: string) {
  return db.selectFrom('legalText').select(['locale', 'source', 'body']).where('versionId', '=', versionId).execute();
}

export async function insertVersion(db: Db, version: Insertable<LegalVersionTable>, texts: Insertable<LegalTextTable>[]) {
  await db.insertInto('legalVersion').values(version).execute();
  await db.insertInto('legalText').values(texts).execute();
}

export function listDrafts(db: Db, document: LegalDocument) {
  return db.selectFrom('legalDraft').select(['locale', 'source', 'updatedAt']).where('document', '=', document).execute();
}

/** Replaces a document's draft (every language at once). */
export async function replaceDraft(db: Db, document: LegalDocument, rows: Insertable<LegalDraftTable>[]) {
  await db.deleteFrom('legalDraft').where('document', '=', document).execute();
  await db.insertInto('legalDraft').values(rows).execute();
}

export function deleteDraft(db: Db, document: LegalDocument) {
  return db.deleteFrom('legalDraft').where('document', '=', document).execute();
}

/** Material changes whose announcement has not reached every account yet. */
export function listUnannounced(db: Db) {
  return db.selectFrom('legalVersion').select(['id', 'notifyCursor']).where('isMaterial', '=', 1).where('notifiedAt', 'is', null).execute();
}

/** How far a version's announcement has been mailed. */
export function findAnnouncement(db: Db, versionId: string) {
  return db.selectFrom('legalVersion').select(['notifyCursor', 'notifiedAt']).where('id', '=', versionId).executeTakeFirst();
}

/** The next accounts to mail, in id order after the cursor. */
export function accountsAfter(db: Db, cursor: string, limit: number) {
  return db.selectFrom('account').select(['id', 'email']).where('id', '>', cursor).orderBy('id').limit(limit).execute();
}

/**
 * Moves a version's mailing cursor, but only from where this worker found it: answers false when
 * another instance moved it first, so no account is mailed twice.
 */
export async function advanceCursor(db: Db, versionId: string, from: string, to: string, notifiedAt: string | null): Promise<boolean> {
  const result = await db
    .updateTable('legalVersion')
    .set({ notifyCursor: to, notifiedAt })
    .where('id', '=', versionId)
    .where('notifyCursor', '=', from)
    .where('notifiedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
