import type { Locale } from '../../platform/i18n/i18n.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import { richTextToPlain } from '../../platform/text/rich-text.js';
import { categoryName, categoryPath } from '../catalogue/index.js';
import type { IndexedCompany } from '../companies/index.js';
import type { ProductView } from './service.js';

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are written as
 * \u escapes, so no text a supplier typed can close the element or open a comment. The script is
 * data, never executed, so the Content-Security-Policy leaves it alone.
 * @example serializeJsonLd({ name: '</script>' }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * The schema.org Product of a public product page: name and category in the page language,
 * absolute image URLs, the description as plain text, the company as brand and manufacturer, and
 * an AggregateOffer over the price tiers (a price-less Offer when the price is negotiated).
 */
export function productJsonLd(input: { product: ProductView; company: IndexedCompany; name: string; locale: Locale; publicUrl: string }): Record<string, unknown> {
  const { product, company, publicUrl } = input;
  const url = `${publicUrl}/products/${product.id}`;
  const companyName = input.locale === 'en' && company.nameEn ? company.nameEn : company.nameZh;
  const prices = product.priceTiers.map((t) => Number(t.price));
  const seller = { '@type': 'Organization', name: companyName, url: `${publicUrl}/companies/${company.id}` };
  const offers =
    prices.length > 0
      ? {
          '@type': 'AggregateOffer',
          url,
          priceCurrency: product.currency,
          lowPrice: String(Math.min(...prices)),
          highPrice: String(Math.max(...prices)),
          offerCount: prices.length,
          eligibleQuantity: { '@type': 'QuantitativeValue', minValue: product.moq },
          seller,
        }
      : { '@type': 'Offer', url, eligibleQuantity: { '@type': 'QuantitativeValue', minValue: product.moq }, seller };
  const description = richTextToPlain(product.description).slice(0, 5000);
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: input.name,
    url,
    sku: product.id,
    ...(product.images.length > 0 ? { image: product.images.map((i) => `${publicUrl}${publicFileUrl(i.fileId)}`) } : {}),
    ...(description ? { description } : {}),
    category: categoryPath(product.categoryId)
      .map((c) => categoryName(c, input.locale))
      .join(' > '),
    brand: { '@type': 'Brand', name: companyName },
    manufacturer: seller,
    offers,
  };
}
