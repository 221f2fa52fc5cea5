import type { Insertable } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { CompanyInvitationTable } from './members-tables.js';
import type { MemberRole } from './tables.js';

type Db = Executor<Database>;

/** The company's name and the account's role in it; undefined when the account is not a member. */
export function findMembership(db: Db, companyId: string, accountId: string) {
  return db
    .selectFrom('companyMember')
    .innerJoin('company', 'company.id', 'companyMember.companyId')
    .select(['company.id', 'company.nameZh', 'companyMember.role'])
    .where('companyMember.companyId', '=', companyId)
    .where('companyMember.accountId', '=', accountId)
    .executeTakeFirst();
}

export function listMembers(db: Db, companyId: string) {
  return db
    .selectFrom('companyMember')
    .innerJoin('account', 'account.id', 'companyMember.accountId')
    .select(['companyMember.accountId', 'account.contactPerson', 'account.email', 'companyMember.role', 'companyMember.joinedAt'])
    .where('companyMember.companyId', '=', companyId)
    .orderBy('companyMember.joinedAt')
    .orderBy('companyMember.accountId')
    .execute();
}

export function setMemberRole(db: Db, companyId: string, accountId: string, role: MemberRole) {
  return db.updateTable('companyMember').set({ role }).where('companyId', '=', companyId).where('accountId', '=', accountId).executeTakeFirst();
}

export function deleteMember(db: Db, companyId: string, accountId: string) {
  return db.deleteFrom('companyMember').where('companyId', '=', companyId).where('accountId', '=', accountId).executeTakeFirst();
}

export function findAccountIdByEmail(db: Db, email: string) {
  return db.selectFrom('account').select('id').where('email', '=', email).executeTakeFirst();
}

export function findAccountEmail(db: Db, accountId: string) {
  return db.selectFrom('account').select(['email', 'contactPerson']).where('id', '=', accountId).executeTakeFirst();
}

export function insertInvitation(db: Db, invitation: Insertable<CompanyInvitationTable>) {
  return db.insertInto('companyInvitation').values(invitation).execute();
}

/** Pending (neither accepted, revoked nor expired) invitations of a company, newest first. */
export function listPendingInvitations(db: Db, companyId: string, at: string) {
  return db
    .selectFrom('companyInvitation')
    .select(['id', 'email', 'role', 'createdAt', 'expiresAt'])
    .where('companyId', '=', companyId)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', at)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** Revokes pending invitations of the company: one by id, or every one to an address. */
export function revokeInvitations(db: Db, companyId: string, match: { id: string } | { email: string }, at: string) {
  let query = db
    .updateTable('companyInvitation')
    .set({ revokedAt: at })
    .where('companyId', '=', companyId)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null);
  query = 'id' in match ? query.where('id', '=', match.id) : query.where('email', '=', match.email);
  return query.executeTakeFirst();
}

/** An invitation with its company's name, whatever its state. */
export function findInvitation(db: Db, id: string) {
  return db
    .selectFrom('companyInvitation')
    .innerJoin('company', 'company.id', 'companyInvitation.companyId')
    .select([
      'companyInvitation.id',
      'companyInvitation.companyId',
      'company.nameZh as companyName',
      'companyInvitation.email',
      'companyInvitation.role',
      'companyInvitation.expiresAt',
      'companyInvitation.acceptedAt',
      'companyInvitation.revokedAt',
    ])
    .where('companyInvitation.id', '=', id)
    .executeTakeFirst();
}

/** Marks a usable invitation accepted; false when it was used, revoked or expired meanwhile. */
export async function useInvitation(db: Db, id: string, accountId: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('companyInvitation')
    .set({ acceptedAt: at, acceptedBy: accountId })
    .where('id', '=', id)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Deletes up to `limit` invitations that ended before an instant: accepted then, or (never
 * accepted) expired or revoked then. Answers how many.
 */
export async function deleteInvitationsEndedBefore(db: Db, before: string, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('companyInvitation')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('companyInvitation')
        .select('id')
        .where((w) =>
          w.or([
            w('acceptedAt', '<', before),
            w.and([w('acceptedAt', 'is', null), w.or([w('expiresAt', '<', before), w('revokedAt', '<', before)])]),
          ]),
        )
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
