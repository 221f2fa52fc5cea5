import type { Kysely } from 'kysely';
import { tablesOf, type Database } from './database.js';
import { mailDataMap, mailProvider, type MailTables } from './platform/mail/outbox.js';
import { mergeDataMaps, type PersonalDataProvider } from './platform/privacy/data-map.js';
import { accountsDataMap, accountsProvider } from './modules/accounts/index.js';

/** The whole data map: every column of every table, declared by its owner. */
export const dataMap = mergeDataMaps([mailDataMap, accountsDataMap]);

/** Every module's personal-data provider, for access, export and erasure. */
export function personalDataProviders(db: Kysely<Database>): PersonalDataProvider[] {
  return [accountsProvider(db), mailProvider(tablesOf<MailTables>(db))];
}
