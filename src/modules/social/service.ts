import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Locale, Translate } from '../../platform/i18n/i18n.js';
import { enqueueMail } from '../../platform/mail/outbox.js';
import { companyCard, type CompaniesService, type CompanyCard } from '../companies/index.js';
import type { ProductCard, ProductsService } from '../products/index.js';
import type { Telemetry } from '../telemetry/index.js';
import * as repo from './repo.js';
import type { ShareEmailInput, Target } from './schema.js';
import type { TargetType } from './tables.js';

export const followingPageSize = 20;
/** Emails to colleagues one person may send in 24 hours. */
export const dailyEmailLimit = 20;
/** Follows one person may have, so that a script cannot follow the whole catalogue. */
export const maxFollows = 2000;
/** Shared links are kept, and attribute visits, for a year (the declared retention). */
export const shareRetentionDays = 365;

const dayMs = 86_400_000;

export interface SocialDeps {
  db: Kysely<Database>;
  publicUrl: string;
  translator: (locale: Locale) => Translate;
  telemetry: Pick<Telemetry, 'record'>;
  companies: Pick<CompaniesService, 'getPublic' | 'findForIndex' | 'findManyForIndex'>;
  products: Pick<ProductsService, 'findCards'>;
  onMailQueued?: () => void;
  clock?: () => Date;
}

/** What a page shows beside a follow button. */
export interface FollowState {
  followers: number;
  isFollowing: boolean;
}

/** A public company or product as a share or a follow names it. */
export interface SharedItem {
  type: TargetType;
  id: string;
  nameZh: string | null;
  nameEn: string | null;
  /** The public page, e.g. `/products/…`. */
  path: string;
}

export type FollowedCompany = CompanyCard;

/** One of a person's follows; the card is null when the company or product is no longer public. */
export type FollowedItem =
  | { type: 'company'; id: string; followedAt: string; company: FollowedCompany | null }
  | { type: 'product'; id: string; followedAt: string; product: ProductCard | null };

export interface FollowingPage {
  type: TargetType;
  items: FollowedItem[];
  page: number;
  pages: number;
  total: number;
}

/** The links of a share page: with the person's own tokens when signed in, plain otherwise. */
export interface ShareLinks {
  item: SharedItem;
  link: string;
  qr: string;
  /** Whether the links carry the person's share tokens. */
  isTracked: boolean;
}

/** Who visited through a shared link: a signed-in account, or a browser by its consent id. */
export type Visitor = { accountId: string } | { consentId: string };

/** The path of a company's or product's public page. */
export function targetPath(target: Target): string {
  return target.type === 'company' ? `/companies/${target.id}` : `/products/${target.id}`;
}

