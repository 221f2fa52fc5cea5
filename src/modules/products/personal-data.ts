import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type ColumnClass, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import { searchDataMap } from '../../platform/search/search-index.js';

const listing = (purpose: string): ColumnClass => ({
  personal: false,
  sensitive: false,
  category: 'product.listing',
  purpose,
  basis: 'contract',
  retention: 'while-listed',
});

export const productsDataMap: DataMap = {
  product: {
    id: technical('identifies the product'),
    company_id: technical('the supplier'),
    status: technical('publication state'),
    title_zh: listing('show and search the product'),
    title_en: listing('show and search the product'),
    category_id: listing('browse and search by category'),
    attributes: listing('show and filter the product'),
    custom_attributes: listing('show the product'),
    moq: listing('trade terms'),
    unit: listing('trade terms'),
    currency: listing('trade terms'),
    price_tiers: listing('trade terms'),
    price_negotiable: listing('trade terms'),
    lead_time_days: listing('trade terms'),
    packaging: listing('trade terms'),
    port: listing('trade terms'),
    incoterms: listing('trade terms'),
    hs_code: listing('customs classification'),
    certifications: listing('show the product'),
    description: listing('show and search the product'),
    created_by: personal('account.identifier', 'which member listed the product', 'contract', 'while-listed'),
    created_at: technical('ordering'),
    updated_at: technical('ordering and sitemaps'),
    published_at: technical('ordering'),
  },
  product_image: {
    id: technical('identifies an image'),
    product_id: technical('the product shown'),
    file_id: listing('show the product'),
    thumb_file_id: listing('show the product in lists'),
    position: technical('image order'),
    width: technical('image layout'),
    height: technical('image layout'),
  },
  search_state: {
    name: technical('names a search index'),
    analyzer_version: technical('which analyser built the index'),
    built_at: technical('when the index was last rebuilt'),
  },
  ...searchDataMap('product'),
  ...searchDataMap('company'),
};

/** Products are company data; what links one to a person is the member who listed it. */
export function productsProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'products',
    describe: () => productsDataMap,
    async export(subjectId) {
      const listed = await db.selectFrom('product').select(['id', 'companyId', 'titleZh', 'titleEn', 'createdAt']).where('createdBy', '=', subjectId).execute();
      return { provider: 'products', records: { listed } };
    },
    async erase(subjectId) {
      // The listing stays with the company; the person's link to it goes.
      const result = await db.updateTable('product').set({ createdBy: 'erased' }).where('createdBy', '=', subjectId).executeTakeFirst();
      return { erased: Number(result.numUpdatedRows) };
    },
  };
}
