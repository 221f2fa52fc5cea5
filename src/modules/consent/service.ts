import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import UAParser from 'ua-parser-js';
import type { Database } from '../../database.js';
import { truncateIp } from '../../platform/http/ip.js';
import {
  explicitMethods,
  isGranted,
  optionalPurposes,
  refusedChoice,
  type Choice,
  type ConsentMethod,
  type OptionalPurpose,
  type Purpose,
} from './purposes.js';
import { deleteExpiredConsents } from './retention.js';
import { currentStatementVersion } from './statement-version.js';

/** Whose ledger: a signed-in account, or an anonymous browser by its consent id. */
export type ConsentOwner = { subject: string } | { consentId: string };

/** Where and how a choice was made, for the ledger. */
export interface ChoiceOrigin {
  method: ConsentMethod;
  ip?: string;
  userAgent?: string;
}

/** One ledger line as callers see it. */
export interface ConsentRecordView {
  id: string;
  purpose: Purpose;
  granted: boolean;
  method: ConsentMethod;
  statementVersion: string;
  createdAt: string;
  ipPrefix: string;
  browserClass: string;
}

/** The current choice of an owner under the current statement version; null before any choice. */
export interface CurrentChoice {
  choice: Choice;
  /** When the latest of its records was written, and how. */
  decidedAt: string;
  method: ConsentMethod;
}

export interface ConsentDeps {
  db: Kysely<Database>;
  clock?: () => Date;
  /** The statement version consents are given under; `currentStatementVersion` by default. */
  statementVersion?: () => string;
  /**
   * The statement versions whose consents still stand (the current one and those since the last
   * material change); only the current version by default. Choices made under any other are paused.
   */
  acceptedStatementVersions?: () => readonly string[];
}

const columns = ['id', 'subject', 'consentId', 'purpose', 'granted', 'method', 'statementVersion', 'createdAt', 'ipPrefix', 'browserClass'] as const;

function browserClass(userAgent: string | undefined): string {
  return (new UAParser(userAgent?.slice(0, 512) ?? '').getBrowser().name ?? '').slice(0, 40);
}

function grantOf(row: { granted: number; method: ConsentMethod }) {
  if (Number(row.granted) !== 1) return 'refused' as const;
  return explicitMethods.includes(row.method) ? ('explicit' as const) : ('api' as const);
}

/** Makes the consent service: the append-only ledger and the current choice read from it. */
export function createConsentService(deps: ConsentDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  const version = deps.statementVersion ?? currentStatementVersion;
  const accepted = deps.acceptedStatementVersions ?? (() => [version()]);
  let last = 0;
  // Ledger order decides the current choice, so times never repeat within this process.
  const now = () => {
    last = Math.max(clock().getTime(), last + 1);
    return new Date(last).toISOString();
  };

  const ownerRows = (owner: ConsentOwner) => {
    const query = db.selectFrom('consentRecord').select(columns);
    return 'subject' in owner ? query.where('subject', '=', owner.subject) : query.where('consentId', '=', owner.consentId).where('subject', 'is', null);
  };

  /** The latest record per purpose among rows of statement versions whose consents still stand. */
  function currentOf(rows: { purpose: Purpose; granted: number; method: ConsentMethod; statementVersion: string; createdAt: string }[]): CurrentChoice | null {
    const standing = new Set(accepted());
    const current = rows.filter((r) => standing.has(r.statementVersion));
    if (current.length === 0) return null;
    const choice = refusedChoice();
    const seen = new Set<string>();
    const newestFirst = [...current].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const row of newestFirst) {
      if (seen.has(row.purpose) || row.purpose === 'necessary') continue;
      seen.add(row.purpose);
      choice[row.purpose] = grantOf(row);
    }
    const latest = newestFirst[0]!;
    return { choice, decidedAt: latest.createdAt, method: latest.method };
  }

  async function record(owner: { subject: string | null; consentId: string | null }, grants: Partial<Record<OptionalPurpose, boolean>>, origin: ChoiceOrigin): Promise<Choice> {
    const createdAt = now();
    const choice = refusedChoice();
    const rows = optionalPurposes.map((purpose) => {
      const granted = grants[purpose] === true;
      if (granted) choice[purpose] = explicitMethods.includes(origin.method) ? 'explicit' : 'api';
      return {
        id: randomUUID(),
        subject: owner.subject,
        consentId: owner.consentId,
        statementVersion: version(),
        purpose,
        granted: granted ? 1 : 0,
        method: origin.method,
        createdAt,
        ipPrefix: truncateIp(origin.ip),
        browserClass: browserClass(origin.userAgent),
      };
    });
    await db.insertInto('consentRecord').values(rows).execute();
    return choice;
  }

  return {
    statementVersion: version,
    acceptedStatementVersions: accepted,

    /**
     * Appends one ledger row per optional purpose (a purpose left out is refused) and answers the
     * choice as now recorded.
     * @example await consent.record({ subject: null, consentId }, { analytics: true }, { method: 'banner', ip, userAgent })
     */
    record,

    /** The owner's current choice under the current statement version, or null before one. */
    async current(owner: ConsentOwner): Promise<CurrentChoice | null> {
      return currentOf(await ownerRows(owner).execute());
    },

    /** Whether an account consents to a purpose; see `isGranted` for the rule. */
    async hasConsent(subject: string, purpose: Purpose, options: { gpc?: boolean } = {}): Promise<boolean> {
      if (purpose === 'necessary') return true;
      const current = currentOf(await ownerRows({ subject }).execute());
      return isGranted(current?.choice ?? null, purpose, options.gpc ?? false);
    },

    /** The owner's ledger, newest first. */
    async history(owner: ConsentOwner): Promise<ConsentRecordView[]> {
      const rows = await ownerRows(owner).orderBy('createdAt', 'desc').orderBy('purpose').limit(500).execute();
      return rows.map((r) => ({
        id: r.id,
        purpose: r.purpose,
        granted: Number(r.granted) === 1,
        method: r.method,
        statementVersion: r.statementVersion,
        createdAt: r.createdAt,
        ipPrefix: r.ipPrefix,
        browserClass: r.browserClass,
      }));
    },

    /**
     * At sign-in the anonymous browser's choice becomes the account's: when the browser's latest
     * choice (current version) is newer than the account's, it is copied as new account rows with
     * the original method, so the ledger shows both the anonymous act and its attachment. Answers
     * whether anything was copied.
     */
    async attachAnonymous(subject: string, consentId: string, origin: Omit<ChoiceOrigin, 'method'>): Promise<boolean> {
      const [anonymous, account] = await Promise.all([ownerRows({ consentId }).execute(), ownerRows({ subject }).execute()]);
      const fromBrowser = currentOf(anonymous);
      if (!fromBrowser) return false;
      const ofAccount = currentOf(account);
      const accountLatest = account.reduce((max, r) => (r.createdAt > max ? r.createdAt : max), '');
      if (ofAccount && accountLatest >= fromBrowser.decidedAt) return false;
      const grants = Object.fromEntries(optionalPurposes.map((p) => [p, fromBrowser.choice[p] !== 'refused']));
      await record({ subject, consentId }, grants, { ...origin, method: fromBrowser.method });
      return true;
    },

    /** Applies the ledger's retention; see `deleteExpiredConsents` for the rules and why. */
    deleteExpired: (at: Date = clock()) => deleteExpiredConsents(db, at),
  };
}

export type ConsentService = ReturnType<typeof createConsentService>;
