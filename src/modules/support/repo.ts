import type { Insertable, Updateable } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { SupportMessageTable, SupportTicketTable, TicketStatus } from './tables.js';

type Db = Executor<Database>;

/** Whose tickets a person may read: those sent from their account or from their account email. */
export interface Participant {
  accountId: string;
  email: string;
}

export const ticketColumns = [
  'id', 'reference', 'accountId', 'email', 'name', 'channel', 'sentTo', 'topic', 'subject', 'locale', 'status', 'dueOn',
  'createdAt', 'updatedAt', 'answeredAt', 'closedAt', 'handledBy',
] as const;

const messageColumns = ['id', 'direction', 'authorId', 'body', 'attachmentCount', 'attachmentNames', 'createdAt'] as const;

export function insertTicket(db: Db, ticket: Insertable<SupportTicketTable>) {
  return db.insertInto('supportTicket').values(ticket).execute();
}

export function insertMessage(db: Db, message: Insertable<SupportMessageTable>) {
  return db.insertInto('supportMessage').values(message).execute();
}

export function updateTicket(db: Db, id: string, changes: Updateable<SupportTicketTable>) {
  return db.updateTable('supportTicket').set(changes).where('id', '=', id).execute();
}

export function findTicket(db: Db, id: string) {
  return db.selectFrom('supportTicket').select(ticketColumns).where('id', '=', id).executeTakeFirst();
}

export function findTicketByReference(db: Db, reference: string) {
  return db.selectFrom('supportTicket').select(ticketColumns).where('reference', '=', reference).executeTakeFirst();
}

/** A ticket only if the participant is part of it: authorisation lives in the query. */
export function findParticipantTicket(db: Db, id: string, who: Participant) {
  return db
    .selectFrom('supportTicket')
    .select(ticketColumns)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('accountId', '=', who.accountId), eb('email', '=', who.email)]))
    .executeTakeFirst();
}

export async function countParticipantTickets(db: Db, who: Participant): Promise<number> {
  const row = await db
    .selectFrom('supportTicket')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.or([eb('accountId', '=', who.accountId), eb('email', '=', who.email)]))
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** A participant's tickets, most recently active first. */
export function listParticipantTickets(db: Db, who: Participant, limit: number, offset: number) {
  return db
    .selectFrom('supportTicket')
    .select(ticketColumns)
    .where((eb) => eb.or([eb('accountId', '=', who.accountId), eb('email', '=', who.email)]))
    .orderBy('updatedAt', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countByStatus(db: Db, status: TicketStatus): Promise<number> {
  const row = await db
    .selectFrom('supportTicket')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return toCount(row.n);
}

/** Tickets in one status: waiting ones soonest due first, closed ones most recently closed first. */
export function listByStatus(db: Db, status: TicketStatus, limit: number, offset: number) {
  const query = db.selectFrom('supportTicket').select(ticketColumns).where('status', '=', status);
  const ordered = status === 'closed' ? query.orderBy('closedAt', 'desc') : query.orderBy('dueOn').orderBy('createdAt');
  return ordered.orderBy('id').limit(limit).offset(offset).execute();
}

/** A ticket's thread, oldest first. */
export function listMessages(db: Db, ticketId: string) {
  return db
    .selectFrom('supportMessage')
    .select(messageColumns)
    .where('ticketId', '=', ticketId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export async function hasMailMessageId(db: Db, mailMessageId: string): Promise<boolean> {
  const row = await db.selectFrom('supportMessage').select('id').where('mailMessageId', '=', mailMessageId).executeTakeFirst();
  return row !== undefined;
}

export function findAccountContact(db: Db, accountId: string) {
  return db.selectFrom('account').select(['id', 'email']).where('id', '=', accountId).executeTakeFirst();
}

/** Deletes tickets (and, by cascade, their messages) closed before an instant; returns how many. */
export async function deleteClosedBefore(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('supportTicket').where('status', '=', 'closed').where('closedAt', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
