import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCode, creditCodeCheckCharacter, normaliseCreditCode } from './credit-code.js';

// Published codes of well-known bodies; a wrong memory would pass the check only 1 time in 31.
const published = [
  ['华为技术有限公司', '914403001922038216'],
  ['腾讯科技（深圳）有限公司', '9144030071526726XG'],
  ['阿里巴巴（中国）有限公司', '91330100716105852F'],
  ['小米科技有限责任公司', '91110108551385082Q'],
  ['比亚迪股份有限公司', '91440300192317458F'],
  ['招商银行股份有限公司', '9144030010001686XA'],
  ['中国工商银行股份有限公司 (registered nationally: 100000)', '91100000100003962T'],
  ['清华大学 (事业单位, 100000)', '12100000400000624D'],
] as const;

// Plausible codes made for these tests: one per authority family, check characters worked out by hand.
const made = [
  ['enterprise, Shanghai Pudong', '91310115MA1K4A7B3N'],
  ['individual business, Guangzhou Tianhe', '92440106MA5CN2T81G'],
  ['farmers’ cooperative, Yiwu', '93330782MA28D9QJ4U'],
  ['private non-enterprise unit, Beijing', '521100005000123453'],
  ['national social organisation', '511000005000001238'],
  ['law firm, Guangdong', '314400004558002149'],
  ['religious venue, Shenzhen Nanshan', '71440305MA5F8L2N6L'],
  ['military institution', 'A1110000MA00XJ2W3L'],
  ['village collective', 'N2330183MA6Y0B3K1W'],
  ['other authority', 'Y1650100MA77Q9C8XH'],
  ['check value 31, written 0', '9144030069K2D7M1T0'],
] as const;

describe('checkCreditCode', () => {
  it.each([...published, ...made])('accepts %s: %s', (_name, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, code });
  });

  it.each([
    [' 9144 0300 1922 0382 16 ', '914403001922038216'],
    ['9144030071526726xg', '9144030071526726XG'],
    ['９１４４０３００７１５２６７２６ＸＧ', '9144030071526726XG'],
    ['\t91330100716105852f\n', '91330100716105852F'],
  ])('normalises %j to %s', (input, code) => {
    expect(normaliseCreditCode(input)).toBe(code);
    expect(checkCreditCode(input)).toEqual({ ok: true, code });
  });

  it.each([
    ['I', '91440300192I038216'],
    ['O', '91440300192O038216'],
    ['S', '91440300192S038216'],
    ['V', '91440300192V038216'],
    ['Z', '91440300192Z038216'],
  ])('refuses the letter %s, naming its position', (_letter, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'character', position: 12 });
  });

  it.each([
    ['punctuation', '9144030019220382-6', 17],
    ['a Chinese character', '9144030019220382华6', 17],
    ['the letter O for zero at the end', '91330100716105852O', 18],
  ])('refuses %s as a character', (_what, code, position) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'character', position });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['91440300192203821', 'length'],
    ['9144030019220382166', 'length'],
    ['91440300', 'length'],
    ['X'.repeat(1000), 'length'],
  ] as const)('refuses %j as %s', (input, reason) => {
    expect(checkCreditCode(input)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['last character changed', '914403001922038217'],
    ['two characters swapped', '914403001922038126'],
    ['one character changed', '91440300192203X216'],
  ])('refuses a wrong check character: %s', (_what, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'checkCharacter', position: 18 });
  });

  it.each([
    ['0 is no authority', '014403001922038216'],
    ['B is no authority', 'B14403001922038216'],
    ['M is no authority', 'M14403001922038216'],
  ])('refuses a bad authority: %s', (_what, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'authority', position: 1 });
  });

  it.each([
    ['工商 has no type 4', '944403001922038216'],
    ['工商 has no type 9', '994403001922038216'],
    ['机构编制 has no type 4', '144403001922038216'],
    ['other (Y) has only type 1', 'Y24403001922038216'],
    ['types are digits', '9A4403001922038216'],
  ])('refuses a type its authority does not have: %s', (_what, code) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'type', position: 2 });
  });

  it.each([
    ['a letter in the division', '9144A3001922038216', 5],
    ['a letter at the end of the division', '9144030W1922038216', 8],
    ['no province 00', '910003001922038216', 3],
    ['no province 99', '919903001922038216', 3],
    ['Hong Kong is not a mainland province', '918100001922038216', 3],
    ['10 only as the national 100000', '911001001922038216', 3],
  ])('refuses the division: %s', (_what, code, position) => {
    expect(checkCreditCode(code)).toEqual({ ok: false, reason: 'division', position });
  });
});

describe('creditCodeCheckCharacter', () => {
  it.each([...published, ...made])('gives the last character of %s', (_name, code) => {
    expect(creditCodeCheckCharacter(code.slice(0, 17))).toBe(code.slice(17));
  });

  it.each(['9144030019220382', '914403001922038216', '91440300192203821O'])('throws on %j', (input) => {
    expect(() => creditCodeCheckCharacter(input)).toThrow(RangeError);
  });
});

describe('creditCode schema', () => {
  it('outputs the normalised code', () => {
    expect(creditCode.parse(' 9144 0300 7152 6726 xg ')).toBe('9144030071526726XG');
  });

  it.each([
    ['', 'validation.required'],
    ['91440300192203821', 'companies.error.creditCode.length'],
    ['91440300192I038216', 'companies.error.creditCode.character'],
    ['B14403001922038216', 'companies.error.creditCode.authority'],
    ['944403001922038216', 'companies.error.creditCode.type'],
    ['9144A3001922038216', 'companies.error.creditCode.division'],
    ['914403001922038217', 'companies.error.creditCode.checkCharacter'],
    ['9'.repeat(10_000), 'companies.error.creditCode.length'],
  ])('refuses %j with %s', (input, message) => {
    const result = creditCode.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([message]);
  });

  it.each([null, 9144030019, {}, ['914403001922038216']])('refuses %j as the wrong type', (input) => {
    expect(creditCode.safeParse(input).error?.issues[0]?.message).toBe('validation.invalidType');
  });
});
