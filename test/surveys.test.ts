import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../src/messages.js';
import { createSurveysService, type SurveysService } from '../src/modules/surveys/index.js';
import type { AuthState } from '../src/platform/http/context.js';
import { makeTranslator } from '../src/platform/i18n/i18n.js';
import { Browser, makeApp, signedIn, startSmtpSink, type TestApp, useTestApp, withAuth } from './helpers.js';

const t = useTestApp({}, { mail: true });

const db = () => t.app.silkline.db.kysely;
const surveys = () => t.app.silkline.surveys;
type Person = Awaited<ReturnType<typeof signedIn>> & { accountId: string; auth: AuthState };

const person = async (): Promise<Person> => withAuth(t.app, await signedIn(t.app));
const admin = async (): Promise<Person> => {
  const p = await person();
  await t.app.silkline.accounts.setRole(p.data.loginName, 'admin');
  return { ...p, auth: { ...p.auth, role: 'admin' } };
};
/** Consent to surveys through the consent API, as a person's own choice. */
const consentToSurveys = async (p: Person, granted = true) => {
  expect((await p.browser.api('PUT', '/api/consent', { purposes: { surveys: granted } })).statusCode).toBe(200);
};
const staffAuth: AuthState = { accountId: randomUUID(), sessionId: 'test', role: 'admin', displayName: 'admin' };

const questions: Record<string, string>[] = [
  { kind: 'single', promptZh: '您是如何知道丝路的？', promptEn: 'How did you hear of Silkline?', isRequired: 'on', optionsZh: '搜索引擎\n朋友推荐\n展会', optionsEn: 'Search engine\nA friend\nA trade fair' },
  { kind: 'multiple', promptZh: '您常用哪些功能？', promptEn: 'Which features do you use?', optionsZh: '搜索\n询盘\n采购需求', optionsEn: 'Search\nInquiries\nBuying requests' },
  { kind: 'rating', promptZh: '您对丝路的总体评价', promptEn: 'Your overall rating of Silkline', isRequired: 'on' },
  { kind: 'text', promptZh: '还有什么建议？', promptEn: 'Anything else?' },
];

/** A survey made through the pages' schemas and the service: drafted, with four questions, opened. */
async function openSurvey(open = true): Promise<{ id: string; q: string[] }> {
  const { questionInput, surveyInput } = await import('../src/modules/surveys/schema.js');
  const { id } = await surveys().create(staffAuth, surveyInput.parse({ titleZh: '丝路使用体验调查', titleEn: 'Silkline experience survey', introZh: '占用您两分钟。', introEn: 'Two minutes of your time.' }));
  const q: string[] = [];
  for (const question of questions) q.push((await surveys().addQuestion(staffAuth, id, questionInput.parse(question))).id);
  if (open) {
    await surveys().open(staffAuth, id);
    await surveys().drainInvitations();
  }
  return { id, q };
}
const surveyRow = (id: string) => db().selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const questionRows = (id: string) => db().selectFrom('surveyQuestion').selectAll().where('surveyId', '=', id).orderBy('position').execute();
const responseRows = (id: string) => db().selectFrom('surveyResponse').selectAll().where('surveyId', '=', id).execute();
const answerCount = async (id: string) => (await db().selectFrom('surveyAnswer').select('id').where('surveyId', '=', id).execute()).length;
const form = (q: string[], values: (string | undefined)[]) => Object.fromEntries(values.flatMap((v, i) => (v === undefined ? [] : [[`answers.${q[i]}`, v]])));

describe('the people’s list', () => {
  it('shows an empty state before any survey opens, and sends visitors to sign in', async () => {
    const p = await person();
    const page = await p.browser.get('/surveys');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('目前没有进行中的问卷。');
    expect((await p.browser.get('/me')).body).toContain('href="/surveys"');
    const visitor = await new Browser(t.app).get('/surveys');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/sign-in?next=%2Fsurveys');
  });
});

