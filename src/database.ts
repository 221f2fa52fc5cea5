import type { Kysely } from 'kysely';
import type { MailTables } from './platform/mail/outbox.js';
import type { AccountsTables } from './modules/accounts/index.js';
import type { CompaniesTables, MembersTables } from './modules/companies/index.js';
import type { TelemetryTables } from './modules/telemetry/index.js';
import type { NoticesTables } from './modules/notices/index.js';
import type { ConsentTables } from './modules/consent/index.js';
import type { AnalyticsTables } from './modules/analytics/index.js';
import type { PrivacyRequestsTables } from './modules/privacy-requests/index.js';
import type { ProductsTables } from './modules/products/index.js';
import type { SupportTables } from './modules/support/index.js';
import type { LegalTables } from './modules/legal/index.js';
import type { RfqTables } from './modules/rfq/index.js';
import type { InquiriesTables } from './modules/inquiries/index.js';
import type { SocialTables } from './modules/social/index.js';
import type { SurveysTables } from './modules/surveys/index.js';
import type { SubscriptionsTables } from './modules/subscriptions/index.js';
import type { IncidentsTables } from './modules/incidents/index.js';
import type { AuditTables } from './modules/audit/index.js';

/** Every table of the application, as Kysely sees it (camelCase names). */
export type Database = MailTables & AccountsTables & CompaniesTables & MembersTables & TelemetryTables & NoticesTables & ConsentTables & AnalyticsTables & PrivacyRequestsTables & ProductsTables & SupportTables & LegalTables & RfqTables & InquiriesTables & SocialTables & SurveysTables & SubscriptionsTables & IncidentsTables & AuditTables;

/**
 * Hands a module the handle typed with only its own tables. Kysely's types are invariant in the
 * schema, so this one cast (safe: Database contains every module's tables) lives here.
 */
export function tablesOf<T>(db: Kysely<Database>): Kysely<T> {
  return db as unknown as Kysely<T>;
}
