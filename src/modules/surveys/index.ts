import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { surveyPages } from './pages.js';
import { surveyRoutes } from './routes.js';
import type { SurveysService } from './service.js';
import { surveyStaffPages } from './staff-pages.js';

export { createSurveysService, canManageSurveys, surveysPageSize, type SurveysService, type SurveysDeps, type SurveyView } from './service.js';
export { inviteBatchSize, responseLinkDays } from './jobs.js';
export { surveysMigrations, questionKinds, surveyStatuses, type SurveysTables } from './tables.js';
export { surveysDataMap, surveysProvider } from './personal-data.js';
export { surveysMessages } from './messages.js';

/**
 * Surveys (statement item S9), a consent purpose: administrators write them at /staff/surveys
 * and read their results; people who consent to surveys answer them at /surveys, see and delete
 * their own response, and are invited once per survey. Registered after the accounts, consent
 * and notices modules.
 */
export const surveysModule = fp(
  async (app: FastifyInstance, options: { surveys: SurveysService }) => {
    await app.register(surveyPages, options);
    await app.register(surveyStaffPages, options);
    await app.register(surveyRoutes, options);
  },
  { name: 'silkline-surveys', dependencies: ['silkline-request-context', 'silkline-accounts', 'silkline-consent'] },
);