describe('staff writing surveys', () => {
  it('lets an administrator create a draft, add, edit, reorder and delete questions, then open it', async () => {
    const a = await admin();
    expect((await a.browser.get('/')).body).toContain('href="/staff"');
    expect((await a.browser.get('/staff')).body).toContain('href="/staff/surveys"');
    const created = await a.browser.post('/staff/surveys', { titleZh: '满意度调查', titleEn: 'Satisfaction survey', introZh: '', introEn: '' });
    expect(created.statusCode).toBe(303);
    const id = /\/staff\/surveys\/([0-9a-f-]{36})/.exec(String(created.headers.location))![1]!;
    for (const question of questions) expect((await a.browser.post(`/staff/surveys/${id}/questions`, question)).statusCode).toBe(303);
    let rows = await questionRows(id);
    expect(rows.map((r) => r.kind)).toEqual(['single', 'multiple', 'rating', 'text']);
    expect(JSON.parse(rows[0]!.options)).toEqual([{ zh: '搜索引擎', en: 'Search engine' }, { zh: '朋友推荐', en: 'A friend' }, { zh: '展会', en: 'A trade fair' }]);
    expect(JSON.parse(rows[2]!.options)).toEqual([]);

    expect((await a.browser.post(`/staff/surveys/${id}/questions/${rows[3]!.id}`, { ...questions[3], promptEn: 'Any other ideas?' })).statusCode).toBe(303);
    expect((await a.browser.post(`/staff/surveys/${id}/questions/${rows[3]!.id}/move`, { direction: 'up' })).statusCode).toBe(303);
    expect((await a.browser.post(`/staff/surveys/${id}/questions/${rows[1]!.id}/delete`, {})).statusCode).toBe(303);
    expect((await a.browser.post(`/staff/surveys/${id}`, { titleZh: '满意度调查 2026', titleEn: 'Satisfaction survey 2026' })).statusCode).toBe(303);
    rows = await questionRows(id);
    expect(rows.map((r) => r.kind)).toEqual(['single', 'text', 'rating']);
    expect(rows[1]!.promptEn).toBe('Any other ideas?');
    expect((await surveyRow(id)).titleZh).toBe('满意度调查 2026');

    const page = await a.browser.get(`/staff/surveys/${id}`);
    expect(page.body).toContain('Any other ideas?');
    expect((await a.browser.post(`/staff/surveys/${id}/open`, {})).statusCode).toBe(303);
    expect((await surveyRow(id)).status).toBe('open');
    expect((await a.browser.get('/staff/surveys')).body).toContain('满意度调查 2026');
  });

  it('refuses plain users, privacy officers and visitors, and changes nothing', async () => {
    const { id, q } = await openSurvey(false);
    const user = await person();
    const officer = await person();
    await t.app.silkline.accounts.setRole(officer.data.loginName, 'privacy-officer');
    const count = async () => (await db().selectFrom('survey').select('id').execute()).length;
    const before = await count();
    for (const p of [user, officer]) {
      for (const path of ['/staff/surveys', `/staff/surveys/${id}`, `/staff/surveys/${id}/results`, `/staff/surveys/${id}/answers.csv`, '/staff/surveys/new']) {
        expect((await p.browser.get(path)).statusCode, path).toBe(403);
      }
      expect((await p.browser.post('/staff/surveys', { titleZh: '冒充', titleEn: 'Fake' })).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/surveys/${id}/questions`, questions[0]!)).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/surveys/${id}/questions/${q[0]}/delete`, {})).statusCode).toBe(403);
      expect((await p.browser.post(`/staff/surveys/${id}/open`, {})).statusCode).toBe(403);
    }
    expect((await new Browser(t.app).get('/staff/surveys')).statusCode).toBe(303);
    expect(await count()).toBe(before);
    expect((await surveyRow(id)).status).toBe('draft');
    expect(await questionRows(id)).toHaveLength(4);
  });

  it('freezes the questions once open, and makes closing final', async () => {
    const a = await admin();
    const empty = await surveys().create(staffAuth, { titleZh: '空问卷', titleEn: 'Empty', introZh: '', introEn: '' });
    expect((await a.browser.post(`/staff/surveys/${empty.id}/open`, {})).statusCode).toBe(409);
    const { id, q } = await openSurvey();
    const before = await questionRows(id);
    const attempts = [
      a.browser.post(`/staff/surveys/${id}/questions`, questions[0]!),
      a.browser.post(`/staff/surveys/${id}/questions/${q[0]}`, { ...questions[0]!, promptZh: '改过的问题' }),
      a.browser.post(`/staff/surveys/${id}/questions/${q[0]}/delete`, {}),
      a.browser.post(`/staff/surveys/${id}/questions/${q[1]}/move`, { direction: 'up' }),
      a.browser.post(`/staff/surveys/${id}`, { titleZh: '改过的标题', titleEn: 'Changed' }),
      a.browser.post(`/staff/surveys/${id}/open`, {}),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(409);
      expect(response.body).toMatch(/问卷已发布|只有草稿可以发布/);
    }
    expect(await questionRows(id)).toEqual(before);
    expect((await surveyRow(id)).titleZh).toBe('丝路使用体验调查');
    expect((await a.browser.post(`/staff/surveys/${id}/close`, {})).statusCode).toBe(303);
    expect((await surveyRow(id)).status).toBe('closed');
    expect((await a.browser.post(`/staff/surveys/${id}/close`, {})).statusCode).toBe(409);
    expect((await a.browser.post(`/staff/surveys/${id}/open`, {})).statusCode).toBe(409);
    expect((await surveyRow(id)).status).toBe('closed');
  });

  const huge = 'x'.repeat(10_000);
  const badSurveys: [string, Record<string, string>, string][] = [
    ['empty Chinese title', { titleZh: '', titleEn: 'Survey' }, 'titleZh'],
    ['10,000-character title', { titleZh: huge, titleEn: 'Survey' }, 'titleZh'],
    ['control characters in the title', { titleZh: '调查\u0000', titleEn: 'Survey' }, 'titleZh'],
    ['10,000-character introduction', { titleZh: '调查', titleEn: 'Survey', introEn: huge }, 'introEn'],
  ];
  it.each(badSurveys)('refuses a survey with %s (400, nothing stored)', async (_name, body, field) => {
    const a = await admin();
    const before = (await db().selectFrom('survey').select('id').execute()).length;
    const response = await a.browser.post('/staff/surveys', body);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`id="field-${field}-error"`);
    expect((await db().selectFrom('survey').select('id').execute()).length).toBe(before);
  });

  const badQuestions: [string, Record<string, string>][] = [
    ['an unknown kind', { ...questions[0]!, kind: 'essay' }],
    ['no prompt', { ...questions[0]!, promptEn: '' }],
    ['one option', { ...questions[0]!, optionsZh: '是', optionsEn: 'Yes' }],
    ['options that do not match', { ...questions[0]!, optionsEn: 'Search engine\nA friend' }],
    ['21 options', { ...questions[0]!, optionsZh: Array.from({ length: 21 }, (_, i) => `选项${i}`).join('\n'), optionsEn: Array.from({ length: 21 }, (_, i) => `o${i}`).join('\n') }],
    ['a 10,000-character prompt', { ...questions[0]!, promptZh: huge }],
    ['a script as required flag', { ...questions[0]!, isRequired: '<script>' }],
  ];
  it.each(badQuestions)('refuses a question with %s (400, nothing stored)', async (_name, body) => {
    const a = await admin();
    const { id } = await openSurvey(false);
    const response = await a.browser.post(`/staff/surveys/${id}/questions`, body);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('提交的信息有误');
    expect(await questionRows(id)).toHaveLength(4);
  });
});

