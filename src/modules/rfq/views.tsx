import { formatInstant } from '../../platform/views/format.js';
import type { FieldErrors } from '../../platform/http/errors.js';
import type { FormState, Values } from '../../platform/http/forms.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { Field, FormMessage, Pager, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { categoryName, categoryPath, categoryTree, findCategory, leafCategories } from '../catalogue/index.js';
import type { Board, QuoteView, RfqPage, RfqView } from './present.js';
import { destinationMaxLength, productNameMaxLength, specificationsMaxLength, units } from './schema.js';

export type { FormState, Values };

/** The amount in the page language with its currency, exact to the cent for any size. */
export function formatMoney(locale: Locale, currency: string, amount: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount as `${number}`);
}

export function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** "Lighting › LED lighting › High bay lights" in the page language. */
export function categoryTrail(ctx: PageContext, categoryId: string): string {
  return findCategory(categoryId) ? categoryPath(categoryId).map((c) => categoryName(c, ctx.locale)).join(' › ') : categoryId;
}

export function companyName(ctx: PageContext, c: { nameZh: string; nameEn: string | null }): string {
  return ctx.locale === 'en' && c.nameEn ? c.nameEn : c.nameZh;
}

export function quantityText(ctx: PageContext, quantity: number, unit: string): string {
  return `${formatNumber(ctx.locale, quantity)} ${ctx.t(`products.unit.${unit}`)}`;
}

/** Open, expired, awarded or closed, in words and colour. */
export function RfqStatusBadge({ ctx, rfq }: { ctx: PageContext; rfq: Pick<RfqView, 'status' | 'isExpired'> }) {
  const state = rfq.isExpired ? 'expired' : rfq.status;
  const style = { open: 'badge-verified', expired: 'badge-draft', awarded: 'badge-submitted', closed: 'badge-draft' }[state];
  return <span class={`badge ${style}`}>{ctx.t(`rfq.status.${state}`)}</span>;
}

export function QuoteStatusBadge({ ctx, quote }: { ctx: PageContext; quote: Pick<QuoteView, 'status' | 'isValid'> }) {
  if (quote.status === 'sent' && !quote.isValid) return <span class="badge badge-draft">{ctx.t('rfq.quote.status.lapsed')}</span>;
  const style = { sent: 'badge-submitted', accepted: 'badge-verified', declined: 'badge-draft' }[quote.status];
  return <span class={`badge ${style}`}>{ctx.t(`rfq.quote.status.${quote.status}`)}</span>;
}

/** Every leaf grouped under its industry; `industries` limits the choice (a board's filter). */
function CategoryOptions({ ctx, value, industries, withIndustries }: { ctx: PageContext; value?: string; industries?: readonly string[]; withIndustries?: boolean }) {
  return (
    <>
      {categoryTree()
        .filter((root) => !industries || industries.includes(root.id))
        .map((root) => (
          <optgroup key={root.id} label={categoryName(root, ctx.locale)}>
            {withIndustries ? (
              <option value={root.id} selected={root.id === value}>{ctx.t('rfq.board.wholeIndustry', { industry: categoryName(root, ctx.locale) })}</option>
            ) : null}
            {leafCategories()
              .filter((leaf) => categoryPath(leaf.id)[0]?.id === root.id)
              .map((leaf) => (
                <option key={leaf.id} value={leaf.id} selected={leaf.id === value}>
                  {categoryPath(leaf.id).slice(1).map((c) => categoryName(c, ctx.locale)).join(' › ')}
                </option>
              ))}
          </optgroup>
        ))}
    </>
  );
}

/** A labelled date input with bounds, its hint and its error, wired for screen readers. */
export function DateField({ ctx, name, label, value, error, hint, min, max }: { ctx: PageContext; name: string; label: string; value?: string; error?: string; hint: string; min: string; max: string }) {
  const id = `field-${name}`;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}<span class="required" aria-hidden="true">{' *'}</span></label>
      <input id={id} name={name} type="date" value={value ?? ''} min={min} max={max} required aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} />
      <p class="hint" id={`${id}-hint`}>{hint}</p>
      {error ? <p class="error-text" id={`${id}-error`}>{ctx.t(error)}</p> : null}
    </div>
  );
}

