import type { MigrationSet } from './platform/db/migrate.js';
import { mailMigrations } from './platform/mail/outbox.js';
import { accountsMigrations } from './modules/accounts/index.js';
import { companiesMigrations, membersMigrations } from './modules/companies/index.js';
import { telemetryMigrations } from './modules/telemetry/index.js';
import { noticesMigrations } from './modules/notices/index.js';
import { consentMigrations } from './modules/consent/index.js';
import { analyticsMigrations } from './modules/analytics/index.js';
import { privacyRequestsMigrations } from './modules/privacy-requests/index.js';
import { productsMigrations } from './modules/products/index.js';
import { supportMigrations } from './modules/support/index.js';
import { legalMigrations } from './modules/legal/index.js';
import { rfqMigrations } from './modules/rfq/index.js';
import { inquiriesMigrations } from './modules/inquiries/index.js';
import { socialMigrations } from './modules/social/index.js';
import { surveysMigrations } from './modules/surveys/index.js';
import { subscriptionsMigrations } from './modules/subscriptions/index.js';
import { incidentsMigrations } from './modules/incidents/index.js';
import { auditMigrations } from './modules/audit/index.js';

/** All migrations, gathered from their owners; names are timestamped so order is global. */
export const migrations: MigrationSet = { ...mailMigrations, ...accountsMigrations, ...companiesMigrations, ...membersMigrations, ...telemetryMigrations, ...noticesMigrations, ...consentMigrations, ...analyticsMigrations, ...privacyRequestsMigrations, ...productsMigrations, ...supportMigrations, ...legalMigrations, ...rfqMigrations, ...inquiriesMigrations, ...socialMigrations, ...surveysMigrations, ...subscriptionsMigrations, ...incidentsMigrations, ...auditMigrations };