/** 128 random bits as 22 characters of base64url. */
function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Makes the social service: follows, follower counts, shared links and their attribution. */
export function createSocialService(deps: SocialDeps) {
  const { db } = deps;
  const clock = deps.clock ?? (() => new Date());

  /** The target if it is public; NOT_FOUND otherwise, so hidden ids reveal nothing. */
  async function describe(target: Target): Promise<SharedItem> {
    if (target.type === 'company') {
      const company = await deps.companies.getPublic(target.id);
      return { type: 'company', id: company.id, nameZh: company.nameZh, nameEn: company.nameEn, path: targetPath(target) };
    }
    const [card] = await deps.products.findCards([target.id]);
    if (!card) throw new AppError('NOT_FOUND');
    return { type: 'product', id: card.id, nameZh: card.titleZh, nameEn: card.titleEn, path: targetPath(target) };
  }

  async function state(auth: AuthState | null, target: Target): Promise<FollowState> {
    const [followers, isFollowing] = await Promise.all([
      repo.countFollowers(db, target),
      auth ? repo.isFollowing(db, auth.accountId, target) : Promise.resolve(false),
    ]);
    return { followers, isFollowing };
  }

  const url = (target: Target, token?: string) => `${deps.publicUrl}${targetPath(target)}${token ? `?s=${token}` : ''}`;

  /** The person's reusable token for a target and channel, made (and logged as a share) the first time. */
  async function reusableToken(auth: AuthState, target: Target, channel: 'link' | 'qr'): Promise<string> {
    const found = await repo.findReusableShare(db, auth.accountId, target, channel);
    if (found) return found.token;
    const token = newToken();
    await db.transaction().execute(async (trx) => {
      await repo.insertShare(trx, { id: randomUUID(), token, sharerId: auth.accountId, targetType: target.type, targetId: target.id, channel, createdAt: clock().toISOString() });
      await deps.telemetry.record(trx, auth.accountId, 'share.created', target);
    });
    return token;
  }

  return {
    describe,

    /** The follower count and whether the viewer follows; for pages that have already loaded the target. */
    followState: state,

    /** The follower count of a public target (and whether the viewer follows it); NOT_FOUND unless public. */
    async followers(auth: AuthState | null, target: Target): Promise<FollowState> {
      await describe(target);
      return state(auth, target);
    },

    /** Follows a public company or product; following it again changes nothing. */
    async follow(auth: AuthState, target: Target): Promise<FollowState> {
      await describe(target);
      await db.transaction().execute(async (trx) => {
        if (await repo.isFollowing(trx, auth.accountId, target)) return;
        if ((await repo.countFollows(trx, auth.accountId)) >= maxFollows) {
          throw new AppError('CONFLICT', { messageKey: 'social.error.tooManyFollows', params: { max: maxFollows } });
        }
        const added = await repo.insertFollow(trx, { id: randomUUID(), accountId: auth.accountId, target, createdAt: clock().toISOString() });
        if (added) await deps.telemetry.record(trx, auth.accountId, 'follow.added', target);
      });
      return state(auth, target);
    },

    /** Stops following; works for targets that are no longer public, and unfollowing twice changes nothing. */
    async unfollow(auth: AuthState, target: Target): Promise<FollowState> {
      await db.transaction().execute(async (trx) => {
        if (await repo.deleteFollow(trx, auth.accountId, target)) await deps.telemetry.record(trx, auth.accountId, 'follow.removed', target);
      });
      return state(auth, target);
    },

    /** One page of the person's own follows of one kind, newest first, with the cards to show. */
    async following(auth: AuthState, type: TargetType, page: number): Promise<FollowingPage> {
      const total = await repo.countFollows(db, auth.accountId, type);
      const pages = Math.max(1, Math.ceil(total / followingPageSize));
      const current = Math.min(Math.max(1, Math.floor(page)), pages);
      const rows = await repo.listFollows(db, auth.accountId, type, followingPageSize, (current - 1) * followingPageSize);
      let items: FollowedItem[];
      if (type === 'product') {
        const cards = new Map((await deps.products.findCards(rows.map((r) => r.targetId))).map((c) => [c.id, c]));
        items = rows.map((r) => ({ type: 'product', id: r.targetId, followedAt: r.createdAt, product: cards.get(r.targetId) ?? null }));
      } else {
        const companies = await deps.companies.findManyForIndex(db, rows.map((r) => r.targetId));
        items = rows.map((r) => {
          const c = companies.get(r.targetId);
          const company: FollowedCompany | null = c?.isPublic ? companyCard(c) : null;
          return { type: 'company', id: r.targetId, followedAt: r.createdAt, company };
        });
      }
      return { type, items, page: current, pages, total };
    },

    /**
     * A link to share a public target through one channel: with the person's token when signed
     * in (made once per target and channel), the plain public address for visitors.
     */
    async shareLink(auth: AuthState | null, target: Target, channel: 'link' | 'qr'): Promise<{ item: SharedItem; url: string; isTracked: boolean }> {
      const item = await describe(target);
      if (!auth) return { item, url: url(target), isTracked: false };
      return { item, url: url(target, await reusableToken(auth, target, channel)), isTracked: true };
    },

    /** Both links of the share page: the one to copy and the one in the QR code. */
    async shareLinks(auth: AuthState | null, target: Target): Promise<ShareLinks> {
      const item = await describe(target);
      if (!auth) return { item, link: url(target), qr: url(target), isTracked: false };
      const link = await reusableToken(auth, target, 'link');
      const qr = await reusableToken(auth, target, 'qr');
      return { item, link: url(target, link), qr: url(target, qr), isTracked: true };
    },

    /**
     * Emails a link with a token of its own to a colleague, through the outbox. At most 20 in 24
     * hours per person. The recipient's address goes into the outbox message only, never into
     * the share's record.
     */
    async emailShare(auth: AuthState, input: ShareEmailInput, locale: Locale): Promise<{ url: string }> {
      const target = { type: input.type, id: input.id };
      const item = await describe(target);
      const now = clock();
      const token = newToken();
      await db.transaction().execute(async (trx) => {
        const recent = await repo.listEmailSharesSince(trx, auth.accountId, new Date(now.getTime() - dayMs).toISOString());
        if (recent.length >= dailyEmailLimit) {
          const freeAt = new Date(recent[recent.length - dailyEmailLimit]!.createdAt).getTime() + dayMs;
          throw new AppError('RATE_LIMITED', {
            messageKey: 'social.error.dailyEmailLimit',
            params: { max: dailyEmailLimit },
            retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
          });
        }
        await repo.insertShare(trx, { id: randomUUID(), token, sharerId: auth.accountId, targetType: target.type, targetId: target.id, channel: 'email', createdAt: now.toISOString() });
        await deps.telemetry.record(trx, auth.accountId, 'share.emailed', target);
        const t = deps.translator(locale);
        const title = (locale === 'en' ? item.nameEn ?? item.nameZh : item.nameZh ?? item.nameEn) ?? '';
        const params = { name: auth.displayName, title, url: url(target, token), note: input.note ?? '' };
        await enqueueMail(trx, {
          to: input.email,
          // The sender's: the note is theirs, and their erasure removes the message.
          subjectId: auth.accountId,
          kind: 'share-email',
          subject: t(`social.mail.subject.${target.type}`, params),
          text: t(input.note ? 'social.mail.bodyWithNote' : 'social.mail.body', params),
        });
      });
      deps.onMailQueued?.();
      return { url: url(target, token) };
    },

    /**
     * Records a visit to a target's page through a shared link, when the token is one of this
     * target's and not the sharer's own visit. The caller has checked the visitor's consent to
     * analytics. Answers whether a visit was recorded.
     */
    async recordVisit(token: string, target: Target, visitor: Visitor): Promise<boolean> {
      const share = await repo.findShareByToken(db, token);
      if (!share || share.targetType !== target.type || share.targetId !== target.id) return false;
      if (share.createdAt < new Date(clock().getTime() - shareRetentionDays * dayMs).toISOString()) return false;
      if ('accountId' in visitor && visitor.accountId === share.sharerId) return false;
      // A browser's pseudonym is its consent id, kept apart from account ids by its prefix.
      const subject = 'accountId' in visitor ? visitor.accountId : `browser:${visitor.consentId}`;
      await deps.telemetry.record(db, subject, 'share.visited', { type: 'share', id: share.id });
      return true;
    },

    /** Deletes shared links older than their retention (a year); answers how many. */
    async deleteExpired(at: Date = clock()): Promise<number> {
      return repo.deleteSharesBefore(db, new Date(at.getTime() - shareRetentionDays * dayMs).toISOString());
    },
  };
}

export type SocialService = ReturnType<typeof createSocialService>;