describe('taking part', () => {
  it('hides the form without consent, explains why, and offers consent to surveys alone', async () => {
    const { id } = await openSurvey();
    const p = await person();
    const page = await p.browser.get(`/surveys/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('参与问卷需要您的同意');
    expect(page.body).toContain('随时在隐私设置中撤回');
    expect(page.body).toContain(`action="/surveys/${id}/consent"`);
    expect(page.body).toContain('href="/privacy/settings"');
    expect(page.body).not.toContain('id="survey-form"');
    expect(page.body).not.toContain('您是如何知道丝路的？');
    expect((await p.browser.get('/surveys')).body).toContain('丝路使用体验调查');
  });

  it('records consent to surveys from the survey page with method settings, leaving other choices as they were', async () => {
    const { id } = await openSurvey();
    const p = await person();
    await p.browser.post('/privacy/consent', { choice: 'custom', method: 'banner', analytics: 'on' });
    const response = await p.browser.post(`/surveys/${id}/consent`, {});
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/surveys/${id}?done=consented#survey-form`);
    const rows = await db().selectFrom('consentRecord').selectAll().where('subject', '=', p.accountId).orderBy('createdAt', 'desc').execute();
    const latest = rows.filter((r) => r.createdAt === rows[0]!.createdAt);
    expect(Object.fromEntries(latest.map((r) => [r.purpose, [Number(r.granted), r.method]]))).toEqual({
      preferences: [0, 'settings'],
      analytics: [1, 'settings'],
      personalisation: [0, 'settings'],
      marketing: [0, 'settings'],
      surveys: [1, 'settings'],
    });
    const consent = (await p.browser.get('/api/consent')).json<{ purposes: Record<string, boolean> }>().purposes;
    expect(consent).toMatchObject({ analytics: true, surveys: true, marketing: false, personalisation: false, preferences: false });
    const page = await p.browser.get(`/surveys/${id}?done=consented`);
    expect(page.body).toContain('id="survey-form"');
    expect(page.body).toContain('您是如何知道丝路的？');
  });

  it('shows a just-in-time notice generated from the data map, in both languages', async () => {
    const { id } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    const zh = await p.browser.get(`/surveys/${id}`);
    expect(zh.body).toContain('id="survey-notice"');
    expect(zh.body).toContain('data-category="survey.responses"');
    expect(zh.body).toContain('data-category="account.identifier"');
    expect(zh.body).toContain('问卷回答');
    expect(zh.body).toContain('您的单独同意，可随时撤回');
    const en = await p.browser.get(`/surveys/${id}`, { cookie: `${p.browser.cookieHeader()}; lang=en` });
    expect(en.body).toContain('data-category="survey.responses"');
    expect(en.body).toContain('Survey answers');
    expect(en.body).toContain('How did you hear of Silkline?');
  });

  it('takes one response per person, shows it, and lets the person delete it while open', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    const sent = await p.browser.post(`/surveys/${id}/response`, form(q, ['1', '2', '4', '更快的搜索']));
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/surveys/${id}?done=answered`);
    const again = await p.browser.post(`/surveys/${id}/response`, form(q, ['0', undefined, '1', undefined]));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('您已经回答过此问卷');
    expect((await p.browser.api('POST', `/api/surveys/${id}/response`, { answers: { [q[0]!]: 0, [q[2]!]: 1 } })).statusCode).toBe(409);
    expect(await responseRows(id)).toHaveLength(1);
    expect(await answerCount(id)).toBe(4);
    const page = await p.browser.get(`/surveys/${id}`);
    expect(page.body).toContain('您的回答');
    expect(page.body).toContain('朋友推荐');
    expect(page.body).toContain('采购需求');
    expect(page.body).toContain('更快的搜索');
    expect(page.body).not.toContain('id="survey-form"');
    expect((await p.browser.get('/api/surveys')).json<{ items: { id: string; hasAnswered: boolean }[] }>().items.find((s) => s.id === id)?.hasAnswered).toBe(true);

    expect((await p.browser.post(`/surveys/${id}/response/delete`, {})).statusCode).toBe(303);
    expect(await responseRows(id)).toHaveLength(0);
    expect(await answerCount(id)).toBe(0);
    expect((await p.browser.post(`/surveys/${id}/response/delete`, {})).statusCode).toBe(404);
    expect((await p.browser.api('POST', `/api/surveys/${id}/response`, { answers: { [q[0]!]: 2, [q[1]!]: [0, 2], [q[2]!]: 5 } })).statusCode).toBe(201);
    expect((await p.browser.api('DELETE', `/api/surveys/${id}/response`)).json()).toEqual({ deleted: true });
  });

  it('refuses answers without consent (403), to a closed survey (409) and to a draft (404)', async () => {
    const open = await openSurvey();
    const draft = await openSurvey(false);
    const p = await person();
    const answers = { answers: { [open.q[0]!]: 0, [open.q[2]!]: 3 } };
    const refused = await p.browser.api('POST', `/api/surveys/${open.id}/response`, answers);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('问卷调查');
    expect((await p.browser.post(`/surveys/${open.id}/response`, form(open.q, ['0', undefined, '3']))).statusCode).toBe(403);
    await consentToSurveys(p);
    expect((await p.browser.api('POST', `/api/surveys/${draft.id}/response`, { answers: { [draft.q[0]!]: 0 } })).statusCode).toBe(404);
    expect((await p.browser.get(`/surveys/${draft.id}`)).statusCode).toBe(404);
    await surveys().close(staffAuth, open.id);
    expect((await p.browser.api('POST', `/api/surveys/${open.id}/response`, answers)).statusCode).toBe(409);
    expect(await responseRows(open.id)).toHaveLength(0);
    expect((await p.browser.get(`/surveys/${open.id}`)).body).toContain('此问卷已结束');
  });

  it('cannot delete a response once the survey is closed', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    await p.browser.post(`/surveys/${id}/response`, form(q, ['0', undefined, '3']));
    await surveys().close(staffAuth, id);
    expect((await p.browser.post(`/surveys/${id}/response/delete`, {})).statusCode).toBe(409);
    expect(await responseRows(id)).toHaveLength(1);
  });

  const huge = '问'.repeat(2001);
  const badAnswers: [string, (q: string[]) => Record<string, unknown>, string][] = [
    ['a required question left out', (q) => ({ [q[2]!]: 3 }), 'surveys.error.required'],
    ['an option not in the list', (q) => ({ [q[0]!]: 7, [q[2]!]: 3 }), 'surveys.error.invalidChoice'],
    ['a negative option', (q) => ({ [q[0]!]: -1, [q[2]!]: 3 }), 'surveys.error.invalidChoice'],
    ['two options for a single choice', (q) => ({ [q[0]!]: [0, 1], [q[2]!]: 3 }), 'surveys.error.invalidChoice'],
    ['a rating of 0', (q) => ({ [q[0]!]: 0, [q[2]!]: 0 }), 'surveys.error.rating'],
    ['a rating of 6', (q) => ({ [q[0]!]: 0, [q[2]!]: 6 }), 'surveys.error.rating'],
    ['a rating of 3.5', (q) => ({ [q[0]!]: 0, [q[2]!]: 3.5 }), 'surveys.error.rating'],
    ['words as a rating', (q) => ({ [q[0]!]: 0, [q[2]!]: 'five' }), 'surveys.error.rating'],
    ['a 2,001-character text', (q) => ({ [q[0]!]: 0, [q[2]!]: 3, [q[3]!]: huge }), 'surveys.error.textTooLong'],
    ['a list as text', (q) => ({ [q[0]!]: 0, [q[2]!]: 3, [q[3]!]: ['a', 'b'] }), 'validation.invalidType'],
    ['control characters in text', (q) => ({ [q[0]!]: 0, [q[2]!]: 3, [q[3]!]: 'a\u0007b' }), 'validation.controlCharacters'],
    ['a question of another survey', (q) => ({ [q[0]!]: 0, [q[2]!]: 3, [randomUUID()]: 'x' }), 'surveys.error.unknownQuestion'],
  ];
  it.each(badAnswers)('refuses %s with a clear 400 and stores nothing', async (_name, answers, key) => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    const response = await p.browser.api('POST', `/api/surveys/${id}/response`, { answers: answers(q) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.values(response.json().error.fields as Record<string, string>)).toContain(makeTranslator(catalog, 'zh-CN')(key));
    expect(await responseRows(id)).toHaveLength(0);
    expect(await answerCount(id)).toBe(0);
  });

  it('refuses malformed bodies and forms, never with a 500', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    for (const body of [{}, { answers: 'x' }, { answers: [1] }, { answers: { 'not-an-id': 1 } }, { answers: { [q[0]!]: { $gt: 0 } } }, { answers: Object.fromEntries(Array.from({ length: 60 }, () => [randomUUID(), 1])) }]) {
      expect((await p.browser.api('POST', `/api/surveys/${id}/response`, body)).statusCode).toBe(400);
    }
    expect((await p.browser.api('POST', '/api/surveys/not-an-id/response', { answers: {} })).statusCode).toBe(400);
    expect((await p.browser.post('/surveys/not-an-id/response', {})).statusCode).toBe(404);
    const page = await p.browser.post(`/surveys/${id}/response`, { ...form(q, ['9', undefined, '3', '<script>alert(1)</script>']), 'answers.<script>': 'x' });
    expect(page.statusCode).toBe(400);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect((await p.browser.post(`/surveys/${id}/response`, { ...form(q, ['0', undefined, '3']), _csrf: '' })).statusCode).toBe(403);
    expect(await responseRows(id)).toHaveLength(0);
  });
});

describe('results', () => {
  let survey: { id: string; q: string[] };
  let people: Person[];
  beforeAll(async () => {
    survey = await openSurvey();
    people = [await person(), await person(), await person()];
    const answers = [
      { 0: 0, 1: [0, 1], 2: 5, 3: '<script>alert(1)</script>' },
      { 0: 0, 1: [1], 2: 4, 3: '=HYPERLINK("http://evil.example")' },
      { 0: 1, 2: 3 },
    ];
    for (const [i, p] of people.entries()) {
      await consentToSurveys(p);
      const body = Object.fromEntries(Object.entries(answers[i]!).map(([n, v]) => [survey.q[Number(n)]!, v]));
      expect((await p.browser.api('POST', `/api/surveys/${survey.id}/response`, { answers: body })).statusCode).toBe(201);
    }
  });

  it('counts options and ratings with their shares and the mean rating', async () => {
    const results = await surveys().results(staffAuth, survey.id);
    expect(results.responses).toBe(3);
    const [single, multiple, rating, text] = results.questions;
    expect(single!.respondents).toBe(3);
    expect(single!.options).toEqual([{ count: 2, percent: 67 }, { count: 1, percent: 33 }, { count: 0, percent: 0 }]);
    expect(multiple!.respondents).toBe(2);
    expect(multiple!.options).toEqual([{ count: 1, percent: 50 }, { count: 2, percent: 100 }, { count: 0, percent: 0 }]);
    expect(rating!.ratings.map((r) => r.count)).toEqual([0, 0, 1, 1, 1]);
    expect(rating!.average).toBe(4);
    expect(text!.textTotal).toBe(2);
  });

  it('shows the results page to administrators with text answers escaped', async () => {
    const a = await admin();
    const page = await a.browser.get(`/staff/surveys/${survey.id}/results`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('共收到 3 份回答');
    expect(page.body).toContain('平均分：4.0');
    expect(page.body).toContain('67%');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    const texts = await a.browser.get(`/staff/surveys/${survey.id}/results/${survey.q[3]}?page=1`);
    expect(texts.statusCode).toBe(200);
    expect(texts.body).toContain('共 2 条文字回答');
    expect((await a.browser.get(`/staff/surveys/${survey.id}/results/${survey.q[0]}`)).statusCode).toBe(404);
  });

  it('downloads the answers as CSV without any account identifier, formulas made inert', async () => {
    const a = await admin();
    const response = await a.browser.get(`/staff/surveys/${survey.id}/answers.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment');
    const csv = response.body;
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('Q1. 您是如何知道丝路的？');
    expect(csv).toContain('"搜索引擎"');
    expect(csv).toContain('"搜索; 询盘"');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const responseIds = (await responseRows(survey.id)).map((r) => r.id);
    for (const secret of [...people.flatMap((p) => [p.accountId, p.data.email, p.data.loginName]), ...responseIds]) expect(csv).not.toContain(secret);
  });
});

