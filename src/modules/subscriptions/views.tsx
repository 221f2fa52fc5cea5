import type { FormState } from '../../platform/http/forms.js';
import { FormMessage, Notice, Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { ProductGrid, type ProductCard } from '../products/index.js';
import { describeCriteria } from './criteria.js';
import { maxNewCount, maxSubscriptions, type MatchesPage as Matches, type SubscriptionSummary, type SubscriptionView } from './service.js';

/** The criteria in one line, in the reader's language. */
export function criteriaText(ctx: PageContext, s: SubscriptionView): string {
  return describeCriteria(ctx.t, ctx.locale, s).join(ctx.t('subscriptions.criteria.separator'));
}

/** A button posting to one of the subscription's actions; its hidden part names the subscription. */
function ActionButton({ ctx, s, action, label, secondary = true }: { ctx: PageContext; s: SubscriptionView; action: string; label: string; secondary?: boolean }) {
  return (
    <PostForm ctx={ctx} action={`/subscriptions/${s.id}/${action}`} class="inline-form">
      <button class={secondary ? 'button button-secondary' : 'button'} type="submit">
        {label}
        <span class="visually-hidden">{` ${s.name}`}</span>
      </button>
    </PostForm>
  );
}

function Entry({ ctx, s }: { ctx: PageContext; s: SubscriptionSummary }) {
  const { t } = ctx;
  const isPaused = s.status === 'paused';
  const count = s.hasMoreNew ? t('subscriptions.list.newCountMore', { count: maxNewCount }) : s.newCount > 0 ? t('subscriptions.list.newCount', { count: s.newCount }) : t('subscriptions.list.noNew');
  return (
    <li class="card subscription-item">
      <h2 class="subscription-title">
        <a href={`/subscriptions/${s.id}`}>{s.name}</a>{' '}
        {isPaused ? <span class="badge badge-draft">{t('subscriptions.list.paused')}</span> : null}
      </h2>
      <p>
        {t('subscriptions.list.criteria')}
        {criteriaText(ctx, s)}
      </p>
      <p class={s.newCount > 0 ? 'subscription-new' : 'muted'}>
        <strong>{count}</strong> · {t('subscriptions.list.alerts', { frequency: t(`subscriptions.frequency.${s.frequency}`) })}
      </p>
      <div class="subscription-actions">
        <a class="button" href={`/subscriptions/${s.id}`}>
          {t('subscriptions.list.view')}
          <span class="visually-hidden">{` ${s.name}`}</span>
        </a>{' '}
        <a class="button button-secondary" href={`/subscriptions/${s.id}/edit`}>
          {t('subscriptions.list.edit')}
          <span class="visually-hidden">{` ${s.name}`}</span>
        </a>{' '}
        <ActionButton ctx={ctx} s={s} action={isPaused ? 'resume' : 'pause'} label={t(isPaused ? 'subscriptions.list.resume' : 'subscriptions.list.pause')} />{' '}
        <ActionButton ctx={ctx} s={s} action="delete" label={t('subscriptions.list.delete')} />
      </div>
    </li>
  );
}

/** "我的订阅": each subscription with its criteria, its new products and its actions. */
export function ListPage({ ctx, list, state }: { ctx: PageContext; list: SubscriptionSummary[]; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card subscriptions">
      <h1>{t('subscriptions.list.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p>{t('subscriptions.list.lead')}</p>
      {list.length < maxSubscriptions ? (
        <p>
          <a class="button" href="/subscriptions/new">{t('subscriptions.list.new')}</a>
        </p>
      ) : null}
      {list.length === 0 ? (
        <div class="empty-state">
          <p>{t('subscriptions.list.empty')}</p>
          <p>
            <a href="/search">{t('subscriptions.list.emptySearch')}</a>
          </p>
        </div>
      ) : (
        <>
          <p class="muted">{t('subscriptions.list.count', { count: list.length, max: maxSubscriptions })}</p>
          <ul class="subscription-list" aria-label={t('subscriptions.list.label')}>
            {list.map((s) => <Entry key={s.id} ctx={ctx} s={s} />)}
          </ul>
        </>
      )}
    </section>
  );
}

/** A subscription's matching products, newest first; those listed since the last visit come first under a heading of their own. */
export function MatchesPage({ ctx, matches }: { ctx: PageContext; matches: Matches }) {
  const { t } = ctx;
  const s = matches.subscription;
  const fresh = matches.items.filter((i) => i.listedAt > matches.seenBefore);
  const earlier = matches.items.filter((i) => i.listedAt <= matches.seenBefore);
  return (
    <section class="card subscription-matches">
      <p>
        <a href="/subscriptions">{t('subscriptions.form.back')}</a>
      </p>
      <h1>{s.name}</h1>
      <p>{t('subscriptions.matches.criteria', { criteria: criteriaText(ctx, s) })}</p>
      {s.status === 'paused' ? <Notice kind="info">{t('subscriptions.matches.paused')}</Notice> : null}
      <p class="subscription-actions">
        <a class="button button-secondary" href={`/subscriptions/${s.id}/edit`}>{t('subscriptions.list.edit')}</a>
      </p>
      {matches.total === 0 ? (
        <p class="empty-state">{t('subscriptions.matches.empty')}</p>
      ) : (
        <>
          <p class="muted" role="status">{t('subscriptions.matches.total', { count: matches.total })}</p>
          {fresh.length > 0 ? (
            <section aria-labelledby="matches-new">
              <h2 id="matches-new">{t('subscriptions.matches.new')}</h2>
              <ProductGrid ctx={ctx} cards={fresh} label={t('subscriptions.matches.new')} query={s.keyword ?? ''} />
            </section>
          ) : null}
          {earlier.length > 0 ? (
            <section aria-labelledby="matches-earlier">
              <h2 id="matches-earlier">{t('subscriptions.matches.earlier')}</h2>
              <ProductGrid ctx={ctx} cards={earlier} label={t('subscriptions.matches.earlier')} query={s.keyword ?? ''} />
            </section>
          ) : null}
        </>
      )}
      <Pager ctx={ctx} page={matches.page} pages={matches.pages} href={(n) => `/subscriptions/${s.id}?page=${n}`} />
    </section>
  );
}

/** The page a signed unsubscribe link opens: a confirmation with one button, or what was done. */
export function UnsubscribePage({ ctx, token, name, outcome }: { ctx: PageContext; token: string; name: string | null; outcome: 'confirm' | 'done' | 'already' }) {
  const { t } = ctx;
  // Without a name the link turns off every alert of the person (the one in the mail's headers).
  const key = (message: 'confirm' | 'done' | 'already') => `subscriptions.unsubscribe.${message}${name === null ? 'All' : ''}`;
  return (
    <section class="card unsubscribe">
      <h1>{t('subscriptions.unsubscribe.title')}</h1>
      {outcome === 'confirm' ? (
        <PostForm ctx={ctx} action="/subscriptions/unsubscribe">
          <p>{t(key('confirm'), { name: name ?? '' })}</p>
          <input type="hidden" name="token" value={token} />
          <button class="button" type="submit">{t('subscriptions.unsubscribe.submit')}</button>
        </PostForm>
      ) : (
        <Notice kind="success">{t(key(outcome === 'done' ? 'done' : 'already'), { name: name ?? '' })}</Notice>
      )}
      <p>
        <a href="/subscriptions">{t('subscriptions.unsubscribe.manage')}</a>
      </p>
    </section>
  );
}

/**
 * The home page's blocks for a signed-in person: new products of their subscriptions, and the
 * recommendations when (and only when) they consented to personalisation, with why and how to stop.
 */
export function HomeBlocks({ ctx, news, recommended }: { ctx: PageContext; news: { items: ProductCard[]; hasSubscriptions: boolean }; recommended: ProductCard[] | null }) {
  const { t } = ctx;
  return (
    <>
      {news.hasSubscriptions ? (
        <section class="card home-subscriptions" aria-labelledby="home-subscriptions-title">
          <h2 id="home-subscriptions-title">{t('subscriptions.home.title')}</h2>
          {news.items.length > 0 ? <ProductGrid ctx={ctx} cards={news.items} label={t('subscriptions.home.title')} /> : <p class="muted">{t('subscriptions.home.empty')}</p>}
          <p>
            <a href="/subscriptions">{t('subscriptions.home.all')}</a>
          </p>
        </section>
      ) : null}
      {recommended ? (
        <section class="card home-recommendations" aria-labelledby="home-recommendations-title" data-personalised="true">
          <h2 id="home-recommendations-title">{t('subscriptions.recommend.title')}</h2>
          <p class="muted">
            {t('subscriptions.recommend.why')} <a href="/privacy/settings">{t('subscriptions.recommend.off')}</a>
          </p>
          {recommended.length > 0 ? <ProductGrid ctx={ctx} cards={recommended} label={t('subscriptions.recommend.title')} /> : <p>{t('subscriptions.recommend.empty')}</p>}
        </section>
      ) : null}
    </>
  );
}
