import { describe, expect, it } from 'vitest';
import { optionalPhone, parsePhone, phone } from './phone.js';

describe('parsePhone', () => {
  it.each([
    // Mainland landlines, as they are written on letterheads and forms.
    ['010-12345678', '+861012345678', undefined, 'landline', '010-1234 5678'],
    ['010 6512 3456', '+861065123456', undefined, 'landline', '010-6512 3456'],
    ['010-1234-5678', '+861012345678', undefined, 'landline', '010-1234 5678'],
    ['(021) 6123 4567', '+862161234567', undefined, 'landline', '021-6123 4567'],
    ['（０２１）６１２３　４５６７', '+862161234567', undefined, 'landline', '021-6123 4567'],
    ['+86 21 6123 4567', '+862161234567', undefined, 'landline', '021-6123 4567'],
    ['+86 (0)21 6123 4567', '+862161234567', undefined, 'landline', '021-6123 4567'],
    ['0086 21 6123 4567', '+862161234567', undefined, 'landline', '021-6123 4567'],
    ['0755-8888 6666', '+8675588886666', undefined, 'landline', '0755-8888 6666'],
    ['0379-6123 4567', '+8637961234567', undefined, 'landline', '0379-6123 4567'],
    // Extensions, however they are marked.
    ['0755-8888 6666 转 802', '+8675588886666', '802', 'landline', '0755-8888 6666 转 802'],
    ['0755-88886666转802', '+8675588886666', '802', 'landline', '0755-8888 6666 转 802'],
    ['0571-8888 6666 分机 23', '+8657188886666', '23', 'landline', '0571-8888 6666 转 23'],
    ['010-6512 3456 ext 12', '+861065123456', '12', 'landline', '010-6512 3456 转 12'],
    ['010-6512 3456 ext. 12', '+861065123456', '12', 'landline', '010-6512 3456 转 12'],
    ['010 6512 3456 x12', '+861065123456', '12', 'landline', '010-6512 3456 转 12'],
    ['0571 8888 6666 #23', '+8657188886666', '23', 'landline', '0571-8888 6666 转 23'],
    ['021-61234567-802', '+862161234567', '802', 'landline', '021-6123 4567 转 802'],
    ['0755-8888 6666-802', '+8675588886666', '802', 'landline', '0755-8888 6666 转 802'],
    ['+862161234567;ext=802', '+862161234567', '802', 'landline', '021-6123 4567 转 802'],
    // Mainland mobiles.
    ['13800138000', '+8613800138000', undefined, 'mobile', '138 0013 8000'],
    ['138-0013-8000', '+8613800138000', undefined, 'mobile', '138 0013 8000'],
    ['+86 138 0013 8000', '+8613800138000', undefined, 'mobile', '138 0013 8000'],
    ['8613800138000', '+8613800138000', undefined, 'mobile', '138 0013 8000'],
    ['0086 19912345678', '+8619912345678', undefined, 'mobile', '199 1234 5678'],
    // Other countries, in international form.
    ['+44 20 7946 0958', '+442079460958', undefined, 'international', '+44 20 7946 0958'],
    ['0044 20 7946 0958', '+442079460958', undefined, 'international', '+44 20 7946 0958'],
    ['+44 20 7946 0958 ext. 12', '+442079460958', '12', 'international', '+44 20 7946 0958 ext. 12'],
    ['+1 415-555-2671 x 3', '+14155552671', '3', 'international', '+1 415 555 2671 ext. 3'],
    ['+447911123456', '+447911123456', undefined, 'international', '+44 7911 123456'],
    ['+852 2123 4567', '+85221234567', undefined, 'international', '+852 2123 4567'],
  ] as const)('reads %j', (input, e164, extension, kind, display) => {
    const expected = extension === undefined ? { ok: true, e164, kind, display } : { ok: true, e164, extension, kind, display };
    expect(parsePhone(input)).toEqual(expected);
  });

  it.each([
    ['nothing', ''],
    ['blanks', '   '],
    ['a local number without area code', '6123 4567'],
    ['an area code without its 0', '21 6123 4567'],
    ['a 7-digit local number where numbers have 8', '0379-6123456'],
    ['a too short Beijing number', '010-1234567'],
    ['a too long landline', '021-6123 45678'],
    ['a 400 service number', '400-820-8820'],
    ['a 400 number with +86', '+86 400 820 8820'],
    ['an 800 number', '800-820-8820'],
    ['a mobile with an extension', '13800138000 转 8'],
    ['a mobile starting 12', '12800138000'],
    ['a mobile one digit short', '1380013800'],
    ['an extension of 7 digits', '010-6512 3456 转 1234567'],
    ['an incomplete UK number', '+44 20 7946 095'],
    ['a country code alone', '+1234'],
    ['zeros', '0000000000'],
    ['letters', 'abc'],
    ['a number with letters', '010-6512 34AB'],
    ['markup', '<script>alert(1)</script>'],
    ['a huge value', '1'.repeat(10_000)],
  ])('refuses %s', (_what, input) => {
    expect(parsePhone(input)).toEqual({ ok: false });
  });
});

describe('phone schema', () => {
  it.each([
    ['0755-8888 6666 转 802', '+8675588886666;ext=802'],
    ['+86 21 6123 4567', '+862161234567'],
    ['13800138000', '+8613800138000'],
    ['+44 20 7946 0958 ext. 12', '+442079460958;ext=12'],
  ])('stores %j as %s', (input, stored) => {
    expect(phone.parse(input)).toBe(stored);
  });

  it.each(['+8675588886666;ext=802', '+862161234567', '+442079460958;ext=12'])('stores its own output %s unchanged', (stored) => {
    expect(phone.parse(stored)).toBe(stored);
  });

  it.each([
    ['', 'validation.required'],
    ['  ', 'validation.required'],
    ['6123 4567', 'companies.error.phoneFormat'],
    ['400-820-8820', 'companies.error.phoneFormat'],
    ['x'.repeat(10_000), 'companies.error.phoneFormat'],
  ])('refuses %j with %s', (input, message) => {
    expect(phone.safeParse(input).error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it.each([null, undefined, 13800138000, {}])('refuses %j as the wrong type', (input) => {
    expect(phone.safeParse(input).error?.issues[0]?.message).toBe('validation.invalidType');
  });
});

describe('optionalPhone schema', () => {
  it.each(['', '   ', null, undefined])('turns %j into null', (input) => {
    expect(optionalPhone.parse(input)).toBeNull();
  });

  it('stores a number like phone', () => {
    expect(optionalPhone.parse('(021) 6123 4567 转 9')).toBe('+862161234567;ext=9');
  });

  it('refuses a wrong number with the phone format key', () => {
    expect(optionalPhone.safeParse('12345').error?.issues.map((i) => i.message)).toEqual(['companies.error.phoneFormat']);
  });

  it.each([13800138000, {}, []])('refuses %j as the wrong type', (input) => {
    expect(optionalPhone.safeParse(input).error?.issues[0]?.message).toBe('validation.invalidType');
  });
});