describe('invitations', () => {
  // An app of its own, so the real SMTP server is not busy with other tests' invitations.
  let u: TestApp;
  let mailbox: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    mailbox = await startSmtpSink();
    u = await makeApp({ smtpUrl: mailbox.url });
  });
  afterAll(async () => {
    await u?.close();
    await mailbox?.close();
  });
  const db = () => u.app.silkline.db.kysely;
  const surveys = () => u.app.silkline.surveys;
  const person = async (): Promise<Person> => withAuth(u.app, await signedIn(u.app));
  const service = (inviteBatchSize: number) =>
    createSurveysService({ db: db(), publicUrl: u.config.publicUrl, translator: (l) => makeTranslator(catalog, l), consent: u.app.silkline.consent, notices: u.app.silkline.notices, audit: u.app.silkline.audit, inviteBatchSize });
  const surveyRow = (id: string) => db().selectFrom('survey').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  async function openSurvey(): Promise<{ id: string }> {
    const { questionInput } = await import('../src/modules/surveys/schema.js');
    const { id } = await surveys().create(staffAuth, { titleZh: '丝路使用体验调查', titleEn: 'Silkline experience survey', introZh: '', introEn: '' });
    await surveys().addQuestion(staffAuth, id, questionInput.parse(questions[2]));
    await surveys().open(staffAuth, id);
    await surveys().drainInvitations();
    return { id };
  }
  const invitationMail = (to: string) => db().selectFrom('mailOutbox').select(['recipient', 'textBody']).where('kind', '=', 'survey-invitation').where('recipient', '=', to).execute();
  const inviteNotices = (accountId: string) => db().selectFrom('notice').select('link').where('accountId', '=', accountId).where('kind', '=', 'survey.invited').execute();

  it('invites only people who consent to surveys, once each, by notice and email', async () => {
    const yes = await person();
    const no = await person();
    const withdrawn = await person();
    await consentToSurveys(yes);
    await consentToSurveys(withdrawn);
    await consentToSurveys(withdrawn, false);
    const { id } = await openSurvey();
    // Small batches through a second service on the same database: nobody is invited twice.
    expect(await service(2).sendInvitations()).toBe(0);
    expect(await surveys().sendInvitations()).toBe(0);
    expect(await invitationMail(yes.data.email)).toHaveLength(1);
    expect((await invitationMail(yes.data.email))[0]!.textBody).toContain(`/surveys/${id}`);
    expect(await inviteNotices(yes.accountId)).toEqual([{ link: `/surveys/${id}` }]);
    for (const p of [no, withdrawn]) {
      expect(await invitationMail(p.data.email)).toHaveLength(0);
      expect(await inviteNotices(p.accountId)).toHaveLength(0);
    }
    const mail = await mailbox.waitFor((m) => m.to.includes(yes.data.email) && m.subject.includes('丝路使用体验调查'));
    expect(mail.text).toContain('/privacy/settings');
    expect(mail.text).toContain('Silkline experience survey');
  });

  it('invites in batches of any size without repeating anyone', async () => {
    const people = [await person(), await person(), await person()];
    for (const p of people) await consentToSurveys(p);
    const { id } = await surveys().create(staffAuth, { titleZh: '批量邀请', titleEn: 'Batched', introZh: '', introEn: '' });
    const { questionInput } = await import('../src/modules/surveys/schema.js');
    await surveys().addQuestion(staffAuth, id, questionInput.parse(questions[2]));
    // Opened straight in the database, so only the small-batch service sends.
    await db().updateTable('survey').set({ status: 'open', openedAt: new Date().toISOString() }).where('id', '=', id).execute();
    const small = service(1);
    const [first, second] = await Promise.all([small.sendInvitations(), surveys().sendInvitations()]);
    expect(first + second).toBeGreaterThanOrEqual(3);
    const rows = await db().selectFrom('surveyInvitation').select('accountId').where('surveyId', '=', id).execute();
    expect(new Set(rows.map((r) => r.accountId)).size).toBe(rows.length);
    for (const p of people) expect(rows.map((r) => r.accountId)).toContain(p.accountId);
    expect((await surveyRow(id)).invitedAt).not.toBeNull();
    expect(await small.sendInvitations()).toBe(0);
  });
});

