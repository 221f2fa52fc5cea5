import { randomUUID } from 'node:crypto';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { cutoffBefore, inBatches } from '../../platform/privacy/retention-period.js';
import * as repo from './repo.js';
import type { ReportInput } from './schema.js';
import type { InquiriesDeps } from './service.js';
import type { ReportReason, Side } from './tables.js';
import { toMessages, toThread, type MessageView, type ThreadView } from './thread-view.js';

export const reportsPageSize = 20;
/** How long reports are kept, handled or not (the declared retention). */
const reportRetentionYears = 3;
/** Staff who work the queue of reported threads. */
const reportHandlerRoles = ['admin', 'support'];

/** May the account work the reported-thread queue? One line, used by pages and API alike. */
export function canHandleReports(auth: AuthState | null): auth is AuthState {
  return auth !== null && reportHandlerRoles.includes(auth.role);
}

export interface ReportView {
  id: string;
  threadId: string;
  /** The side of the thread the reporter was on. */
  side: Side;
  reason: ReportReason;
  details: string | null;
  createdAt: string;
  handledAt: string | null;
  subject: string;
  companyId: string;
  companyNameZh: string;
}

export interface ReportQueuePage {
  items: ReportView[];
  page: number;
  pages: number;
  total: number;
}

function toReport(row: ReportView): ReportView {
  return {
    id: row.id,
    threadId: row.threadId,
    side: row.side,
    reason: row.reason,
    details: row.details,
    createdAt: row.createdAt,
    handledAt: row.handledAt,
    subject: row.subject,
    companyId: row.companyId,
    companyNameZh: row.companyNameZh,
  };
}

/** Reports of abusive threads by their participants, and the staff queue that handles them. */
export function createReports(deps: InquiriesDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  const assertStaff = (auth: AuthState) => {
    if (!canHandleReports(auth)) throw new AppError('FORBIDDEN');
  };

  return {
    /** Puts a thread the caller is part of in the staff queue; reporting it again while open changes nothing. */
    async report(auth: AuthState, threadId: string, input: ReportInput): Promise<{ reportId: string }> {
      const thread = await repo.findThreadFor(db, threadId, auth.accountId);
      if (!thread) throw new AppError('NOT_FOUND');
      return db.transaction().execute(async (trx) => {
        const open = await repo.findOpenReport(trx, threadId, auth.accountId);
        if (open) return { reportId: open.id };
        const id = randomUUID();
        await repo.insertReport(trx, {
          id,
          threadId,
          reporterAccountId: auth.accountId,
          side: thread.buyerAccountId === auth.accountId ? 'buyer' : 'supplier',
          reason: input.reason,
          details: input.details,
          createdAt: now().toISOString(),
          handledAt: null,
          handledBy: null,
        });
        return { reportId: id };
      });
    },

    /** Reports not yet handled, oldest first, 20 a page; support staff and admins only. */
    async reportQueue(auth: AuthState, page: number): Promise<ReportQueuePage> {
      assertStaff(auth);
      const total = await repo.countOpenReports(db);
      const pages = Math.max(1, Math.ceil(total / reportsPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await repo.listOpenReports(db, reportsPageSize, (current - 1) * reportsPageSize);
      return { items: rows.map(toReport), page: current, pages, total };
    },

    /** One report with the reported thread and its messages; support staff and admins only. */
    async getReport(auth: AuthState, reportId: string): Promise<{ report: ReportView; thread: ThreadView; messages: MessageView[] }> {
      assertStaff(auth);
      const report = await repo.findReport(db, reportId);
      if (!report) throw new AppError('NOT_FOUND');
      const thread = await repo.findThread(db, report.threadId);
      if (!thread) throw new AppError('NOT_FOUND');
      const messages = await repo.listMessages(db, thread.id);
      const attachments = await repo.listAttachments(db, thread.id);
      await deps.audit.record(db, { actor: auth, action: 'inquiry-report.view', target: { type: 'inquiry-report', id: reportId }, purpose: 'abuse-report' });
      return {
        report: toReport(report),
        thread: toThread({ ...thread, lastReadAt: null, archivedAt: null }, null),
        messages: toMessages(messages, attachments, null),
      };
    },

    /** Marks a report handled; handling it twice changes nothing. */
    async handleReport(auth: AuthState, reportId: string): Promise<void> {
      assertStaff(auth);
      const report = await repo.findReport(db, reportId);
      if (!report) throw new AppError('NOT_FOUND');
      await repo.markReportHandled(db, reportId, auth.accountId, now().toISOString());
    },

    /**
     * Deletes reports made more than 3 years ago (their declared retention), handled or not, in
     * batches; answers how many. Deleting a thread takes its reports with it sooner.
     */
    async deleteExpiredReports(at: Date = now()): Promise<number> {
      const before = cutoffBefore(at, { years: reportRetentionYears });
      return inBatches((limit) => repo.deleteReportsBefore(db, before, limit));
    },
  };
}
