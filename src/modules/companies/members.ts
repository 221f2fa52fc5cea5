import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import * as repo from './members-repo.js';
import { insertMember } from './repo.js';
import type { Invitation, RoleChange } from './members-schema.js';
import type { InvitableRole } from './members-tables.js';
import type { MemberRole } from './tables.js';

export interface MembersDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  /** Called after a transaction that queued mail commits, so delivery can start. */
  onMailQueued?: () => void;
  clock?: () => Date;
}

/** A member as the members page and the API show them. */
export interface MemberView {
  accountId: string;
  contactPerson: string;
  email: string;
  role: MemberRole;
  joinedAt: string;
}

/** A pending invitation as managers see it. */
export interface InvitationView {
  id: string;
  email: string;
  role: InvitableRole;
  createdAt: string;
  expiresAt: string;
}

/** What the invitation page shows to whoever holds the link. */
export interface InvitationSummary {
  companyId: string;
  companyName: string;
  email: string;
  role: InvitableRole;
  expiresAt: string;
}

export interface MembersList {
  company: { id: string; nameZh: string };
  myRole: MemberRole;
  members: MemberView[];
  /** Empty for plain members: only managers see pending invitations. */
  invitations: InvitationView[];
}

const invitationLifetimeMs = 7 * 86_400_000;
const managers: readonly MemberRole[] = ['owner', 'admin'];

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** May this role manage members and invitations? One line, used everywhere. */
export function canManageMembers(role: MemberRole): boolean {
  return managers.includes(role);
}

function toMember(row: MemberView): MemberView {
  return { accountId: row.accountId, contactPerson: row.contactPerson, email: row.email, role: row.role, joinedAt: row.joinedAt };
}

function toInvitation(row: InvitationView): InvitationView {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt };
}

const linkInvalid = () => new AppError('TOKEN_INVALID', { messageKey: 'companies.members.error.linkInvalid' });

/**
 * Deletes invitations 30 days after they were accepted, or after they expired or were revoked
 * unaccepted (the declared retention), in batches; answers how many. A function of the module
 * rather than only of the service, so the retention registry can run it with the database alone.
 * @example await deleteExpiredInvitations(db, new Date())
 */
export function deleteExpiredInvitations(db: Kysely<Database>, at: Date = new Date()): Promise<number> {
  const before = cutoffBefore(at, { days: 30 });
  return inBatches((limit) => repo.deleteInvitationsEndedBefore(db, before, limit));
}

