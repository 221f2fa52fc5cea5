import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { announcementPages } from './pages.js';
import { announcementRoutes } from './routes.js';
import type { IncidentsService } from './service.js';
import { incidentStaffPages } from './staff-pages.js';

export { createIncidentsService, canManageIncidents, incidentsPageSize, type IncidentsService, type IncidentsDeps, type IncidentView, type DeliveryProgress } from './service.js';
export { noticeBatchSize } from './jobs.js';
export { incidentsMigrations, incidentStatuses, incidentScopes, type IncidentsTables } from './tables.js';
export { incidentsDataMap, incidentsProvider, incidentLinkRetention } from './personal-data.js';
export { incidentsMessages } from './messages.js';

/**
 * Personal-information security incident notices (statement item S16, PIPL art. 57): privacy
 * officers draft, preview and publish them at /staff/incidents; the public reads them at
 * /announcements; each affected person is told once by in-site notice and email. Registered
 * after the accounts and notices modules.
 */
export const incidentsModule = fp(
  async (app: FastifyInstance, options: { incidents: IncidentsService }) => {
    await app.register(incidentStaffPages, options);
    await app.register(announcementPages, options);
    await app.register(announcementRoutes, options);
  },
  { name: 'silkline-incidents', dependencies: ['silkline-request-context', 'silkline-accounts', 'silkline-notices'] },
);
