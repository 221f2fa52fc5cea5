/**
 * The purposes a person can consent to, the cookies each one may set, and the compact `consent`
 * cookie that tells pages (and the client gate) the choice of an anonymous browser.
 */

export const purposes = ['necessary', 'preferences', 'analytics', 'personalisation', 'marketing', 'surveys'] as const;
export type Purpose = (typeof purposes)[number];

/** Everything but `necessary`: each needs an explicit, revocable choice and is off by default. */
export const optionalPurposes = ['preferences', 'analytics', 'personalisation', 'marketing', 'surveys'] as const;
export type OptionalPurpose = (typeof optionalPurposes)[number];

export const consentMethods = ['banner', 'settings', 'api', 'gpc'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

/** Methods where the person acted on this site's own controls; such a grant overrides `Sec-GPC`. */
export const explicitMethods: readonly ConsentMethod[] = ['banner', 'settings'];

/**
 * The cookies each purpose may set. Refusing or withdrawing a purpose expires them. The language
 * cookie (`lang`) is necessary: it is only set when the person asks for a language.
 */
export const purposeCookies: Record<Purpose, readonly string[]> = {
  necessary: [],
  preferences: [],
  // The pseudonymous visit id of first-party page counting (analytics module, 12 months).
  analytics: ['sl_an'],
  personalisation: [],
  marketing: [],
  surveys: [],
};

export function isOptionalPurpose(value: unknown): value is OptionalPurpose {
  return typeof value === 'string' && (optionalPurposes as readonly string[]).includes(value);
}

export const consentCookie = 'consent';
export const consentIdCookie = 'consent_id';
/** Both cookies last at most 12 months. */
export const consentCookieMaxAge = 365 * 86400;

/** One purpose's state in a choice: refused, or granted explicitly (banner/settings) or through the API. */
export type Grant = 'refused' | 'explicit' | 'api';

/** A complete choice over the optional purposes. */
export type Choice = Record<OptionalPurpose, Grant>;

const letters: Record<OptionalPurpose, string> = { preferences: 'p', analytics: 'a', personalisation: 'n', marketing: 'm', surveys: 's' };
const digits: Record<Grant, string> = { refused: '0', explicit: '1', api: '2' };

/** The first 12 hex digits of the statement version, enough to notice a new version in a cookie. */
function shortVersion(version: string): string {
  return version.slice(0, 12);
}

/**
 * Encodes a choice for the `consent` cookie.
 * @example encodeChoice(choice, version) // 'v1.3f2a9c0b1d2e.p0a1n0m0s0'
 */
export function encodeChoice(choice: Choice, version: string): string {
  return `v1.${shortVersion(version)}.${optionalPurposes.map((p) => `${letters[p]}${digits[choice[p]]}`).join('')}`;
}

/**
 * Decodes the `consent` cookie; null when absent, malformed or made under a statement version
 * that is not among `versions` (the current one, or every version whose consents still stand).
 */
export function decodeChoice(value: string | undefined, versions: string | readonly string[]): Choice | null {
  if (!value || value.length > 64) return null;
  const match = /^v1\.([0-9a-f]{12})\.((?:[panms][012]){5})$/.exec(value);
  const standing = typeof versions === 'string' ? [versions] : versions;
  if (!match || !standing.some((version) => shortVersion(version) === match[1])) return null;
  const body = match[2]!;
  const choice = {} as Choice;
  for (const purpose of optionalPurposes) {
    const at = body.indexOf(letters[purpose]);
    if (at < 0) return null;
    const digit = body[at + 1];
    choice[purpose] = digit === '1' ? 'explicit' : digit === '2' ? 'api' : 'refused';
  }
  return choice;
}

/** A choice with every optional purpose refused: the default before anyone chooses. */
export function refusedChoice(): Choice {
  return { preferences: 'refused', analytics: 'refused', personalisation: 'refused', marketing: 'refused', surveys: 'refused' };
}

/**
 * The one rule of consent: necessary is always on; an optional purpose needs a grant, and under
 * `Sec-GPC: 1` only a grant made on the site's own banner or settings counts.
 */
export function isGranted(choice: Choice | null, purpose: Purpose, gpc: boolean): boolean {
  if (purpose === 'necessary') return true;
  const grant = choice?.[purpose] ?? 'refused';
  if (grant === 'refused') return false;
  return gpc ? grant === 'explicit' : true;
}
