import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../platform/http/context.js';
import { idParam, pageQuery } from './schema.js';
import type { IncidentsService } from './service.js';
import * as views from './views.js';

/** The public announcements (statement item S16): the list, newest first, and each announcement. */
export async function announcementPages(app: FastifyInstance, { incidents }: { incidents: IncidentsService }) {
  app.get('/announcements', async (request, reply) => {
    const list = await incidents.announcements(pageQuery.parse(request.query ?? {}).page);
    return sendPage(request, reply, { title: request.t('incidents.public.title') }, (ctx) => <views.AnnouncementsPage ctx={ctx} list={list} />);
  });

  app.get('/announcements/:id', async (request, reply) => {
    const incident = await incidents.announcement(idParam((request.params as { id?: string }).id));
    const title = request.locale === 'en' ? incident.titleEn : incident.titleZh;
    return sendPage(request, reply, { title, description: request.t('incidents.public.title') }, (ctx) => <views.AnnouncementPage ctx={ctx} incident={incident} />);
  });
}
