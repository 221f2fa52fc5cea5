import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { toCount, type Executor } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { noticeKinds, type NoticeKind } from './tables.js';

export const noticesPageSize = 20;

export interface NoticeInput {
  kind: NoticeKind;
  /** The placeholders of the kind's text, e.g. `{ company: '丝路贸易' }`. */
  params: Record<string, string>;
  /** A same-site path, e.g. `/shop/<id>`. */
  link: string;
}

/** A notice as callers see it: params parsed, read state as a boolean. */
export interface NoticeView {
  id: string;
  kind: NoticeKind;
  params: Record<string, string>;
  link: string;
  createdAt: string;
  readAt: string | null;
  isRead: boolean;
}

export interface NoticePage {
  items: NoticeView[];
  page: number;
  pages: number;
  total: number;
}

export interface NoticesDeps {
  db: Kysely<Database>;
  clock?: () => Date;
}

/** Parses stored params, keeping only string values so a bad row cannot break a page. */
export function parseParams(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

function isSameSitePath(link: string): boolean {
  return link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') && link.length <= 500;
}

/** Makes the notices service: in-site notices (站内通知) for one account each. */
export function createNoticesService(deps: NoticesDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());
  let last = 0;
  // Two notices sent in the same millisecond must still list newest first, so times never repeat
  // within this process.
  const now = () => {
    last = Math.max(clock().getTime(), last + 1);
    return new Date(last).toISOString();
  };

  return {
    /**
     * Sends a notice to one account; pass the caller's transaction so the notice commits with the
     * change it announces.
     * @example await notices.notify(trx, memberId, { kind: 'company.verified', params: { company }, link: `/shop/${id}` })
     */
    async notify(handle: Executor<Database>, accountId: string, input: NoticeInput): Promise<{ id: string }> {
      if (!noticeKinds.includes(input.kind)) throw new Error(`Unknown notice kind ${String(input.kind)}`);
      if (!isSameSitePath(input.link)) throw new Error(`A notice links to a same-site path, not ${input.link}`);
      const id = randomUUID();
      await handle
        .insertInto('notice')
        .values({ id, accountId, kind: input.kind, params: JSON.stringify(input.params), link: input.link, createdAt: now(), readAt: null })
        .execute();
      return { id };
    },

    /** One page (20 notices) of the account's notices, newest first. */
    async list(accountId: string, page: number): Promise<NoticePage> {
      const total = toCount(
        (await db.selectFrom('notice').select((eb) => eb.fn.countAll().as('n')).where('accountId', '=', accountId).executeTakeFirstOrThrow()).n,
      );
      const pages = Math.max(1, Math.ceil(total / noticesPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await db
        .selectFrom('notice')
        .select(['id', 'kind', 'params', 'link', 'createdAt', 'readAt'])
        .where('accountId', '=', accountId)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(noticesPageSize)
        .offset((current - 1) * noticesPageSize)
        .execute();
      return {
        items: rows.map((r) => ({ ...r, params: parseParams(r.params), isRead: r.readAt !== null })),
        page: current,
        pages,
        total,
      };
    },

    /** How many of the account's notices are unread. */
    async unreadCount(accountId: string): Promise<number> {
      const row = await db
        .selectFrom('notice')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('accountId', '=', accountId)
        .where('readAt', 'is', null)
        .executeTakeFirstOrThrow();
      return toCount(row.n);
    },

    /** Marks one of the account's notices read; NOT_FOUND for a notice of anyone else. */
    async markRead(accountId: string, id: string): Promise<void> {
      const at = now();
      const result = await db
        .updateTable('notice')
        .set((eb) => ({ readAt: eb.fn.coalesce('readAt', eb.val(at)) }))
        .where('id', '=', id)
        .where('accountId', '=', accountId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new AppError('NOT_FOUND');
    },

    /** Marks every unread notice of the account read; answers how many changed. */
    async markAllRead(accountId: string): Promise<number> {
      const result = await db
        .updateTable('notice')
        .set({ readAt: now() })
        .where('accountId', '=', accountId)
        .where('readAt', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type NoticesService = ReturnType<typeof createNoticesService>;
