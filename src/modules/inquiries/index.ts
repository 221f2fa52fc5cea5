import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CompaniesService } from '../companies/index.js';
import type { ProductsService } from '../products/index.js';
import { inquiryPages } from './pages.js';
import { inquiryRoutes } from './routes.js';
import type { InquiriesService } from './service.js';

export {
  createInquiriesService,
  anonymousLabel,
  dailyInquiryLimit,
  sameTextCompanyLimit,
  type InquiriesService,
  type InquiriesDeps,
  type StartThreadInput,
  type UnreadCounts,
} from './service.js';
export { canHandleReports } from './reports.js';
export { inquiriesMigrations, type InquiriesTables, type NoticeFrequency } from './tables.js';
export { inquiriesDataMap, inquiriesProvider } from './personal-data.js';
export { inquiriesMessages } from './messages.js';

/** The path of the inquiry form for a product or a company, for links from other pages. */
export function inquiryHref(target: { product: string } | { company: string }): string {
  return 'product' in target ? `/inquiries/new?product=${target.product}` : `/inquiries/new?company=${target.company}`;
}

const noHeader = ['/api/', '/assets/', '/media/'];

/**
 * Inquiries and the message centre (statement item S5): the inquiry form, /messages with both
 * sides, thread pages, notice settings, the company's handler settings, the staff queue of
 * reported threads, and their JSON API. Gives every signed-in page its unread count through the
 * platform's generic `viewerExtras`. Registered after the accounts module, whose hook sets `auth`.
 */
export const inquiriesModule = fp(
  async (
    app: FastifyInstance,
    options: { inquiries: InquiriesService; products: Pick<ProductsService, 'getPublic'>; companies: Pick<CompaniesService, 'getPublic' | 'getForMember'> },
  ) => {
    // Pages only: the JSON API, assets and media show no header.
    app.addHook('preHandler', async (request) => {
      if (!request.auth || noHeader.some((prefix) => request.url.startsWith(prefix))) return;
      request.viewerExtras = { ...request.viewerExtras, unreadMessages: (await options.inquiries.unread(request.auth.accountId)).total };
    });
    await app.register(inquiryPages, options);
    await app.register(inquiryRoutes, options);
  },
  { name: 'silkline-inquiries', dependencies: ['silkline-request-context', 'silkline-accounts'] },
);
