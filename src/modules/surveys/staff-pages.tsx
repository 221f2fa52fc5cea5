import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage, type AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { formFailure, formValues, type FormState } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { idParam, moveInput, pageQuery, questionInput, surveyInput } from './schema.js';
import { canManageSurveys, type SurveysService } from './service.js';
import * as views from './staff-views.js';

/** Administrators only: visitors are sent to sign in (null), other accounts get 403. */
function staff(request: FastifyRequest, reply: FastifyReply): AuthState | null {
  if (!request.auth) {
    redirectToSignIn(request, reply);
    return null;
  }
  if (!canManageSurveys(request.auth)) throw new AppError('FORBIDDEN');
  return request.auth;
}

const params = (request: FastifyRequest) => request.params as { id?: string; questionId?: string };

const done: Record<string, string> = {
  created: 'surveys.staff.done.created',
  saved: 'surveys.staff.done.saved',
  opened: 'surveys.staff.done.opened',
  closed: 'surveys.staff.done.closed',
};

/** The administrators' survey pages at /staff/surveys: drafts, their questions, opening, closing, results. */
export async function surveyStaffPages(app: FastifyInstance, { surveys }: { surveys: SurveysService }) {
  app.get('/staff/surveys', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const list = await surveys.list(auth, pageQuery.parse(request.query ?? {}).page);
    return sendPage(request, reply, { title: request.t('surveys.staff.title') }, (ctx) => <views.StaffListPage ctx={ctx} list={list} />);
  });

  const newPage = (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('surveys.staff.new'), status }, (ctx) => <views.StaffNewPage ctx={ctx} state={state} />);

  app.get('/staff/surveys/new', async (request, reply) => {
    if (!staff(request, reply)) return reply;
    return newPage(request, reply, {});
  });

  app.post('/staff/surveys', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    try {
      const { id } = await surveys.create(auth, parseInput(surveyInput, request.body));
      return reply.redirect(`/staff/surveys/${id}?done=created`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return newPage(request, reply, state, status);
    }
  });

  const surveyPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, state: FormState, form: 'survey' | 'question' | 'none' = 'none', status = 200) => {
    const survey = await surveys.get(auth, id);
    return sendPage(request, reply, { title: request.locale === 'en' ? survey.titleEn : survey.titleZh, status }, (ctx) => (
      <views.StaffSurveyPage ctx={ctx} survey={survey} state={state} form={form} />
    ));
  };

  app.get('/staff/surveys/:id', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const message = done[(request.query as { done?: string }).done ?? ''];
    return surveyPage(request, reply, auth, idParam(params(request).id), message ? { message, messageKind: 'success' } : {});
  });

  /** A form post on a survey: the action, then back to the survey, or the survey with the refusal. */
  const action = (path: string, form: 'survey' | 'question' | 'none', run: (auth: AuthState, id: string, body: unknown) => Promise<unknown>, doneKey = 'saved') =>
    app.post(`/staff/surveys/:id${path}`, async (request, reply) => {
      const auth = staff(request, reply);
      if (!auth) return reply;
      const id = idParam(params(request).id);
      try {
        await run(auth, id, request.body);
        return reply.redirect(`/staff/surveys/${id}?done=${doneKey}`, 303);
      } catch (error) {
        const { state, status } = formFailure(error, reply, formValues(request.body));
        if (status === 404) throw error;
        return surveyPage(request, reply, auth, id, state, form, status);
      }
    });

  action('', 'survey', (auth, id, body) => surveys.update(auth, id, parseInput(surveyInput, body)));
  action('/questions', 'question', (auth, id, body) => surveys.addQuestion(auth, id, parseInput(questionInput, body)));
  action('/open', 'none', (auth, id) => surveys.open(auth, id), 'opened');
  action('/close', 'none', (auth, id) => surveys.close(auth, id), 'closed');

  const questionPage = async (request: FastifyRequest, reply: FastifyReply, auth: AuthState, id: string, questionId: string, state: FormState, status = 200) => {
    const survey = await surveys.get(auth, id);
    const question = survey.questions.find((q) => q.id === questionId);
    if (!question) throw new AppError('NOT_FOUND');
    const values = state.values ?? views.questionValues(question);
    return sendPage(request, reply, { title: request.t('surveys.staff.editQuestion'), status }, (ctx) => (
      <views.StaffQuestionPage ctx={ctx} survey={survey} questionId={questionId} values={values} state={state} />
    ));
  };

  app.get('/staff/surveys/:id/questions/:questionId', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    return questionPage(request, reply, auth, idParam(params(request).id), idParam(params(request).questionId), {});
  });

  app.post('/staff/surveys/:id/questions/:questionId', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const id = idParam(params(request).id);
    const questionId = idParam(params(request).questionId);
    try {
      await surveys.updateQuestion(auth, id, questionId, parseInput(questionInput, request.body));
      return reply.redirect(`/staff/surveys/${id}?done=saved`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      if (status === 404) throw error;
      // A frozen survey has no question form to show again: its page says why.
      if (status === 409) return surveyPage(request, reply, auth, id, state, 'none', status);
      return questionPage(request, reply, auth, id, questionId, state, status);
    }
  });

  for (const [path, run] of [
    ['/delete', (auth: AuthState, id: string, questionId: string) => surveys.deleteQuestion(auth, id, questionId)],
    ['/move', (auth: AuthState, id: string, questionId: string, body?: unknown) => surveys.moveQuestion(auth, id, questionId, parseInput(moveInput, body).direction)],
  ] as const) {
    app.post(`/staff/surveys/:id/questions/:questionId${path}`, async (request, reply) => {
      const auth = staff(request, reply);
      if (!auth) return reply;
      const id = idParam(params(request).id);
      try {
        await run(auth, id, idParam(params(request).questionId), request.body);
        return reply.redirect(`/staff/surveys/${id}?done=saved`, 303);
      } catch (error) {
        const { state, status } = formFailure(error, reply, {});
        if (status === 404) throw error;
        return surveyPage(request, reply, auth, id, state, 'none', status);
      }
    });
  }

  app.get('/staff/surveys/:id/results', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const results = await surveys.results(auth, idParam(params(request).id));
    return sendPage(request, reply, { title: request.t('surveys.results.title') }, (ctx) => <views.ResultsPage ctx={ctx} results={results} />);
  });

  app.get('/staff/surveys/:id/results/:questionId', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const { page } = pageQuery.parse(request.query ?? {});
    const list = await surveys.textAnswers(auth, idParam(params(request).id), idParam(params(request).questionId), page);
    return sendPage(request, reply, { title: request.t('surveys.results.title') }, (ctx) => <views.TextAnswersPage ctx={ctx} {...list} />);
  });

  app.get('/staff/surveys/:id/answers.csv', async (request, reply) => {
    const auth = staff(request, reply);
    if (!auth) return reply;
    const id = idParam(params(request).id);
    const csv = await surveys.csv(auth, id, request.locale);
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', `attachment; filename="survey-${id}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });
}
