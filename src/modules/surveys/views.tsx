import type { FormState } from '../../platform/http/forms.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { FormMessage, Notice, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { formatDay } from '../../platform/views/format.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import { answerField, type GivenAnswer, type QuestionView } from './answers.js';
import { textAnswerMaxLength } from './schema.js';
import type { OpenSurvey, OwnResponse, SurveyView } from './service.js';

/** What the survey form collects, for its just-in-time notice. */
const responseColumns: readonly CollectedColumn[] = [
  ['survey_response', 'account_id'],
  ['survey_response', 'survey_id'],
  ['survey_answer', 'option_index'],
  ['survey_answer', 'rating'],
  ['survey_answer', 'text_value'],
];

/** A text written in both languages, in the page's language, with its language for screen readers. */
export function inLocale(ctx: PageContext, zh: string, en: string): { text: string; lang: string } {
  return ctx.locale === 'en' && en ? { text: en, lang: 'en' } : { text: zh || en, lang: zh ? 'zh-CN' : 'en' };
}

/** An introduction as paragraphs, one per blank-line-separated block. */
export function Paragraphs({ text, lang }: { text: string; lang: string }) {
  return <>{text.split(/\n{2,}/).filter(Boolean).map((p, i) => <p key={i} lang={lang} class="survey-intro">{p}</p>)}</>;
}

