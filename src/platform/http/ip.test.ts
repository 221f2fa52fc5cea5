import { describe, expect, it } from 'vitest';
import { truncateIp } from './ip.js';

describe('truncateIp', () => {
  it.each([
    ['203.0.113.77', '203.0.0.0'],
    ['::ffff:198.51.100.9', '198.51.0.0'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::'],
    ['::1', '0:0:0::'],
    ['not an address', ''],
    [undefined, ''],
  ])('truncates %s to %s', (ip, expected) => {
    expect(truncateIp(ip)).toBe(expected);
  });
});
