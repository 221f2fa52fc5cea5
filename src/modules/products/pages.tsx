import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { formFailure, formValues } from '../../platform/http/forms.js';
import { parseInput } from '../../platform/http/validation.js';
import { FormMessage, Pager, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import type { UploadedFile } from '../../platform/storage/multipart.js';
import { acceptUpload } from '../../platform/storage/uploads.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import { isLeafCategory } from '../catalogue/index.js';
import { ShopNav } from '../companies/index.js';
import * as schema from './schema.js';
import type { ProductsService, ProductView } from './service.js';
import * as views from './views.js';

const imageRules = { allowed: ['jpeg', 'png', 'webp'] as const, maxBytes: 5 * 1024 * 1024 };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function params(request: FastifyRequest): { companyId: string; productId: string; imageId: string } {
  const p = request.params as { id?: string; productId?: string; imageId?: string };
  for (const value of [p.id, p.productId, p.imageId]) if (value !== undefined && !uuid.test(value)) throw new AppError('NOT_FOUND');
  return { companyId: p.id ?? '', productId: p.productId ?? '', imageId: p.imageId ?? '' };
}

/** The submitted values to show again, with the checked Incoterms kept. */
function submitted(body: unknown): views.Values {
  const values = formValues(body);
  const terms = (body as { incoterms?: unknown } | undefined)?.incoterms;
  values.incoterms = Array.isArray(terms) ? terms.filter((t) => typeof t === 'string').join(',') : typeof terms === 'string' ? terms : '';
  return values;
}

const flash: Record<string, string> = {
  saved: 'products.form.saved',
  published: 'products.form.published',
  unpublished: 'products.form.unpublished',
  deleted: 'products.form.deleted',
};

function flashState(request: FastifyRequest): views.FormState {
  const key = flash[(request.query as { done?: string }).done ?? ''];
  return key ? { message: key, messageKind: 'success' } : {};
}

/** Suppliers' product pages under /shop/:id/products: list, create, edit, images, publish. */
export async function productPages(app: FastifyInstance, { products }: { products: ProductsService }) {
  const base = (companyId: string) => `/shop/${companyId}/products`;

  app.get('/shop/:id/products', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { companyId } = params(request);
    const query = schema.listQuery.parse(request.query ?? {});
    const list = await products.listForCompany(request.auth, companyId, query.status, query.page);
    const href = (status: string | undefined, page = 1) => `${base(companyId)}?${new URLSearchParams({ ...(status ? { status } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString()}`;
    return sendPage(request, reply, { title: request.t('products.list.title') }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('products.list.title')}</h1>
        <ShopNav ctx={ctx} company={list.company} current="products" />
        <FormMessage ctx={ctx} state={flashState(request)} />
        {list.company.status !== 'verified' ? <p class="notice notice-info">{ctx.t('products.visibility.pendingCompany')}</p> : null}
        <p><a class="button" href={`${base(companyId)}/new`}>{ctx.t('products.list.new')}</a></p>
        <nav class="tabs" aria-label={ctx.t('products.list.title')}>
          {([undefined, 'draft', 'published', 'unpublished'] as const).map((status) => (
            <a key={status ?? 'all'} href={href(status)} aria-current={status === query.status ? 'page' : undefined}>
              {status ? ctx.t(`products.status.${status}`) : ctx.t('products.list.all')}
            </a>
          ))}
        </nav>
        <p>{ctx.t('products.list.count', { count: list.total })}</p>
        {list.items.length === 0 ? (
          <p>{ctx.t('products.list.empty')}</p>
        ) : (
          <ul class="product-admin-list">
            {list.items.map((p) => (
              <li key={p.id}>
                {p.thumbFileId ? <img src={publicFileUrl(p.thumbFileId)} alt="" width={64} height={64} loading="lazy" /> : <span class="thumb-placeholder">{ctx.t('products.list.noImage')}</span>}
                <a href={`${base(companyId)}/${p.id}`}>{titleOf(ctx, p)}</a> <views.StatusBadge ctx={ctx} status={p.status} />
                <span class="hint">{views.categoryTrail(ctx, p.categoryId)} · {ctx.t('products.list.updated', { date: p.updatedAt.slice(0, 10) })}</span>
              </li>
            ))}
          </ul>
        )}
        <Pager ctx={ctx} page={list.page} pages={list.pages} href={(page) => href(query.status, page)} />
      </section>
    ));
  });

  const newPage = async (request: FastifyRequest, reply: FastifyReply, categoryId: string | undefined, state: views.FormState, status = 200) => {
    const { companyId } = params(request);
    const company = await products.getCompany(request.auth!, companyId);
    return sendPage(request, reply, { title: request.t('products.new.title'), status }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('products.new.title')}</h1>
        <ShopNav ctx={ctx} company={company} current="products" />
        <FormMessage ctx={ctx} state={state} />
        {company.status !== 'verified' ? <p class="notice notice-info">{ctx.t('products.visibility.pendingCompany')}</p> : null}
        {categoryId && isLeafCategory(categoryId) ? (
          <views.ProductForm ctx={ctx} action={`${base(companyId)}/new`} categoryId={categoryId} state={state} changeCategoryHref={`${base(companyId)}/new`} />
        ) : (
          <form method="get" action={`${base(companyId)}/new`} class="form">
            <h2>{ctx.t('products.new.chooseCategory')}</h2>
            <views.CategorySelect ctx={ctx} value={categoryId} error={categoryId ? 'products.error.category' : undefined} />
            <button class="button" type="submit">{ctx.t('products.new.continue')}</button>
          </form>
        )}
      </section>
    ));
  };

  app.get('/shop/:id/products/new', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const categoryId = (request.query as { categoryId?: unknown }).categoryId;
    return newPage(request, reply, typeof categoryId === 'string' ? categoryId.slice(0, 80) : undefined, {});
  });

  app.post('/shop/:id/products/new', { config: { rateLimit: { max: 120, timeWindow: 3600_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { companyId } = params(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      const { id } = await products.create(request.auth, companyId, parseInput(schema.productInput, schema.fromForm(body)));
      return reply.redirect(`${base(companyId)}/${id}?done=saved`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, submitted(body));
      return newPage(request, reply, typeof body.categoryId === 'string' ? body.categoryId : undefined, state, status);
    }
  });

  const editPage = async (request: FastifyRequest, reply: FastifyReply, state: views.FormState, status = 200) => {
    const { companyId, productId } = params(request);
    const product = await products.getForEdit(request.auth!, companyId, productId);
    const company = await products.getCompany(request.auth!, companyId);
    const wanted = (request.query as { categoryId?: unknown }).categoryId;
    const categoryId = typeof wanted === 'string' && isLeafCategory(wanted) ? wanted : (state.values?.categoryId ?? product.categoryId);
    const here = `${base(companyId)}/${productId}`;
    return sendPage(request, reply, { title: request.t('products.edit.title'), status }, (ctx) => (
      <>
        <section class="card">
          <h1>{ctx.t('products.edit.title')}: {titleOf(ctx, product)}</h1>
          <ShopNav ctx={ctx} company={company} current="products" />
          <FormMessage ctx={ctx} state={state} />
          <p>
            <views.StatusBadge ctx={ctx} status={product.status} />{' '}
            {product.status === 'published' && company.status === 'verified' ? <a href={`/products/${product.id}`}>{ctx.t('products.form.view')}</a> : null}
            {product.status === 'published' && company.status !== 'verified' ? <span class="hint">{ctx.t('products.visibility.pendingCompany')}</span> : null}
          </p>
          <div class="actions">
            {product.status !== 'published' ? (
              <PostForm ctx={ctx} action={`${here}/publish`} class="inline-form"><button class="button" type="submit">{ctx.t('products.form.publish')}</button></PostForm>
            ) : (
              <PostForm ctx={ctx} action={`${here}/unpublish`} class="inline-form"><button class="button button-secondary" type="submit">{ctx.t('products.form.unpublish')}</button></PostForm>
            )}
          </div>
          <views.ProductForm ctx={ctx} action={here} categoryId={categoryId} state={{ ...state, values: state.values ?? views.productValues(product) }}
            changeCategoryHref={`${here}/category`} />
        </section>
        <views.ImagesSection ctx={ctx} base={here} product={product} maxMb={imageRules.maxBytes / 1024 / 1024} />
        <section class="card">
          <h2>{ctx.t('products.form.delete')}</h2>
          <p>{ctx.t('products.form.deleteConfirm')}</p>
          <PostForm ctx={ctx} action={`${here}/delete`} class="inline-form"><button class="button button-danger" type="submit">{ctx.t('products.form.delete')}</button></PostForm>
        </section>
      </>
    ));
  };

  app.get('/shop/:id/products/:productId', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return editPage(request, reply, flashState(request));
  });

  app.get('/shop/:id/products/:productId/category', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { companyId, productId } = params(request);
    const product = await products.getForEdit(request.auth, companyId, productId);
    return sendPage(request, reply, { title: request.t('products.edit.changeCategory') }, (ctx) => (
      <section class="card narrow">
        <h1>{ctx.t('products.edit.changeCategory')}</h1>
        <form method="get" action={`${base(companyId)}/${productId}`} class="form">
          <views.CategorySelect ctx={ctx} value={product.categoryId} />
          <button class="button" type="submit">{ctx.t('products.new.continue')}</button>
        </form>
      </section>
    ));
  });

  app.post('/shop/:id/products/:productId', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { companyId, productId } = params(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    try {
      await products.update(request.auth, companyId, productId, parseInput(schema.productInput, schema.fromForm(body)));
      return reply.redirect(`${base(companyId)}/${productId}?done=saved`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, submitted(body));
      return editPage(request, reply, state, status);
    }
  });

  const action = (run: (request: FastifyRequest, ids: ReturnType<typeof params>) => Promise<string>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.auth) return redirectToSignIn(request, reply);
      const ids = params(request);
      try {
        return reply.redirect(await run(request, ids), 303);
      } catch (error) {
        if (!isAppError(error) || error.code === 'NOT_FOUND') throw error;
        return editPage(request, reply, { message: error.fields ? 'error.VALIDATION_FAILED' : error.messageKey, messageParams: error.params, messageKind: 'error' }, error.status);
      }
    };

  app.post('/shop/:id/products/:productId/publish', action(async (request, { companyId, productId }) => {
    await products.setStatus(request.auth!, companyId, productId, 'published');
    return `${base(companyId)}/${productId}?done=published`;
  }));
  app.post('/shop/:id/products/:productId/unpublish', action(async (request, { companyId, productId }) => {
    await products.setStatus(request.auth!, companyId, productId, 'unpublished');
    return `${base(companyId)}/${productId}?done=unpublished`;
  }));
  app.post('/shop/:id/products/:productId/delete', action(async (request, { companyId, productId }) => {
    await products.remove(request.auth!, companyId, productId);
    return `${base(companyId)}?done=deleted`;
  }));
  app.post('/shop/:id/products/:productId/images/:imageId/cover', action(async (request, { companyId, productId, imageId }) => {
    await products.makeCover(request.auth!, companyId, productId, imageId);
    return `${base(companyId)}/${productId}?done=saved`;
  }));
  app.post('/shop/:id/products/:productId/images/:imageId/remove', action(async (request, { companyId, productId, imageId }) => {
    await products.removeImage(request.auth!, companyId, productId, imageId);
    return `${base(companyId)}/${productId}?done=saved`;
  }));
  app.post(
    '/shop/:id/products/:productId/images',
    { config: { upload: { maxFileBytes: imageRules.maxBytes, maxFiles: 10 } } },
    action(async (request, { companyId, productId }) => {
      const field = (request.body as { images?: UploadedFile | UploadedFile[] } | undefined)?.images;
      const uploads = field === undefined ? [] : Array.isArray(field) ? field : [field];
      if (uploads.length === 0) throw new AppError('VALIDATION_FAILED', { messageKey: 'upload.error.empty' });
      // Every file is checked before any is kept, so a bad one among several keeps nothing.
      const accepted = await Promise.all(uploads.map((u) => acceptUpload(u.bytes, imageRules)));
      for (const upload of accepted) await products.addImage(request.auth!, companyId, productId, upload);
      return `${base(companyId)}/${productId}?done=saved`;
    }),
  );
}

function titleOf(ctx: PageContext, p: Pick<ProductView, 'titleZh' | 'titleEn'>): string {
  return (ctx.locale === 'en' ? (p.titleEn ?? p.titleZh) : (p.titleZh ?? p.titleEn)) ?? ctx.t('products.list.untitled');
}