/** "问卷调查": the open surveys for a signed-in person. */
export function SurveysPage({ ctx, surveys }: { ctx: PageContext; surveys: OpenSurvey[] }) {
  const { t } = ctx;
  return (
    <section class="card surveys">
      <h1>{t('surveys.list.title')}</h1>
      <p class="muted">{t('surveys.list.intro')}</p>
      {surveys.length === 0 ? (
        <div class="empty-state"><p>{t('surveys.list.empty')}</p></div>
      ) : (
        <ul class="survey-list">
          {surveys.map((s) => {
            const title = inLocale(ctx, s.titleZh, s.titleEn);
            return (
              <li key={s.id} class="card" data-survey-id={s.id}>
                <h2><a href={`/surveys/${s.id}`} lang={title.lang}>{title.text}</a></h2>
                <p class="muted">{t('surveys.list.openedOn', { date: formatDay(ctx, s.openedAt) })}</p>
                {s.hasAnswered ? <p><span class="badge badge-verified">{t('surveys.list.answered')}</span></p> : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Prompt({ ctx, question, index }: { ctx: PageContext; question: QuestionView; index: number }) {
  const prompt = inLocale(ctx, question.promptZh, question.promptEn);
  return (
    <>
      {`${index + 1}. `}<span lang={prompt.lang}>{prompt.text}</span>
      {question.isRequired ? <span class="required" aria-hidden="true">{' *'}</span> : null}
      {question.isRequired ? <span class="visually-hidden">{` ${ctx.t('surveys.form.required')}`}</span> : null}
    </>
  );
}

/** One question's inputs; the values given before are kept after a refused submission. */
function QuestionInput({ ctx, question, index, given, error }: { ctx: PageContext; question: QuestionView; index: number; given: string[]; error?: string }) {
  const name = answerField(question.id);
  const id = `q-${question.id}`;
  const errorText = error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null;
  if (question.kind === 'text') {
    return (
      <div class={error ? 'field field-error' : 'field'}>
        <label for={id}><Prompt ctx={ctx} question={question} index={index} /></label>
        <textarea id={id} name={name} rows={4} maxLength={textAnswerMaxLength} aria-invalid={error ? 'true' : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}>{given[0] ?? ''}</textarea>
        <p class="hint" id={`${id}-hint`}>{ctx.t('surveys.form.textHint', { max: textAnswerMaxLength })}</p>
        {errorText}
      </div>
    );
  }
  const choices = question.kind === 'rating'
    ? [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: ctx.t(`surveys.rating.${n}`), lang: ctx.locale }))
    : question.options.map((o, i) => ({ value: String(i), ...inLocale(ctx, o.zh, o.en), label: inLocale(ctx, o.zh, o.en).text }));
  const type = question.kind === 'multiple' ? 'checkbox' : 'radio';
  return (
    <fieldset class={error ? 'field-error survey-question' : 'survey-question'} aria-describedby={error ? `${id}-error` : undefined} id={id}>
      <legend><Prompt ctx={ctx} question={question} index={index} /></legend>
      {question.kind === 'multiple' ? <p class="hint">{ctx.t('surveys.form.multipleHint')}</p> : null}
      {choices.map((c) => (
        <label class="checkbox" key={c.value}>
          <input type={type} name={name} value={c.value} checked={given.includes(c.value)} /> <span lang={c.lang}>{c.label}</span>
        </label>
      ))}
      {errorText}
    </fieldset>
  );
}

/** A person's own answer to one question, in words. */
function GivenText({ ctx, question, answer }: { ctx: PageContext; question: QuestionView; answer: GivenAnswer | undefined }) {
  if (!answer) return <span class="muted">{ctx.t('surveys.response.skipped')}</span>;
  if (question.kind === 'rating') return <>{answer.rating === null ? '' : ctx.t(`surveys.rating.${answer.rating}`)}</>;
  if (question.kind === 'text') return <>{answer.text}</>;
  return <>{answer.optionIndexes.map((i) => (question.options[i] ? inLocale(ctx, question.options[i].zh, question.options[i].en).text : '')).join(ctx.t('surveys.separator'))}</>;
}

function OwnAnswers({ ctx, survey, response }: { ctx: PageContext; survey: SurveyView; response: OwnResponse }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="own-response-title" class="survey-response">
      <h2 id="own-response-title">{t('surveys.response.title')}</h2>
      <p class="muted">{t('surveys.response.given', { date: formatDay(ctx, response.createdAt) })}</p>
      <dl>
        {survey.questions.map((q, i) => (
          <div key={q.id}>
            <dt><Prompt ctx={ctx} question={q} index={i} /></dt>
            <dd><GivenText ctx={ctx} question={q} answer={response.answers.get(q.id)} /></dd>
          </div>
        ))}
      </dl>
      {survey.status === 'open' ? (
        <PostForm ctx={ctx} action={`/surveys/${survey.id}/response/delete`} class="inline-form">
          <p class="hint">{t('surveys.response.deleteHint')}</p>
          <button class="button button-secondary" type="submit">{t('surveys.response.delete')}</button>
        </PostForm>
      ) : null}
    </section>
  );
}

/** Without consent to surveys: why it is needed, and a way to give it for surveys alone. */
function ConsentNeeded({ ctx, survey }: { ctx: PageContext; survey: SurveyView }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="survey-consent-title" class="survey-consent" id="survey-consent">
      <h2 id="survey-consent-title">{t('surveys.consent.title')}</h2>
      <p>{t('surveys.consent.explain')}</p>
      <p>{t('surveys.consent.withdraw')}</p>
      <PostForm ctx={ctx} action={`/surveys/${survey.id}/consent`} class="inline-form">
        <button class="button" type="submit">{t('surveys.consent.grant')}</button>
      </PostForm>{' '}
      <a href="/privacy/settings">{t('surveys.consent.settings')}</a>
    </section>
  );
}

/**
 * A survey for a signed-in person: their answers when they have given them (with a delete button
 * while it is open), the form with its just-in-time notice when they consent to surveys, and
 * otherwise what consent is needed and the button that gives it.
 */
export function SurveyPage(props: { ctx: PageContext; survey: SurveyView; response: OwnResponse | null; consents: boolean; state: FormState; given: Record<string, string[]>; dataMap: DataMap }) {
  const { ctx, survey, response, state } = props;
  const { t } = ctx;
  const title = inLocale(ctx, survey.titleZh, survey.titleEn);
  const intro = inLocale(ctx, survey.introZh, survey.introEn);
  const errors = state.errors ?? {};
  return (
    <section class="card survey-page">
      <p><a href="/surveys">{t('surveys.back')}</a></p>
      <h1 lang={title.lang}>{title.text}</h1>
      <FormMessage ctx={ctx} state={state} />
      {intro.text ? <Paragraphs text={intro.text} lang={intro.lang} /> : null}
      {survey.status === 'closed' ? <Notice kind="info">{t('surveys.closedNotice')}</Notice> : null}
      {response ? (
        <OwnAnswers ctx={ctx} survey={survey} response={response} />
      ) : survey.status !== 'open' ? null : props.consents ? (
        <PostForm ctx={ctx} action={`/surveys/${survey.id}/response`} id="survey-form">
          <p class="hint">{t('surveys.form.requiredHint')}</p>
          {survey.questions.map((q, i) => (
            <QuestionInput key={q.id} ctx={ctx} question={q} index={i} given={props.given[q.id] ?? []} error={errors[answerField(q.id)]} />
          ))}
          <JitNotice ctx={ctx} dataMap={props.dataMap} columns={responseColumns} id="survey-notice" />
          <button class="button" type="submit">{t('surveys.form.submit')}</button>
        </PostForm>
      ) : (
        <ConsentNeeded ctx={ctx} survey={survey} />
      )}
    </section>
  );
}
