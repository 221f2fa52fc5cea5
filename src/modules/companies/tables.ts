import type { MigrationSet } from '../../platform/db/migrate.js';

// `closed`: nobody is left to run it (its last member cancelled their account). The row stays
// for the trade records that refer to it; status is a varchar(16), so no migration is needed.
export const companyStatuses = ['draft', 'submitted', 'verified', 'rejected', 'closed'] as const;
export type CompanyStatus = (typeof companyStatuses)[number];

export const memberRoles = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

export interface CompanyTable {
  id: string;
  nameZh: string;
  nameEn: string | null;
  /** Normalised unified social credit code; one company per code. */
  creditCode: string;
  /** Private file id of the business licence, if uploaded. */
  licenceFileId: string | null;
  logoFileId: string | null;
  country: string;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  street: string;
  phone: string;
  fax: string | null;
  /** JSON array of tags. */
  mainProducts: string;
  description: string;
  contactPerson: string;
  contactEmail: string;
  contactMobile: string | null;
  /** Set when the contact person is not the registering user: they confirmed that person's authorisation. */
  contactAuthorisedAt: string | null;
  status: CompanyStatus;
  rejectionReason: string | null;
  submittedAt: string | null;
  verifiedAt: string | null;
  /** JSON array of what a reviewer checked when verifying. */
  verifiedChecks: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CompanyMemberTable {
  companyId: string;
  accountId: string;
  role: MemberRole;
  joinedAt: string;
}

export interface CompanyReviewTable {
  id: string;
  companyId: string;
  reviewerId: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  checks: string | null;
  createdAt: string;
}

export interface LicenceViewTable {
  id: string;
  companyId: string;
  viewerId: string;
  viewerRole: string;
  viewedAt: string;
}

export interface CompaniesTables {
  company: CompanyTable;
  companyMember: CompanyMemberTable;
  companyReview: CompanyReviewTable;
  licenceView: LicenceViewTable;
}

const time = 'varchar(32)';

export const companiesMigrations: MigrationSet = {
  '20261129T0200_companies': {
    async up(db) {
      await db.schema
        .createTable('company')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name_zh', 'varchar(200)', (c) => c.notNull())
        .addColumn('name_en', 'varchar(200)')
        .addColumn('credit_code', 'varchar(18)', (c) => c.notNull().unique())
        .addColumn('licence_file_id', 'varchar(64)')
        .addColumn('logo_file_id', 'varchar(64)')
        .addColumn('country', 'varchar(2)', (c) => c.notNull())
        .addColumn('province_code', 'varchar(12)')
        .addColumn('city_code', 'varchar(12)')
        .addColumn('district_code', 'varchar(12)')
        .addColumn('street', 'varchar(300)', (c) => c.notNull())
        .addColumn('phone', 'varchar(40)', (c) => c.notNull())
        .addColumn('fax', 'varchar(40)')
        .addColumn('main_products', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('contact_person', 'varchar(100)', (c) => c.notNull())
        .addColumn('contact_email', 'varchar(320)', (c) => c.notNull())
        .addColumn('contact_mobile', 'varchar(20)')
        .addColumn('contact_authorised_at', time)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('rejection_reason', 'varchar(1000)')
        .addColumn('submitted_at', time)
        .addColumn('verified_at', time)
        .addColumn('verified_checks', 'text')
        .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('company_status').on('company').columns(['status', 'province_code']).execute();
      await db.schema
        .createTable('company_member')
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('account_id', 'varchar(36)', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('role', 'varchar(10)', (c) => c.notNull())
        .addColumn('joined_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('company_member_pk', ['company_id', 'account_id'])
        .execute();
      await db.schema.createIndex('company_member_account').on('company_member').column('account_id').execute();
      await db.schema
        .createTable('company_review')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('reviewer_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('decision', 'varchar(10)', (c) => c.notNull())
        .addColumn('reason', 'varchar(1000)')
        .addColumn('checks', 'text')
        .addColumn('created_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('company_review_company').on('company_review').column('company_id').execute();
      await db.schema
        .createTable('licence_view')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('company_id', 'varchar(36)', (c) => c.notNull().references('company.id').onDelete('cascade'))
        .addColumn('viewer_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('viewer_role', 'varchar(20)', (c) => c.notNull())
        .addColumn('viewed_at', time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('licence_view_company').on('licence_view').column('company_id').execute();
    },
  },
};
