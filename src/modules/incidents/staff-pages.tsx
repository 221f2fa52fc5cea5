import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { idParam, incidentInput, pageQuery, updateInput } from './schema.js';
import { canManageIncidents, type IncidentsService } from './service.js';
import * as views from './staff-views.js';

/** Privacy officers and administrators only: visitors are sent to sign in (null), other accounts get 403. */
function officer(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (!request.auth) {
    redirectToSignIn(request, reply);
    return null;
  }
  if (!canManageIncidents(request.auth)) throw new AppError('FORBIDDEN');
  return request.auth;
}

const idOf = (request: FastifyRequest) => idParam((request.params as { id?: string }).id);

const done: Record<string, string> = {
  created: 'incidents.staff.done.created',
  saved: 'incidents.staff.done.saved',
  published: 'incidents.staff.done.published',
  updated: 'incidents.staff.done.updated',
};
const doneState = (request: FastifyRequest): FormState => {
  const message = done[(request.query as { done?: string } | undefined)?.done ?? ''];
  return message ? { message, messageKind: 'success' } : {};
};

/** The categories ticked in a submitted form (one checkbox arrives as a string). */
function ticked(body: unknown): string[] {
  const value = body && typeof body === 'object' ? (body as { categories?: unknown }).categories : undefined;
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').slice(0, 100);
}

/** A refusal of the incident form as the form shows it; unknown accounts are named above the form. */
function refusal(error: unknown, reply: FastifyReply, body: unknown): { form: views.IncidentForm; state: FormState; status: number } {
  const { state, status } = formFailure(error, reply, formValues(body));
  if (isAppError(error) && error.params?.list !== undefined) {
    state.message = 'incidents.staff.unknownAccounts';
    state.messageParams = error.params;
  }
  return { form: { values: state.values ?? {}, categories: ticked(body), errors: state.errors ?? {} }, state, status };
}

/** The officers' pages at /staff/incidents: drafts, preview, publication, follow-ups and delivery progress. */
export async function incidentStaffPages(app: FastifyInstance, { incidents }: { incidents: IncidentsService }) {
  const formPage = (request: FastifyRequest, reply: FastifyReply, id: string | null, form: views.IncidentForm, state: FormState, status = 200) =>
    sendPage(request, reply, { title: request.t(id ? 'incidents.staff.title' : 'incidents.staff.new'), status }, (ctx) => (
      <views.StaffFormPage ctx={ctx} id={id} form={form} state={state} categories={incidents.categories()} defaultContact={incidents.defaultContact()} />
    ));

  const incidentPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, status = 200) => {
    const incident = await incidents.get(auth, id);
    if (incident.status === 'draft' || !incident.publishedAt) {
      return formPage(request, reply, id, views.incidentForm(incident, await incidents.listedAccounts(auth, id)), state, status);
    }
    const progress = await incidents.progress(auth, id);
    const published = { ...incident, publishedAt: incident.publishedAt };
    return sendPage(request, reply, { title: request.locale === 'en' ? incident.titleEn : incident.titleZh, status }, (ctx) => (
      <views.StaffPublishedPage ctx={ctx} incident={published} progress={progress} state={state} values={state.values ?? {}} />
    ));
  };

  app.get('/staff/incidents', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const list = await incidents.list(auth, pageQuery.parse(request.query ?? {}).page);
    return sendPage(request, reply, { title: request.t('incidents.staff.title') }, (ctx) => <views.StaffListPage ctx={ctx} list={list} />);
  });

  app.get('/staff/incidents/new', async (request, reply) => {
    if (!officer(request, reply)) return reply;
    return formPage(request, reply, null, { values: { scope: 'listed' }, categories: [], errors: {} }, {});
  });

  app.post('/staff/incidents', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    try {
      const { id } = await incidents.create(auth, parseInput(incidentInput, request.body));
      return reply.redirect(`/staff/incidents/${id}?done=created`, 303);
    } catch (error) {
      const { form, state, status } = refusal(error, reply, request.body);
      return formPage(request, reply, null, form, state, status);
    }
  });

  app.get('/staff/incidents/:id', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    return incidentPage(request, reply, auth, idOf(request), doneState(request));
  });

  app.post('/staff/incidents/:id', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const id = idOf(request);
    try {
      await incidents.update(auth, id, parseInput(incidentInput, request.body));
      return reply.redirect(`/staff/incidents/${id}?done=saved`, 303);
    } catch (error) {
      const { form, state, status } = refusal(error, reply, request.body);
      if (status === 404) throw error;
      // A published incident has no draft form to show again: its page says why.
      if (status === 409) return incidentPage(request, reply, auth, id, { message: state.message, messageKind: 'error' }, status);
      return formPage(request, reply, id, form, state, status);
    }
  });

  app.get('/staff/incidents/:id/preview', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const incident = await incidents.get(auth, idOf(request));
    if (incident.status !== 'draft') return reply.redirect(`/staff/incidents/${incident.id}`, 303);
    const { affected } = await incidents.progress(auth, incident.id);
    return sendPage(request, reply, { title: request.t('incidents.preview.title', { title: request.locale === 'en' ? incident.titleEn : incident.titleZh }) }, (ctx) => (
      <views.StaffPreviewPage ctx={ctx} incident={incident} affected={affected} />
    ));
  });

  app.post('/staff/incidents/:id/publish', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const id = idOf(request);
    try {
      await incidents.publish(auth, id);
      return reply.redirect(`/staff/incidents/${id}?done=published`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      if (status === 404) throw error;
      return incidentPage(request, reply, auth, id, state, status);
    }
  });

  app.post('/staff/incidents/:id/updates', async (request, reply) => {
    const auth = officer(request, reply);
    if (!auth) return reply;
    const id = idOf(request);
    try {
      await incidents.addUpdate(auth, id, parseInput(updateInput, request.body));
      return reply.redirect(`/staff/incidents/${id}?done=updated`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      if (status === 404) throw error;
      return incidentPage(request, reply, auth, id, state, status);
    }
  });
}
