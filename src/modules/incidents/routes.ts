import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/api.js';
import { makeTranslator } from '../../platform/i18n/i18n.js';
import { incidentId, pageQuery } from './schema.js';
import type { IncidentsService } from './service.js';

const announcementSummary = z.object({
  id: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  /** The day the incident was found, `YYYY-MM-DD` (Asia/Shanghai). */
  foundOn: z.string(),
  publishedAt: z.string(),
});
const announcementSchema = announcementSummary.extend({
  summaryZh: z.string(),
  summaryEn: z.string(),
  /** Data-map category keys, with their words in both languages. */
  categories: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string() })),
  consequencesZh: z.string(),
  consequencesEn: z.string(),
  measuresZh: z.string(),
  measuresEn: z.string(),
  selfHelpZh: z.string(),
  selfHelpEn: z.string(),
  contact: z.string(),
  /** Follow-ups, oldest first. */
  updates: z.array(z.object({ id: z.string(), bodyZh: z.string(), bodyEn: z.string(), createdAt: z.string() })),
});

/** The public announcements JSON API. */
export async function announcementRoutes(app: FastifyInstance, { incidents }: { incidents: IncidentsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['announcements'];

  api.get('/api/announcements', {
    schema: {
      tags,
      summary: 'Personal information security incident announcements, newest first, 20 a page',
      querystring: pageQuery,
      response: { 200: z.object({ items: z.array(announcementSummary), page: z.number(), pages: z.number(), total: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    const list = await incidents.announcements(request.query.page);
    return { items: list.items.map(({ id, titleZh, titleEn, foundOn, publishedAt }) => ({ id, titleZh, titleEn, foundOn, publishedAt })), page: list.page, pages: list.pages, total: list.total };
  });

  api.get('/api/announcements/:id', {
    schema: { tags, summary: 'One announcement: what happened, the information involved, consequences, measures, advice, contact and follow-ups', params: z.object({ id: incidentId }), response: { 200: announcementSchema, ...errorResponses } },
  }, async (request) => {
    const a = await incidents.announcement(request.params.id);
    const zh = makeTranslator(request.server.platform.catalog, 'zh-CN');
    const en = makeTranslator(request.server.platform.catalog, 'en');
    return {
      id: a.id,
      titleZh: a.titleZh,
      titleEn: a.titleEn,
      foundOn: a.foundOn,
      publishedAt: a.publishedAt,
      summaryZh: a.summaryZh,
      summaryEn: a.summaryEn,
      categories: a.categories.map((key) => ({ key, zh: zh(`legal.category.${key}`), en: en(`legal.category.${key}`) })),
      consequencesZh: a.consequencesZh,
      consequencesEn: a.consequencesEn,
      measuresZh: a.measuresZh,
      measuresEn: a.measuresEn,
      selfHelpZh: a.selfHelpZh,
      selfHelpEn: a.selfHelpEn,
      contact: a.contact,
      updates: a.updates,
    };
  });
}
