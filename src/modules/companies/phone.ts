import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { z } from 'zod';

/*
 * Company phone and fax numbers. Accepted:
 * - mainland landlines with their area code: 010-12345678, (021) 6123 4567, +86 21 6123 4567,
 *   0755-8888 6666 转 802; whether a local number has 7 or 8 digits in that area is
 *   libphonenumber's (full metadata) call;
 * - mainland mobiles: 13800138000, +86 138 0013 8000, 86 13800138000;
 * - any other country's valid number in international form (+44 20 7946 0958, 0044 …), which may
 *   carry an extension.
 * Extensions: 转 802, 分机 802, ext 802, ext. 802, x802, #802, ;ext=802, or -802 after a complete
 * landline. Mobiles take no extension. Service numbers (400/800) are refused.
 *
 * Stored form: one string, E.164 plus `;ext=` and the extension as in RFC 3966 — `+862161234567`,
 * `+862161234567;ext=802`. parsePhone reads that form back, so a stored value re-parses to itself.
 */

export type PhoneKind = 'landline' | 'mobile' | 'international';

export type ParsedPhone =
  | { ok: true; e164: string; extension?: string; kind: PhoneKind; display: string }
  | { ok: false };
type ValidPhone = Extract<ParsedPhone, { ok: true }>;

const maxInputLength = 50;
const explicitExtension = /^(.*?)\s*(?:转|轉|分机|分機|ext\.?|extension|x|#|;ext=)\s*(\d{1,6})$/i;
const dashExtension = /^(.*\d)\s*-\s*(\d{1,6})$/;
const separators = /[\s\-\u2010-\u2015.()]/g;
const mainlandMobile = /^1[3-9]\d{9}$/;
/** Area code (3–4 digits with its 0) and a 7–8 digit local number. */
const mainlandLandline = /^0\d{9,11}$/;

const refused: ParsedPhone = Object.freeze({ ok: false });

/**
 * Reads a phone or fax number as people write it and says what it is.
 * @example parsePhone('0755-8888 6666 转 802') // { ok: true, e164: '+8675588886666', extension: '802', kind: 'landline', display: '0755-8888 6666 转 802' }
 */
export function parsePhone(input: string): ParsedPhone {
  if (input.length > 20 * maxInputLength) return refused;
  // Full-width digits and brackets from Chinese input methods become ASCII.
  const text = input.normalize('NFKC').trim();
  if (text.length === 0 || text.length > maxInputLength) return refused;

  const marked = explicitExtension.exec(text);
  if (marked) return parseNumber(marked[1] ?? '', marked[2]);
  const whole = parseNumber(text, undefined);
  if (whole.ok) return whole;
  // A trailing "-802" is an extension only when what comes before it is a number on its own.
  const dashed = dashExtension.exec(text);
  return dashed ? parseNumber(dashed[1] ?? '', dashed[2]) : refused;
}

function parseNumber(text: string, extension: string | undefined): ParsedPhone {
  const compact = text.replace(separators, '');
  if (!/^\+?\d{7,17}$/.test(compact)) return refused;

  const international = compact.startsWith('+') ? compact : compact.startsWith('00') ? `+${compact.slice(2)}` : undefined;
  if (international?.startsWith('+86')) {
    // "+86 (0)21 …": the trunk 0 is sometimes kept after the country code.
    return parseMainland(international.slice(3).replace(/^0/, ''), extension, true);
  }
  if (international) return parseInternational(international, extension);
  if (/^861[3-9]\d{9}$/.test(compact)) return parseMainland(compact.slice(2), extension, true);
  return compact.startsWith('0') ? parseMainland(compact.slice(1), extension, true) : parseMainland(compact, extension, false);
}

/** `national` is the number without trunk 0; `hadPrefix` says an area code or +86 was written. */
function parseMainland(national: string, extension: string | undefined, hadPrefix: boolean): ParsedPhone {
  if (mainlandMobile.test(national)) {
    if (extension !== undefined) return refused;
    const phone = parsePhoneNumberFromString(`+86${national}`);
    return { ok: true, e164: `+86${national}`, kind: 'mobile', display: phone?.formatNational() ?? national };
  }
  if (!hadPrefix || !mainlandLandline.test(`0${national}`)) return refused;
  const phone = parsePhoneNumberFromString(`+86${national}`);
  if (!phone?.isValid() || !isFixedLine(phone)) return refused;
  // 021 6123 4567 → 021-6123 4567: the area code set off by a hyphen, as it is written in China.
  const display = phone.formatNational().replace(' ', '-') + (extension ? ` 转 ${extension}` : '');
  return withExtension({ ok: true, e164: phone.number, kind: 'landline', display }, extension);
}

function parseInternational(e164: string, extension: string | undefined): ParsedPhone {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone?.isValid()) return refused;
  const display = phone.formatInternational() + (extension ? ` ext. ${extension}` : '');
  return withExtension({ ok: true, e164: phone.number, kind: 'international', display }, extension);
}

function isFixedLine(phone: PhoneNumber): boolean {
  const type = phone.getType();
  return type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE';
}

function withExtension(parsed: ValidPhone, extension: string | undefined): ParsedPhone {
  return extension === undefined ? parsed : { ...parsed, extension };
}

/** The stored form of a parsed number: `+862161234567` or `+862161234567;ext=802`. */
function toStored(parsed: ValidPhone): string {
  return parsed.extension === undefined ? parsed.e164 : `${parsed.e164};ext=${parsed.extension}`;
}

function storePhone(value: string, ctx: z.RefinementCtx): string {
  const parsed = parsePhone(value);
  if (parsed.ok) return toStored(parsed);
  ctx.addIssue({ code: 'custom', message: 'companies.error.phoneFormat' });
  return z.NEVER;
}

/** A required phone or fax number, stored as E.164 with an optional `;ext=…` (see parsePhone). */
export const phone = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'validation.required'))
  .transform(storePhone);
export type Phone = z.output<typeof phone>;

/** An optional phone or fax number: an empty string, null or a missing field becomes null. */
export const optionalPhone = z
  .string({ error: 'validation.invalidType' })
  .nullish()
  .transform((value, ctx) => (value?.trim() ? storePhone(value, ctx) : null));
export type OptionalPhone = z.output<typeof optionalPhone>;
