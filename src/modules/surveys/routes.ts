import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { hasConsent } from '../consent/index.js';
import { answersInput, surveyId } from './schema.js';
import type { SurveysService } from './service.js';
import { questionKinds, surveyStatuses } from './tables.js';

const surveySummary = z.object({
  id: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  introZh: z.string(),
  introEn: z.string(),
  openedAt: z.string(),
  /** Whether the signed-in person has answered it. */
  hasAnswered: z.boolean(),
});
const questionSchema = z.object({
  id: z.string(),
  kind: z.enum(questionKinds),
  promptZh: z.string(),
  promptEn: z.string(),
  isRequired: z.boolean(),
  /** For choice questions; an answer gives an option by its index here. */
  options: z.array(z.object({ zh: z.string(), en: z.string() })),
});
const answerSchema = z.object({ questionId: z.string(), optionIndexes: z.array(z.number()), rating: z.number().nullable(), text: z.string().nullable() });
const surveySchema = z.object({
  id: z.string(),
  status: z.enum(surveyStatuses),
  titleZh: z.string(),
  titleEn: z.string(),
  introZh: z.string(),
  introEn: z.string(),
  questions: z.array(questionSchema),
  /** Whether the signed-in person consents to surveys now; answering needs it. */
  consents: z.boolean(),
  /** The person's own response, or null. */
  response: z.object({ createdAt: z.string(), answers: z.array(answerSchema) }).nullable(),
});
const idParams = z.object({ id: surveyId });

const perAccount = (request: FastifyRequest) => request.auth?.accountId ?? request.ip;

/** The surveys JSON API for signed-in people. */
export async function surveyRoutes(app: FastifyInstance, { surveys }: { surveys: SurveysService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['surveys'];
  const writeLimit = { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: perAccount } };

  api.get('/api/surveys', {
    schema: { tags, summary: 'The open surveys, newest first, with whether I have answered each', security: sessionSecurity, response: { 200: z.object({ items: z.array(surveySummary) }), ...errorResponses } },
  }, async (request) => ({ items: await surveys.openSurveys(requireAuth(request)) }));

  api.get('/api/surveys/:id', {
    schema: { tags, summary: 'An open or closed survey with its questions, my consent to surveys and my own response', security: sessionSecurity, params: idParams, response: { 200: surveySchema, ...errorResponses } },
  }, async (request) => {
    const { survey, response } = await surveys.forPerson(requireAuth(request), request.params.id);
    return {
      id: survey.id,
      status: survey.status,
      titleZh: survey.titleZh,
      titleEn: survey.titleEn,
      introZh: survey.introZh,
      introEn: survey.introEn,
      questions: survey.questions.map((q) => ({ id: q.id, kind: q.kind, promptZh: q.promptZh, promptEn: q.promptEn, isRequired: q.isRequired, options: q.options })),
      consents: await hasConsent(request, 'surveys'),
      response: response && { createdAt: response.createdAt, answers: [...response.answers].map(([questionId, a]) => ({ questionId, ...a })) },
    };
  });

  api.post('/api/surveys/:id/response', {
    config: writeLimit,
    schema: {
      tags,
      summary: 'Answer an open survey, once; needs my consent to surveys',
      description: 'Answers by question id: an option index (single), option indexes (multiple), 1 to 5 (rating) or a text of at most 2,000 characters. Refused with 403 without consent to surveys, 409 when already answered or closed.',
      security: sessionSecurity,
      params: idParams,
      body: answersInput,
      response: { 201: z.object({ submitted: z.literal(true) }), ...errorResponses },
    },
  }, async (request, reply) => {
    await surveys.submit(requireAuth(request), request.params.id, request.body, { gpc: request.headers['sec-gpc'] === '1' });
    return reply.status(201).send({ submitted: true as const });
  });

  api.delete('/api/surveys/:id/response', {
    config: writeLimit,
    schema: { tags, summary: 'Delete my response to a survey while it is open', security: sessionSecurity, params: idParams, response: { 200: z.object({ deleted: z.literal(true) }), ...errorResponses } },
  }, async (request) => {
    await surveys.deleteResponse(requireAuth(request), request.params.id);
    return { deleted: true as const };
  });
}
