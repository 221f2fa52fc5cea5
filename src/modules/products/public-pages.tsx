import { Pager } from '../../platform/views/components.js';
import type { FastifyInstance } from 'fastify';
import { sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { PageContext } from '../../platform/views/context.js';
import { categoryName, categoryTree, findCategory, type Category } from '../catalogue/index.js';
import { SocialActions, type SocialService } from '../social/index.js';
import { productJsonLd, serializeJsonLd } from './json-ld.js';
import { categoryHref, searchHref } from './public-links.js';
import * as views from './public-views.js';
import { searchQuery, type SearchParams } from './schema.js';
import type { CompanyCard as CompanyResult, ProductCard, ProductsService, SearchPage } from './service.js';
import { sitemapRoutes } from './sitemaps.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const categoryId = /^[a-z0-9._-]{1,80}$/;
const pageQuery = searchQuery.pick({ page: true });
/** What the search box accepts; longer text is cut rather than refused. */
const maxQueryLength = 200;

/**
 * The typed query as it is searched and shown: control characters become spaces (they cannot be
 * written into HTML), runs of white space one space, and the text is cut to the box's length.
 */
function cleanQuery(q: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are removed on purpose
  return q.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, maxQueryLength);
}

/** The hreflang alternates of a public URL: each language by `lang`, and the plain URL as the default. */
function alternates(url: string) {
  const join = url.includes('?') ? '&' : '?';
  return [
    { hreflang: 'zh-CN', href: `${url}${join}lang=zh-CN` },
    { hreflang: 'en', href: `${url}${join}lang=en` },
    { hreflang: 'x-default', href: url },
  ];
}

function ResultCount({ ctx, result }: { ctx: PageContext; result: SearchPage<unknown> }) {
  if (result.total === 0) return null;
  const count = new Intl.NumberFormat(ctx.locale).format(result.total);
  return <p class="result-count" role="status">{ctx.t(result.totalIsLowerBound ? 'catalogue.search.countMore' : 'catalogue.search.count', { count })}</p>;
}

/** What to try when nothing matched: spelling, fewer words, no filters, the categories, the other tab. */
function NoResults({ ctx, params, isUnsearchable }: { ctx: PageContext; params: SearchParams; isUnsearchable: boolean }) {
  const other = params.type === 'companies' ? 'products' : 'companies';
  const hasFilters = Boolean(params.category || params.province || params.moq || params.verified);
  return (
    <section class="empty-state" aria-labelledby="no-results">
      <h2 id="no-results">{params.q ? ctx.t(`catalogue.empty.${params.type}For`, { query: params.q }) : ctx.t(`catalogue.empty.${params.type}`)}</h2>
      {isUnsearchable ? <p>{ctx.t('catalogue.empty.unsearchable')}</p> : null}
      <p>{ctx.t('catalogue.empty.suggestions')}</p>
      <ul>
        <li>{ctx.t('catalogue.empty.spelling')}</li>
        <li>{ctx.t('catalogue.empty.fewerWords')}</li>
        {hasFilters ? (
          <li>
            <a href={searchHref(params, { category: undefined, province: undefined, moq: undefined, verified: undefined })}>{ctx.t('catalogue.empty.removeFilters')}</a>
          </li>
        ) : null}
        <li>
          <a href="/categories">{ctx.t('catalogue.empty.browseCategories')}</a>
        </li>
        <li>
          <a href={searchHref(params, { type: other })}>{ctx.t(`catalogue.empty.switchTo.${other}`)}</a>
        </li>
      </ul>
    </section>
  );
}

function TypeTabs({ ctx, params }: { ctx: PageContext; params: SearchParams }) {
  return (
    <nav class="tabs" aria-label={ctx.t('catalogue.search.typeLabel')}>
      {(['products', 'companies'] as const).map((type) => (
        <a key={type} href={searchHref(params, { type })} aria-current={params.type === type ? 'page' : undefined}>
          {ctx.t(`catalogue.search.type.${type}`)}
        </a>
      ))}
    </nav>
  );
}

