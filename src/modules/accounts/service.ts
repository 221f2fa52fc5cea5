import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Executor } from '../../platform/db/client.js';
import UAParser from 'ua-parser-js';
import type { Config } from '../../config.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { AppError } from '../../platform/http/errors.js';
import { truncateIp } from '../../platform/http/ip.js';
import type { AuthState } from '../../platform/http/context.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { Database } from '../../database.js';
import { argon2Hasher, assessPassword } from './password.js';
import * as repo from './repo.js';
import type { PasswordChange, ProfileUpdate, Registration, SignIn } from './schema.js';
import type { AccountTable, Role, TokenPurpose } from './tables.js';
import { staffRoles } from './tables.js';
import { assertNotThrottled, recordFailure, recordSuccess, throttleKey } from './throttle.js';

type Db = Executor<Database>;

export interface AccountsDeps {
  db: Kysely<Database>;
  config: Config;
  /** Secret for throttle keys (HMAC). */
  secret: string;
  translator: (locale: Locale) => Translate;
  /** Called after a transaction that queued mail commits, so delivery can start. */
  onMailQueued?: () => void;
  clock?: () => Date;
}

export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

/** What pages and the API may show of an account: never the hash, never internal columns. */
export interface Profile {
  id: string;
  loginName: string;
  email: string;
  pendingEmail: string | null;
  emailVerified: boolean;
  mobile: string;
  contactPerson: string;
  role: Role;
  createdAt: string;
}

export interface SessionView {
  id: string;
  browser: string;
  os: string;
  ipPrefix: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

const day = 86_400_000;
const sessionIdleMs = 14 * day;
const sessionMaxMs = 30 * day;
const verifyEmailMs = day;
const resetPasswordMs = 60 * 60_000;
const touchEveryMs = 60_000;

export const sessionCookie = 'sid';
export const sessionCookieMaxAge = sessionMaxMs / 1000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function toProfile(account: AccountTable): Profile {
  return {
    id: account.id,
    loginName: account.loginName,
    email: account.email,
    pendingEmail: account.pendingEmail,
    emailVerified: account.emailVerifiedAt !== null,
    mobile: account.mobile,
    contactPerson: account.contactPerson,
    role: account.role,
    createdAt: account.createdAt,
  };
}

function describeClient(userAgent: string | undefined) {
  const result = new UAParser(userAgent?.slice(0, 512) ?? '').getResult();
  const browser = [result.browser.name, result.browser.major].filter(Boolean).join(' ') || 'unknown';
  const os = [result.os.name, result.os.version].filter(Boolean).join(' ') || 'unknown';
  return { browser: browser.slice(0, 60), os: os.slice(0, 60) };
}

/** Makes the accounts service: registration, sign-in, sessions, profile and passwords. */
export function createAccountsService(deps: AccountsDeps) {
  const { db, config } = deps;
  const now = deps.clock ?? (() => new Date());
  const hasher = argon2Hasher(config.argon2MemoryKib);
  const link = (path: string) => `${config.publicUrl}${path}`;
  // A real hash to verify against when no account matches, so both answers take as long.
  const decoyHash = hasher.hash(newToken());

  /** Refuses a guessable password; the person's own identifiers count as guessable. */
  function refuseWeakPassword(
    password: string,
    person: { loginName: string; email: string; contactPerson: string; mobile: string },
    field: string,
  ) {
    const strength = assessPassword(password, [person.loginName, person.email, person.contactPerson, person.mobile]);
    if (!strength.acceptable) {
      throw new AppError('VALIDATION_FAILED', { fields: { [field]: strength.reason ?? 'accounts.error.passwordWeak' } });
    }
  }

  /** Issues a single-use link token, retiring the account's earlier ones of that purpose. */
  async function issueToken(trx: Db, accountId: string, purpose: TokenPurpose, email: string | null, lifetimeMs: number) {
    const token = newToken();
    const at = now();
    await repo.retireTokens(trx, accountId, purpose, at.toISOString());
    await repo.insertToken(trx, {
      id: sha256(token),
      accountId,
      purpose,
      email,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + lifetimeMs).toISOString(),
      usedAt: null,
    });
    return token;
  }

  async function queueVerification(
    trx: Db,
    account: { id: string; contactPerson: string },
    address: string,
    locale: Locale,
    next?: string,
  ) {
    const token = await issueToken(trx, account.id, 'verify-email', address, verifyEmailMs);
    const after = next && next !== '/' ? `&next=${encodeURIComponent(next)}` : '';
    const t = deps.translator(locale);
    await enqueueMail(trx, {
      to: address,
      subjectId: account.id,
      kind: 'verify-email',
      subject: t('accounts.mail.verify.subject'),
      text: t('accounts.mail.verify.body', {
        name: account.contactPerson,
        link: link(`/verify-email?token=${token}${after}`),
        hours: verifyEmailMs / 3600_000,
      }),
    });
  }

