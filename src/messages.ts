import { mergeCatalogs } from './platform/i18n/i18n.js';
import { platformMessages } from './platform/i18n/messages.js';
import { accountsMessages } from './modules/accounts/index.js';
import { siteMessages } from './modules/site/index.js';
import { companiesMessages, membersMessages } from './modules/companies/index.js';
import { noticesMessages } from './modules/notices/index.js';
import { privacyRequestsMessages } from './modules/privacy-requests/index.js';
import { consentMessages } from './modules/consent/index.js';
import { analyticsMessages } from './modules/analytics/index.js';
import { catalogueMessages, productsMessages } from './modules/products/index.js';
import { supportMessages } from './modules/support/index.js';
import { legalMessages } from './modules/legal/index.js';
import { rfqMessages } from './modules/rfq/index.js';
import { inquiriesMessages } from './modules/inquiries/index.js';
import { socialMessages } from './modules/social/index.js';
import { privacyMessages } from './modules/privacy/index.js';
import { surveysMessages } from './modules/surveys/index.js';
import { subscriptionsMessages } from './modules/subscriptions/index.js';
import { incidentsMessages } from './modules/incidents/index.js';
import { auditMessages } from './modules/audit/index.js';

/** Every catalog, zh-CN and en. */
export const catalog = mergeCatalogs([platformMessages, accountsMessages, companiesMessages, membersMessages, noticesMessages, privacyRequestsMessages, consentMessages, analyticsMessages, productsMessages, catalogueMessages, supportMessages, legalMessages, siteMessages, rfqMessages, inquiriesMessages, socialMessages, privacyMessages, surveysMessages, subscriptionsMessages, incidentsMessages, auditMessages]);