function SortSwitch({ ctx, params }: { ctx: PageContext; params: SearchParams }) {
  return (
    <nav class="sort-switch" aria-label={ctx.t('catalogue.sort.label')}>
      <span aria-hidden="true">{ctx.t('catalogue.sort.label')}:</span>
      {(['relevance', 'newest'] as const).map((sort) => (
        <a key={sort} href={searchHref(params, { sort })} aria-current={params.sort === sort ? 'true' : undefined}>
          {ctx.t(`catalogue.sort.${sort}`)}
        </a>
      ))}
    </nav>
  );
}

function SearchResults({ ctx, params, result }: { ctx: PageContext; params: SearchParams; result: SearchPage<ProductCard> | SearchPage<CompanyResult> }) {
  if (result.items.length === 0 && result.total > 0) {
    return (
      <p class="notice notice-info">
        {ctx.t('catalogue.search.pastEnd')} <a href={searchHref(params, { page: 1 })}>{ctx.t('catalogue.search.firstPage')}</a>
      </p>
    );
  }
  if (result.items.length === 0) return <NoResults ctx={ctx} params={params} isUnsearchable={result.isUnsearchable} />;
  const label = ctx.t(`catalogue.search.type.${params.type}`);
  return params.type === 'companies' ? (
    <ul class="company-list" aria-label={label}>
      {(result.items as CompanyResult[]).map((card) => (
        <views.CompanyCardView key={card.id} ctx={ctx} card={card} query={params.q} />
      ))}
    </ul>
  ) : (
    <views.ProductGrid ctx={ctx} cards={result.items as ProductCard[]} query={params.q} label={label} />
  );
}

/**
 * "订阅此搜索": opens the subscriptions module's form pre-filled with the query and filters (a
 * GET form, so visitors are sent to sign in and back with the same criteria).
 */
function SubscribeToSearch({ ctx, params }: { ctx: PageContext; params: SearchParams }) {
  // Subscriptions follow products; a search of companies has nothing to subscribe to.
  if (params.type !== 'products' || (!params.q && !params.category && !params.province)) return null;
  return (
    <form method="get" action="/subscriptions/new" class="inline-form subscribe-search">
      {params.q ? <input type="hidden" name="keyword" value={params.q} /> : null}
      {params.category ? <input type="hidden" name="category" value={params.category} /> : null}
      {params.province ? <input type="hidden" name="province" value={params.province} /> : null}
      <button class="button button-secondary" type="submit" aria-describedby="subscribe-search-hint">{ctx.t('subscriptions.subscribeSearch')}</button>{' '}
      <span class="hint" id="subscribe-search-hint">{ctx.t('subscriptions.subscribeSearchHint')}</span>
    </form>
  );
}

