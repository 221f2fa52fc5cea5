import type { Locale } from '../../platform/i18n/i18n.js';
import { highlight } from '../../platform/search/analyzer.js';
import type { FacetCount } from '../../platform/search/search-index.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import type { PageContext } from '../../platform/views/context.js';
import { categoryName, categoryPath, findCategory } from '../catalogue/index.js';
import { VerifiedBadge, cityLevel, regionName, type IndexedCompany } from '../companies/index.js';
import { searchHref, type SearchLinkParams } from './public-links.js';
import type { CompanyCard as CompanyResult, ProductCard, ProductImage, ProductView } from './service.js';

type Titled = { titleZh: string | null; titleEn: string | null };

/** The title in the page language (or the only one there is), and the other language's title if any. */
export function productTitles(locale: Locale, p: Titled) {
  const zh = p.titleZh ? { text: p.titleZh, lang: 'zh-CN' } : null;
  const en = p.titleEn ? { text: p.titleEn, lang: 'en' } : null;
  const [main, other] = locale === 'en' ? [en ?? zh, en ? zh : null] : [zh ?? en, zh ? en : null];
  return { main: main ?? { text: '', lang: locale }, other };
}

/** A company's name in the page language, falling back to the Chinese name. */
export function companyName(locale: Locale, c: { nameZh: string; nameEn: string | null }): string {
  return locale === 'en' && c.nameEn ? c.nameEn : c.nameZh;
}

/** An amount in the currency, written the way the page's language writes money. */
export function formatMoney(locale: Locale, currency: string, amount: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount));
}

function formatNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Text with the words of the query marked; plain text when nothing matches. */
export function Highlighted({ text, query }: { text: string; query: string }) {
  if (!query.trim()) return <>{text}</>;
  return (
    <>
      {highlight(text, query).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
    </>
  );
}

/** "US$10.80 – US$12.50 / piece", or "Price negotiable" without prices. */
function CardPrice({ ctx, card }: { ctx: PageContext; card: ProductCard }) {
  if (card.priceMin === null || card.priceMax === null) return <p class="product-price">{ctx.t('catalogue.price.negotiable')}</p>;
  const low = formatMoney(ctx.locale, card.currency, card.priceMin);
  const high = formatMoney(ctx.locale, card.currency, card.priceMax);
  return (
    <p class="product-price">
      {ctx.t('catalogue.price.perUnit', { price: low === high ? low : `${low} – ${high}`, unit: ctx.t(`products.unit.${card.unit}`) })}
    </p>
  );
}

/** A product in a list or search result; `query` marks the words that matched. */
export function ProductCardView({ ctx, card, query = '' }: { ctx: PageContext; card: ProductCard; query?: string }) {
  const { main, other } = productTitles(ctx.locale, card);
  const place = card.company.country === 'CN' ? regionName(ctx, card.company.provinceCode) : cityLevel(ctx, { ...card.company, cityCode: null });
  return (
    <li class="product-card">
      <a class="product-card-image" href={`/products/${card.id}`} tabIndex={-1} aria-hidden="true">
        {card.thumbFileId ? <img src={publicFileUrl(card.thumbFileId)} alt="" width={200} height={200} loading="lazy" /> : <span class="no-image">{ctx.t('catalogue.gallery.none')}</span>}
      </a>
      <h3 class="product-card-title">
        <a href={`/products/${card.id}`} lang={main.lang}>
          <Highlighted text={main.text} query={query} />
        </a>
      </h3>
      {other ? (
        <p class="product-card-other muted" lang={other.lang}>
          <Highlighted text={other.text} query={query} />
        </p>
      ) : null}
      <CardPrice ctx={ctx} card={card} />
      <p class="muted">{ctx.t('catalogue.product.moqShort', { moq: formatNumber(ctx.locale, card.moq), unit: ctx.t(`products.unit.${card.unit}`) })}</p>
      <p class="product-card-company">
        <a href={`/companies/${card.company.id}`}>{companyName(ctx.locale, card.company)}</a>{' '}
        {card.company.verified ? <VerifiedBadge ctx={ctx} company={card.company} /> : null}
        {place ? <span class="muted"> · {place}</span> : null}
      </p>
    </li>
  );
}

/** Products as a grid of cards. */
export function ProductGrid({ ctx, cards, query, label }: { ctx: PageContext; cards: ProductCard[]; query?: string; label: string }) {
  return (
    <ul class="product-grid" aria-label={label}>
      {cards.map((card) => (
        <ProductCardView key={card.id} ctx={ctx} card={card} query={query} />
      ))}
    </ul>
  );
}

/** A company in search results; `query` marks the words that matched. */
export function CompanyCardView({ ctx, card, query = '' }: { ctx: PageContext; card: CompanyResult; query?: string }) {
  const separator = ctx.locale === 'en' ? ', ' : '、';
  return (
    <li class="card company-card">
      {card.logoFileId ? <img class="company-card-logo" src={publicFileUrl(card.logoFileId)} alt="" width={64} height={64} loading="lazy" /> : null}
      <h3>
        <a href={`/companies/${card.id}`}>
          <Highlighted text={companyName(ctx.locale, card)} query={query} />
        </a>
      </h3>
      <p>
        <VerifiedBadge ctx={ctx} company={card} /> <span class="muted">{cityLevel(ctx, card)}</span>
      </p>
      {card.mainProducts.length > 0 ? (
        <p>
          {ctx.t('catalogue.company.mainProducts')}: <Highlighted text={card.mainProducts.join(separator)} query={query} />
        </p>
      ) : null}
    </li>
  );
}

/**
 * The product's photos: every image in a scrollable strip (one in view at a time) and thumbnails
 * that link to each one's anchor, so it works by keyboard and without JavaScript.
 */
export function Gallery({ ctx, title, images }: { ctx: PageContext; title: string; images: ProductImage[] }) {
  const count = images.length;
  if (count === 0) return <div class="gallery gallery-empty"><span class="no-image">{ctx.t('catalogue.gallery.none')}</span></div>;
  return (
    <section class="gallery" aria-label={ctx.t('catalogue.gallery.label')}>
      <div class="gallery-main" tabIndex={0} role="region" aria-label={ctx.t('catalogue.gallery.strip', { count })}>
        {images.map((image, i) => (
          <figure class="gallery-slide" id={`image-${i + 1}`} key={image.id}>
            <img
              src={publicFileUrl(image.fileId)}
              alt={ctx.t('catalogue.gallery.alt', { title, n: i + 1, count })}
              width={image.width || undefined}
              height={image.height || undefined}
              loading={i === 0 ? undefined : 'lazy'}
            />
          </figure>
        ))}
      </div>
      {count > 1 ? (
        <ul class="gallery-thumbs">
          {images.map((image, i) => (
            <li key={image.id}>
              <a href={`#image-${i + 1}`}>
                <img src={publicFileUrl(image.thumbFileId)} alt={ctx.t('catalogue.gallery.show', { n: i + 1, count })} width={72} height={72} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** The category template's attributes in the page language (option labels for choices), then the supplier's own. */
export function AttributesTable({ ctx, product }: { ctx: PageContext; product: ProductView }) {
  const template = findCategory(product.categoryId)?.attributes ?? [];
  const rows = template.flatMap((a) => {
    const value = product.attributes[a.key];
    if (!value) return [];
    const option = a.type === 'select' ? a.options?.find((o) => o.value === value) : undefined;
    const shown = option ? (ctx.locale === 'en' ? option.en : option.zh) : a.unit ? `${value} ${a.unit}` : value;
    return [{ key: a.key, label: ctx.locale === 'en' ? a.en : a.zh, value: shown }];
  });
  const custom = product.customAttributes.map((a, i) => ({ key: `custom-${i}`, label: a.name, value: a.value }));
  const all = [...rows, ...custom];
  if (all.length === 0) return null;
  return (
    <section aria-labelledby="attributes-title">
      <h2 id="attributes-title">{ctx.t('catalogue.product.attributes')}</h2>
      <table class="data attributes">
        <tbody>
          {all.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Quantity tiers with their unit prices, and whether the price can be negotiated. */
export function PriceTiers({ ctx, product }: { ctx: PageContext; product: ProductView }) {
  const unit = ctx.t(`products.unit.${product.unit}`);
  const tiers = product.priceTiers;
  return (
    <section aria-labelledby="prices-title">
      <h2 id="prices-title">{ctx.t('catalogue.product.prices')}</h2>
      {tiers.length > 0 ? (
        <table class="data price-tiers">
          <thead>
            <tr>
              <th scope="col">{ctx.t('catalogue.price.quantity', { unit })}</th>
              <th scope="col">{ctx.t('catalogue.price.unitPrice', { currency: product.currency })}</th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((tier, i) => {
              const next = tiers[i + 1];
              const from = formatNumber(ctx.locale, tier.minQty);
              return (
                <tr key={tier.minQty}>
                  <td>{next ? ctx.t('catalogue.price.range', { from, to: formatNumber(ctx.locale, next.minQty - 1) }) : ctx.t('catalogue.price.atLeast', { from })}</td>
                  <td>{formatMoney(ctx.locale, product.currency, tier.price)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {product.priceNegotiable ? <p class="notice notice-info">{ctx.t(tiers.length > 0 ? 'catalogue.price.negotiableToo' : 'catalogue.price.negotiableOnly')}</p> : null}
    </section>
  );
}

/** Minimum order, lead time and the logistics facts a buyer compares. */
export function TradeFacts({ ctx, product }: { ctx: PageContext; product: ProductView }) {
  const unit = ctx.t(`products.unit.${product.unit}`);
  const list = (items: string[]) => items.join(ctx.locale === 'en' ? ', ' : '、');
  const facts: [string, string][] = [
    [ctx.t('products.field.moq'), `${formatNumber(ctx.locale, product.moq)} ${unit}`],
    ...(product.leadTimeDays !== null ? [[ctx.t('catalogue.product.leadTime'), ctx.t('catalogue.product.days', { days: product.leadTimeDays })] as [string, string]] : []),
    ...(product.port ? [[ctx.t('products.field.port'), product.port] as [string, string]] : []),
    ...(product.incoterms.length > 0 ? [[ctx.t('products.field.incoterms'), list(product.incoterms)] as [string, string]] : []),
    ...(product.packaging ? [[ctx.t('products.field.packaging'), product.packaging] as [string, string]] : []),
    ...(product.hsCode ? [[ctx.t('catalogue.product.hsCode'), product.hsCode] as [string, string]] : []),
    ...(product.certifications.length > 0 ? [[ctx.t('products.field.certifications'), list(product.certifications)] as [string, string]] : []),
  ];
  return (
    <dl class="trade-facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The supplier of a product: name, badge, place, main products and a link to its profile. */
export function CompanyCard({ ctx, company }: { ctx: PageContext; company: IndexedCompany }) {
  const name = companyName(ctx.locale, company);
  return (
    <aside class="card supplier-card" aria-labelledby="supplier-title">
      <h2 id="supplier-title">{ctx.t('catalogue.company.title')}</h2>
      {company.logoFileId ? <img class="company-card-logo" src={publicFileUrl(company.logoFileId)} alt="" width={64} height={64} /> : null}
      <p class="supplier-name">
        <a href={`/companies/${company.id}`}>{name}</a>
      </p>
      <p>
        <VerifiedBadge ctx={ctx} company={company} />
      </p>
      <p class="muted">{cityLevel(ctx, company)}</p>
      {company.mainProducts.length > 0 ? (
        <p>
          {ctx.t('catalogue.company.mainProducts')}: {company.mainProducts.join(ctx.locale === 'en' ? ', ' : '、')}
        </p>
      ) : null}
      <p>
        <a class="button button-secondary" href={`/companies/${company.id}`}>
          {ctx.t('catalogue.company.visit')}
        </a>
      </p>
    </aside>
  );
}

/** Home › Categories › … › here, as an ordered list of links (the last one is the current page). */
export function Breadcrumb({ ctx, trail }: { ctx: PageContext; trail: { href?: string; label: string; lang?: string }[] }) {
  return (
    <nav class="breadcrumb" aria-label={ctx.t('catalogue.breadcrumb')}>
      <ol>
        {trail.map((step, i) => (
          <li key={i}>
            {step.href ? (
              <a href={step.href} lang={step.lang}>
                {step.label}
              </a>
            ) : (
              <span aria-current="page" lang={step.lang}>
                {step.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** Home › Categories › each category of the path, all links. */
export function categoryTrail(ctx: PageContext, categoryId: string) {
  return [
    { href: '/', label: ctx.t('catalogue.home') },
    { href: '/categories', label: ctx.t('catalogue.categories.title') },
    ...categoryPath(categoryId).map((c) => ({ href: `/categories/${c.id}`, label: categoryName(c, ctx.locale) })),
  ];
}

/** A facet count, "about" the number when counted over a sample. */
function FacetCountText({ ctx, count, isSampled }: { ctx: PageContext; count: number; isSampled: boolean }) {
  const n = formatNumber(ctx.locale, count);
  return <span class="facet-count">{isSampled ? ctx.t('catalogue.facet.countApprox', { count: n }) : ctx.t('catalogue.facet.count', { count: n })}</span>;
}

/** What a facet value is called on the page. */
export function facetLabel(ctx: PageContext, facet: string, value: string): string {
  if (facet === 'c') {
    const category = findCategory(value);
    return category ? categoryName(category, ctx.locale) : value;
  }
  if (facet === 'p') return value === 'intl' ? ctx.t('catalogue.facet.international') : regionName(ctx, value) || value;
  if (facet === 'm') return ctx.t(`catalogue.moq.${value}`);
  if (facet === 'v') return ctx.t(value === '1' ? 'catalogue.facet.verifiedOnly' : 'catalogue.facet.unverified');
  return value;
}

/** The search parameter a facet filters. */
const facetParam = { c: 'category', p: 'province', m: 'moq', v: 'verified' } as const;
type FacetName = keyof typeof facetParam;

/** Which values of each facet are offered as links (categories: the level under the chosen one). */
function offeredValues(facet: FacetName, counts: FacetCount[], params: SearchLinkParams): FacetCount[] {
  if (facet === 'c') {
    const children = params.category ? (findCategory(params.category)?.children ?? []) : null;
    return counts.filter((c) => {
      const category = findCategory(c.value);
      if (!category) return false;
      return children ? children.includes(c.value) : category.parentId === null;
    });
  }
  if (facet === 'v') return counts.filter((c) => c.value === '1');
  return counts;
}

/**
 * The filters of a search: for each facet, links that add one value (keeping everything else)
 * with its count, and the chosen value with a link that removes it.
 */
export function Facets({ ctx, params, facets, isSampled }: { ctx: PageContext; params: SearchLinkParams; facets: Record<string, FacetCount[]>; isSampled: boolean }) {
  const names: FacetName[] = params.type === 'companies' ? ['v', 'p'] : ['c', 'p', 'm'];
  const shown = names.flatMap((name) => {
    const param = facetParam[name];
    const chosen = params[param];
    const offered = offeredValues(name, facets[name] ?? [], params);
    return chosen || offered.length > 0 ? [{ name, param, chosen, offered }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <aside class="facets" aria-label={ctx.t('catalogue.facet.label')}>
      {isSampled ? <p class="hint">{ctx.t('catalogue.facet.sampled')}</p> : null}
      {shown.map(({ name, param, chosen, offered }) => {
        return (
          <section key={name} class="facet" aria-labelledby={`facet-${name}`}>
            <h2 id={`facet-${name}`}>{ctx.t(`catalogue.facet.${name}`)}</h2>
            <ul>
              {chosen && name !== 'c' ? (
                <li>
                  <strong aria-current="true">{facetLabel(ctx, name, chosen)}</strong>{' '}
                  <a href={searchHref(params, { [param]: undefined })}>{ctx.t('catalogue.facet.remove')}</a>
                </li>
              ) : null}
              {chosen && name === 'c' ? (
                <li>
                  <strong aria-current="true">{facetLabel(ctx, name, chosen)}</strong>{' '}
                  <a href={searchHref(params, { category: findCategory(chosen)?.parentId ?? undefined })}>{ctx.t('catalogue.facet.up')}</a>
                </li>
              ) : null}
              {name === 'c' || !chosen
                ? offered.map((facet) => (
                    <li key={facet.value}>
                      <a href={searchHref(params, { [param]: facet.value })}>{facetLabel(ctx, name, facet.value)}</a> <FacetCountText ctx={ctx} count={facet.count} isSampled={isSampled} />
                    </li>
                  ))
                : null}
            </ul>
          </section>
        );
      })}
    </aside>
  );
}

/** The filters in force, each with a link that removes it, and one that clears them all. */
export function ActiveFilters({ ctx, params }: { ctx: PageContext; params: SearchLinkParams }) {
  const active = (Object.entries(facetParam) as [FacetName, keyof SearchLinkParams][]).flatMap(([name, param]) => {
    const value = params[param];
    return value && typeof value === 'string' ? [{ name, param, value }] : [];
  });
  if (active.length === 0) return null;
  return (
    <div class="active-filters">
      <span>{ctx.t('catalogue.filter.active')}</span>
      <ul>
        {active.map(({ name, param, value }) => (
          <li key={name}>
            <a href={searchHref(params, { [param]: undefined })} aria-label={ctx.t('catalogue.filter.removeNamed', { name: facetLabel(ctx, name, value) })}>
              {facetLabel(ctx, name, value)} <span aria-hidden="true">×</span>
            </a>
          </li>
        ))}
      </ul>
      <a href={searchHref(params, { category: undefined, province: undefined, moq: undefined, verified: undefined })}>{ctx.t('catalogue.filter.clear')}</a>
    </div>
  );
}
