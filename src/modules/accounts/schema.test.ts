import { describe, expect, it } from 'vitest';
import { email, loginName, mobile } from './schema.js';

describe('mobile', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['+447911123456', '+447911123456'],
    ['+14155552671', '+14155552671'],
  ])('accepts %s as %s', (input, expected) => {
    expect(mobile.parse(input)).toBe(expected);
  });

  it.each(['', '12800138000', '1380013800', '138001380001', '+86010-12345678', '02112345678', '+1234', 'abc', '+44 20 7946 0958'])(
    'refuses %s',
    (input) => {
      expect(mobile.safeParse(input).success).toBe(false);
    },
  );
});

describe('loginName', () => {
  it.each(['abcd', 'Li_Wei-2026', 'a'.repeat(32)])('accepts %s', (input) => {
    expect(loginName.parse(input)).toBe(input);
  });
  it.each(['abc', 'a'.repeat(33), 'li wei', '李伟李伟', 'x@y.cn', '<script>'])('refuses %s', (input) => {
    expect(loginName.safeParse(input).success).toBe(false);
  });
});

describe('email', () => {
  it('is trimmed and lower-cased', () => {
    expect(email.parse('  Li.Wei@Example.CN ')).toBe('li.wei@example.cn');
  });
  it.each(['', 'no-at-sign', 'a@b', `${'x'.repeat(250)}@example.cn`, '<script>@x.cn'])('refuses %s', (input) => {
    expect(email.safeParse(input).success).toBe(false);
  });
});
