import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import type { AuthState } from '../../platform/http/context.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import { entryHash } from './chain.js';
import { auditActions, auditPurposes, chainId, type AuditAction, type AuditEntryTable, type AuditPurpose } from './tables.js';

/** Roles that may read the log and check its chain. */
const readerRoles = ['admin', 'privacy-officer'];
/** How long entries are kept (the declared retention). */
const retentionYears = 3;
export const auditPageSize = 50;
const verifyBatch = 500;

/** May the account read the audit log? One line, used by the page. */
export function canReadAudit(auth: AuthState | null): auth is AuthState {
  return auth !== null && readerRoles.includes(auth.role);
}

/** One act of a member of staff on personal data. */
export interface AuditRecordInput {
  actor: Pick<AuthState, 'accountId' | 'role'>;
  action: AuditAction;
  target: { type: string; id: string };
  purpose: AuditPurpose;
}

/** Why `verify` stopped: where the chain no longer holds together. */
export const auditBreaks = ['hash-mismatch', 'sequence-gap', 'previous-hash-mismatch', 'head-mismatch'] as const;
export type AuditBreak = (typeof auditBreaks)[number];

export type AuditVerification = { ok: true; entries: number } | { ok: false; brokenAt: number; reason: AuditBreak };

export interface AuditFilter {
  actorId?: string;
  action?: AuditAction;
}

export interface AuditPage {
  items: AuditEntryTable[];
  page: number;
  pages: number;
  total: number;
}

export interface AuditDeps {
  db: Kysely<Database>;
  clock?: () => Date;
}

const entryColumns = ['seq', 'recordedAt', 'actorId', 'actorRole', 'action', 'targetType', 'targetId', 'purpose', 'prevHash', 'hash'] as const;