describe('retention and personal data', () => {
  const later = (days: number): SurveysService =>
    createSurveysService({ db: db(), publicUrl: t.config.publicUrl, translator: (l) => makeTranslator(catalog, l), consent: t.app.silkline.consent, notices: t.app.silkline.notices, audit: t.app.silkline.audit, clock: () => new Date(Date.now() + days * 86_400_000) });

  it('removes the account link 90 days after the survey closes and keeps the answers for the statistics', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    await p.browser.post(`/surveys/${id}/response`, form(q, ['2', undefined, '5', '很好']));
    await surveys().close(staffAuth, id);
    await later(89).anonymiseExpired();
    expect((await responseRows(id))[0]!.accountId).toBe(p.accountId);
    expect(await later(91).anonymiseExpired()).toBeGreaterThanOrEqual(1);
    const [row] = await responseRows(id);
    expect(row!.accountId).toBeNull();
    expect(row!.createdAt).toMatch(/T00:00:00\.000Z$/);
    expect((await surveyRow(id)).anonymisedAt).not.toBeNull();
    expect(await db().selectFrom('surveyInvitation').select('accountId').where('surveyId', '=', id).execute()).toEqual([]);
    expect((await surveys().results(staffAuth, id)).questions[2]!.average).toBe(5);
    expect((await p.browser.get(`/surveys/${id}`)).body).not.toContain('您的回答');
  });

  it('removes the account link when the person withdraws consent to surveys', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    await p.browser.post(`/surveys/${id}/response`, form(q, ['0', undefined, '2']));
    await surveys().anonymiseExpired();
    expect((await responseRows(id))[0]!.accountId).toBe(p.accountId);
    await consentToSurveys(p, false);
    await surveys().anonymiseExpired();
    expect((await responseRows(id))[0]!.accountId).toBeNull();
    expect(await answerCount(id)).toBe(2);
  });

  it('exports a person’s responses with their answers, and erasure deletes them', async () => {
    const { id, q } = await openSurvey();
    const p = await person();
    await consentToSurveys(p);
    await p.browser.post(`/surveys/${id}/response`, form(q, ['1', undefined, '4', '希望增加英文客服']));
    const provider = t.app.silkline.providers.find((x) => x.name === 'surveys')!;
    const exported = await provider.export(p.accountId);
    const responses = exported.records.responses as { surveyId: string; titleZh: string; answers: { promptZh: string; optionZh: string | null; rating: number | null; text: string | null }[] }[];
    const mine = responses.find((r) => r.surveyId === id)!;
    expect(mine.titleZh).toBe('丝路使用体验调查');
    expect(mine.answers).toEqual([
      expect.objectContaining({ promptZh: '您是如何知道丝路的？', optionZh: '朋友推荐' }),
      expect.objectContaining({ promptZh: '您对丝路的总体评价', rating: 4 }),
      expect.objectContaining({ promptZh: '还有什么建议？', text: '希望增加英文客服' }),
    ]);
    expect((await provider.erase(p.accountId)).erased).toBeGreaterThanOrEqual(4);
    expect(await responseRows(id)).toHaveLength(0);
    expect(await answerCount(id)).toBe(0);
    expect((await provider.export(p.accountId)).records).toEqual({ responses: [], invitations: [] });
  });

  it('lists the survey API in the OpenAPI document', async () => {
    const doc = (await new Browser(t.app).get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(doc.paths['/api/surveys'] ?? {})).toContain('get');
    expect(Object.keys(doc.paths['/api/surveys/{id}/response'] ?? {})).toEqual(expect.arrayContaining(['post', 'delete']));
  });
});
