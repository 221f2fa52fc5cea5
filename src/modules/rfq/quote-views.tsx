import { formatInstant } from '../../platform/views/format.js';
import type { FieldErrors } from '../../platform/http/errors.js';
import { Field, FormMessage, Notice, PostForm, Select, TextArea } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { VerifiedBadge } from '../companies/index.js';
import type { QuoteSort, QuoteView, QuotingCompany, RfqView } from './present.js';
import { maxQuotes } from './rules.js';
import { currencies, maxPriceTiers, quoteMessageMaxLength } from './schema.js';
import { companyName, DateField, formatMoney, quantityText, QuoteStatusBadge, RfqHeader, type FormState, type Values } from './views.js';

/*
 * Quotes on a buying request: the buyer's side-by-side comparison and acceptance, and a
 * supplier's own quote with the form to send or revise it.
 */

function TierList({ ctx, quote, unit }: { ctx: PageContext; quote: QuoteView; unit: string }) {
  return (
    <ul class="tier-list">
      {quote.priceTiers.map((tier) => (
        <li key={tier.minQty}>{ctx.t('rfq.quote.tier', { quantity: quantityText(ctx, tier.minQty, unit), price: formatMoney(ctx.locale, quote.currency, tier.price) })}</li>
      ))}
    </ul>
  );
}

const sorts: QuoteSort[] = ['price', 'leadTime', 'newest'];

