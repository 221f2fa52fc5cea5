import type { FormState } from '../../platform/http/forms.js';
import { Field, FormMessage, Pager, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { formatDay } from '../../platform/views/format.js';
import type { QuestionView } from './answers.js';
import type { SurveyResults } from './results.js';
import { introMaxLength, maxOptions, optionMaxLength, promptMaxLength, titleMaxLength } from './schema.js';
import type { SurveyView } from './service.js';
import { questionKinds, type SurveyStatus } from './tables.js';
import { inLocale } from './views.js';

type Values = Record<string, string>;

function StatusBadge({ ctx, status }: { ctx: PageContext; status: SurveyStatus }) {
  const kind = status === 'open' ? 'badge-verified' : status === 'closed' ? 'badge-rejected' : 'badge-draft';
  return <span class={`badge ${kind}`}>{ctx.t(`surveys.status.${status}`)}</span>;
}

/** The title and introduction fields in both languages. */
function SurveyFields({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: Values }) {
  const { t } = ctx;
  return (
    <>
      <Field ctx={ctx} name="titleZh" label={t('surveys.staff.titleZh')} value={values.titleZh} error={errors.titleZh} required maxLength={titleMaxLength} />
      <Field ctx={ctx} name="titleEn" label={t('surveys.staff.titleEn')} value={values.titleEn} error={errors.titleEn} required maxLength={titleMaxLength} />
      <TextArea ctx={ctx} name="introZh" label={t('surveys.staff.introZh')} value={values.introZh} error={errors.introZh} maxLength={introMaxLength} rows={4} />
      <TextArea ctx={ctx} name="introEn" label={t('surveys.staff.introEn')} value={values.introEn} error={errors.introEn} maxLength={introMaxLength} rows={4} />
    </>
  );
}

/** A question's fields: kind, prompt in both languages, required, and options one per line. */
function QuestionFields({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: Values }) {
  const { t } = ctx;
  return (
    <>
      <Select ctx={ctx} name="kind" label={t('surveys.staff.kind')} value={values.kind} error={errors.kind} empty={t('surveys.staff.kindChoose')}
        options={questionKinds.map((k) => ({ value: k, label: t(`surveys.kind.${k}`) }))} />
      <Field ctx={ctx} name="promptZh" label={t('surveys.staff.promptZh')} value={values.promptZh} error={errors.promptZh} required maxLength={promptMaxLength} />
      <Field ctx={ctx} name="promptEn" label={t('surveys.staff.promptEn')} value={values.promptEn} error={errors.promptEn} required maxLength={promptMaxLength} />
      <label class="checkbox"><input type="checkbox" name="isRequired" value="on" checked={values.isRequired === 'on'} /> {t('surveys.staff.isRequired')}</label>
      <TextArea ctx={ctx} name="optionsZh" label={t('surveys.staff.optionsZh')} value={values.optionsZh} error={errors.optionsZh} maxLength={maxOptions * (optionMaxLength + 2)} rows={5}
        hint={t('surveys.staff.optionsHint', { max: maxOptions })} />
      <TextArea ctx={ctx} name="optionsEn" label={t('surveys.staff.optionsEn')} value={values.optionsEn} error={errors.optionsEn} maxLength={maxOptions * (optionMaxLength + 2)} rows={5} />
    </>
  );
}

/** The values of a stored question, for its edit form. */
export function questionValues(q: QuestionView): Values {
  return { kind: q.kind, promptZh: q.promptZh, promptEn: q.promptEn, isRequired: q.isRequired ? 'on' : '', optionsZh: q.options.map((o) => o.zh).join('\n'), optionsEn: q.options.map((o) => o.en).join('\n') };
}

/** Staff's list of every survey, newest first. */
export function StaffListPage({ ctx, list }: { ctx: PageContext; list: { items: { id: string; status: SurveyStatus; titleZh: string; titleEn: string; createdAt: string }[]; page: number; pages: number; total: number } }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('surveys.staff.title')}</h1>
      <p><a class="button" href="/staff/surveys/new">{t('surveys.staff.new')}</a></p>
      {list.items.length === 0 ? <div class="empty-state"><p>{t('surveys.staff.empty')}</p></div> : (
        <table class="data">
          <thead><tr><th scope="col">{t('surveys.staff.surveyTitle')}</th><th scope="col">{t('surveys.staff.status')}</th><th scope="col">{t('surveys.staff.created')}</th></tr></thead>
          <tbody>
            {list.items.map((s) => {
              const title = inLocale(ctx, s.titleZh, s.titleEn);
              return (
                <tr key={s.id}>
                  <td><a href={`/staff/surveys/${s.id}`} lang={title.lang}>{title.text}</a></td>
                  <td><StatusBadge ctx={ctx} status={s.status} /></td>
                  <td>{formatDay(ctx, s.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => `/staff/surveys?page=${n}`} />
    </section>
  );
}

/** A new survey's title and introduction. */
export function StaffNewPage({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return (
    <section class="card narrow">
      <p><a href="/staff/surveys">{ctx.t('surveys.staff.back')}</a></p>
      <h1>{ctx.t('surveys.staff.new')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/staff/surveys">
        <SurveyFields ctx={ctx} values={state.values ?? {}} errors={state.errors ?? {}} />
        <button class="button" type="submit">{ctx.t('surveys.staff.create')}</button>
      </PostForm>
    </section>
  );
}

function QuestionSummary({ ctx, survey, q, index }: { ctx: PageContext; survey: SurveyView; q: QuestionView; index: number }) {
  const { t } = ctx;
  const isDraft = survey.status === 'draft';
  const base = `/staff/surveys/${survey.id}/questions/${q.id}`;
  return (
    <li class="card" data-question-id={q.id}>
      <h3>{`${index + 1}. `}<span lang="zh-CN">{q.promptZh}</span> / <span lang="en">{q.promptEn}</span></h3>
      <p class="muted">{t(`surveys.kind.${q.kind}`)} · {t(q.isRequired ? 'surveys.staff.required' : 'surveys.staff.optional')}</p>
      {q.options.length > 0 ? <ol>{q.options.map((o, i) => <li key={i}><span lang="zh-CN">{o.zh}</span> / <span lang="en">{o.en}</span></li>)}</ol> : null}
      {isDraft ? (
        <div class="survey-question-actions">
          <a href={base}>{t('surveys.staff.editQuestion')}</a>{' '}
          {(['up', 'down'] as const).map((direction) => (
            <PostForm key={direction} ctx={ctx} action={`${base}/move`} class="inline-form">
              <input type="hidden" name="direction" value={direction} />
              <button class="link-button" type="submit">{t(`surveys.staff.move.${direction}`)}<span class="visually-hidden">{` ${index + 1}`}</span></button>
            </PostForm>
          ))}{' '}
          <PostForm ctx={ctx} action={`${base}/delete`} class="inline-form">
            <button class="link-button" type="submit">{t('surveys.staff.deleteQuestion')}<span class="visually-hidden">{` ${index + 1}`}</span></button>
          </PostForm>
        </div>
      ) : null}
    </li>
  );
}

/** One survey for staff: the draft editor, or the frozen survey with its close button and results. */
export function StaffSurveyPage({ ctx, survey, state, form }: { ctx: PageContext; survey: SurveyView; state: FormState; form: 'survey' | 'question' | 'none' }) {
  const { t } = ctx;
  const title = inLocale(ctx, survey.titleZh, survey.titleEn);
  const surveyValues = form === 'survey' ? state.values ?? {} : { titleZh: survey.titleZh, titleEn: survey.titleEn, introZh: survey.introZh, introEn: survey.introEn };
  return (
    <section class="card">
      <p><a href="/staff/surveys">{t('surveys.staff.back')}</a></p>
      <h1 lang={title.lang}>{title.text}</h1>
      <p><StatusBadge ctx={ctx} status={survey.status} /></p>
      <FormMessage ctx={ctx} state={state} />
      {survey.status === 'draft' ? (
        <PostForm ctx={ctx} action={`/staff/surveys/${survey.id}`} id="survey-edit">
          <SurveyFields ctx={ctx} values={surveyValues} errors={form === 'survey' ? state.errors ?? {} : {}} />
          <button class="button" type="submit">{t('surveys.staff.save')}</button>
        </PostForm>
      ) : (
        <p class="muted">{t(survey.status === 'open' ? 'surveys.staff.frozen' : 'surveys.staff.closedOn', { date: survey.closedAt ? formatDay(ctx, survey.closedAt) : '' })}</p>
      )}
      <h2>{t('surveys.staff.questions')}</h2>
      {survey.questions.length === 0 ? <p class="muted">{t('surveys.staff.noQuestions')}</p> : (
        <ol class="survey-questions">{survey.questions.map((q, i) => <QuestionSummary key={q.id} ctx={ctx} survey={survey} q={q} index={i} />)}</ol>
      )}
      {survey.status === 'draft' ? (
        <>
          <h2>{t('surveys.staff.addQuestion')}</h2>
          <PostForm ctx={ctx} action={`/staff/surveys/${survey.id}/questions`} id="question-add">
            <QuestionFields ctx={ctx} values={form === 'question' ? state.values ?? {} : {}} errors={form === 'question' ? state.errors ?? {} : {}} />
            <button class="button" type="submit">{t('surveys.staff.addQuestion')}</button>
          </PostForm>
          <h2>{t('surveys.staff.openTitle')}</h2>
          <p>{t('surveys.staff.openHint')}</p>
          <PostForm ctx={ctx} action={`/staff/surveys/${survey.id}/open`} class="inline-form">
            <button class="button" type="submit">{t('surveys.staff.open')}</button>
          </PostForm>
        </>
      ) : (
        <p><a class="button button-secondary" href={`/staff/surveys/${survey.id}/results`}>{t('surveys.staff.results')}</a></p>
      )}
      {survey.status === 'open' ? (
        <>
          <h2>{t('surveys.staff.closeTitle')}</h2>
          <p>{t('surveys.staff.closeHint')}</p>
          <PostForm ctx={ctx} action={`/staff/surveys/${survey.id}/close`} class="inline-form">
            <button class="button" type="submit">{t('surveys.staff.close')}</button>
          </PostForm>
        </>
      ) : null}
    </section>
  );
}

/** The edit form of one question of a draft. */
export function StaffQuestionPage({ ctx, survey, questionId, values, state }: { ctx: PageContext; survey: SurveyView; questionId: string; values: Values; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card narrow">
      <p><a href={`/staff/surveys/${survey.id}`}>{t('surveys.staff.backToSurvey')}</a></p>
      <h1>{t('surveys.staff.editQuestion')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action={`/staff/surveys/${survey.id}/questions/${questionId}`}>
        <QuestionFields ctx={ctx} values={values} errors={state.errors ?? {}} />
        <button class="button" type="submit">{t('surveys.staff.save')}</button>
      </PostForm>
    </section>
  );
}

/** Counts and shares per question, the mean rating, the first text answers and the CSV link. */
export function ResultsPage({ ctx, results }: { ctx: PageContext; results: SurveyResults }) {
  const { t } = ctx;
  const { survey } = results;
  const title = inLocale(ctx, survey.titleZh, survey.titleEn);
  return (
    <section class="card survey-results">
      <p><a href={`/staff/surveys/${survey.id}`}>{t('surveys.staff.backToSurvey')}</a></p>
      <h1>{t('surveys.results.title')} <span lang={title.lang}>{title.text}</span></h1>
      <p id="response-count">{t('surveys.results.responses', { count: results.responses })}</p>
      <p><a href={`/staff/surveys/${survey.id}/answers.csv`} download>{t('surveys.results.csv')}</a> <span class="hint">{t('surveys.results.csvHint')}</span></p>
      {results.questions.map((r, i) => {
        const prompt = inLocale(ctx, r.question.promptZh, r.question.promptEn);
        const rows = r.question.kind === 'rating' ? r.ratings.map((tally, n) => ({ label: t(`surveys.rating.${n + 1}`), lang: ctx.locale, ...tally }))
          : r.options.map((tally, n) => ({ label: inLocale(ctx, r.question.options[n]!.zh, r.question.options[n]!.en).text, lang: inLocale(ctx, r.question.options[n]!.zh, r.question.options[n]!.en).lang, ...tally }));
        return (
          <section key={r.question.id} class="survey-result" data-question-id={r.question.id}>
            <h2>{`${i + 1}. `}<span lang={prompt.lang}>{prompt.text}</span></h2>
            <p class="muted">{t('surveys.results.answered', { count: r.respondents })}</p>
            {r.question.kind === 'text' ? (
              <>
                {r.texts.length === 0 ? <p class="muted">{t('surveys.results.noText')}</p> : <ul class="survey-texts">{r.texts.map((a) => <li key={a.id}>{a.text}</li>)}</ul>}
                {r.textTotal > r.texts.length ? <p><a href={`/staff/surveys/${survey.id}/results/${r.question.id}`}>{t('surveys.results.allText', { count: r.textTotal })}</a></p> : null}
              </>
            ) : (
              <table class="data">
                <thead><tr><th scope="col">{t(r.question.kind === 'rating' ? 'surveys.results.rating' : 'surveys.results.option')}</th><th scope="col">{t('surveys.results.count')}</th><th scope="col">{t('surveys.results.percent')}</th></tr></thead>
                <tbody>{rows.map((row, n) => <tr key={n} data-count={row.count}><td lang={row.lang}>{row.label}</td><td>{row.count}</td><td>{`${row.percent}%`}</td></tr>)}</tbody>
              </table>
            )}
            {r.question.kind === 'rating' ? <p class="survey-average">{r.average === null ? t('surveys.results.noAverage') : t('surveys.results.average', { average: r.average.toFixed(1) })}</p> : null}
          </section>
        );
      })}
    </section>
  );
}

/** Every answer to one text question, 20 a page. */
export function TextAnswersPage({ ctx, survey, question, items, page, pages, total }: { ctx: PageContext; survey: SurveyView; question: QuestionView; items: { id: string; text: string }[]; page: number; pages: number; total: number }) {
  const { t } = ctx;
  const prompt = inLocale(ctx, question.promptZh, question.promptEn);
  return (
    <section class="card">
      <p><a href={`/staff/surveys/${survey.id}/results`}>{t('surveys.results.back')}</a></p>
      <h1 lang={prompt.lang}>{prompt.text}</h1>
      <p class="muted">{t('surveys.results.textTotal', { count: total })}</p>
      <ul class="survey-texts">{items.map((a) => <li key={a.id}>{a.text}</li>)}</ul>
      <Pager ctx={ctx} page={page} pages={pages} href={(n) => `/staff/surveys/${survey.id}/results/${question.id}?page=${n}`} />
    </section>
  );
}