function CategoryList({ ctx, categories }: { ctx: PageContext; categories: readonly Category[] }) {
  return (
    <ul>
      {categories.map((c) => (
        <li key={c.id}>
          <a href={`/categories/${c.id}`}>{categoryName(c, ctx.locale)}</a>
          {c.children.length > 0 ? <CategoryList ctx={ctx} categories={c.children.flatMap((id) => findCategory(id) ?? [])} /> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The public catalogue: product pages, the category tree and category pages, search over
 * products and companies, and the crawler files (robots.txt, sitemaps).
 */
export async function catalogueModule(app: FastifyInstance, { products, social }: { products: ProductsService; social: Pick<SocialService, 'followState'> }) {
  const publicUrl = () => app.silkline.config.publicUrl;

  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const { id } = request.params;
    if (!uuid.test(id)) throw new AppError('NOT_FOUND');
    const { product, company, related } = await products.getPublic(id);
    const follow = await social.followState(request.auth, { type: 'product', id: product.id });
    const { main, other } = views.productTitles(request.locale, product);
    const canonicalUrl = `${publicUrl()}/products/${product.id}`;
    const jsonLd = productJsonLd({ product, company, name: main.text, locale: request.locale, publicUrl: publicUrl() });
    const summary = typeof jsonLd.description === 'string' ? jsonLd.description.slice(0, 150) : undefined;
    return sendPage(
      request,
      reply,
      { title: main.text, description: summary, canonicalUrl, alternates: alternates(canonicalUrl), jsonLd: serializeJsonLd(jsonLd) },
      (ctx) => (
        <article class="product-page">
          <views.Breadcrumb ctx={ctx} trail={[...views.categoryTrail(ctx, product.categoryId), { label: main.text, lang: main.lang }]} />
          <div class="product-top">
            <views.Gallery ctx={ctx} title={main.text} images={product.images} />
            <div class="product-summary">
              <h1 lang={main.lang}>{main.text}</h1>
              {other ? (
                <p class="product-other-title" lang={other.lang}>
                  {other.text}
                </p>
              ) : null}
              <views.PriceTiers ctx={ctx} product={product} />
              <views.TradeFacts ctx={ctx} product={product} />
              {/* The inquiries module's form; signed-out visitors are sent to sign in and back. */}
              <p><a class="button" href={`/inquiries/new?product=${product.id}`}>{ctx.t('inquiries.send')}</a></p>
              <SocialActions ctx={ctx} target={{ type: 'product', id: product.id }} state={follow} />
            </div>
            <views.CompanyCard ctx={ctx} company={company} />
          </div>
          <div class="card">
            <views.AttributesTable ctx={ctx} product={product} />
            {product.description ? (
              <section aria-labelledby="description-title">
                <h2 id="description-title">{ctx.t('catalogue.product.description')}</h2>
                {/* Sanitised to an allow-list when it was saved (sanitizeRichText). */}
                <div class="rich-text" dangerouslySetInnerHTML={{ __html: product.description }} />
              </section>
            ) : null}
          </div>
          {related.length > 0 ? (
            <section class="related" aria-labelledby="related-title">
              <h2 id="related-title">{ctx.t('catalogue.product.related')}</h2>
              <views.ProductGrid ctx={ctx} cards={related} label={ctx.t('catalogue.product.related')} />
            </section>
          ) : null}
        </article>
      ),
    );
  });

  // The tree comes from code, not from visitors' data, so one rendering serves every visitor.
  app.get('/categories', async (request, reply) =>
    sendPage(
      request,
      reply,
      { title: request.t('catalogue.categories.title'), canonicalUrl: `${publicUrl()}/categories`, alternates: alternates(`${publicUrl()}/categories`), cacheForVisitors: true },
      (ctx) => (
        <section class="card category-tree">
          <views.Breadcrumb ctx={ctx} trail={[{ href: '/', label: ctx.t('catalogue.home') }, { label: ctx.t('catalogue.categories.title') }]} />
          <h1>{ctx.t('catalogue.categories.title')}</h1>
          <div class="category-roots">
            {categoryTree().map((root) => (
              <section key={root.id} aria-labelledby={`category-${root.id}`}>
                <h2 id={`category-${root.id}`}>
                  <a href={`/categories/${root.id}`}>{categoryName(root, ctx.locale)}</a>
                </h2>
                <CategoryList ctx={ctx} categories={root.children.flatMap((id) => findCategory(id) ?? [])} />
              </section>
            ))}
          </div>
        </section>
      ),
    ),
  );

  app.get<{ Params: { id: string } }>('/categories/:id', async (request, reply) => {
    const { id } = request.params;
    if (!categoryId.test(id)) throw new AppError('NOT_FOUND');
    const path = products.getCategoryPath(id);
    const category = path.at(-1)!;
    const { page } = pageQuery.parse(request.query ?? {});
    const result = (await products.search({ q: '', type: 'products', category: id, sort: 'newest', page })) as SearchPage<ProductCard>;
    const counts = new Map((result.facets.c ?? []).map((f) => [f.value, f.count]));
    const children = category.children.flatMap((childId) => findCategory(childId) ?? []);
    const name = categoryName(category, request.locale);
    const canonicalUrl = `${publicUrl()}${categoryHref(id, page)}`;
    return sendPage(request, reply, { title: name, canonicalUrl, alternates: alternates(canonicalUrl) }, (ctx) => (
      <section class="card category-page">
        <views.Breadcrumb ctx={ctx} trail={[...views.categoryTrail(ctx, id).slice(0, -1), { label: name }]} />
        <h1>{name}</h1>
        {children.length > 0 ? (
          <nav class="subcategories" aria-label={ctx.t('catalogue.categories.sub')}>
            <ul>
              {children.map((child) => (
                <li key={child.id}>
                  <a href={`/categories/${child.id}`}>{categoryName(child, ctx.locale)}</a>{' '}
                  {counts.has(child.id) ? <span class="facet-count">{ctx.t(result.facetsAreSampled ? 'catalogue.facet.countApprox' : 'catalogue.facet.count', { count: counts.get(child.id)! })}</span> : null}
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <ResultCount ctx={ctx} result={result} />
        {result.items.length > 0 ? (
          <views.ProductGrid ctx={ctx} cards={result.items} label={ctx.t('catalogue.categories.products', { name })} />
        ) : (
          <p>
            {ctx.t('catalogue.categories.empty')} <a href="/categories">{ctx.t('catalogue.empty.browseCategories')}</a>
          </p>
        )}
        <Pager ctx={ctx} page={result.page} pages={result.pages} href={(n) => categoryHref(id, n)} />
      </section>
    ));
  });

  app.get('/search', async (request, reply) => {
    const parsed = searchQuery.parse(request.query ?? {});
    const params: SearchParams = { ...parsed, q: cleanQuery(parsed.q) };
    if (params.type === 'companies') {
      params.category = undefined;
      params.moq = undefined;
    } else params.verified = undefined;
    const result = await products.search(params);
    const title = params.q ? request.t('catalogue.search.titleFor', { query: params.q }) : request.t('catalogue.search.title');
    return sendPage(request, reply, { title }, (ctx) => (
      <section class="search-page">
        <h1>{title}</h1>
        <TypeTabs ctx={ctx} params={params} />
        <div class="search-layout">
          <views.Facets ctx={ctx} params={params} facets={result.facets} isSampled={result.facetsAreSampled} />
          <div class="search-results">
            <div class="search-toolbar">
              <ResultCount ctx={ctx} result={result} />
              {result.items.length > 0 ? <SortSwitch ctx={ctx} params={params} /> : null}
            </div>
            <views.ActiveFilters ctx={ctx} params={params} />
            <SubscribeToSearch ctx={ctx} params={params} />
            <SearchResults ctx={ctx} params={params} result={result} />
            <Pager ctx={ctx} page={result.page} pages={result.pages} href={(n) => searchHref(params, { page: n })} />
          </div>
        </div>
      </section>
    ));
  });

  await app.register(sitemapRoutes, { products });
}

/**
 * The products block of a company's profile: the companies module renders it without knowing
 * what a product is (it gets this function from the app).
 */
export function companyProductsBlock(products: ProductsService) {
  return async (companyId: string) => {
    const { items, total } = await products.companyProducts(companyId);
    return (ctx: PageContext) =>
      items.length === 0 ? (
        <p class="muted">{ctx.t('companies.profile.noProducts')}</p>
      ) : (
        <>
          <views.ProductGrid ctx={ctx} cards={items} label={ctx.t('companies.profile.products')} />
          {total > items.length ? <p class="muted">{ctx.t('products.profile.more', { total, shown: items.length })}</p> : null}
        </>
      );
  };
}