/** The buyer's comparison: one row per quote, the price at the requested quantity first. */
function CompareTable({ ctx, rfq, quotes, sort }: { ctx: PageContext; rfq: RfqView; quotes: QuoteView[]; sort: QuoteSort }) {
  const { t } = ctx;
  const canDecide = rfq.status === 'open';
  return (
    <section aria-labelledby="quotes-title">
      <h2 id="quotes-title">{t('rfq.compare.title', { count: quotes.length })}</h2>
      {quotes.length === 0 ? (
        <div class="empty-state"><p>{t(rfq.isExpired ? 'rfq.compare.noneExpired' : 'rfq.compare.none')}</p></div>
      ) : (
        <>
          <nav class="sort-switch" aria-label={t('rfq.compare.sortLabel')}>
            {sorts.map((s) => (
              <a key={s} href={`/rfq/${rfq.id}?sort=${s}`} aria-current={s === sort ? 'true' : undefined}>{t(`rfq.compare.sort.${s}`)}</a>
            ))}
          </nav>
          <div class="table-scroll" role="region" tabIndex={0} aria-labelledby="quotes-title">
            <table class="data compare">
              <caption>{t('rfq.compare.caption', { quantity: quantityText(ctx, rfq.quantity, rfq.unit) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rfq.compare.supplier')}</th>
                  <th scope="col">{t('rfq.compare.unitPrice')}</th>
                  <th scope="col">{t('rfq.compare.total')}</th>
                  <th scope="col">{t('rfq.compare.tiers')}</th>
                  <th scope="col">{t('rfq.field.leadTime')}</th>
                  <th scope="col">{t('rfq.field.validUntil')}</th>
                  <th scope="col">{t('rfq.field.message')}</th>
                  <th scope="col">{t('rfq.list.status')}</th>
                </tr>
              </thead>
              <tbody>
                {quotes.map((q) => (
                  <tr key={q.id} data-quote-id={q.id}>
                    <th scope="row">
                      <a href={`/companies/${q.company.id}`}>{companyName(ctx, q.company)}</a>{' '}
                      <VerifiedBadge ctx={ctx} company={q.company} />
                    </th>
                    <td>{q.unitPrice === null ? t('rfq.compare.belowMinimum', { quantity: quantityText(ctx, q.minQty, rfq.unit) }) : formatMoney(ctx.locale, q.currency, q.unitPrice)}</td>
                    <td>{q.total === null ? '—' : formatMoney(ctx.locale, q.currency, q.total)}</td>
                    <td><TierList ctx={ctx} quote={q} unit={rfq.unit} /></td>
                    <td>{t('rfq.quote.days', { days: q.leadTimeDays })}</td>
                    <td><time dateTime={q.validUntil}>{q.validUntil}</time></td>
                    <td class="rfq-text">{q.message}</td>
                    <td>
                      <QuoteStatusBadge ctx={ctx} quote={q} />
                      {canDecide && q.status === 'sent' && q.isValid ? (
                        <p>
                          <a class="button" href={`/rfq/${rfq.id}/quotes/${q.id}/accept`}>
                            {t('rfq.accept.button')}
                            <span class="visually-hidden">{t('rfq.accept.forCompany', { company: companyName(ctx, q.company) })}</span>
                          </a>
                        </p>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The buyer's page: the request, and the quotes side by side with a way to accept one. */
export function BuyerPage({ ctx, rfq, quotes, sort, state }: { ctx: PageContext; rfq: RfqView; quotes: QuoteView[]; sort: QuoteSort; state: FormState }) {
  const { t } = ctx;
  return (
    <section class="card">
      <FormMessage ctx={ctx} state={state} />
      <RfqHeader ctx={ctx} rfq={rfq} back={{ href: '/rfq/mine', label: t('rfq.mine.back') }} />
      {rfq.status === 'awarded' && rfq.threadId ? (
        <Notice kind="info">
          {t('rfq.detail.awarded')} <a href={`/messages/${rfq.threadId}`}>{t('rfq.detail.openThread')}</a>
        </Notice>
      ) : null}
      {rfq.status === 'closed' ? <Notice kind="info">{t('rfq.detail.closed')}</Notice> : null}
      {rfq.isExpired ? <Notice kind="info">{t('rfq.detail.expiredBuyer')}</Notice> : null}
      <CompareTable ctx={ctx} rfq={rfq} quotes={quotes} sort={sort} />
      {rfq.status === 'open' ? (
        <p>
          <a class="button button-secondary" href={`/rfq/${rfq.id}/close`}>{t('rfq.close.button')}</a>
        </p>
      ) : null}
    </section>
  );
}

/** The buyer confirms the choice before the others are told. */
export function AcceptPage({ ctx, rfq, quote }: { ctx: PageContext; rfq: RfqView; quote: QuoteView }) {
  const { t } = ctx;
  return (
    <section class="card narrow">
      <h1>{t('rfq.accept.title')}</h1>
      <p>{t('rfq.accept.intro', { company: companyName(ctx, quote.company), product: rfq.productName })}</p>
      <dl class="details">
        <dt>{t('rfq.compare.supplier')}</dt><dd>{companyName(ctx, quote.company)} <VerifiedBadge ctx={ctx} company={quote.company} /></dd>
        <dt>{t('rfq.compare.unitPrice')}</dt><dd>{quote.unitPrice === null ? '—' : formatMoney(ctx.locale, quote.currency, quote.unitPrice)}</dd>
        <dt>{t('rfq.compare.total')}</dt><dd>{quote.total === null ? '—' : formatMoney(ctx.locale, quote.currency, quote.total)}</dd>
        <dt>{t('rfq.field.leadTime')}</dt><dd>{t('rfq.quote.days', { days: quote.leadTimeDays })}</dd>
        <dt>{t('rfq.field.validUntil')}</dt><dd><time dateTime={quote.validUntil}>{quote.validUntil}</time></dd>
      </dl>
      <p>{t('rfq.accept.consequence')}</p>
      <PostForm ctx={ctx} action={`/rfq/${rfq.id}/quotes/${quote.id}/accept`}>
        <button class="button" type="submit">{t('rfq.accept.confirm')}</button>{' '}
        <a href={`/rfq/${rfq.id}`}>{t('rfq.accept.cancel')}</a>
      </PostForm>
    </section>
  );
}

/** The buyer confirms closing the request without a choice before the suppliers are told. */
export function ClosePage({ ctx, rfq, quoteCount }: { ctx: PageContext; rfq: RfqView; quoteCount: number }) {
  const { t } = ctx;
  return (
    <section class="card narrow">
      <h1>{t('rfq.close.title')}</h1>
      <p>{t('rfq.close.intro', { product: rfq.productName })}</p>
      <p>{quoteCount > 0 ? t('rfq.close.quoted', { count: quoteCount }) : t('rfq.close.noQuotes')}</p>
      <PostForm ctx={ctx} action={`/rfq/${rfq.id}/close`}>
        <button class="button" type="submit">{t('rfq.close.confirm')}</button>{' '}
        <a href={`/rfq/${rfq.id}`}>{t('rfq.close.cancel')}</a>
      </PostForm>
    </section>
  );
}

/** The form's values from a company's saved quote (the same names the form posts). */
export function quoteValues(q: QuoteView): Values {
  const values: Values = { companyId: q.company.id, currency: q.currency, leadTimeDays: String(q.leadTimeDays), validUntil: q.validUntil, message: q.message };
  q.priceTiers.forEach((tier, i) => {
    values[`tier${i + 1}Qty`] = String(tier.minQty);
    values[`tier${i + 1}Price`] = tier.price;
  });
  return values;
}

function QuoteForm({ ctx, rfq, companies, state, today, maxValid }: { ctx: PageContext; rfq: RfqView; companies: QuotingCompany[]; state: FormState; today: string; maxValid: string }) {
  const { t } = ctx;
  const v = state.values ?? {};
  const e: FieldErrors = state.errors ?? {};
  return (
    <PostForm ctx={ctx} action={`/rfq/${rfq.id}/quotes`}>
      {companies.length === 1 ? (
        <>
          <input type="hidden" name="companyId" value={companies[0]!.id} />
          <p>{t('rfq.quote.as', { company: companyName(ctx, companies[0]!) })}</p>
        </>
      ) : (
        <Select ctx={ctx} name="companyId" label={t('rfq.field.company')} value={v.companyId} error={e.companyId} empty={t('rfq.field.choose')}
          options={companies.map((c) => ({ value: c.id, label: companyName(ctx, c) }))} />
      )}
      <Select ctx={ctx} name="currency" label={t('rfq.field.currency')} value={v.currency ?? 'CNY'} error={e.currency} empty={t('rfq.field.choose')}
        options={currencies.map((c) => ({ value: c, label: t(`products.currency.${c}`) }))} />
      <fieldset>
        <legend>{t('rfq.quote.prices')}</legend>
        <p class="hint">{t('rfq.quote.pricesHint', { unit: t(`products.unit.${rfq.unit}`) })}</p>
        {e.priceTiers ? <p class="error-text" role="alert">{t(e.priceTiers)}</p> : null}
        {Array.from({ length: maxPriceTiers }, (_, i) => (
          <div class="field-row" key={i}>
            <Field ctx={ctx} name={`tier${i + 1}Qty`} label={t('rfq.quote.tierQty', { n: i + 1 })} value={v[`tier${i + 1}Qty`]} inputMode="numeric" maxLength={13}
              error={e[`priceTiers.${i}.minQty`]} required={i === 0} />
            <Field ctx={ctx} name={`tier${i + 1}Price`} label={t('rfq.quote.tierPrice', { n: i + 1 })} value={v[`tier${i + 1}Price`]} maxLength={13}
              error={e[`priceTiers.${i}.price`]} required={i === 0} />
          </div>
        ))}
      </fieldset>
      <Field ctx={ctx} name="leadTimeDays" label={t('rfq.field.leadTime')} value={v.leadTimeDays} error={e.leadTimeDays} required inputMode="numeric" maxLength={3}
        hint={t('rfq.field.leadTimeHint')} />
      <DateField ctx={ctx} name="validUntil" label={t('rfq.field.validUntil')} value={v.validUntil} error={e.validUntil} min={today} max={maxValid}
        hint={t('rfq.field.validUntilHint')} />
      <TextArea ctx={ctx} name="message" label={t('rfq.field.message')} value={v.message} error={e.message} maxLength={quoteMessageMaxLength}
        hint={t('rfq.field.messageHint')} />
      <button class="button" type="submit">{t('rfq.quote.submit')}</button>
    </PostForm>
  );
}

/** A supplier's own quote, as sent. */
function OwnQuote({ ctx, rfq, quote }: { ctx: PageContext; rfq: RfqView; quote: QuoteView }) {
  const { t } = ctx;
  return (
    <div class="own-quote" data-quote-id={quote.id}>
      <h3>{companyName(ctx, quote.company)} <QuoteStatusBadge ctx={ctx} quote={quote} /></h3>
      {quote.status === 'accepted' ? <Notice kind="success">{t('rfq.quote.acceptedNote')}</Notice> : null}
      {quote.status === 'declined' ? <Notice kind="info">{t(rfq.status === 'closed' ? 'rfq.quote.closedNote' : 'rfq.quote.declinedNote')}</Notice> : null}
      <dl class="details">
        <dt>{t('rfq.compare.tiers')}</dt><dd><TierList ctx={ctx} quote={quote} unit={rfq.unit} /></dd>
        <dt>{t('rfq.quote.unitPriceAtQuantity')}</dt><dd>{quote.unitPrice === null ? t('rfq.compare.belowMinimum', { quantity: quantityText(ctx, quote.minQty, rfq.unit) }) : formatMoney(ctx.locale, quote.currency, quote.unitPrice)}</dd>
        <dt>{t('rfq.field.leadTime')}</dt><dd>{t('rfq.quote.days', { days: quote.leadTimeDays })}</dd>
        <dt>{t('rfq.field.validUntil')}</dt><dd><time dateTime={quote.validUntil}>{quote.validUntil}</time></dd>
        <dt>{t('rfq.field.message')}</dt><dd class="rfq-text">{quote.message || '—'}</dd>
        <dt>{t('rfq.quote.updated')}</dt><dd><time dateTime={quote.updatedAt}>{formatInstant(ctx, quote.updatedAt)}</time></dd>
      </dl>
    </div>
  );
}

/**
 * A supplier's page: the request, the company's own quote, and the form to send or revise it
 * while the request takes quotes.
 */
export function SupplierPage(props: {
  ctx: PageContext;
  rfq: RfqView;
  quotes: QuoteView[];
  companies: QuotingCompany[];
  state: FormState;
  today: string;
  maxValid: string;
}) {
  const { ctx, rfq, quotes, companies, state } = props;
  const { t } = ctx;
  const pending = quotes.filter((q) => q.status === 'sent');
  // A company revises its own quote; a new one needs a free place.
  const isTakingQuotes = rfq.status === 'open' && !rfq.isExpired;
  const canQuote = isTakingQuotes && companies.length > 0 && (rfq.quotesLeft > 0 || pending.length > 0);
  const isRevision = pending.length > 0 && companies.length === 1;
  const values = state.values ?? (isRevision ? quoteValues(pending[0]!) : undefined);
  return (
    <section class="card">
      <FormMessage ctx={ctx} state={state} />
      <RfqHeader ctx={ctx} rfq={rfq} back={{ href: '/rfq', label: t('rfq.board.back') }} />
      {rfq.isExpired ? <Notice kind="info">{t('rfq.detail.expiredSupplier')}</Notice> : null}
      {rfq.status === 'awarded' ? <Notice kind="info">{t('rfq.detail.awardedSupplier')}</Notice> : null}
      {quotes.length > 0 ? (
        <section aria-labelledby="own-quote-title">
          <h2 id="own-quote-title">{t('rfq.quote.own')}</h2>
          {quotes.map((q) => <OwnQuote key={q.id} ctx={ctx} rfq={rfq} quote={q} />)}
        </section>
      ) : null}
      {canQuote ? (
        <section aria-labelledby="quote-form-title">
          <h2 id="quote-form-title">{t(isRevision ? 'rfq.quote.reviseTitle' : 'rfq.quote.title')}</h2>
          <QuoteForm ctx={ctx} rfq={rfq} companies={companies} state={{ ...state, values }} today={props.today} maxValid={props.maxValid} />
        </section>
      ) : null}
      {isTakingQuotes && rfq.quotesLeft === 0 && pending.length === 0 ? <Notice kind="info">{t('rfq.error.full', { max: maxQuotes })}</Notice> : null}
    </section>
  );
}
