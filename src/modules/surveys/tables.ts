import type { MigrationSet } from '../../platform/db/migrate.js';

/** A survey's life: drafted and edited, opened (its questions frozen), closed for good. */
export const surveyStatuses = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];

/** What a question asks for: one option, any options, a rating from 1 to 5, or a short text. */
export const questionKinds = ['single', 'multiple', 'rating', 'text'] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** A survey written by staff in both languages. */
export interface SurveyTable {
  id: string;
  status: SurveyStatus;
  titleZh: string;
  titleEn: string;
  introZh: string;
  introEn: string;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
  /** The last account id the invitations have reached, in id order; '' before the first batch. */
  inviteCursor: string;
  /** When every account was considered for an invitation; null while invitations go out. */
  invitedAt: string | null;
  /** When the responses lost their link to accounts, 90 days after closing. */
  anonymisedAt: string | null;
}

/** One question of a survey; options are a JSON array of `{ zh, en }` for the choice kinds. */
export interface SurveyQuestionTable {
  id: string;
  surveyId: string;
  position: number;
  kind: QuestionKind;
  promptZh: string;
  promptEn: string;
  /** 1 when an answer is required, 0 when it may be skipped. */
  isRequired: number;
  options: string;
}

/**
 * One person's response to a survey. The account link only prevents double answers and lets the
 * person see or delete their response; it is removed 90 days after the survey closes, or when
 * the person withdraws consent to surveys.
 */
export interface SurveyResponseTable {
  id: string;
  surveyId: string;
  accountId: string | null;
  /** When the answers were given; cut to the day when the link to the account is removed. */
  createdAt: string;
}

/**
 * One answer: for a choice question, one row per chosen option (its index); for a rating, the
 * number; for a text question, the text.
 */
export interface SurveyAnswerTable {
  id: string;
  responseId: string;
  surveyId: string;
  questionId: string;
  optionIndex: number | null;
  rating: number | null;
  textValue: string | null;
}

/** Who was invited to a survey, so that nobody is invited twice. */
export interface SurveyInvitationTable {
  surveyId: string;
  accountId: string;
  createdAt: string;
}

export interface SurveysTables {
  survey: SurveyTable;
  surveyQuestion: SurveyQuestionTable;
  surveyResponse: SurveyResponseTable;
  surveyAnswer: SurveyAnswerTable;
  surveyInvitation: SurveyInvitationTable;
}

const time = 'varchar(32)';
const id = 'varchar(36)';

export const surveysMigrations: MigrationSet = {
  '20261129T1700_surveys': {
    async up(db) {
      await db.schema
        .createTable('survey')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('status', 'varchar(8)', (c) => c.notNull())
        .addColumn('title_zh', 'varchar(200)', (c) => c.notNull())
        .addColumn('title_en', 'varchar(200)', (c) => c.notNull())
        .addColumn('intro_zh', 'text', (c) => c.notNull())
        .addColumn('intro_en', 'text', (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('opened_at', time)
        .addColumn('closed_at', time)
        .addColumn('invite_cursor', id, (c) => c.notNull().defaultTo(''))
        .addColumn('invited_at', time)
        .addColumn('anonymised_at', time)
        .execute();
      await db.schema.createIndex('survey_status').on('survey').columns(['status', 'opened_at']).execute();
      await db.schema
        .createTable('survey_question')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('survey_id', id, (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar(8)', (c) => c.notNull())
        .addColumn('prompt_zh', 'varchar(500)', (c) => c.notNull())
        .addColumn('prompt_en', 'varchar(500)', (c) => c.notNull())
        .addColumn('is_required', 'integer', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('survey_question_survey').on('survey_question').columns(['survey_id', 'position']).execute();
      await db.schema
        .createTable('survey_response')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('survey_id', id, (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('account_id', id, (c) => c.references('account.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        // Both engines allow many nulls here, so anonymous responses never collide.
        .addUniqueConstraint('survey_response_one_per_person', ['survey_id', 'account_id'])
        .execute();
      await db.schema.createIndex('survey_response_account').on('survey_response').column('account_id').execute();
      await db.schema
        .createTable('survey_answer')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('response_id', id, (c) => c.notNull().references('survey_response.id').onDelete('cascade'))
        .addColumn('survey_id', id, (c) => c.notNull())
        .addColumn('question_id', id, (c) => c.notNull())
        .addColumn('option_index', 'integer')
        .addColumn('rating', 'integer')
        .addColumn('text_value', 'text')
        .execute();
      await db.schema.createIndex('survey_answer_response').on('survey_answer').column('response_id').execute();
      await db.schema.createIndex('survey_answer_question').on('survey_answer').columns(['survey_id', 'question_id']).execute();
      await db.schema
        .createTable('survey_invitation')
        .addColumn('survey_id', id, (c) => c.notNull().references('survey.id').onDelete('cascade'))
        .addColumn('account_id', id, (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('survey_invitation_pk', ['survey_id', 'account_id'])
        .execute();
      await db.schema.createIndex('survey_invitation_account').on('survey_invitation').column('account_id').execute();
    },
  },
};