/** The buying request form; the deadline may be from `minDeadline` to `maxDeadline`. */
export function RfqFormPage({ ctx, state, minDeadline, maxDeadline }: { ctx: PageContext; state: FormState; minDeadline: string; maxDeadline: string }) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e: FieldErrors = state.errors ?? {};
  const categoryId = 'field-categoryId';
  return (
    <section class="card">
      <h1>{t('rfq.new.title')}</h1>
      <p>{t('rfq.new.intro')}</p>
      <FormMessage ctx={ctx} state={state} />
      <PostForm ctx={ctx} action="/rfq/new">
        <Field ctx={ctx} name="productName" label={t('rfq.field.productName')} value={v.productName} error={e.productName} required maxLength={productNameMaxLength}
          hint={t('rfq.field.productNameHint')} />
        <div class={e.categoryId ? 'field field-error' : 'field'}>
          <label for={categoryId}>{t('rfq.field.category')}<span class="required" aria-hidden="true">{' *'}</span></label>
          <select id={categoryId} name="categoryId" required aria-invalid={e.categoryId ? 'true' : undefined}
            aria-describedby={`${categoryId}-hint${e.categoryId ? ` ${categoryId}-error` : ''}`}>
            <option value="">{t('rfq.field.choose')}</option>
            <CategoryOptions ctx={ctx} value={v.categoryId} />
          </select>
          <p class="hint" id={`${categoryId}-hint`}>{t('rfq.field.categoryHint')}</p>
          {e.categoryId ? <p class="error-text" id={`${categoryId}-error`}>{t(e.categoryId)}</p> : null}
        </div>
        <div class="field-row">
          <Field ctx={ctx} name="quantity" label={t('rfq.field.quantity')} value={v.quantity} error={e.quantity} required inputMode="numeric" maxLength={13} />
          <Select ctx={ctx} name="unit" label={t('rfq.field.unit')} value={v.unit ?? 'piece'} error={e.unit} empty={t('rfq.field.choose')}
            options={units.map((u) => ({ value: u, label: t(`products.unit.${u}`) }))} />
        </div>
        <TextArea ctx={ctx} name="specifications" label={t('rfq.field.specifications')} value={v.specifications} error={e.specifications}
          maxLength={specificationsMaxLength} hint={t('rfq.field.specificationsHint')} rows={8} />
        <Field ctx={ctx} name="destination" label={t('rfq.field.destination')} value={v.destination} error={e.destination} required maxLength={destinationMaxLength}
          hint={t('rfq.field.destinationHint')} />
        <DateField ctx={ctx} name="deadline" label={t('rfq.field.deadline')} value={v.deadline} error={e.deadline} min={minDeadline} max={maxDeadline}
          hint={t('rfq.field.deadlineHint', { from: minDeadline, to: maxDeadline })} />
        <p class="collection-notice">{t('rfq.new.notice')}</p>
        <button class="button" type="submit">{t('rfq.new.submit')}</button>
      </PostForm>
    </section>
  );
}

/** The facts of a request, as buyer and suppliers read them. */
function RfqFacts({ ctx, rfq }: { ctx: PageContext; rfq: RfqView }) {
  const { t } = ctx;
  return (
    <dl class="details">
      <dt>{t('rfq.field.category')}</dt><dd>{categoryTrail(ctx, rfq.categoryId)}</dd>
      <dt>{t('rfq.field.quantity')}</dt><dd>{quantityText(ctx, rfq.quantity, rfq.unit)}</dd>
      <dt>{t('rfq.field.destination')}</dt><dd>{rfq.destination}</dd>
      <dt>{t('rfq.field.deadline')}</dt><dd><time dateTime={rfq.deadline}>{rfq.deadline}</time></dd>
      <dt>{t('rfq.detail.posted')}</dt><dd><time dateTime={rfq.createdAt}>{formatInstant(ctx, rfq.createdAt)}</time></dd>
      <dt>{t('rfq.detail.buyer')}</dt><dd>{t(rfq.isBuyerDeleted ? 'rfq.deletedUser' : rfq.isMine ? 'rfq.detail.you' : 'rfq.detail.aBuyer')}</dd>
      <dt>{t('rfq.detail.quotes')}</dt><dd>{rfq.isOpenForQuotes ? t('rfq.detail.quoteCount', { count: rfq.quoteCount, left: rfq.quotesLeft }) : formatNumber(ctx.locale, rfq.quoteCount)}</dd>
    </dl>
  );
}

