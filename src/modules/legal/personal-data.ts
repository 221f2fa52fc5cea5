import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Published versions are the record of what people were told and when (PIPL arts. 17 and 14):
// they are kept for as long as the service runs, and three years after.
const published = 'service-lifetime + 3 years';

export const legalDataMap: DataMap = {
  legal_version: {
    id: technical('identifies a published version', published),
    document: technical('which document: privacy statement or terms', published),
    number: technical('the version number', published),
    content_hash: technical('SHA-256 of the published texts; what consents are stamped with', published),
    is_material: technical('whether the version is a material change', published),
    effective_on: technical('the day the version takes effect', published),
    effective_at: technical('the instant the version takes effect', published),
    modified_on: technical('the last-modified date shown at the top', published),
    published_at: technical('when the version was published', published),
    published_by: personal('staff.identifier', 'accountability: which privacy officer published a legal document', 'legal-duty', published, { optional: true }),
    data_categories: technical('the data categories the generated section lists', published),
    notify_cursor: technical('how far the announcement of a material change has been mailed', published),
    notified_at: technical('when every account had been told of a material change', published),
  },
  legal_text: {
    version_id: technical('the version a text belongs to', published),
    locale: technical('the language of the text', published),
    source: technical('the text as written by the privacy officer', published),
    body: technical('the full text as published', published),
    html: technical('the exact page served for the version', published),
  },
  legal_draft: {
    document: technical('which document the draft is of', 'until published or discarded'),
    locale: technical('the language of the draft', 'until published or discarded'),
    source: technical('the draft text', 'until published or discarded'),
    updated_at: technical('when the draft was saved', 'until published or discarded'),
    updated_by: personal('staff.identifier', 'accountability: which privacy officer last edited a draft', 'legal-duty', 'until published or discarded', { optional: true }),
  },
};

/** Access, export and erasure of which legal texts a staff member published or edited. */
export function legalProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'legal',
    describe: () => legalDataMap,
    async export(subjectId) {
      const versions = await db
        .selectFrom('legalVersion')
        .select(['document', 'number', 'publishedAt'])
        .where('publishedBy', '=', subjectId)
        .orderBy('publishedAt')
        .execute();
      const drafts = await db.selectFrom('legalDraft').select(['document', 'locale', 'updatedAt']).where('updatedBy', '=', subjectId).execute();
      return { provider: 'legal', records: { published: versions.map((v) => ({ ...v, number: Number(v.number) })), drafts } };
    },
    /**
     * The published texts stay (they are what people were told); only the link to the person who
     * published or edited them goes. The content hash does not cover the publisher, so it still holds.
     */
    async erase(subjectId) {
      const versions = await db.updateTable('legalVersion').set({ publishedBy: null }).where('publishedBy', '=', subjectId).executeTakeFirst();
      const drafts = await db.updateTable('legalDraft').set({ updatedBy: null }).where('updatedBy', '=', subjectId).executeTakeFirst();
      return { erased: Number(versions.numUpdatedRows) + Number(drafts.numUpdatedRows) };
    },
  };
}
