export { companiesMigrations, companyStatuses, memberRoles, type CompaniesTables, type CompanyStatus, type MemberRole } from './tables.js';
export { companiesDataMap, companiesProvider } from './personal-data.js';
export { createCompaniesService, type CompaniesService } from './service.js';
export { companiesMessages } from './messages.js';
export { companyPages as companiesModule } from './pages.js';
