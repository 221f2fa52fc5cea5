import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { MigrationSet } from '../../platform/db/migrate.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

/** Roles an invitation may offer: ownership only changes hands by transfer. */
export const invitableRoles = ['admin', 'member'] as const;
export type InvitableRole = (typeof invitableRoles)[number];

export interface CompanyInvitationTable {
  /** SHA-256 of the emailed token: the token itself is never stored. */
  id: string;
  companyId: string;
  /** The address the invitation was sent to, lower-cased; only that account may accept. */
  email: string;
  role: InvitableRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
  revokedAt: string | null;
}

export interface MembersTables {
  companyInvitation: CompanyInvitationTable;
}

const time = 'varchar(32)';

export const membersMigrations: MigrationSet = {
  '20261129T0210_company_invitation': {
    async up(db) {
      await db.schema
        .createTable('company_invitation')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('email', 'varchar(320)', (c) => c.notNull())
        .addColumn('role', 'varchar(10)', (c) => c.notNull())
        .addColumn('invited_by', 'varchar(36)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('accepted_at', time)
        .addColumn('accepted_by', 'varchar(36)')
        .addColumn('revoked_at', time)
        .execute();
      await db.schema.createIndex('company_invitation_company').on('company_invitation').column('company_id').execute();
      await db.schema.createIndex('company_invitation_email').on('company_invitation').column('email').execute();
    },
  },
};

const invitationRetention = '30d after acceptance or expiry';

export const membersDataMap: DataMap = {
  company_invitation: {
    id: technical('identifies an invitation (a hash of the emailed link token)'),
    company_id: technical('the company the invitation is to'),
    email: personal('account.contact', 'send the invitation and check that the invited person accepts it', 'contract', invitationRetention),
    role: technical('the role the invitation offers'),
    invited_by: personal('account.identifier', 'who invited the person', 'contract', invitationRetention),
    created_at: technical('ordering'),
    expires_at: technical('link validity'),
    accepted_at: technical('invitation state'),
    accepted_by: personal('account.identifier', 'who accepted the invitation', 'contract', invitationRetention),
    revoked_at: technical('invitation state'),
  },
};

/** What invitations hold about a person: those sent to their address and those they sent. */
export function membersProvider(db: Kysely<Database>): PersonalDataProvider {
  const emailOf = async (subjectId: string) =>
    (await db.selectFrom('account').select('email').where('id', '=', subjectId).executeTakeFirst())?.email.toLowerCase();
  return {
    name: 'company-invitations',
    describe: () => membersDataMap,
    async export(subjectId) {
      const email = await emailOf(subjectId);
      const columns = ['companyId', 'email', 'role', 'createdAt', 'expiresAt', 'acceptedAt', 'revokedAt'] as const;
      const received = email
        ? await db.selectFrom('companyInvitation').select(columns).where((eb) => eb.or([eb('email', '=', email), eb('acceptedBy', '=', subjectId)])).execute()
        : await db.selectFrom('companyInvitation').select(columns).where('acceptedBy', '=', subjectId).execute();
      const sent = await db.selectFrom('companyInvitation').select(columns).where('invitedBy', '=', subjectId).execute();
      return { provider: 'company-invitations', records: { received, sent } };
    },
    async erase(subjectId) {
      // Runs before the account is erased, so the address is still known.
      const email = await emailOf(subjectId);
      const result = await db
        .deleteFrom('companyInvitation')
        .where((eb) =>
          eb.or([eb('invitedBy', '=', subjectId), eb('acceptedBy', '=', subjectId), ...(email ? [eb('email', '=', email)] : [])]),
        )
        .executeTakeFirst();
      return { erased: Number(result.numDeletedRows) };
    },
  };
}
