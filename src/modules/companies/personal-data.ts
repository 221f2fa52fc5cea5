import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type ColumnClass, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

const business = (purpose: string): ColumnClass => ({
  personal: false,
  sensitive: false,
  category: 'company.business',
  purpose,
  basis: 'contract',
  retention: 'company-lifetime',
});
const contact = (purpose: string, optional = false) =>
  personal('company.contact', purpose, 'contract', 'company-lifetime; removed when the person leaves or the account is cancelled', { optional });

export const companiesDataMap: DataMap = {
  company: {
    id: technical('identifies the company'),
    name_zh: business('show and search the company'),
    name_en: business('show and search the company'),
    credit_code: business('verify the company and keep one registration per company'),
    // A licence shows the legal representative's name: personal, and kept private.
    licence_file_id: personal('company.licence', 'verify the company (the licence names its legal representative)', 'contract', 'company-lifetime', { sensitive: false }),
    logo_file_id: business('show the company'),
    country: business('city-level location on the profile'),
    province_code: business('city-level location and directory filters'),
    city_code: business('city-level location and directory filters'),
    district_code: business('contact address'),
    street: contact('contact address for trade partners and staff'),
    phone: contact('trade partners and staff contact the company'),
    fax: contact('trade partners contact the company', true),
    main_products: business('show and search the company'),
    description: business('show the company'),
    contact_person: contact('name the person trade partners deal with'),
    contact_email: contact('trade partners and staff contact the company'),
    contact_mobile: contact('trade partners and staff contact the company', true),
    contact_authorised_at: personal('company.contact', "record the registrant's confirmation of the contact person's authorisation", 'legal-duty', 'company-lifetime'),
    status: technical('verification state'),
    rejection_reason: technical('verification state'),
    submitted_at: technical('verification state'),
    verified_at: technical('verification badge'),
    verified_checks: technical('verification badge'),
    created_by: personal('account.identifier', 'who registered the company', 'contract', 'company-lifetime'),
    created_at: technical('ordering'),
    updated_at: technical('ordering'),
  },
  company_member: {
    company_id: technical('membership'),
    account_id: personal('account.identifier', 'who may manage the company', 'contract', 'membership'),
    role: personal('company.membership', 'what a member may do', 'contract', 'membership'),
    joined_at: personal('company.membership', 'membership history', 'contract', 'membership'),
  },
  company_review: {
    id: technical('identifies a review'),
    company_id: technical('the reviewed company'),
    reviewer_id: personal('staff.identifier', 'accountability of verification decisions', 'legal-duty', '3 years'),
    decision: technical('verification outcome'),
    reason: technical('verification outcome'),
    checks: technical('what was checked'),
    created_at: technical('ordering'),
  },
  licence_view: {
    id: technical('identifies a view'),
    company_id: technical('the licence viewed'),
    viewer_id: personal('staff.identifier', 'record who looked at a business licence', 'legal-duty', '3 years'),
    viewer_role: technical('record who looked at a business licence'),
    viewed_at: technical('record when a licence was looked at'),
  },
};

/** What companies hold about a person: memberships, companies they registered and their contact data. */
export function companiesProvider(db: Kysely<Database>): PersonalDataProvider {
  const emailOf = async (subjectId: string) =>
    (await db.selectFrom('account').select('email').where('id', '=', subjectId).executeTakeFirst())?.email.toLowerCase();
  return {
    name: 'companies',
    describe: () => companiesDataMap,
    async export(subjectId) {
      const memberships = await db
        .selectFrom('companyMember')
        .innerJoin('company', 'company.id', 'companyMember.companyId')
        .select(['company.nameZh', 'company.creditCode', 'companyMember.role', 'companyMember.joinedAt'])
        .where('companyMember.accountId', '=', subjectId)
        .execute();
      const registered = await db
        .selectFrom('company')
        .select(['nameZh', 'street', 'phone', 'fax', 'contactPerson', 'contactEmail', 'contactMobile', 'contactAuthorisedAt', 'createdAt'])
        .where('createdBy', '=', subjectId)
        .execute();
      // Companies that name the person as their contact, whoever registered them.
      const email = await emailOf(subjectId);
      const contactFor = email
        ? await db.selectFrom('company').select(['nameZh', 'contactPerson', 'contactEmail', 'contactMobile']).where((eb) => eb(eb.fn('lower', ['contactEmail']), '=', email)).execute()
        : [];
      const reviews = await db.selectFrom('companyReview').select(['companyId', 'decision', 'createdAt']).where('reviewerId', '=', subjectId).execute();
      const licenceViews = await db.selectFrom('licenceView').select(['companyId', 'viewedAt']).where('viewerId', '=', subjectId).execute();
      return { provider: 'companies', records: { memberships, registered, contactFor, reviews, licenceViews } };
    },
    async erase(subjectId) {
      // Runs before the account is erased (see data-map.ts), so the address is still known.
      const email = await emailOf(subjectId);
      return db.transaction().execute(async (trx) => {
        const members = await trx.deleteFrom('companyMember').where('accountId', '=', subjectId).executeTakeFirst();
        // The company stays (it is business data); the person's name as its registrant is dropped.
        const companies = await trx.updateTable('company').set({ createdBy: 'erased' }).where('createdBy', '=', subjectId).executeTakeFirst();
        // A company whose contact is the person loses that contact; its owner fills in a new one.
        // Both columns are required, so they become empty rather than null.
        const contacts = email
          ? await trx
            .updateTable('company')
            .set({ contactPerson: '', contactEmail: '', contactMobile: null, contactAuthorisedAt: null })
            .where((eb) => eb(eb.fn('lower', ['contactEmail']), '=', email))
            .executeTakeFirst()
          : { numUpdatedRows: 0n };
        return { erased: Number(members.numDeletedRows) + Number(companies.numUpdatedRows) + Number(contacts.numUpdatedRows) };
      });
    },
  };
}
