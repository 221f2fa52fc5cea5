import type { MigrationSet } from '../../platform/db/migrate.js';

export const staffRoles = ['user', 'reviewer', 'privacy-officer', 'support', 'admin'] as const;
export type Role = (typeof staffRoles)[number];

export interface AccountTable {
  id: string;
  loginName: string;
  /** Lower-cased login name: unique regardless of case. */
  loginNameKey: string;
  email: string;
  /** An address awaiting verification after a change; the old one stays until then. */
  pendingEmail: string | null;
  emailVerifiedAt: string | null;
  mobile: string;
  contactPerson: string;
  passwordHash: string;
  role: Role;
  termsAcceptedAt: string;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface AccountSessionTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  accountId: string;
  browser: string;
  os: string;
  ipPrefix: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export type TokenPurpose = 'verify-email' | 'reset-password';

export interface AccountTokenTable {
  /** SHA-256 of the emailed token. */
  id: string;
  accountId: string;
  purpose: TokenPurpose;
  /** For verify-email: the address the link proves. */
  email: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SignInThrottleTable {
  /** HMAC of the identifier or address being throttled, never the value itself. */
  key: string;
  failures: number;
  lastFailureAt: string;
  lockedUntil: string | null;
}

export interface AccountsTables {
  account: AccountTable;
  accountSession: AccountSessionTable;
  accountToken: AccountTokenTable;
  signInThrottle: SignInThrottleTable;
}

const time = 'varchar(32)';

export const accountsMigrations: MigrationSet = {
  '20261129T0100_accounts': {
    async up(db) {
      await db.schema
        .createTable('account')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('login_name', 'varchar(32)', (c) => c.notNull())
        .addColumn('login_name_key', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
        .addColumn('pending_email', 'varchar(320)')
        .addColumn('email_verified_at', time)
        .addColumn('mobile', 'varchar(20)', (c) => c.notNull())
        .addColumn('contact_person', 'varchar(100)', (c) => c.notNull())
        .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
        .addColumn('role', 'varchar(20)', (c) => c.notNull().defaultTo('user'))
        .addColumn('terms_accepted_at', time, (c) => c.notNull())
        .addColumn('password_changed_at', time, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('account_session')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('browser', 'varchar(60)', (c) => c.notNull())
        .addColumn('os', 'varchar(60)', (c) => c.notNull())
        .addColumn('ip_prefix', 'varchar(45)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('last_seen_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('account_session_account').on('account_session').column('account_id').execute();
      await db.schema
        .createTable('account_token')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('purpose', 'varchar(20)', (c) => c.notNull())
        .addColumn('email', 'varchar(320)')
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('used_at', time)
        .execute();
      await db.schema.createIndex('account_token_account').on('account_token').column('account_id').execute();
      await db.schema
        .createTable('sign_in_throttle')
        .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', time, (c) => c.notNull())
        .addColumn('locked_until', time)
        .execute();
    },
  },
};
