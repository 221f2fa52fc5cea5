import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import type { CompaniesService } from '../companies/index.js';
import type { ProductCard, ProductCriteria, ProductsService } from '../products/index.js';
import type { SocialService } from '../social/index.js';
import { alertPeriodMs, createAlerts } from './alerts.js';
import { criteriaOf, describeCriteria } from './criteria.js';
import * as repo from './repo.js';
import { nameMaxLength, type SubscriptionInput, type SubscriptionUpdate } from './schema.js';
import type { AlertFrequency, SubscriptionStatus, SubscriptionTable } from './tables.js';

/** Subscriptions one person may have: enough for real buying, too few to mirror the catalogue. */
export const maxSubscriptions = 20;
export const matchesPageSize = 20;
/** New products are counted up to this many; the list then says "99+". */
export const maxNewCount = 99;


export interface SubscriptionsDeps {
  db: Kysely<Database>;
  publicUrl: string;
  /** The app's secret, for the signed unsubscribe links. */
  secret: string;
  translator: (locale: Locale) => Translate;
  products: Pick<ProductsService, 'findMatching'>;
  companies: Pick<CompaniesService, 'getPublic'>;
  social: Pick<SocialService, 'following'>;
  onMailQueued?: () => void;
  clock?: () => Date;
}

/** A subscription as pages and the API show it; never a raw row. */
export interface SubscriptionView {
  id: string;
  name: string;
  keyword: string | null;
  categoryId: string | null;
  provinceCode: string | null;
  companyId: string | null;
  /** The company's names while it is public; null otherwise (or when none was chosen). */
  company: { nameZh: string; nameEn: string | null } | null;
  status: SubscriptionStatus;
  frequency: AlertFrequency;
  seenAt: string;
  createdAt: string;
  updatedAt: string;
}

/** A list entry: the subscription and how many matches are new since the person last looked. */
export interface SubscriptionSummary extends SubscriptionView {
  newCount: number;
  /** More than `maxNewCount` are new. */
  hasMoreNew: boolean;
}

export interface MatchesPage {
  subscription: SubscriptionView;
  items: ProductCard[];
  /** When the person looked before this visit: items listed later are new to them. */
  seenBefore: string;
  page: number;
  pages: number;
  total: number;
}