  /**
   * Creates an account after the password and uniqueness checks, inside one transaction with
   * whatever `andThen` adds. Staff accounts made from the CLI start verified.
   */
  async function createAccount(
    input: Omit<Registration, 'acceptTerms'>,
    role: Role,
    andThen?: (trx: Db, id: string) => Promise<void>,
  ): Promise<string> {
    refuseWeakPassword(input.password, input, 'password');
    const loginNameKey = input.loginName.toLowerCase();
    const id = randomUUID();
    const passwordHash = await hasher.hash(input.password);
    await db.transaction().execute(async (trx) => {
      if (await repo.findAccountByLoginKey(trx, loginNameKey)) {
        throw new AppError('LOGIN_NAME_TAKEN', { fields: { loginName: 'accounts.error.loginNameTaken' } });
      }
      if (await repo.findAccountByEmail(trx, input.email)) {
        throw new AppError('EMAIL_TAKEN', { fields: { email: 'accounts.error.emailTaken' } });
      }
      const at = now().toISOString();
      await repo.insertAccount(trx, {
        id,
        loginName: input.loginName,
        loginNameKey,
        email: input.email,
        pendingEmail: null,
        emailVerifiedAt: role === 'user' ? null : at,
        mobile: input.mobile,
        contactPerson: input.contactPerson,
        passwordHash,
        role,
        termsAcceptedAt: at,
        passwordChangedAt: at,
        createdAt: at,
        updatedAt: at,
      });
      await andThen?.(trx, id);
    });
    return id;
  }

  /** The signed-in person's account row, once the password given is theirs. */
  async function accountWithPassword(auth: AuthState, password: string, field: string) {
    const account = await repo.findAccountById(db, auth.accountId);
    if (!account) throw new AppError('NOT_FOUND');
    if (!(await hasher.verify(account.passwordHash, password))) {
      throw new AppError('VALIDATION_FAILED', { fields: { [field]: 'accounts.error.currentPasswordWrong' } });
    }
    return account;
  }

  function mailQueued() {
    deps.onMailQueued?.();
  }

