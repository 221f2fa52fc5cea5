import type { Silkline } from './app.js';
import { errorKind } from './platform/jobs/serial-run.js';
import { deleteExpiredInvitations } from './modules/companies/index.js';
import { deleteExpiredPrivacyRequests } from './modules/privacy-requests/index.js';
import { incidentLinkRetention } from './modules/incidents/index.js';

/**
 * The retention registry: every time-bound retention period the data map declares (and the
 * privacy statement prints) is enforced by exactly one job here; test/retention.test.ts fails
 * when a declared period has no job, or two. Each job calls one function of the module that owns
 * the tables; `runRetention` runs them all, hourly, from `src/main.ts`.
 */

/** One (table, retention) pair of the data map, as declared (table name in snake_case). */
export interface RetentionRule {
  table: string;
  retention: string;
}

export interface RetentionJob {
  /** A stable name for logs. */
  name: string;
  /** The data map pairs this job enforces. */
  enforces: readonly RetentionRule[];
  /** Removes or anonymises what is past its period at `at`; answers counts for the log. */
  run(silkline: Silkline, at: Date): Promise<unknown>;
}

/**
 * Retention values that end with something other than time passing, so no periodic job applies;
 * each is enforced where that event happens.
 */
export const eventBoundRetentions: Readonly<Record<string, string>> = {
  'with-row': 'follows the retention of the other columns of its row',
  'account-lifetime': 'goes when the account is cancelled or erased (the privacy module runs every provider)',
  'company-lifetime': 'goes with the company',
  'company-lifetime; removed when the person leaves or the account is cancelled': 'removed by leaving, or by the erasure of the account',
  membership: 'goes when the member leaves or is removed',
  'while-listed': 'goes when the product is unlisted or deleted',
  'until unfollowed': 'goes when the person unfollows',
  'until the subscription is deleted': 'goes when the person deletes the subscription',
  'until published or discarded': 'a legal draft goes when it is published or discarded',
  'service-lifetime + 3 years': 'published legal texts are kept while the service runs; no end falls due while it does',
};

const rules = (tables: string[], retention: string): RetentionRule[] => tables.map((table) => ({ table, retention }));

/** Every retention job, the existing ones and those added with this registry. */
export const retentionJobs: readonly RetentionJob[] = [
  {
    name: 'accounts',
    enforces: [
      ...rules(['account_session'], '30d'),
      ...rules(['account_token'], '7d after expiry'),
      ...rules(['sign_in_throttle'], '24h'),
      ...rules(['account'], 'until verified, at most 24h'),
    ],
    run: (s, at) => s.accounts.purgeExpired(at),
  },
  {
    name: 'mail',
    enforces: rules(['mail_outbox'], '30d after sending'),
    run: (s, at) => s.mail.deleteExpired(at),
  },
  {
    name: 'telemetry',
    enforces: rules(['service_event'], '6 months'),
    run: (s, at) => s.telemetry.deleteExpired(at),
  },
  {
    name: 'companies',
    enforces: rules(['company_review', 'licence_view'], '3 years'),
    run: (s, at) => s.companies.deleteExpired(at),
  },
  {
    name: 'company-invitations',
    enforces: rules(['company_invitation'], '30d after acceptance or expiry'),
    run: (s, at) => deleteExpiredInvitations(s.db.kysely, at),
  },
  {
    name: 'privacy-requests',
    enforces: rules(['privacy_request', 'privacy_request_reply'], '3y after closing'),
    run: (s, at) => deleteExpiredPrivacyRequests(s.db.kysely, at),
  },
  {
    name: 'consent',
    enforces: rules(['consent_record'], 'account-lifetime + 3 years (proof of consent)'),
    run: (s, at) => s.consent.deleteExpired(at),
  },
  {
    name: 'analytics',
    enforces: [...rules(['analytics_visit'], '6 months'), ...rules(['analytics_page_count'], '2 years')],
    run: (s, at) => s.analytics.deleteExpired(at),
  },
  {
    name: 'support',
    enforces: rules(['support_ticket', 'support_message'], '3y after closing'),
    run: (s, at) => s.support.deleteExpired(at),
  },
  {
    name: 'rfq',
    enforces: rules(['rfq', 'rfq_quote'], '3 years after completion'),
    run: (s, at) => s.rfq.deleteExpired(at),
  },
  {
    name: 'inquiries',
    enforces: rules(['inquiry_thread', 'inquiry_message', 'inquiry_attachment', 'inquiry_participant'], '3 years after completion'),
    run: (s, at) => s.inquiries.deleteExpired(at),
  },
  {
    name: 'inquiry-reports',
    enforces: rules(['inquiry_report'], '3 years'),
    run: (s, at) => s.inquiries.deleteExpiredReports(at),
  },
  {
    name: 'social',
    enforces: rules(['share_link'], '1 year'),
    run: (s, at) => s.social.deleteExpired(at),
  },
  {
    name: 'surveys',
    enforces: [
      ...rules(['survey_response', 'survey_answer'], 'linked to the person until 90 days after the survey closes then only anonymous'),
      ...rules(['survey_response'], 'until 90 days after the survey closes or consent is withdrawn'),
      ...rules(['survey_invitation'], '90 days after the survey closes'),
    ],
    run: (s, at) => s.surveys.anonymiseExpired(at),
  },
  {
    name: 'incidents',
    enforces: rules(['incident_account', 'incident_delivery'], incidentLinkRetention),
    run: (s, at) => s.incidents.deleteExpired(at),
  },
  {
    name: 'audit',
    enforces: rules(['audit_entry'], '3 years'),
    run: (s, at) => s.audit.deleteExpired(at),
  },
];

/** Where the run reports; the app's logger fits. */
export interface RetentionLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface RetentionOutcome {
  name: string;
  ok: boolean;
  result?: unknown;
}

/**
 * Runs every job one after the other (SQLite has one writer). A job that fails is logged by its
 * name and error code only — error messages can quote the rows they failed on — and the others
 * still run; the failed one is tried again at the next run. Never rejects.
 * @example setInterval(() => void runRetention(app.silkline, new Date(), app.log), 3600_000)
 */
export async function runRetention(silkline: Silkline, at: Date, log: RetentionLog, jobs: readonly RetentionJob[] = retentionJobs): Promise<RetentionOutcome[]> {
  const outcomes: RetentionOutcome[] = [];
  for (const job of jobs) {
    try {
      outcomes.push({ name: job.name, ok: true, result: await job.run(silkline, at) });
    } catch (error) {
      outcomes.push({ name: job.name, ok: false });
      log.error({ job: job.name, error: errorKind(error) }, 'retention job failed');
    }
  }
  log.info({ results: Object.fromEntries(outcomes.map((o) => [o.name, o.ok ? (o.result ?? 'done') : 'failed'])) }, 'retention run finished');
  return outcomes;
}
