import type { Kysely } from 'kysely';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import type { Database } from '../../database.js';

const lifetime = 'account-lifetime';

export const accountsDataMap: DataMap = {
  account: {
    id: personal('account.identifier', 'identify the account', 'contract', lifetime),
    login_name: personal('account.identifier', 'sign in with a login name', 'contract', lifetime),
    login_name_key: personal('account.identifier', 'keep login names unique regardless of case', 'contract', lifetime),
    email: personal('account.contact', 'sign in, service messages, contact by trade partners', 'contract', lifetime),
    pending_email: personal('account.contact', 'verify a changed email address', 'contract', 'until verified, at most 24h'),
    email_verified_at: personal('account.security', 'prove the email address belongs to the person', 'contract', lifetime),
    mobile: personal('account.contact', 'contact by trade partners and staff', 'contract', lifetime),
    contact_person: personal('account.contact', 'name the person trade partners deal with', 'contract', lifetime),
    password_hash: personal('account.security', 'verify identity at sign-in (argon2id hash only)', 'contract', lifetime, {
      sensitive: true,
    }),
    role: personal('account.security', 'staff permissions', 'contract', lifetime),
    terms_accepted_at: personal('account.consent', 'record acceptance of the terms', 'contract', lifetime),
    password_changed_at: personal('account.security', 'security notices and session hygiene', 'contract', lifetime),
    created_at: technical('ordering and audit'),
    updated_at: technical('ordering and audit'),
  },
  account_session: {
    id: technical('hash of the session cookie', '30d'),
    account_id: personal('account.identifier', 'link a session to its account', 'contract', '30d'),
    browser: personal('device', 'show the person their signed-in devices', 'contract', '30d'),
    os: personal('device', 'show the person their signed-in devices', 'contract', '30d'),
    ip_prefix: personal('device', 'show the approximate network of a session (truncated address)', 'contract', '30d'),
    created_at: personal('device', 'show when a session began', 'contract', '30d'),
    last_seen_at: personal('device', 'show when a session was last used', 'contract', '30d'),
    expires_at: technical('end idle sessions', '30d'),
  },
  account_token: {
    id: technical('hash of an emailed single-use link', '7d after expiry'),
    account_id: personal('account.identifier', 'link a token to its account', 'contract', '7d after expiry'),
    purpose: technical('what the link does', '7d after expiry'),
    email: personal('account.contact', 'the address a verification link proves', 'contract', '7d after expiry'),
    created_at: technical('ordering', '7d after expiry'),
    expires_at: technical('single-use link expiry', '7d after expiry'),
    used_at: technical('single use', '7d after expiry'),
  },
  sign_in_throttle: {
    key: personal('security.pseudonymous', 'slow down password guessing (keyed hash of identifier or address)', 'legitimate-interest', '24h'),
    failures: technical('count of failed sign-ins', '24h'),
    last_failure_at: technical('forget old failures', '24h'),
    locked_until: technical('temporary lock', '24h'),
  },
};

/** Access, export and erasure of what the accounts module holds about a person. */
export function accountsProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'accounts',
    describe: () => accountsDataMap,
    async export(subjectId) {
      const account = await db
        .selectFrom('account')
        .select([
          'id',
          'loginName',
          'email',
          'pendingEmail',
          'emailVerifiedAt',
          'mobile',
          'contactPerson',
          'role',
          'termsAcceptedAt',
          'passwordChangedAt',
          'createdAt',
          'updatedAt',
        ])
        .where('id', '=', subjectId)
        .execute();
      const sessions = await db
        .selectFrom('accountSession')
        .select(['browser', 'os', 'ipPrefix', 'createdAt', 'lastSeenAt', 'expiresAt'])
        .where('accountId', '=', subjectId)
        .execute();
      const tokens = await db
        .selectFrom('accountToken')
        .select(['purpose', 'email', 'createdAt', 'expiresAt', 'usedAt'])
        .where('accountId', '=', subjectId)
        .execute();
      return { provider: 'accounts', records: { account, sessions, tokens } };
    },
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const sessions = await trx.deleteFrom('accountSession').where('accountId', '=', subjectId).executeTakeFirst();
        const tokens = await trx.deleteFrom('accountToken').where('accountId', '=', subjectId).executeTakeFirst();
        const account = await trx.deleteFrom('account').where('id', '=', subjectId).executeTakeFirst();
        return {
          erased: Number(sessions.numDeletedRows) + Number(tokens.numDeletedRows) + Number(account.numDeletedRows),
        };
      });
    },
  };
}
