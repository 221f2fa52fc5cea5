import type { PriceTier } from './schema.js';

/**
 * Prices are decimal strings with at most two decimals ("12.50"); sums and products are worked
 * out in whole cents as bigints, so a large order is never rounded.
 */

export function toCents(price: string): bigint {
  const [whole = '0', fraction = ''] = price.split('.');
  return BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

export function fromCents(cents: bigint): string {
  const digits = cents.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * The tier that applies to an order of `quantity`: the one with the largest minimum quantity not
 * above it; undefined when the quantity is below the first tier.
 * @example tierFor([{ minQty: 100, price: '9.00' }, { minQty: 1000, price: '8.00' }], 500)?.price // '9.00'
 */
export function tierFor(tiers: readonly PriceTier[], quantity: number): PriceTier | undefined {
  let found: PriceTier | undefined;
  for (const tier of tiers) if (tier.minQty <= quantity) found = tier;
  return found;
}

/** The price of `quantity` units at a unit price, as a decimal string. */
export function totalOf(price: string, quantity: number): string {
  return fromCents(toCents(price) * BigInt(quantity));
}

/**
 * A decimal string with its thousands grouped, for display.
 * @example groupDigits('1234567.50') // '1,234,567.50'
 */
export function groupDigits(decimal: string): string {
  const [whole = '', fraction] = decimal.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}
