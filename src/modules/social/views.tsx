import { formatDay } from '../../platform/views/format.js';
import type { FormState } from '../../platform/http/forms.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import type { DataMap } from '../../platform/privacy/data-map.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import { Field, FormMessage, Pager, PostForm, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { VerifiedBadge, cityLevel } from '../companies/index.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import { emailMaxLength, noteMaxLength, type Target } from './schema.js';
import { targetPath, type FollowedItem, type FollowingPage as FollowingList, type FollowState, type SharedItem } from './service.js';
import { targetTypes } from './tables.js';

/** What the "email to a colleague" form collects, for its just-in-time notice. */
const emailColumns: readonly CollectedColumn[] = [
  ['mail_outbox', 'recipient'],
  ['mail_outbox', 'text_body'],
  ['share_link', 'channel'],
];

/** A name in the page's language (falling back to the other), with its language for screen readers. */
export function itemName(locale: Locale, item: Pick<SharedItem, 'nameZh' | 'nameEn'>): { text: string; lang: string } {
  const zh = item.nameZh ? { text: item.nameZh, lang: 'zh-CN' } : null;
  const en = item.nameEn ? { text: item.nameEn, lang: 'en' } : null;
  return (locale === 'en' ? en ?? zh : zh ?? en) ?? { text: '', lang: locale };
}

function TargetFields({ target, next }: { target: Target; next: string }) {
  return (
    <>
      <input type="hidden" name="type" value={target.type} />
      <input type="hidden" name="id" value={target.id} />
      <input type="hidden" name="next" value={next} />
    </>
  );
}

/**
 * The follower count, the follow (or unfollow) button and the share link for a company or
 * product page. Visitors are offered sign-in instead of the button, coming back to the page.
 * @example <SocialActions ctx={ctx} target={{ type: 'company', id }} state={await social.followState(request.auth, target)} />
 */
export function SocialActions({ ctx, target, state }: { ctx: PageContext; target: Target; state: FollowState }) {
  const { t } = ctx;
  const path = targetPath(target);
  return (
    <div class="social-actions" id="social-actions">
      <p class="followers">{t('social.followers', { count: state.followers })}</p>
      {ctx.viewer ? (
        <PostForm ctx={ctx} action={state.isFollowing ? '/follows/remove' : '/follows'} class="inline-form">
          <TargetFields target={target} next={`${path}#social-actions`} />
          {state.isFollowing ? <span class="following-state">{t(`social.isFollowing.${target.type}`)} </span> : null}
          <button class={state.isFollowing ? 'button button-secondary' : 'button'} type="submit">
            {t(state.isFollowing ? 'social.unfollow' : 'social.follow')}
          </button>
        </PostForm>
      ) : (
        <a class="button button-secondary" href={`/sign-in?next=${encodeURIComponent(path)}`}>{t('social.signInToFollow')}</a>
      )}{' '}
      <a class="button button-secondary" href={`/share?type=${target.type}&id=${target.id}`}>{t('social.share')}</a>
    </div>
  );
}

/** Each list entry's unfollow button; its hidden part names the entry, so screen readers tell them apart. */
function UnfollowForm({ ctx, item, list, name }: { ctx: PageContext; item: FollowedItem; list: FollowingList; name: string }) {
  return (
    <PostForm ctx={ctx} action="/follows/remove" class="inline-form">
      <TargetFields target={item} next={`/following?type=${list.type}&page=${list.page}&done=unfollowed`} />
      <button class="button button-secondary" type="submit">
        {ctx.t('social.unfollow')}
        <span class="visually-hidden">{` ${name}`}</span>
      </button>
    </PostForm>
  );
}

function FollowedEntry({ ctx, item, list }: { ctx: PageContext; item: FollowedItem; list: FollowingList }) {
  const { t } = ctx;
  const since = <p class="muted">{t('social.following.since', { date: formatDay(ctx, item.followedAt) })}</p>;
  if (item.type === 'company') {
    const c = item.company;
    const companyName = c ? (ctx.locale === 'en' && c.nameEn ? c.nameEn : c.nameZh) : t('social.following.goneCompany');
    return (
      <li class="card followed-item" data-target-id={item.id}>
        {c ? (
          <>
            {c.logoFileId ? <img class="company-card-logo" src={publicFileUrl(c.logoFileId)} alt="" width={64} height={64} loading="lazy" /> : null}
            <h2 class="followed-title">
              <a href={`/companies/${c.id}`} lang={ctx.locale === 'en' && c.nameEn ? 'en' : 'zh-CN'}>{companyName}</a>
            </h2>
            <p><VerifiedBadge ctx={ctx} company={c} /> <span class="muted">{cityLevel(ctx, c)}</span></p>
          </>
        ) : (
          <h2 class="followed-title muted">{t('social.following.goneCompany')}</h2>
        )}
        {since}
        <UnfollowForm ctx={ctx} item={item} list={list} name={companyName} />
      </li>
    );
  }
  const p = item.product;
  const name = p ? itemName(ctx.locale, { nameZh: p.titleZh, nameEn: p.titleEn }) : null;
  return (
    <li class="card followed-item" data-target-id={item.id}>
      {p && name ? (
        <>
          {p.thumbFileId ? <img class="followed-thumb" src={publicFileUrl(p.thumbFileId)} alt="" width={96} height={96} loading="lazy" /> : null}
          <h2 class="followed-title"><a href={`/products/${p.id}`} lang={name.lang}>{name.text}</a></h2>
          <p>
            <a href={`/companies/${p.company.id}`}>{ctx.locale === 'en' && p.company.nameEn ? p.company.nameEn : p.company.nameZh}</a>
          </p>
        </>
      ) : (
        <h2 class="followed-title muted">{t('social.following.goneProduct')}</h2>
      )}
      {since}
      <UnfollowForm ctx={ctx} item={item} list={list} name={name?.text ?? t('social.following.goneProduct')} />
    </li>
  );
}

/** "我的关注": the person's followed companies or products, a tab each, 20 a page. */
export function FollowingPage({ ctx, list, state }: { ctx: PageContext; list: FollowingList; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card following">
      <h1>{t('social.following.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <nav class="tabs" aria-label={t('social.following.tabs')}>
        {targetTypes.map((type) => (
          <a key={type} href={`/following?type=${type}`} aria-current={type === list.type ? 'page' : undefined}>
            {t(`social.following.tab.${type}`)}
          </a>
        ))}
      </nav>
      {list.items.length === 0 ? (
        <div class="empty-state">
          <p>{t(`social.following.empty.${list.type}`)}</p>
          <p>
            <a href={list.type === 'company' ? '/companies' : '/search'}>{t(`social.following.browse.${list.type}`)}</a>
          </p>
        </div>
      ) : (
        <>
          <p class="muted">{t('social.following.total', { count: list.total })}</p>
          <ul class="followed-list" aria-label={t(`social.following.tab.${list.type}`)}>
            {list.items.map((item) => <FollowedEntry key={item.id} ctx={ctx} item={item} list={list} />)}
          </ul>
        </>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(n) => `/following?type=${list.type}&page=${n}`} />
    </section>
  );
}

/**
 * The share page: the link in a read-only field (a copy button appears with JavaScript), its QR
 * code, and the "email to a colleague" form for signed-in people.
 */
export function SharePage(props: { ctx: PageContext; item: SharedItem; link: string; qrSvg: string; isTracked: boolean; state: FormState; dataMap: DataMap }) {
  const { ctx, item, state } = props;
  const { t } = ctx;
  const name = itemName(ctx.locale, item);
  const target: Target = { type: item.type, id: item.id };
  const v = state.values ?? {};
  const e = state.errors ?? {};
  return (
    <section class="card share-page">
      <p><a href={item.path}>{t(`social.share.back.${item.type}`)}</a></p>
      <h1>
        {t(`social.share.title.${item.type}`)} <span lang={name.lang}>{name.text}</span>
      </h1>
      <FormMessage ctx={ctx} state={state} />
      <h2>{t('social.share.linkTitle')}</h2>
      <div class="field">
        <label for="share-link">{t('social.share.linkLabel')}</label>
        <input id="share-link" class="share-link" type="url" value={props.link} readOnly aria-describedby="share-link-hint" />
        <p class="hint" id="share-link-hint">{t('social.share.linkHint')}</p>
      </div>
      <p>
        <button class="button share-copy" type="button" hidden data-copy-target="share-link" data-copy-status="share-copy-status"
          data-copied={t('social.share.copied')} data-failed={t('social.share.copyFailed')}>
          {t('social.share.copy')}
        </button>{' '}
        <span id="share-copy-status" class="share-copy-status" role="status" aria-live="polite"></span>
      </p>
      {props.isTracked ? <p class="hint">{t('social.share.trackedHint')}</p> : null}
      <h2>{t('social.share.qrTitle')}</h2>
      <figure class="share-qr-figure">
        {/* Made by the qrcode package from our own URL: paths only, no script or style. */}
        <div class="share-qr" role="img" aria-label={t('social.share.qrLabel', { name: name.text })} dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
        <figcaption>{t('social.share.qrCaption')}</figcaption>
      </figure>
      <h2>{t('social.share.emailTitle')}</h2>
      {ctx.viewer ? (
        <PostForm ctx={ctx} action="/share/email">
          <input type="hidden" name="type" value={target.type} />
          <input type="hidden" name="id" value={target.id} />
          <Field ctx={ctx} name="email" type="email" inputMode="email" autocomplete="off" required maxLength={emailMaxLength}
            label={t('social.share.emailLabel')} value={v.email ?? ''} error={e.email} hint={t('social.share.emailHint')} />
          <TextArea ctx={ctx} name="note" label={t('social.share.noteLabel')} value={v.note ?? ''} error={e.note} maxLength={noteMaxLength} rows={4}
            hint={t('social.share.noteHint', { max: noteMaxLength })} />
          <JitNotice ctx={ctx} dataMap={props.dataMap} columns={emailColumns} id="share-email-notice" />
          <button class="button" type="submit">{t('social.share.emailSubmit')}</button>
        </PostForm>
      ) : (
        <p>
          <a href={`/sign-in?next=${encodeURIComponent(`/share?type=${target.type}&id=${target.id}`)}`}>{t('social.share.signInToEmail')}</a>
        </p>
      )}
    </section>
  );
}
