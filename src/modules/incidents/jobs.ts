import { serialRun } from '../../platform/jobs/serial-run.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { NoticesService } from '../notices/index.js';
import * as repo from './repo.js';

/** Accounts told per transaction when an incident or an update is announced. */
export const noticeBatchSize = 100;

export interface IncidentJobsDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  notices: Pick<NoticesService, 'notify'>;
  clock: () => Date;
  onMailQueued?: () => void;
  warn?: (message: string, details: Record<string, unknown>) => void;
  /** Accounts per batch; `noticeBatchSize` unless a test asks for smaller batches. */
  batchSize?: number;
}

type Mail = { subject: string; text: string };
/** One thing to tell: an incident itself (updateId '') or one of its updates. */
interface Announcement {
  table: 'incident' | 'incidentUpdate';
  id: string;
  incidentId: string;
  updateId: string;
  next: (cursor: string, limit: number) => Promise<repo.Recipient[]>;
  mail: Mail;
}

/** A message in both languages, Chinese first: accounts carry no language. */
function bilingual(inLocale: (locale: Locale) => Mail): Mail {
  const [zh, en] = [inLocale('zh-CN'), inLocale('en')];
  return { subject: `${zh.subject} / ${en.subject}`, text: `${zh.text}\n\n————————\n\n${en.text}` };
}

/**
 * Telling the affected people of a published incident and of each update: an in-site notice and
 * an email through the outbox, in batches that move a cursor in the same transaction.
 */
export function createIncidentJobs(deps: IncidentJobsDeps) {
  const { db, clock } = deps;
  const batchSize = deps.batchSize ?? noticeBatchSize;

  async function incidentMail(incidentId: string): Promise<Mail> {
    const incident = (await repo.findIncident(db, incidentId))!;
    const categories = JSON.parse(incident.categories) as string[];
    return bilingual((locale) => {
      const t = deps.translator(locale);
      const en = locale === 'en';
      const params = {
        title: en ? incident.titleEn : incident.titleZh,
        summary: en ? incident.summaryEn : incident.summaryZh,
        foundOn: incident.foundOn,
        categories: categories.map((c) => t(`legal.category.${c}`)).join(t('incidents.separator')),
        consequences: en ? incident.consequencesEn : incident.consequencesZh,
        measures: en ? incident.measuresEn : incident.measuresZh,
        selfHelp: en ? incident.selfHelpEn : incident.selfHelpZh,
        contact: incident.contact,
        url: `${deps.publicUrl}/announcements/${incident.id}`,
      };
      return { subject: t('incidents.mail.subject', params), text: t('incidents.mail.body', params) };
    });
  }

  async function updateMail(incidentId: string, updateId: string): Promise<Mail> {
    const incident = (await repo.findIncident(db, incidentId))!;
    const update = (await repo.listUpdates(db, incidentId)).find((u) => u.id === updateId)!;
    return bilingual((locale) => {
      const t = deps.translator(locale);
      const en = locale === 'en';
      const params = { title: en ? incident.titleEn : incident.titleZh, body: en ? update.bodyEn : update.bodyZh, contact: incident.contact, url: `${deps.publicUrl}/announcements/${incident.id}` };
      return { subject: t('incidents.mail.updateSubject', params), text: t('incidents.mail.updateBody', params) };
    });
  }

  /**
   * Tells the next batch after the cursor. The cursor moves first in the transaction, only from
   * where this worker found it, so a second instance or a restart never tells anyone twice; the
   * delivery rows are a second guard. Answers how many were told, or null when done.
   */
  async function tellBatch(a: Announcement): Promise<number | null> {
    const found = await repo.findCursor(db, a.table, a.id);
    if (!found || found.notifiedAt) return null;
    const cursor = found.notifyCursor;
    const recipients = await a.next(cursor, batchSize);
    const isLast = recipients.length < batchSize;
    const told = await db.transaction().execute(async (trx) => {
      const now = clock().toISOString();
      if (!(await repo.advanceCursor(trx, a.table, a.id, cursor, recipients.at(-1)?.id ?? cursor, isLast ? now : null))) return null;
      let n = 0;
      for (const account of recipients) {
        if (!(await repo.insertDelivery(trx, { incidentId: a.incidentId, updateId: a.updateId, accountId: account.id, createdAt: now }))) continue;
        await deps.notices.notify(trx, account.id, { kind: a.updateId ? 'incident.updated' : 'incident.published', params: {}, link: `/announcements/${a.incidentId}` });
        if (account.emailVerifiedAt) {
          await enqueueMail(trx, { to: account.email, subjectId: account.id, kind: a.updateId ? 'incident-update' : 'incident-notice', subject: a.mail.subject, text: a.mail.text });
        }
        n += 1;
      }
      return n;
    });
    if (told === null) return null;
    if (told > 0) deps.onMailQueued?.();
    return told;
  }

  async function tellAll(a: Announcement): Promise<number> {
    let total = 0;
    for (let told = await tellBatch(a); told !== null; told = await tellBatch(a)) total += told;
    return total;
  }

  async function sendAll(): Promise<number> {
    let total = 0;
    for (const incident of await repo.listIncidentsToNotify(db)) {
      const next = incident.scope === 'all'
        ? (cursor: string, limit: number) => repo.verifiedAccountsAfter(db, cursor, limit)
        : (cursor: string, limit: number) => repo.listedAccountsAfter(db, incident.id, cursor, limit);
      total += await tellAll({ table: 'incident', id: incident.id, incidentId: incident.id, updateId: '', next, mail: await incidentMail(incident.id) });
    }
    // Updates go to the people told of the incident, once all of them have been.
    for (const update of await repo.listUpdatesToNotify(db)) {
      const next = (cursor: string, limit: number) => repo.toldAccountsAfter(db, update.incidentId, cursor, limit);
      total += await tellAll({ table: 'incidentUpdate', id: update.id, incidentId: update.incidentId, updateId: update.id, next, mail: await updateMail(update.incidentId, update.id) });
    }
    return total;
  }

  // Only the error's kind is logged: a database error may repeat an address.
  const notices = serialRun(sendAll, (kind) => deps.warn?.('incident notices stopped; they resume at the next run', { error: kind }));

  return {
    /** Sends every notice that is due, batch by batch; answers how many people were told. */
    sendNotices: notices.run,
    /** Starts sending notices in the background, right after a publication or an update. */
    startNotices: notices.start,
    /** Waits for notices being sent (at shutdown, and in tests). */
    drain: notices.drain,
  };
}
