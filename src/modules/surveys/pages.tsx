import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { hasConsent } from '../consent/index.js';
import { answersInput, idParam } from './schema.js';
import type { SurveysService } from './service.js';
import * as views from './views.js';

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** A same-site message key for `?done=`; anything else shows nothing. */
const done: Record<string, string> = { answered: 'surveys.done.answered', deleted: 'surveys.done.deleted', consented: 'surveys.done.consented' };

function doneState(request: FastifyRequest): FormState {
  const key = done[(request.query as { done?: string } | undefined)?.done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/** Signed-in people only: visitors are sent to sign in (null). */
function signedIn(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (request.auth) return request.auth;
  redirectToSignIn(request, reply);
  return null;
}

/** The answers a form sent, by question id: each field `answers.<id>`, one value or several. */
export function formAnswers(body: unknown): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  if (!body || typeof body !== 'object') return answers;
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('answers.')) continue;
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    answers[key.slice('answers.'.length)] = values;
  }
  return answers;
}

/** The open surveys at /surveys, one survey's page, and its forms: consent, answers, deletion. */
export async function surveyPages(app: FastifyInstance, { surveys }: { surveys: SurveysService }) {
  const gpcOf = (request: FastifyRequest) => request.headers['sec-gpc'] === '1';

  app.get('/surveys', async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const list = await surveys.openSurveys(auth);
    return sendPage(request, reply, { title: request.t('surveys.list.title') }, (ctx) => <views.SurveysPage ctx={ctx} surveys={list} />);
  });

  const surveyPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, given: Record<string, string[]> = {}, status = 200) => {
    const { survey, response } = await surveys.forPerson(auth, id);
    const consents = await hasConsent(request, 'surveys');
    const title = request.locale === 'en' ? survey.titleEn : survey.titleZh;
    return sendPage(request, reply, { title, status }, (ctx) => (
      <views.SurveyPage ctx={ctx} survey={survey} response={response} consents={consents} state={state} given={given} dataMap={app.silkline.dataMap} />
    ));
  };

  app.get('/surveys/:id', async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    return surveyPage(request, reply, auth, idParam((request.params as { id?: string }).id), doneState(request));
  });

  // Consent to surveys alone, given on the survey page: recorded as a choice made on the site's own controls.
  app.post('/surveys/:id/consent', { config: { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: perAccount } } }, async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const id = idParam((request.params as { id?: string }).id);
    await surveys.forPerson(auth, id);
    await surveys.grantConsent(auth, { ip: request.ip, userAgent: request.headers['user-agent'], gpc: gpcOf(request) });
    return reply.redirect(`/surveys/${id}?done=consented#survey-form`, 303);
  });

  app.post('/surveys/:id/response', { config: { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: perAccount } } }, async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const id = idParam((request.params as { id?: string }).id);
    const given = formAnswers(request.body);
    try {
      // One value is sent as itself, so a text answer is checked as text and not as a list.
      const answers = Object.fromEntries(Object.entries(given).map(([question, values]) => [question, values.length === 1 ? values[0]! : values]));
      await surveys.submit(auth, id, parseInput(answersInput, { answers }), { gpc: gpcOf(request) });
      return reply.redirect(`/surveys/${id}?done=answered`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      if (status === 404) throw error;
      return surveyPage(request, reply, auth, id, state, given, status);
    }
  });

  app.post('/surveys/:id/response/delete', { config: { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: perAccount } } }, async (request, reply) => {
    const auth = signedIn(request, reply);
    if (!auth) return reply;
    const id = idParam((request.params as { id?: string }).id);
    try {
      await surveys.deleteResponse(auth, id);
      return reply.redirect(`/surveys/${id}?done=deleted`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, {});
      if (status === 404) throw error;
      return surveyPage(request, reply, auth, id, state, {}, status);
    }
  });
}