/** Makes the audit service: the hash-chained log of staff access to personal data. */
export function createAuditService(deps: AuditDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  /**
   * Appends inside `trx`. The first statement moves the head row, which takes its lock: on
   * PostgreSQL a second append waits there until the first commits and then reads the new head
   * (READ COMMITTED re-reads a row it waited for); SQLite has one writer anyway. The primary key
   * on `seq` is the last guard: were two appends ever to read the same head, one fails.
   */
  async function append(trx: Transaction<Database>, input: AuditRecordInput): Promise<{ seq: number; hash: string }> {
    await trx.updateTable('auditChain').set((eb) => ({ lastSeq: eb('lastSeq', '+', 1) })).where('id', '=', chainId).execute();
    const head = await trx.selectFrom('auditChain').select(['lastSeq', 'lastHash']).where('id', '=', chainId).executeTakeFirstOrThrow();
    const entry = {
      seq: Number(head.lastSeq),
      recordedAt: clock().toISOString(),
      actorId: input.actor.accountId,
      actorRole: input.actor.role,
      action: input.action,
      targetType: input.target.type,
      targetId: input.target.id,
      purpose: input.purpose,
      prevHash: head.lastHash,
    };
    const hash = entryHash(entry);
    await trx.insertInto('auditEntry').values({ ...entry, hash }).execute();
    await trx.updateTable('auditChain').set({ lastHash: hash, updatedAt: entry.recordedAt }).where('id', '=', chainId).execute();
    return { seq: entry.seq, hash };
  }

  return {
    /**
     * Records one act of staff on personal data. Given a transaction, the entry commits or rolls
     * back with the act; call it last there, since it holds the chain's head until the commit.
     * Given the root handle (a pure read), it appends in a transaction of its own, tried twice.
     * Throws when it cannot record: callers let that fail the request, so nothing is shown
     * unrecorded.
     * @example await audit.record(trx, { actor: auth, action: 'privacy-request.reply', target: { type: 'privacy-request', id }, purpose: 'rights-request' })
     */
    async record(executor: Executor<Database>, input: AuditRecordInput): Promise<{ seq: number; hash: string }> {
      if (!(auditActions as readonly string[]).includes(input.action)) throw new Error('unknown audit action');
      if (!(auditPurposes as readonly string[]).includes(input.purpose)) throw new Error('unknown audit purpose');
      if (executor.isTransaction) return append(executor as Transaction<Database>, input);
      try {
        return await executor.transaction().execute((trx) => append(trx, input));
      } catch {
        // A busy SQLite file or a lost race on the sequence: the retry reads the new head.
        return executor.transaction().execute((trx) => append(trx, input));
      }
    },

    /**
     * Walks the kept chain oldest first, in batches, from the checkpoint in the head row: each
     * entry must have the next sequence number, its own hash, and the previous entry's hash; and
     * the newest must be the head's. Answers where it first breaks.
     */
    async verify(): Promise<AuditVerification> {
      const head = await db.selectFrom('auditChain').selectAll().where('id', '=', chainId).executeTakeFirstOrThrow();
      const lastSeq = Number(head.lastSeq);
      let expected = Number(head.firstSeq);
      let previous = head.anchorHash;
      let entries = 0;
      let cursor = expected - 1;
      for (;;) {
        const rows = await db
          .selectFrom('auditEntry')
          .select(entryColumns)
          .where('seq', '>', cursor)
          .where('seq', '<=', lastSeq)
          .orderBy('seq')
          .limit(verifyBatch)
          .execute();
        for (const { hash, ...row } of rows) {
          const seq = Number(row.seq);
          if (seq !== expected) return { ok: false, brokenAt: expected, reason: 'sequence-gap' };
          if (entryHash(row) !== hash) return { ok: false, brokenAt: seq, reason: 'hash-mismatch' };
          if (row.prevHash !== previous) return { ok: false, brokenAt: seq, reason: 'previous-hash-mismatch' };
          previous = hash;
          expected += 1;
          entries += 1;
        }
        if (rows.length < verifyBatch) break;
        cursor = expected - 1;
      }
      // Entries missing at the newest end, or a head that names another last entry.
      if (expected !== lastSeq + 1) return { ok: false, brokenAt: expected, reason: 'sequence-gap' };
      if (previous !== head.lastHash) return { ok: false, brokenAt: lastSeq, reason: 'head-mismatch' };
      return { ok: true, entries };
    },

    /** Entries newest first, 50 a page, by actor and action if given; readers only (checked by the page). */
    async list(filter: AuditFilter, page: number): Promise<AuditPage> {
      let query = db.selectFrom('auditEntry');
      if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
      if (filter.action) query = query.where('action', '=', filter.action);
      const total = toCount((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const pages = Math.max(1, Math.ceil(total / auditPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await query.select(entryColumns).orderBy('seq', 'desc').limit(auditPageSize).offset((current - 1) * auditPageSize).execute();
      return { items: rows.map((r) => ({ ...r, seq: Number(r.seq) })), page: current, pages, total };
    },

    /**
     * Deletes entries older than 3 years, in batches. Only ever a prefix of the chain goes (it
     * stops at the first entry still inside its period), and in the same transaction the head
     * row's checkpoint moves to the oldest kept entry and the hash it must name as its previous
     * one, so `verify` checks the rest from there and still notices entries deleted by hand.
     */
    async deleteExpired(at: Date = clock()): Promise<number> {
      const before = cutoffBefore(at, { years: retentionYears });
      return inBatches((limit) =>
        db.transaction().execute(async (trx) => {
          // The head first, as appends take it, so retention and appends never wait on each other in turn.
          await trx.updateTable('auditChain').set({ updatedAt: clock().toISOString() }).where('id', '=', chainId).execute();
          const head = await trx.selectFrom('auditChain').select('firstSeq').where('id', '=', chainId).executeTakeFirstOrThrow();
          const rows = await trx
            .selectFrom('auditEntry')
            .select(['seq', 'recordedAt', 'hash'])
            .where('seq', '>=', Number(head.firstSeq))
            .orderBy('seq')
            .limit(limit)
            .execute();
          const kept = rows.findIndex((r) => r.recordedAt >= before);
          const expired = kept === -1 ? rows : rows.slice(0, kept);
          const last = expired.at(-1);
          if (!last) return 0;
          await trx.deleteFrom('auditEntry').where('seq', '<=', Number(last.seq)).execute();
          await trx.updateTable('auditChain').set({ firstSeq: Number(last.seq) + 1, anchorHash: last.hash }).where('id', '=', chainId).execute();
          return expired.length;
        }),
      );
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
/** What other modules need of the audit service: recording, nothing else. */
export type AuditRecorder = Pick<AuditService, 'record'>;