/** Makes the subscriptions service: saved criteria, their matches, new counts and the home page blocks. */
export function createSubscriptionsService(deps: SubscriptionsDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  async function companyOf(companyId: string | null): Promise<SubscriptionView['company']> {
    if (!companyId) return null;
    try {
      const company = await deps.companies.getPublic(companyId);
      return { nameZh: company.nameZh, nameEn: company.nameEn };
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async function present(row: SubscriptionTable): Promise<SubscriptionView> {
    return {
      id: row.id,
      name: row.name,
      keyword: row.keyword,
      categoryId: row.categoryId,
      provinceCode: row.provinceCode,
      companyId: row.companyId,
      company: await companyOf(row.companyId),
      status: row.status,
      frequency: row.alertFrequency,
      seenAt: row.seenAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  async function getOwned(auth: AuthState, id: string): Promise<SubscriptionTable> {
    const row = await repo.findOwned(db, auth.accountId, id);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  /** The criteria columns of an input, after checking that a chosen company is public; the name defaults to a summary. */
  async function columnsOf(input: SubscriptionInput, locale: Locale) {
    const company = await companyOf(input.companyId);
    if (input.companyId && !company) throw new AppError('VALIDATION_FAILED', { fields: { companyId: 'subscriptions.error.company' } });
    const t = deps.translator(locale);
    const summary = describeCriteria(t, locale, { keyword: input.keyword, categoryId: input.category, provinceCode: input.province, companyId: input.companyId, company }).join(
      t('subscriptions.criteria.separator'),
    );
    const name = input.name ?? (summary.length > nameMaxLength ? `${summary.slice(0, nameMaxLength - 1)}…` : summary);
    return {
      name,
      keyword: input.keyword,
      categoryId: input.category,
      provinceCode: input.province,
      companyId: input.companyId,
      alertFrequency: input.frequency,
    };
  }

  const dueAfter = (from: Date, frequency: AlertFrequency) => (frequency === 'off' ? null : new Date(from.getTime() + alertPeriodMs[frequency]).toISOString());

  /** Newest matches of a subscription, up to `limit`. */
  async function newest(row: SubscriptionTable, limit: number): Promise<ProductCard[]> {
    return (await deps.products.findMatching(criteriaOf(row), 0, limit)).items;
  }

  /** Up to `limit` matches of active subscriptions, newest listed first, each product once. */
  async function homeMatches(auth: AuthState, limit = 6): Promise<{ items: ProductCard[]; hasSubscriptions: boolean }> {
    const rows = await repo.listForAccount(db, auth.accountId, 'active');
    const found = (await Promise.all(rows.map((row) => newest(row, limit)))).flat();
    const unique = [...new Map(found.map((card) => [card.id, card])).values()];
    unique.sort((a, b) => b.listedAt.localeCompare(a.listedAt));
    return { items: unique.slice(0, limit), hasSubscriptions: rows.length > 0 };
  }

  /** One of the person's own subscriptions; NOT_FOUND for anyone else's. */
  async function get(auth: AuthState, id: string): Promise<SubscriptionView> {
    return present(await getOwned(auth, id));
  }

  return {
    ...createAlerts(deps),

    /** The person's subscriptions, oldest first, each with how many matches are new since they last looked. */
    async list(auth: AuthState): Promise<SubscriptionSummary[]> {
      const rows = await repo.listForAccount(db, auth.accountId);
      return Promise.all(
        rows.map(async (row) => {
          const items = await newest(row, maxNewCount + 1);
          const fresh = items.filter((i) => i.listedAt > row.seenAt).length;
          return { ...(await present(row)), newCount: Math.min(fresh, maxNewCount), hasMoreNew: fresh > maxNewCount };
        }),
      );
    },

    get,

    /** A public company's names, for a form limited to it; null when it is not public. */
    findCompany: companyOf,

    /** Saves a new subscription; at most `maxSubscriptions` per person. */
    async create(auth: AuthState, input: SubscriptionInput, locale: Locale): Promise<SubscriptionView> {
      const columns = await columnsOf(input, locale);
      const now = clock();
      const at = now.toISOString();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        if ((await repo.countForAccount(trx, auth.accountId)) >= maxSubscriptions) {
          throw new AppError('CONFLICT', { messageKey: 'subscriptions.error.tooMany', params: { max: maxSubscriptions } });
        }
        await repo.insertSubscription(trx, {
          id,
          accountId: auth.accountId,
          ...columns,
          status: 'active',
          locale,
          seenAt: at,
          alertedAt: at,
          alertDueAt: dueAfter(now, columns.alertFrequency),
          createdAt: at,
          updatedAt: at,
        });
      });
      return get(auth, id);
    },

    /**
     * Changes one of the person's subscriptions. New criteria start afresh (products listed
     * before the change are neither new nor alerted); a new frequency takes effect from the last alert.
     */
    async update(auth: AuthState, id: string, input: SubscriptionUpdate, locale: Locale): Promise<SubscriptionView> {
      const before = await getOwned(auth, id);
      const columns = await columnsOf(input, locale);
      const now = clock();
      const at = now.toISOString();
      const status = input.status ?? before.status;
      const isNewCriteria = (['keyword', 'categoryId', 'provinceCode', 'companyId'] as const).some((k) => columns[k] !== before[k]);
      const isResumed = before.status === 'paused' && status === 'active';
      const restart = isNewCriteria || isResumed || (before.alertFrequency === 'off' && columns.alertFrequency !== 'off');
      const alertedAt = restart ? at : before.alertedAt;
      const alertDueAt = status === 'paused' ? null : dueAfter(restart ? now : new Date(before.alertedAt), columns.alertFrequency);
      const changed = await repo.updateOwned(db, auth.accountId, id, {
        ...columns,
        status,
        locale,
        seenAt: isNewCriteria ? at : before.seenAt,
        alertedAt,
        alertDueAt,
        updatedAt: at,
      });
      if (!changed) throw new AppError('NOT_FOUND');
      return get(auth, id);
    },

    /** Pauses (no alerts, not on the home page) or resumes one of the person's subscriptions. */
    async setStatus(auth: AuthState, id: string, status: SubscriptionStatus): Promise<void> {
      const row = await getOwned(auth, id);
      if (row.status === status) return;
      const now = clock();
      await repo.updateOwned(db, auth.accountId, id, {
        status,
        // Products listed while it was paused are not alerted on resuming.
        alertedAt: status === 'active' ? now.toISOString() : row.alertedAt,
        alertDueAt: status === 'active' ? dueAfter(now, row.alertFrequency) : null,
        updatedAt: now.toISOString(),
      });
    },

    /** Deletes one of the person's subscriptions; NOT_FOUND for anyone else's. */
    async remove(auth: AuthState, id: string): Promise<void> {
      if (!(await repo.deleteOwned(db, auth.accountId, id))) throw new AppError('NOT_FOUND');
    },

    /** One page of a subscription's matches, newest listed first; looking marks them seen. */
    async matches(auth: AuthState, id: string, page: number): Promise<MatchesPage> {
      const row = await getOwned(auth, id);
      const pageOf = (n: number) => deps.products.findMatching(criteriaOf(row), (n - 1) * matchesPageSize, matchesPageSize);
      let current = Math.max(1, Math.floor(page));
      let found = await pageOf(current);
      const pages = Math.max(1, Math.ceil(found.total / matchesPageSize));
      // A page past the end (the list shrank, or a hand-made URL) shows the last one.
      if (current > pages) found = await pageOf((current = pages));
      await repo.updateOwned(db, auth.accountId, id, { seenAt: clock().toISOString() });
      return { subscription: await present(row), items: found.items, seenBefore: row.seenAt, page: current, pages, total: found.total };
    },

    homeMatches,

    /**
     * Products recommended from the person's active subscriptions and follows: more from the
     * categories and companies they point at, newest first, leaving out what is shown already
     * (`shown`) and what they follow. Callers check consent to personalisation first.
     */
    async recommendations(auth: AuthState, shown: readonly string[], limit = 6): Promise<ProductCard[]> {
      const [rows, products, companies] = await Promise.all([
        repo.listForAccount(db, auth.accountId, 'active'),
        deps.social.following(auth, 'product', 1),
        deps.social.following(auth, 'company', 1),
      ]);
      const followed = products.items.flatMap((i) => (i.type === 'product' && i.product ? [i.product] : []));
      const categories = new Set([...rows.flatMap((r) => r.categoryId ?? []), ...followed.map((p) => p.categoryId)]);
      const companyIds = new Set([...rows.flatMap((r) => r.companyId ?? []), ...companies.items.filter((i) => i.type === 'company' && i.company).map((i) => i.id)]);
      // Keyword-only subscriptions point at the categories their newest matches are in.
      for (const row of rows.filter((r) => !r.categoryId && !r.companyId).slice(0, 5)) for (const card of await newest(row, 3)) categories.add(card.categoryId);
      const criteria: ProductCriteria[] = [
        ...[...categories].slice(0, 5).map((categoryId) => ({ keyword: null, categoryId, provinceCode: null, companyId: null })),
        ...[...companyIds].slice(0, 5).map((companyId) => ({ keyword: null, categoryId: null, provinceCode: null, companyId })),
      ];
      const found = (await Promise.all(criteria.map((c) => deps.products.findMatching(c, 0, limit)))).flatMap((r) => r.items);
      const exclude = new Set([...shown, ...followed.map((p) => p.id)]);
      const unique = [...new Map(found.filter((c) => !exclude.has(c.id)).map((c) => [c.id, c])).values()];
      unique.sort((a, b) => b.listedAt.localeCompare(a.listedAt));
      return unique.slice(0, limit);
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
