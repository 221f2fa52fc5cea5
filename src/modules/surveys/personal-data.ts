import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';
import * as repo from './repo.js';

// Surveys are a consent purpose. The answers are linked to the person only to allow one response
// each and to let them see or delete it; 90 days after the survey closes, or as soon as consent
// to surveys is withdrawn, the link goes and the answers remain only as anonymous statistics.
const answersPurpose = 'learn from survey answers how to improve Silkline';
const linkPurpose = 'allow one response per person and let them see or delete it';
const invitePurpose = 'invite people who agreed to surveys once per survey';
const linkRetention = 'until 90 days after the survey closes or consent is withdrawn';
const answersRetention = 'linked to the person until 90 days after the survey closes then only anonymous';
const inviteRetention = '90 days after the survey closes';

export const surveysDataMap: DataMap = {
  survey: {
    id: technical('identifies a survey'),
    status: technical('whether a survey is a draft, open or closed'),
    title_zh: technical('the survey title staff wrote, in Chinese'),
    title_en: technical('the survey title staff wrote, in English'),
    intro_zh: technical('the survey introduction staff wrote, in Chinese'),
    intro_en: technical('the survey introduction staff wrote, in English'),
    created_at: technical('when the survey was drafted'),
    updated_at: technical('when the draft last changed'),
    opened_at: technical('when the survey opened'),
    closed_at: technical('when the survey closed; starts the retention of its responses'),
    invite_cursor: technical('how far the invitations have gone through the accounts'),
    invited_at: technical('when the invitations were all considered'),
    anonymised_at: technical('when the responses lost their link to accounts'),
  },
  survey_question: {
    id: technical('identifies a question'),
    survey_id: technical('the survey a question belongs to'),
    position: technical('the order of the questions'),
    kind: technical('what kind of answer a question takes'),
    prompt_zh: technical('the question staff wrote, in Chinese'),
    prompt_en: technical('the question staff wrote, in English'),
    is_required: technical('whether a question must be answered'),
    options: technical('the options staff wrote for a choice question'),
  },
  survey_response: {
    id: technical('identifies a response', answersRetention),
    survey_id: personal('survey.responses', answersPurpose, 'consent', answersRetention, { optional: true }),
    account_id: personal('account.identifier', linkPurpose, 'consent', linkRetention),
    created_at: technical('when the answers were given; cut to the day when the link is removed', answersRetention),
  },
  survey_answer: {
    id: technical('identifies an answer', answersRetention),
    response_id: technical('the response an answer belongs to', answersRetention),
    survey_id: technical('the survey an answer is for, to count answers', answersRetention),
    question_id: technical('the question an answer is for', answersRetention),
    option_index: personal('survey.responses', answersPurpose, 'consent', answersRetention, { optional: true }),
    rating: personal('survey.responses', answersPurpose, 'consent', answersRetention, { optional: true }),
    text_value: personal('survey.responses', answersPurpose, 'consent', answersRetention, { optional: true }),
  },
  survey_invitation: {
    survey_id: personal('survey.invitations', invitePurpose, 'consent', inviteRetention),
    account_id: personal('account.identifier', invitePurpose, 'consent', inviteRetention),
    created_at: technical('when the invitation was sent', inviteRetention),
  },
};

/**
 * Access, export and erasure of a person's survey responses and invitations. Erasure deletes the
 * responses with their answers; responses already anonymised are no longer the person's and
 * cannot be found.
 */
export function surveysProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'surveys',
    describe: () => surveysDataMap,
    async export(subjectId) {
      const [responses, invitations] = await Promise.all([repo.listResponsesOf(db, subjectId), repo.listInvitationsOf(db, subjectId)]);
      return { provider: 'surveys', records: { responses, invitations } };
    },
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const responses = await repo.deleteResponsesOf(trx, subjectId);
        const invitations = await trx.deleteFrom('surveyInvitation').where('accountId', '=', subjectId).executeTakeFirst();
        return { erased: responses + Number(invitations.numDeletedRows) };
      });
    },
  };
}
