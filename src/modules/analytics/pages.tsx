import type { FastifyInstance } from 'fastify';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { AnalyticsService } from './service.js';
import * as views from './views.js';

/** The staff report of page counts; administrators only. */
export async function analyticsPages(app: FastifyInstance, { analytics }: { analytics: AnalyticsService }) {
  app.get('/staff/analytics', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    if (request.auth.role !== 'admin') throw new AppError('FORBIDDEN');
    const report = await analytics.report();
    return sendPage(request, reply, { title: request.t('analytics.staff.title') }, (ctx) => <views.ReportPage ctx={ctx} report={report} />);
  });
}
