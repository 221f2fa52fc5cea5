import { describe, expect, it } from 'vitest';
import { argon2Hasher, assessPassword } from './password.js';

describe('assessPassword', () => {
  it('accepts a long passphrase without composition rules', () => {
    expect(assessPassword('vermilion teapot orbit forty').acceptable).toBe(true);
  });

  it('accepts 64 characters and more', () => {
    expect(assessPassword('a quiet harbour at dawn, '.repeat(3).slice(0, 64)).acceptable).toBe(true);
  });

  it.each(['password', 'password123', '12345678', 'qwertyuiop', 'iloveyou1'])('refuses the guessable %s', (pw) => {
    expect(assessPassword(pw)).toMatchObject({ acceptable: false, reason: 'accounts.error.passwordWeak' });
  });

  it('refuses fewer than 8 characters', () => {
    expect(assessPassword('Xk#9z!q')).toMatchObject({ acceptable: false, reason: 'accounts.error.passwordTooShort' });
  });

  it("refuses a password made of the user's own login name or email", () => {
    expect(assessPassword('zhangsan_trade_2026!', ['zhangsan_trade'])).toMatchObject({
      acceptable: false,
      reason: 'accounts.error.passwordPersonal',
    });
    expect(assessPassword('Wei.Supplier#77', ['wei.supplier@example.cn'])).toMatchObject({ acceptable: false });
  });
});

describe('argon2Hasher', () => {
  it('hashes with argon2id and verifies', async () => {
    const hasher = argon2Hasher(1024);
    const hashed = await hasher.hash('vermilion teapot orbit forty');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(await hasher.verify(hashed, 'vermilion teapot orbit forty')).toBe(true);
    expect(await hasher.verify(hashed, 'vermilion teapot orbit fifty')).toBe(false);
    expect(await hasher.verify('not a hash', 'x')).toBe(false);
  });
});