/** Makes the members service: invitations, roles, removal, ownership transfer and leaving. */
export function createMembersService(deps: MembersDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  /** The caller's membership; NOT_FOUND for anyone else, so others' company ids reveal nothing. */
  async function getMembership(auth: AuthState, companyId: string) {
    const membership = await repo.findMembership(db, companyId, auth.accountId);
    if (!membership) throw new AppError('NOT_FOUND');
    return membership;
  }

  /** The caller's membership if they are the owner or an admin; FORBIDDEN for a plain member. */
  async function getManager(auth: AuthState, companyId: string) {
    const membership = await getMembership(auth, companyId);
    if (!canManageMembers(membership.role)) throw new AppError('FORBIDDEN', { messageKey: 'companies.members.error.notManager' });
    return membership;
  }

  /** The target member of the company; NOT_FOUND when the account is not in it. */
  async function getTarget(companyId: string, accountId: string) {
    const target = await repo.findMembership(db, companyId, accountId);
    if (!target) throw new AppError('NOT_FOUND', { messageKey: 'companies.members.error.noSuchMember' });
    return target;
  }

  /** A usable invitation for a token; TOKEN_INVALID when unknown, used, revoked or expired. */
  async function getUsableInvitation(token: string) {
    const row = await repo.findInvitation(db, sha256(token));
    if (!row || row.acceptedAt || row.revokedAt || row.expiresAt <= now().toISOString()) throw linkInvalid();
    return row;
  }

  return {
    /** Members with their roles and, for managers, pending invitations. */
    async list(auth: AuthState, companyId: string): Promise<MembersList> {
      const membership = await getMembership(auth, companyId);
      const members = await repo.listMembers(db, companyId);
      const invitations = canManageMembers(membership.role) ? await repo.listPendingInvitations(db, companyId, now().toISOString()) : [];
      return {
        company: { id: membership.id, nameZh: membership.nameZh },
        myRole: membership.role,
        members: members.map(toMember),
        invitations: invitations.map(toInvitation),
      };
    },

    /** Pending invitations of the company (owner and admins only). */
    async listInvitations(auth: AuthState, companyId: string): Promise<InvitationView[]> {
      await getManager(auth, companyId);
      return (await repo.listPendingInvitations(db, companyId, now().toISOString())).map(toInvitation);
    },

    /**
     * Emails a single-use invitation link valid for 7 days; an earlier pending invitation to the
     * same address is revoked, so only the newest link works.
     */
    async invite(auth: AuthState, companyId: string, input: Invitation, locale: Locale): Promise<InvitationView> {
      const membership = await getManager(auth, companyId);
      const members = await repo.listMembers(db, companyId);
      if (members.some((m) => m.email.toLowerCase() === input.email)) {
        throw new AppError('CONFLICT', { messageKey: 'companies.members.error.alreadyMember', fields: { email: 'companies.members.error.alreadyMember' } });
      }
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const view: InvitationView = {
        id: sha256(token),
        email: input.email,
        role: input.role,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + invitationLifetimeMs).toISOString(),
      };
      const inviter = await repo.findAccountEmail(db, auth.accountId);
      const invitee = await repo.findAccountIdByEmail(db, input.email);
      const t = deps.translator(locale);
      await db.transaction().execute(async (trx) => {
        await repo.revokeInvitations(trx, companyId, { email: input.email }, view.createdAt);
        await repo.insertInvitation(trx, { ...view, companyId, invitedBy: auth.accountId, acceptedAt: null, acceptedBy: null, revokedAt: null });
        await enqueueMail(trx, {
          to: input.email,
          ...(invitee ? { subjectId: invitee.id } : {}),
          kind: 'company-invitation',
          subject: t('companies.members.mail.invite.subject', { company: membership.nameZh }),
          text: t('companies.members.mail.invite.body', {
            inviter: inviter?.contactPerson ?? '',
            company: membership.nameZh,
            role: t(`companies.members.role.${input.role}`),
            email: input.email,
            link: `${deps.publicUrl}/invitations/${token}`,
            days: invitationLifetimeMs / 86_400_000,
          }),
        });
      });
      deps.onMailQueued?.();
      return view;
    },

    /** Revokes a pending invitation so its link stops working. */
    async revoke(auth: AuthState, companyId: string, invitationId: string): Promise<void> {
      await getManager(auth, companyId);
      const result = await repo.revokeInvitations(db, companyId, { id: invitationId }, now().toISOString());
      if (Number(result.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND', { messageKey: 'companies.members.error.noSuchInvitation' });
    },

    /** What an invitation link offers, for whoever holds it; TOKEN_INVALID once it cannot be used. */
    async describeInvitation(token: string): Promise<InvitationSummary> {
      const row = await getUsableInvitation(token);
      return { companyId: row.companyId, companyName: row.companyName, email: row.email, role: row.role, expiresAt: row.expiresAt };
    },

    /**
     * Accepts an invitation for the signed-in account, which must have the invited address
     * (case-insensitive). The link works once.
     */
    async accept(auth: AuthState, token: string): Promise<{ companyId: string; role: InvitableRole }> {
      const row = await getUsableInvitation(token);
      const account = await repo.findAccountEmail(db, auth.accountId);
      if (account?.email.toLowerCase() !== row.email.toLowerCase()) {
        throw new AppError('FORBIDDEN', { messageKey: 'companies.members.error.wrongAccount', params: { email: row.email } });
      }
      if (await repo.findMembership(db, row.companyId, auth.accountId)) {
        throw new AppError('CONFLICT', { messageKey: 'companies.members.error.alreadyYours' });
      }
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.useInvitation(trx, row.id, auth.accountId, at))) throw linkInvalid();
        await insertMember(trx, row.companyId, auth.accountId, row.role, at);
      });
      return { companyId: row.companyId, role: row.role };
    },

    /** Makes a member an admin or a plain member (owner and admins); the owner's role changes only by transfer. */
    async changeRole(auth: AuthState, companyId: string, accountId: string, input: RoleChange): Promise<MemberView> {
      await getManager(auth, companyId);
      const target = await getTarget(companyId, accountId);
      if (target.role === 'owner') throw new AppError('CONFLICT', { messageKey: 'companies.members.error.ownerRole' });
      await repo.setMemberRole(db, companyId, accountId, input.role);
      return this.getMember(auth, companyId, accountId);
    },

    /** One member of the company, for any member of it. */
    async getMember(auth: AuthState, companyId: string, accountId: string): Promise<MemberView> {
      await getMembership(auth, companyId);
      const member = (await repo.listMembers(db, companyId)).find((m) => m.accountId === accountId);
      if (!member) throw new AppError('NOT_FOUND', { messageKey: 'companies.members.error.noSuchMember' });
      return toMember(member);
    },

    /** Removes a member (owner and admins); the owner cannot be removed. */
    async remove(auth: AuthState, companyId: string, accountId: string): Promise<void> {
      await getManager(auth, companyId);
      const target = await getTarget(companyId, accountId);
      if (target.role === 'owner') throw new AppError('CONFLICT', { messageKey: 'companies.members.error.removeOwner' });
      await repo.deleteMember(db, companyId, accountId);
    },

    /** Hands ownership to another member (owner only); the old owner stays on as an admin. */
    async transfer(auth: AuthState, companyId: string, accountId: string): Promise<void> {
      const membership = await getMembership(auth, companyId);
      if (membership.role !== 'owner') throw new AppError('FORBIDDEN', { messageKey: 'companies.members.error.notOwner' });
      if (accountId === auth.accountId) throw new AppError('CONFLICT', { messageKey: 'companies.members.error.transferSelf' });
      await getTarget(companyId, accountId);
      await db.transaction().execute(async (trx) => {
        await repo.setMemberRole(trx, companyId, auth.accountId, 'admin');
        await repo.setMemberRole(trx, companyId, accountId, 'owner');
      });
    },

    /** Leaves the company; the owner must transfer ownership first. */
    async leave(auth: AuthState, companyId: string): Promise<void> {
      const membership = await getMembership(auth, companyId);
      if (membership.role === 'owner') throw new AppError('CONFLICT', { messageKey: 'companies.members.error.ownerLeaves' });
      await repo.deleteMember(db, companyId, auth.accountId);
    },

    /** Deletes invitations past their retention; see `deleteExpiredInvitations`. */
    deleteExpired: (at: Date = now()): Promise<number> => deleteExpiredInvitations(db, at),
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
