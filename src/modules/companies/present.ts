import { publicStatuses } from './repo.js';
import type { CompanyTable, MemberRole } from './tables.js';

/**
 * The companies module's presenters: what each audience sees of a company row, never the row
 * itself.
 */

/** Stored columns every view shows as they are. */
type SharedColumns = 'id' | 'nameZh' | 'nameEn' | 'country' | 'provinceCode' | 'cityCode' | 'description' | 'verifiedAt' | 'logoFileId';

/** What the owner's pages and the API show of a company; never raw rows. */
export type CompanyView = Pick<
  CompanyTable,
  | SharedColumns
  | 'creditCode'
  | 'districtCode'
  | 'street'
  | 'phone'
  | 'fax'
  | 'contactPerson'
  | 'contactEmail'
  | 'contactMobile'
  | 'status'
  | 'rejectionReason'
> & {
  hasLicence: boolean;
  mainProducts: string[];
  verifiedChecks: string[];
  memberRole?: MemberRole;
};

/** What anyone may see: no contact details, location only to the city. */
export type PublicCompany = Pick<CompanyTable, SharedColumns> & {
  mainProducts: string[];
  verified: boolean;
  verifiedChecks: string[];
};

export interface CompanyContact {
  contactPerson: string;
  contactEmail: string;
  contactMobile: string | null;
  phone: string;
  fax: string | null;
}

export function parseList(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function toView(row: CompanyTable & { memberRole?: MemberRole }): CompanyView {
  return {
    id: row.id,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    creditCode: row.creditCode,
    hasLicence: row.licenceFileId !== null,
    country: row.country,
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    districtCode: row.districtCode,
    street: row.street,
    phone: row.phone,
    fax: row.fax,
    mainProducts: parseList(row.mainProducts),
    description: row.description,
    contactPerson: row.contactPerson,
    contactEmail: row.contactEmail,
    contactMobile: row.contactMobile,
    status: row.status,
    rejectionReason: row.rejectionReason,
    verifiedAt: row.verifiedAt,
    verifiedChecks: parseList(row.verifiedChecks),
    logoFileId: row.logoFileId,
    ...(row.memberRole ? { memberRole: row.memberRole } : {}),
  };
}

export function toPublic(row: CompanyTable): PublicCompany {
  return {
    id: row.id,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    country: row.country,
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    mainProducts: parseList(row.mainProducts),
    description: row.description,
    verified: row.status === 'verified',
    verifiedAt: row.verifiedAt,
    verifiedChecks: parseList(row.verifiedChecks),
    logoFileId: row.logoFileId,
  };
}

/** The columns other modules index and show of a company, read inside their transaction. */
export type IndexedCompany = Pick<CompanyTable, 'id' | 'nameZh' | 'nameEn' | 'status' | 'country' | 'provinceCode' | 'cityCode' | 'description' | 'logoFileId' | 'verifiedAt'> & {
  mainProducts: string[];
  verifiedChecks: string[];
  isPublic: boolean;
  verified: boolean;
};

/** What lists (search results, followed companies) show of a public company. */
export type CompanyCard = Pick<IndexedCompany, 'id' | 'nameZh' | 'nameEn' | 'verified' | 'verifiedAt' | 'verifiedChecks' | 'country' | 'provinceCode' | 'cityCode' | 'mainProducts' | 'logoFileId'>;

/** The card of a company, without its status or description. */
export function companyCard(c: IndexedCompany): CompanyCard {
  return {
    id: c.id,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    verified: c.verified,
    verifiedAt: c.verifiedAt,
    verifiedChecks: c.verifiedChecks,
    country: c.country,
    provinceCode: c.provinceCode,
    cityCode: c.cityCode,
    mainProducts: c.mainProducts,
    logoFileId: c.logoFileId,
  };
}

/** A stored row as other modules index and show it. */
export function toIndexed(row: CompanyTable): IndexedCompany {
  return {
    id: row.id,
    nameZh: row.nameZh,
    nameEn: row.nameEn,
    status: row.status,
    country: row.country,
    provinceCode: row.provinceCode,
    cityCode: row.cityCode,
    description: row.description,
    logoFileId: row.logoFileId,
    verifiedAt: row.verifiedAt,
    mainProducts: parseList(row.mainProducts),
    verifiedChecks: parseList(row.verifiedChecks),
    isPublic: publicStatuses.includes(row.status),
    verified: row.status === 'verified',
  };
}
