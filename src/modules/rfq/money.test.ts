import { describe, expect, it } from 'vitest';
import { fromCents, groupDigits, tierFor, toCents, totalOf } from './money.js';

describe('money in quotes', () => {
  const tiers = [
    { minQty: 100, price: '9.00' },
    { minQty: 1000, price: '8.5' },
    { minQty: 10_000, price: '7.99' },
  ];

  it('prices a quantity at the largest tier it reaches, and below the first at none', () => {
    expect(tierFor(tiers, 99)).toBeUndefined();
    expect(tierFor(tiers, 100)?.price).toBe('9.00');
    expect(tierFor(tiers, 9_999)?.price).toBe('8.5');
    expect(tierFor(tiers, 1_000_000)?.price).toBe('7.99');
  });

  it('multiplies in whole cents, so the largest order is exact', () => {
    expect(totalOf('8.5', 1000)).toBe('8500.00');
    expect(totalOf('0.01', 3)).toBe('0.03');
    expect(totalOf('999999999.99', 1_000_000_000)).toBe('999999999990000000.00');
    expect(fromCents(toCents('12.5'))).toBe('12.50');
    expect(fromCents(5n)).toBe('0.05');
  });

  it('groups thousands for display', () => {
    expect(groupDigits('1234567.50')).toBe('1,234,567.50');
    expect(groupDigits('999')).toBe('999');
  });
});