  return {
    /**
     * Registers an account and emails a verification link; the account signs in once verified.
     * `next` is where the link leads on to (a same-site path).
     */
    async register(input: Registration, locale: Locale, next?: string): Promise<{ accountId: string }> {
      const accountId = await createAccount(input, 'user', async (trx, id) => {
        await queueVerification(trx, { id, contactPerson: input.contactPerson }, input.email, locale, next);
      });
      mailQueued();
      return { accountId };
    },

    /** Confirms the address a verification link was sent to; a pending new address replaces the old. */
    async verifyEmail(token: string): Promise<{ accountId: string }> {
      const at = now().toISOString();
      return db.transaction().execute(async (trx) => {
        const row = await repo.findUsableToken(trx, sha256(token), 'verify-email', at);
        if (!row || !(await repo.useToken(trx, row.id, at))) {
          throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.verifyLinkInvalid' });
        }
        const account = await repo.findAccountById(trx, row.accountId);
        if (!account) throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.verifyLinkInvalid' });
        if (row.email && row.email !== account.email) {
          if (account.pendingEmail !== row.email) {
            throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.verifyLinkInvalid' });
          }
          if (await repo.findAccountByEmail(trx, row.email)) {
            throw new AppError('EMAIL_TAKEN', { messageKey: 'accounts.error.emailTaken' });
          }
          await repo.updateAccount(trx, account.id, { email: row.email, pendingEmail: null, emailVerifiedAt: at, updatedAt: at });
        } else {
          await repo.updateAccount(trx, account.id, { emailVerifiedAt: account.emailVerifiedAt ?? at, updatedAt: at });
        }
        return { accountId: account.id };
      });
    },

    /** Sends a fresh verification link if the address belongs to an unverified account; silent otherwise. */
    async resendVerification(email: string, locale: Locale): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const account = await repo.findAccountByEmail(trx, email);
        if (!account || account.emailVerifiedAt) return;
        await queueVerification(trx, account, account.email, locale);
      });
      mailQueued();
    },

    /**
     * Signs in with an email or a login name. The refusal is the same whether or not the account
     * exists; repeated failures slow down and then lock the identifier and the address.
     */
    async signIn(input: SignIn, client: ClientInfo): Promise<{ token: string; profile: Profile }> {
      const at = now();
      const identifier = input.identifier.toLowerCase();
      const idKey = throttleKey(deps.secret, 'identifier', identifier);
      const ipKey = throttleKey(deps.secret, 'ip', client.ip ?? 'unknown');
      await assertNotThrottled(db, [idKey, ipKey], at);
      const account = identifier.includes('@')
        ? await repo.findAccountByEmail(db, identifier)
        : await repo.findAccountByLoginKey(db, identifier);
      const matches = account
        ? await hasher.verify(account.passwordHash, input.password)
        : await hasher.verify(await decoyHash, input.password).then(() => false);
      if (!account || !matches) {
        await recordFailure(db, 'identifier', idKey, at);
        await recordFailure(db, 'ip', ipKey, at);
        throw new AppError('INVALID_CREDENTIALS', { messageKey: 'accounts.error.invalidCredentials' });
      }
      if (!account.emailVerifiedAt) {
        throw new AppError('EMAIL_NOT_VERIFIED', { messageKey: 'accounts.error.emailNotVerified' });
      }
      await recordSuccess(db, idKey);
      const token = newToken();
      const { browser, os } = describeClient(client.userAgent);
      await repo.insertSession(db, {
        id: sha256(token),
        accountId: account.id,
        browser,
        os,
        ipPrefix: truncateIp(client.ip),
        createdAt: at.toISOString(),
        lastSeenAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + sessionIdleMs).toISOString(),
      });
      return { token, profile: toProfile(account) };
    },

    /** Resolves a session cookie to the signed-in state, extending an active session. */
    async authenticate(token: string): Promise<AuthState | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
      const at = now();
      const session = await repo.findLiveSession(db, sha256(token), at.toISOString());
      if (!session) return null;
      if (at.getTime() - Date.parse(session.lastSeenAt) > touchEveryMs) {
        const expires = Math.min(Date.parse(session.createdAt) + sessionMaxMs, at.getTime() + sessionIdleMs);
        await repo.touchSession(db, session.id, at.toISOString(), new Date(expires).toISOString());
      }
      return {
        accountId: session.accountId,
        sessionId: session.id,
        role: session.role,
        displayName: session.contactPerson || session.loginName,
      };
    },

    async signOut(auth: AuthState): Promise<void> {
      await repo.deleteSession(db, auth.accountId, auth.sessionId);
    },

    async listSessions(auth: AuthState): Promise<SessionView[]> {
      const rows = await repo.listSessions(db, auth.accountId, now().toISOString());
      return rows.map((row) => ({ ...row, id: row.id.slice(0, 16), current: row.id === auth.sessionId }));
    },

    /** Ends one of the account's own sessions, named by the short id the list shows. */
    async revokeSession(auth: AuthState, shortId: string): Promise<void> {
      const rows = await repo.listSessions(db, auth.accountId, now().toISOString());
      const match = /^[0-9a-f]{16}$/.test(shortId) ? rows.find((row) => row.id.startsWith(shortId)) : undefined;
      if (!match) throw new AppError('NOT_FOUND', { messageKey: 'accounts.error.sessionNotFound' });
      await repo.deleteSession(db, auth.accountId, match.id);
    },

    async revokeOtherSessions(auth: AuthState): Promise<number> {
      return repo.deleteSessionsExcept(db, auth.accountId, auth.sessionId);
    },

    async getProfile(accountId: string): Promise<Profile> {
      const account = await repo.findAccountById(db, accountId);
      if (!account) throw new AppError('NOT_FOUND');
      return toProfile(account);
    },

    /**
     * Corrects and supplements the basic information. Name and mobile change at once; a new email
     * address takes over only after its verification link is followed.
     */
    async updateProfile(accountId: string, input: ProfileUpdate, locale: Locale): Promise<{ profile: Profile; emailPending: boolean }> {
      const result = await db.transaction().execute(async (trx) => {
        const account = await repo.findAccountById(trx, accountId);
        if (!account) throw new AppError('NOT_FOUND');
        const at = now().toISOString();
        const emailChanged = input.email !== account.email;
        if (emailChanged) {
          const holder = await repo.findAccountByEmail(trx, input.email);
          if (holder && holder.id !== accountId) {
            throw new AppError('EMAIL_TAKEN', { fields: { email: 'accounts.error.emailTaken' } });
          }
        }
        await repo.updateAccount(trx, accountId, {
          contactPerson: input.contactPerson,
          mobile: input.mobile,
          pendingEmail: emailChanged ? input.email : null,
          updatedAt: at,
        });
        if (emailChanged) await queueVerification(trx, { id: accountId, contactPerson: input.contactPerson }, input.email, locale);
        else await repo.retireTokens(trx, accountId, 'verify-email', at);
        const updated = await repo.findAccountById(trx, accountId);
        return { profile: toProfile(updated!), emailPending: emailChanged };
      });
      if (result.emailPending) mailQueued();
      return result;
    },

    /**
     * Checks the signed-in person's password again before a sensitive act (downloading all their
     * data); a wrong one is a field error on `field`.
     */
    async confirmPassword(auth: AuthState, password: string, field = 'password'): Promise<void> {
      await accountWithPassword(auth, password, field);
    },

    /** Changes the password after checking the current one, and ends every other session. */
    async changePassword(auth: AuthState, input: PasswordChange, locale: Locale): Promise<void> {
      const account = await accountWithPassword(auth, input.currentPassword, 'currentPassword');
      refuseWeakPassword(input.newPassword, account, 'newPassword');
      const passwordHash = await hasher.hash(input.newPassword);
      const t = deps.translator(locale);
      await db.transaction().execute(async (trx) => {
        const at = now().toISOString();
        await repo.updateAccount(trx, account.id, { passwordHash, passwordChangedAt: at, updatedAt: at });
        await repo.deleteSessionsExcept(trx, account.id, auth.sessionId);
        await enqueueMail(trx, {
          to: account.email,
          subjectId: account.id,
          kind: 'password-changed',
          subject: t('accounts.mail.passwordChanged.subject'),
          text: t('accounts.mail.passwordChanged.body', { name: account.contactPerson, link: link('/password/forgot') }),
        });
      });
      mailQueued();
    },

    /** Emails a single-use reset link if the address has an account; the answer is the same either way. */
    async requestPasswordReset(email: string, locale: Locale): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const account = await repo.findAccountByEmail(trx, email);
        if (!account) return;
        const token = await issueToken(trx, account.id, 'reset-password', null, resetPasswordMs);
        const t = deps.translator(locale);
        await enqueueMail(trx, {
          to: account.email,
          subjectId: account.id,
          kind: 'reset-password',
          subject: t('accounts.mail.reset.subject'),
          text: t('accounts.mail.reset.body', {
            name: account.contactPerson,
            link: link(`/password/reset?token=${token}`),
            minutes: resetPasswordMs / 60_000,
          }),
        });
      });
      mailQueued();
    },

    /** Whether a reset link can still be used, so the page can say so before the form is filled. */
    async isResetTokenUsable(token: string): Promise<boolean> {
      return Boolean(await repo.findUsableToken(db, sha256(token), 'reset-password', now().toISOString()));
    },

    /** Sets a new password from a reset link, ends every session and uses up the link. */
    async resetPassword(token: string, newPassword: string): Promise<void> {
      const at = now().toISOString();
      const row = await repo.findUsableToken(db, sha256(token), 'reset-password', at);
      if (!row) throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.resetLinkInvalid' });
      const account = await repo.findAccountById(db, row.accountId);
      if (!account) throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.resetLinkInvalid' });
      refuseWeakPassword(newPassword, account, 'newPassword');
      const passwordHash = await hasher.hash(newPassword);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.useToken(trx, row.id, at))) {
          throw new AppError('TOKEN_INVALID', { messageKey: 'accounts.error.resetLinkInvalid' });
        }
        // Following the emailed link proves the address as well.
        await repo.updateAccount(trx, account.id, {
          passwordHash,
          passwordChangedAt: at,
          updatedAt: at,
          emailVerifiedAt: account.emailVerifiedAt ?? at,
        });
        await repo.deleteSessionsExcept(trx, account.id, null);
      });
    },

    /** Creates a verified staff administrator; used by the CLI, never by a web request. */
    async createAdmin(input: Omit<Registration, 'acceptTerms'>): Promise<{ accountId: string }> {
      return { accountId: await createAccount(input, 'admin') };
    },

    /** Whether the account is the only administrator: without it nobody could grant staff roles in the site. */
    async isLastAdmin(accountId: string): Promise<boolean> {
      const admins = await db.selectFrom('account').select('id').where('role', '=', 'admin').limit(2).execute();
      return admins.length === 1 && admins[0]!.id === accountId;
    },

    /** Gives an account a staff role (or takes it back to `user`). */
    async setRole(loginName: string, role: Role): Promise<void> {
      if (!staffRoles.includes(role)) throw new AppError('VALIDATION_FAILED', { fields: { role: 'accounts.error.roleUnknown' } });
      const account = await repo.findAccountByLoginKey(db, loginName.toLowerCase());
      if (!account) throw new AppError('NOT_FOUND');
      await repo.updateAccount(db, account.id, { role, updatedAt: now().toISOString() });
    },

    /**
     * Forgets expired sessions, tokens a week past expiry, throttle rows after a day, and pending
     * email addresses not verified within their link's 24 hours (the declared retentions).
     */
    async purgeExpired(at: Date = now()): Promise<void> {
      await repo.deleteExpiredSessions(db, at.toISOString());
      await repo.clearStalePendingEmails(db, new Date(at.getTime() - verifyEmailMs).toISOString());
      await repo.deleteStaleThrottles(db, new Date(at.getTime() - day).toISOString());
      await db.deleteFrom('accountToken').where('expiresAt', '<', new Date(at.getTime() - 7 * day).toISOString()).execute();
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