export function RfqHeader({ ctx, rfq, back }: { ctx: PageContext; rfq: RfqView; back: { href: string; label: string } }) {
  return (
    <>
      <p><a href={back.href}>{back.label}</a></p>
      <h1>{rfq.productName} <RfqStatusBadge ctx={ctx} rfq={rfq} /></h1>
      <RfqFacts ctx={ctx} rfq={rfq} />
      <h2>{ctx.t('rfq.field.specifications')}</h2>
      <p class="rfq-text">{rfq.specifications}</p>
    </>
  );
}

/** One list of requests as a table: the buyer's own, or a supplier's board. */
function RfqTable({ ctx, items, label, showQuoted }: { ctx: PageContext; items: (RfqView & { hasQuoted?: boolean })[]; label: string; showQuoted?: boolean }) {
  const { t } = ctx;
  return (
    <table class="data">
      <caption class="visually-hidden">{label}</caption>
      <thead>
        <tr>
          <th scope="col">{t('rfq.field.productName')}</th>
          <th scope="col">{t('rfq.field.category')}</th>
          <th scope="col">{t('rfq.field.quantity')}</th>
          <th scope="col">{t('rfq.field.destination')}</th>
          <th scope="col">{t('rfq.field.deadline')}</th>
          <th scope="col">{t('rfq.list.status')}</th>
          <th scope="col">{t('rfq.detail.quotes')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id} data-rfq-id={r.id}>
            <th scope="row"><a href={`/rfq/${r.id}`}>{r.productName}</a></th>
            <td>{categoryTrail(ctx, r.categoryId)}</td>
            <td>{quantityText(ctx, r.quantity, r.unit)}</td>
            <td>{r.destination}</td>
            <td><time dateTime={r.deadline}>{r.deadline}</time></td>
            <td>
              <RfqStatusBadge ctx={ctx} rfq={r} />
              {showQuoted && r.hasQuoted ? <> <span class="badge badge-submitted">{t('rfq.board.quoted')}</span></> : null}
            </td>
            <td>{formatNumber(ctx.locale, r.quoteCount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "My buying requests", newest first. */
export function MinePage({ ctx, list, state }: { ctx: PageContext; list: RfqPage<RfqView>; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('rfq.mine.title')}</h1>
      <FormMessage ctx={ctx} state={state} />
      <p><a class="button" href="/rfq/new">{t('rfq.new.title')}</a></p>
      {list.items.length === 0 ? (
        <div class="empty-state"><p>{t('rfq.mine.empty')}</p></div>
      ) : (
        <>
          <p class="muted">{t('rfq.list.count', { count: list.total })}</p>
          <RfqTable ctx={ctx} items={list.items} label={t('rfq.mine.title')} />
        </>
      )}
      <Pager ctx={ctx} page={list.page} pages={list.pages} href={(page) => `/rfq/mine?page=${page}`} />
    </section>
  );
}

/** The RFQ board of a supplier, with its category filter. */
export function BoardPage({ ctx, board, category }: { ctx: PageContext; board: Board; category?: string }) {
  const { t } = ctx;
  const href = (page: number) => `/rfq?${new URLSearchParams({ ...(category ? { category } : {}), page: String(page) }).toString()}`;
  return (
    <section class="card">
      <h1>{t('rfq.board.title')}</h1>
      <p>{t('rfq.board.intro')}</p>
      <p><a href="/rfq/new">{t('rfq.new.title')}</a> · <a href="/rfq/mine">{t('rfq.mine.title')}</a></p>
      {!board.isSupplier ? (
        <div class="empty-state"><p>{t('rfq.board.notSupplier')}</p></div>
      ) : (
        <>
          <form method="get" action="/rfq" class="filters" aria-label={t('rfq.board.filters')}>
            <label for="filter-category">{t('rfq.field.category')}</label>
            <select id="filter-category" name="category">
              <option value="">{t('rfq.board.allCategories')}</option>
              <CategoryOptions ctx={ctx} value={category} industries={board.industries} withIndustries />
            </select>
            <button class="button" type="submit">{t('rfq.board.apply')}</button>
          </form>
          <p class="muted">{t('rfq.list.count', { count: board.total })}</p>
          {board.items.length === 0 ? (
            <div class="empty-state"><p>{t('rfq.board.empty')}</p></div>
          ) : (
            <RfqTable ctx={ctx} items={board.items} label={t('rfq.board.title')} showQuoted />
          )}
          <Pager ctx={ctx} page={board.page} pages={board.pages} href={href} />
        </>
      )}
    </section>
  );
}
