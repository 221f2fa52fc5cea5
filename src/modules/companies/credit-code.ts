import { z } from 'zod';
import { isProvinceCode } from './regions.js';

/*
 * Unified social credit code (统一社会信用代码), GB 32100-2015 with its amendments:
 *   1     registration-management authority (登记管理部门码)
 *   2     organisation type under that authority (机构类别码)
 *   3–8   administrative division of the registering authority (GB/T 2260)
 *   9–17  organisation identifier (主体标识码, the GB 11714 organisation code)
 *   18    check character, ISO 7064 MOD 31-3 over positions 1–17
 * The alphabet leaves out I, O, S, V and Z so that they cannot be misread as 1, 0, 5, U and 2.
 */
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Authority code → the organisation-type codes the standard lists under it. */
const typesByAuthority: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  '1': { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' }, // 机构编制
  '2': { '1': '外国常驻新闻机构', '9': '其他' }, // 外交
  '3': { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' }, // 司法行政
  '4': { '1': '外国在华文化中心', '9': '其他' }, // 文化
  '5': { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' }, // 民政
  '6': { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' }, // 旅游
  '7': { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' }, // 宗教
  '8': { '1': '基层工会', '9': '其他' }, // 工会
  '9': { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' }, // 工商 / 市场监管
  A: { '1': '军队事业单位', '9': '其他' }, // 中央军委改革和编制办公室
  N: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' }, // 农业
  Y: { '1': '其他' }, // 其他: no types of its own, always 1
};

/** Bodies registered by a national authority carry the division code 100000 (e.g. 12100000…, 91100000…). */
const nationalDivision = '100000';

export type CreditCodeProblem = 'empty' | 'length' | 'character' | 'authority' | 'type' | 'division' | 'checkCharacter';

export type CreditCodeCheck =
  | { ok: true; code: string }
  | { ok: false; reason: CreditCodeProblem; /** 1-based position of the first wrong character. */ position?: number };

/**
 * Removes all white space, turns full-width characters into ASCII and upper-cases: people type codes
 * in groups, in lower case or with a Chinese input method.
 * @example normaliseCreditCode(' 9144 0300 1922 0382 16 ') // '914403001922038216'
 */
export function normaliseCreditCode(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * The check character (position 18) for the first 17 characters of a code.
 * @example creditCodeCheckCharacter('91440300192203821') // '6'
 */
export function creditCodeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckCharacter needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = alphabet.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`creditCodeCheckCharacter: ${first17.charAt(i)} is not in the alphabet`);
    sum += value * weights[i]!;
  }
  return alphabet.charAt((31 - (sum % 31)) % 31);
}

/**
 * Checks a unified social credit code (normalised first) and says which part is wrong.
 * @example checkCreditCode('91440300192203821X') // { ok: false, reason: 'checkCharacter', position: 18 }
 */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = normaliseCreditCode(input);
  if (code.length === 0) return { ok: false, reason: 'empty' };
  if (code.length !== 18) return { ok: false, reason: 'length' };
  const badCharacter = [...code].findIndex((c) => !alphabet.includes(c));
  if (badCharacter >= 0) return { ok: false, reason: 'character', position: badCharacter + 1 };

  const types = typesByAuthority[code.charAt(0)];
  if (!types) return { ok: false, reason: 'authority', position: 1 };
  if (!Object.hasOwn(types, code.charAt(1))) return { ok: false, reason: 'type', position: 2 };

  const division = code.slice(2, 8);
  const nonDigit = [...division].findIndex((c) => c < '0' || c > '9');
  if (nonDigit >= 0) return { ok: false, reason: 'division', position: nonDigit + 3 };
  if (division !== nationalDivision && !isProvinceCode(division.slice(0, 2))) {
    return { ok: false, reason: 'division', position: 3 };
  }

  if (code.charAt(17) !== creditCodeCheckCharacter(code.slice(0, 17))) {
    return { ok: false, reason: 'checkCharacter', position: 18 };
  }
  return { ok: true, code };
}

/**
 * A unified social credit code from a form or JSON: normalised, then checked; the message of a
 * failure is the catalog key for its reason (`companies.error.creditCode.length`, …).
 */
export const creditCode = z
  .string({ error: 'validation.invalidType' })
  .max(100, 'companies.error.creditCode.length')
  .transform((value, ctx) => {
    const result = checkCreditCode(value);
    if (result.ok) return result.code;
    ctx.addIssue({
      code: 'custom',
      message: result.reason === 'empty' ? 'validation.required' : `companies.error.creditCode.${result.reason}`,
      params: { reason: result.reason, position: result.position },
    });
    return z.NEVER;
  });
export type CreditCode = z.output<typeof creditCode>;
