import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import { AppError } from '../../platform/http/errors.js';
import { categoryTree, findCategory, type Category } from '../catalogue/index.js';
import * as schema from './schema.js';
import type { CompanyCard, ProductCard, ProductsService, ProductView } from './service.js';
import { productStatuses } from './tables.js';

const tags = ['products'];

const tierSchema = z.object({ minQty: z.number(), price: z.string() });
const productSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  status: z.enum(productStatuses),
  titleZh: z.string().nullable(),
  titleEn: z.string().nullable(),
  categoryId: z.string(),
  attributes: z.record(z.string(), z.string()),
  customAttributes: z.array(z.object({ name: z.string(), value: z.string() })),
  moq: z.number(),
  unit: z.string(),
  currency: z.enum(schema.currencies),
  priceTiers: z.array(tierSchema),
  priceNegotiable: z.boolean(),
  leadTimeDays: z.number().nullable(),
  packaging: z.string().nullable(),
  port: z.string().nullable(),
  incoterms: z.array(z.string()),
  hsCode: z.string().nullable(),
  certifications: z.array(z.string()),
  description: z.string().describe('Sanitised HTML'),
  images: z.array(z.object({ id: z.string(), url: z.string(), thumbnailUrl: z.string(), width: z.number(), height: z.number() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
});
const cardSchema = z.object({
  id: z.string(),
  titleZh: z.string().nullable(),
  titleEn: z.string().nullable(),
  categoryId: z.string(),
  thumbnailUrl: z.string().nullable(),
  moq: z.number(),
  unit: z.string(),
  currency: z.enum(schema.currencies),
  priceMin: z.string().nullable(),
  priceMax: z.string().nullable(),
  priceNegotiable: z.boolean(),
  company: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), verified: z.boolean(), provinceCode: z.string().nullable(), country: z.string() }),
});
const companyCardSchema = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  verified: z.boolean(),
  country: z.string(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  mainProducts: z.array(z.string()),
});
const facetsSchema = z.record(z.string(), z.array(z.object({ value: z.string(), count: z.number() })));
const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number(),
    totalIsLowerBound: z.boolean(),
    facets: facetsSchema,
    facetsAreSampled: z.boolean(),
    page: z.number(),
    pages: z.number(),
  });
const attributeSchema = z.object({
  key: z.string(),
  zh: z.string(),
  en: z.string(),
  type: z.enum(['text', 'number', 'select']),
  unit: z.string().optional(),
  options: z.array(z.object({ value: z.string(), zh: z.string(), en: z.string() })).optional(),
});
const categorySchema = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  parentId: z.string().nullable(),
  isLeaf: z.boolean(),
  attributes: z.array(attributeSchema).optional(),
});

const companyParams = z.object({ id: z.uuid() });
const productParams = z.object({ id: z.uuid(), productId: z.uuid() });

const fileUrl = (id: string) => `/media/${id}`;

/** Presenters: only these fields ever leave the API. */
const presentProduct = (p: ProductView) => ({
  ...p,
  images: p.images.map((i) => ({ id: i.id, url: fileUrl(i.fileId), thumbnailUrl: fileUrl(i.thumbFileId), width: i.width, height: i.height })),
});
const presentCard = ({ thumbFileId, ...card }: ProductCard) => ({ ...card, thumbnailUrl: thumbFileId ? fileUrl(thumbFileId) : null });
const presentCompanyCard = ({ logoFileId: _logo, ...card }: CompanyCard) => card;
const presentCategory = (c: Category) => ({
  id: c.id,
  zh: c.zh,
  en: c.en,
  parentId: c.parentId,
  isLeaf: c.isLeaf,
  ...(c.isLeaf && c.attributes ? { attributes: c.attributes.map((a) => ({ ...a, options: a.options?.map((o) => ({ ...o })) })) } : {}),
});

function flatten(categories: readonly Category[]): Category[] {
  return categories.flatMap((c) => [c, ...flatten(c.children.map((id) => findCategory(id)!))]);
}

