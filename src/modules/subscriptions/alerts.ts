import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/http/errors.js';
import { isLocale, type Locale } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import type { ProductCard } from '../products/index.js';
import * as repo from './repo.js';
import { unsubscribeToken } from './schema.js';
import { criteriaOf } from './criteria.js';
import type { SubscriptionsDeps } from './service.js';
import type { AlertFrequency, SubscriptionTable } from './tables.js';

/** New products listed in one alert per subscription; the rest are behind the link. */
export const alertItemLimit = 10;
/** How many newest matches an alert looks through for those listed since the last one. */
const alertScan = 100;
const accountBatch = 100;

const hourMs = 3_600_000;
/** How long after the last alert the next one is due. */
export const alertPeriodMs: Record<Exclude<AlertFrequency, 'off'>, number> = { daily: 24 * hourMs, weekly: 7 * 24 * hourMs };

const localeOf = (value: string): Locale => (isLocale(value) ? value : 'zh-CN');

interface AlertSection {
  row: SubscriptionTable;
  items: ProductCard[];
  /** All new ones found, of which `items` are the first `alertItemLimit`. */
  count: number;
}

/** Email alerts of new matching products, and the signed one-click link that turns them off. */
export function createAlerts(deps: SubscriptionsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  // A keyed hash of the id: the link needs no session and no stored token, and cannot be
  // forged for someone else's subscription.
  const mac = (id: string) => createHmac('sha256', deps.secret).update(`subscription-alerts-off:${id}`).digest('base64url');

  /**
   * What a signed link turns off: one subscription's alerts, or (`all-` and an account id, the
   * link in an alert's List-Unsubscribe header) every alert of the person. TOKEN_INVALID when
   * tampered with or gone.
   */
  async function fromToken(token: unknown): Promise<{ row: SubscriptionTable } | { accountId: string }> {
    const parsed = unsubscribeToken.safeParse(token);
    const invalid = new AppError('TOKEN_INVALID', { messageKey: 'subscriptions.unsubscribe.invalid' });
    if (!parsed.success) throw invalid;
    const [id = '', signature = ''] = parsed.data.split('.');
    const expected = Buffer.from(mac(id));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    if (id.startsWith('all-')) {
      const accountId = id.slice(4);
      if (!(await repo.hasSubscriptions(db, accountId))) throw invalid;
      return { accountId };
    }
    const row = await repo.findById(db, id);
    if (!row) throw invalid;
    return { row };
  }

  const unsubscribeUrl = (id: string) => `${deps.publicUrl}/subscriptions/unsubscribe?token=${id}.${mac(id)}`;
  const unsubscribeAllUrl = (accountId: string) => unsubscribeUrl(`all-${accountId}`);

  /** The products of a subscription listed after its last alert and up to `at`, newest first. */
  async function newSince(row: SubscriptionTable, at: string): Promise<AlertSection> {
    const { items } = await deps.products.findMatching(criteriaOf(row), 0, alertScan);
    const fresh = items.filter((i) => i.listedAt > row.alertedAt && i.listedAt <= at);
    return { row, items: fresh.slice(0, alertItemLimit), count: fresh.length };
  }

  function mailText(locale: Locale, sections: AlertSection[]) {
    const t = deps.translator(locale);
    const blocks = sections.map(({ row, items, count }) => {
      const lines = items.map((card) => {
        const title = (locale === 'en' ? card.titleEn ?? card.titleZh : card.titleZh ?? card.titleEn) ?? '';
        return t('subscriptions.mail.item', { title, link: `${deps.publicUrl}/products/${card.id}` });
      });
      const more = count > items.length ? [t('subscriptions.mail.more', { count: count - items.length })] : [];
      return [
        t('subscriptions.mail.section', { name: row.name, count }),
        ...lines,
        ...more,
        t('subscriptions.mail.all', { link: `${deps.publicUrl}/subscriptions/${row.id}` }),
        t('subscriptions.mail.unsubscribe', { link: unsubscribeUrl(row.id) }),
      ].join('\n');
    });
    const count = sections.reduce((sum, s) => sum + s.count, 0);
    return {
      subject: t('subscriptions.mail.subject', { count }),
      text: t('subscriptions.mail.body', { sections: blocks.join('\n\n'), manage: `${deps.publicUrl}/subscriptions` }),
    };
  }

  return {
    unsubscribeUrl,

    /** What a signed link turns off, for the confirmation page: one subscription by name, or every alert (`name: null`). */
    async checkUnsubscribe(token: unknown): Promise<{ name: string | null; isOff: boolean }> {
      const found = await fromToken(token);
      if ('row' in found) return { name: found.row.name, isOff: found.row.alertFrequency === 'off' };
      return { name: null, isOff: !(await repo.hasAlertsOn(db, found.accountId)) };
    },

    /** Turns off the alerts a signed link names; sending it twice changes nothing. */
    async unsubscribe(token: unknown): Promise<{ name: string | null }> {
      const found = await fromToken(token);
      const at = clock().toISOString();
      if ('row' in found) {
        await repo.turnAlertsOff(db, found.row.id, at);
        return { name: found.row.name };
      }
      await repo.turnAllAlertsOff(db, found.accountId, at);
      return { name: null };
    },

    /**
     * Sends each person one email listing, per subscription with an alert due, up to 10 products
     * listed since its last alert; nothing when nothing is new. Run every hour: each subscription
     * is taken by one run only (on however many instances), and its next alert falls due a day or
     * a week later. Answers how many emails were queued.
     */
    async sendAlerts(at: Date): Promise<number> {
      const until = at.toISOString();
      let queued = 0;
      let after = '';
      for (;;) {
        const accounts = await repo.listDueAccounts(db, until, after, accountBatch);
        if (accounts.length === 0) break;
        after = accounts.at(-1)!.accountId;
        for (const account of accounts) {
          const due = await repo.listDue(db, account.accountId, until);
          // Searched before the transaction: the products module reads through its own handle.
          const found = await Promise.all(due.map((row) => newSince(row, until)));
          const sent = await db.transaction().execute(async (trx) => {
            const sections: AlertSection[] = [];
            for (const section of found) {
              const { row } = section;
              const frequency = row.alertFrequency === 'off' ? 'daily' : row.alertFrequency;
              const next = { alertedAt: until, alertDueAt: new Date(at.getTime() + alertPeriodMs[frequency]).toISOString() };
              if ((await repo.claimAlert(trx, row.id, row.alertDueAt!, next)) && section.count > 0) sections.push(section);
            }
            if (sections.length === 0) return false;
            // The language of the subscription changed last: what the person used most recently.
            const locale = localeOf([...sections].sort((a, b) => b.row.updatedAt.localeCompare(a.row.updatedAt))[0]!.row.locale);
            await enqueueMail(trx, {
              to: account.email,
              subjectId: account.accountId,
              kind: 'subscription-alert',
              unsubscribeUrl: unsubscribeAllUrl(account.accountId),
              ...mailText(locale, sections),
            });
            return true;
          });
          if (sent) queued++;
        }
      }
      if (queued > 0) deps.onMailQueued?.();
      return queued;
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
