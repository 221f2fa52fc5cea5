import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { categoryTree, findCategory, type Category } from '../catalogue/index.js';
import type { ProductsService } from './service.js';

/** Areas that are private or per-visitor; crawlers have nothing to find there. */
const disallowed = ['/shop', '/account', '/staff', '/api', '/privacy/settings'];

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

function sendXml(reply: FastifyReply, body: string): FastifyReply {
  // Crawlers fetch these often and they change slowly: a shared cache may keep them an hour.
  return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
}

function urlset(entries: { loc: string; lastmod?: string }[]): string {
  const urls = entries.map((e) => `<url><loc>${escapeXml(e.loc)}</loc>${e.lastmod ? `<lastmod>${escapeXml(e.lastmod)}</lastmod>` : ''}</url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

function allCategories(categories: readonly Category[]): Category[] {
  return categories.flatMap((c) => [c, ...allCategories(c.children.flatMap((id) => findCategory(id) ?? []))]);
}

/**
 * robots.txt and the sitemaps: /sitemap.xml is an index of /sitemaps/static.xml and one
 * /sitemaps/products-<n>.xml per 50,000 search documents (numbered from 1), so each file stays
 * within the protocol's limits however many products there are.
 */
export async function sitemapRoutes(app: FastifyInstance, { products }: { products: ProductsService }) {
  const publicUrl = () => app.silkline.config.publicUrl;

  app.get('/robots.txt', async (_request, reply) => {
    const lines = ['User-agent: *', 'Allow: /', ...disallowed.map((path) => `Disallow: ${path}`), '', `Sitemap: ${publicUrl()}/sitemap.xml`, ''];
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(lines.join('\n'));
  });

  app.get('/sitemap.xml', async (_request, reply) => {
    const chunks = await products.sitemap.chunkCount();
    const locs = [`${publicUrl()}/sitemaps/static.xml`, ...Array.from({ length: chunks }, (_, i) => `${publicUrl()}/sitemaps/products-${i + 1}.xml`)];
    const body = locs.map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc></sitemap>`).join('\n');
    return sendXml(reply, `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</sitemapindex>\n`);
  });

  app.get('/sitemaps/static.xml', async (_request, reply) => {
    const base = publicUrl();
    const paths = ['/', '/categories', ...allCategories(categoryTree()).map((c) => `/categories/${encodeURIComponent(c.id)}`), '/companies'];
    return sendXml(reply, urlset(paths.map((path) => ({ loc: `${base}${path}` }))));
  });

  app.get<{ Params: { file: string } }>('/sitemaps/:file', async (request, reply) => {
    const n = Number(/^products-([1-9]\d{0,6})\.xml$/.exec(request.params.file)?.[1] ?? 0);
    if (n < 1 || n > (await products.sitemap.chunkCount())) throw new AppError('NOT_FOUND');
    const rows = await products.sitemap.chunk(n - 1);
    const base = publicUrl();
    return sendXml(reply, urlset(rows.map((r) => ({ loc: `${base}/products/${r.id}`, lastmod: r.updatedAt }))));
  });
}