/** The catalogue's JSON API: categories, public products and search, and suppliers' own listings. */
export async function productRoutes(app: FastifyInstance, { products }: { products: ProductsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/categories', {
    schema: { tags, summary: 'The standard category tree, flattened in display order', response: { 200: z.object({ categories: z.array(categorySchema) }) } },
  }, async () => ({ categories: flatten(categoryTree()).map(presentCategory) }));

  api.get('/api/categories/:id', {
    schema: { tags, summary: 'One category with its attribute template (leaves)', params: z.object({ id: z.string().max(80) }), response: { 200: categorySchema, ...errorResponses } },
  }, async (request) => {
    const category = findCategory(request.params.id);
    if (!category) throw new AppError('NOT_FOUND');
    return presentCategory(category);
  });

  api.get('/api/products', {
    schema: {
      tags,
      summary: 'Search public products (Chinese and English); facets count category, province and MOQ range',
      querystring: schema.searchQuery.omit({ type: true, verified: true }),
      response: { 200: pageSchema(cardSchema) },
    },
  }, async (request) => {
    const found = await products.search({ ...request.query, type: 'products' });
    return { ...found, items: (found.items as ProductCard[]).map(presentCard) };
  });

  api.get('/api/companies/search', {
    schema: {
      tags,
      summary: 'Search public companies; facets count province and verification',
      querystring: schema.searchQuery.omit({ type: true, category: true, moq: true }),
      response: { 200: pageSchema(companyCardSchema) },
    },
  }, async (request) => {
    const found = await products.search({ ...request.query, type: 'companies' });
    return { ...found, items: (found.items as CompanyCard[]).map(presentCompanyCard) };
  });

  api.get('/api/products/:id', {
    schema: { tags, summary: 'A public product', params: z.object({ id: z.uuid() }), response: { 200: productSchema, ...errorResponses } },
  }, async (request) => presentProduct((await products.getPublic(request.params.id)).product));

  api.get('/api/companies/:id/products', {
    schema: {
      tags,
      summary: "The company's own products in every state (members)",
      security: sessionSecurity,
      params: companyParams,
      querystring: schema.listQuery,
      response: { 200: z.object({ items: z.array(productSchema), total: z.number(), page: z.number(), pages: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    const list = await products.listForCompany(requireAuth(request), request.params.id, request.query.status, request.query.page);
    return { items: list.items.map(presentProduct), total: list.total, page: list.page, pages: list.pages };
  });

  api.post('/api/companies/:id/products', {
    config: { rateLimit: { max: 120, timeWindow: 3600_000 } },
    schema: { tags, summary: 'Create a product as a draft (members)', security: sessionSecurity, params: companyParams, body: schema.productInput, response: { 201: productSchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { id } = await products.create(auth, request.params.id, request.body);
    return reply.status(201).send(presentProduct(await products.getForEdit(auth, request.params.id, id)));
  });

  api.get('/api/companies/:id/products/:productId', {
    schema: { tags, summary: 'One of the company\'s products in any state (members)', security: sessionSecurity, params: productParams, response: { 200: productSchema, ...errorResponses } },
  }, async (request) => presentProduct(await products.getForEdit(requireAuth(request), request.params.id, request.params.productId)));

  api.put('/api/companies/:id/products/:productId', {
    schema: { tags, summary: 'Replace a product\'s details (members)', security: sessionSecurity, params: productParams, body: schema.productInput, response: { 200: productSchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    await products.update(auth, request.params.id, request.params.productId, request.body);
    return presentProduct(await products.getForEdit(auth, request.params.id, request.params.productId));
  });

  for (const [action, status] of [['publish', 'published'], ['unpublish', 'unpublished']] as const) {
    api.post(`/api/companies/:id/products/:productId/${action}`, {
      schema: { tags, summary: `${action === 'publish' ? 'Publish' : 'Unpublish'} a product (members)`, security: sessionSecurity, params: productParams, response: { 204: z.null(), ...errorResponses } },
    }, async (request, reply) => {
      await products.setStatus(requireAuth(request), request.params.id, request.params.productId, status);
      return reply.status(204).send(null);
    });
  }

  api.delete('/api/companies/:id/products/:productId', {
    schema: { tags, summary: 'Delete a product with its images (members)', security: sessionSecurity, params: productParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await products.remove(requireAuth(request), request.params.id, request.params.productId);
    return reply.status(204).send(null);
  });
}
