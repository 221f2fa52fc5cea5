import type { Kysely } from 'kysely';
import { tablesOf, type Database } from './database.js';
import { mailDataMap, mailProvider, type MailTables } from './platform/mail/outbox.js';
import { mergeDataMaps, type PersonalDataProvider } from './platform/privacy/data-map.js';
import { accountsDataMap, accountsProvider } from './modules/accounts/index.js';
import { companiesDataMap, companiesProvider, membersDataMap, membersProvider } from './modules/companies/index.js';
import { telemetryDataMap, type Telemetry } from './modules/telemetry/index.js';
import { noticesDataMap, noticesProvider } from './modules/notices/index.js';
import { privacyRequestsDataMap, privacyRequestsProvider } from './modules/privacy-requests/index.js';
import { consentDataMap, consentProvider } from './modules/consent/index.js';
import { analyticsDataMap, analyticsProvider } from './modules/analytics/index.js';
import { productsDataMap, productsProvider } from './modules/products/index.js';
import { supportDataMap, supportProvider } from './modules/support/index.js';
import { legalDataMap, legalProvider } from './modules/legal/index.js';
import { rfqDataMap, rfqProvider } from './modules/rfq/index.js';
import { inquiriesDataMap, inquiriesProvider } from './modules/inquiries/index.js';
import { socialDataMap, socialProvider } from './modules/social/index.js';
import { surveysDataMap, surveysProvider } from './modules/surveys/index.js';
import { subscriptionsDataMap, subscriptionsProvider } from './modules/subscriptions/index.js';
import { incidentsDataMap, incidentsProvider } from './modules/incidents/index.js';
import { auditDataMap, auditProvider } from './modules/audit/index.js';

/** The whole data map: every column of every table, declared by its owner. */
export const dataMap = mergeDataMaps([mailDataMap, accountsDataMap, companiesDataMap, membersDataMap, telemetryDataMap, noticesDataMap, privacyRequestsDataMap, consentDataMap, analyticsDataMap, productsDataMap, supportDataMap, legalDataMap, rfqDataMap, inquiriesDataMap, socialDataMap, surveysDataMap, subscriptionsDataMap, incidentsDataMap, auditDataMap]);

/** Every module's personal-data provider, for access, export and erasure. */
export function personalDataProviders(db: Kysely<Database>, telemetry: Telemetry): PersonalDataProvider[] {
  // Accounts go last. Support finds tickets by the account's email, and companies clear a contact
  // whose address is the account's own: both need the account still there. Trade records keep
  // the person's place, anonymised, before the account goes. And when erasure fails part-way,
  // the account is still there, so the person can sign in and cancel again.
  return [supportProvider(db), membersProvider(db), rfqProvider(db), inquiriesProvider(db), socialProvider(db), surveysProvider(db), subscriptionsProvider(db), companiesProvider(db), telemetry.provider(), noticesProvider(db), privacyRequestsProvider(db), consentProvider(db), analyticsProvider(), productsProvider(db), legalProvider(db), mailProvider(tablesOf<MailTables>(db)), auditProvider(db), incidentsProvider(db), accountsProvider(db)];
}
