/**
 * The client-side consent gate, shared by every island that does something non-essential.
 *
 * The server renders the purposes in force into the page — `<body data-consent="necessary
 * analytics">`, with `Sec-GPC` already applied — because the strict CSP allows no inline script.
 * When the visitor chooses on the banner, the banner island calls `announceConsent`, which
 * updates that attribute and fires a `silkline:consent` event, so gated code starts or stops at
 * once, without a reload. The state lives in the page, not in this module, because each island
 * is a bundle of its own with its own copy of this file.
 */

/** The event that tells islands the purposes in force changed; `detail.granted` lists them. */
export const consentEvent = 'silkline:consent';

/** The purposes in force on this page; none (not even a guess) when the page does not say. */
export function grantedPurposes(): Set<string> {
  const value = document.body?.dataset.consent ?? '';
  return new Set(value.split(/\s+/).filter((purpose) => purpose !== ''));
}

/** Whether a purpose may be used now. */
export function isGranted(purpose: string): boolean {
  return grantedPurposes().has(purpose);
}

/**
 * Tells every island on the page about a new choice (after the banner saved it).
 * @example announceConsent(['necessary', 'analytics'])
 */
export function announceConsent(granted: readonly string[]): void {
  document.body.dataset.consent = granted.join(' ');
  document.dispatchEvent(new CustomEvent(consentEvent, { detail: { granted: [...granted] } }));
}

/** Deletes first-party cookies by name (on this path and the whole site). */
export function expireCookies(names: readonly string[]): void {
  for (const name of names) {
    document.cookie = `${name}=; path=/; max-age=0; samesite=lax`;
  }
}

export interface GatedFeature {
  /** Runs once the purpose is granted: at once when it already is, or when the visitor grants it. */
  start: () => void;
  /** Runs when the visitor withdraws the purpose on this page. */
  stop?: () => void;
  /** The purpose's cookies, deleted whenever it is not granted. */
  cookies?: readonly string[];
}

/**
 * Runs a feature only while its purpose is granted: never before a choice, after a refusal or
 * withdrawal, or under a GPC signal the visitor did not override; the purpose's cookies are
 * deleted whenever it is not granted.
 * @example gate('analytics', { cookies: ['sl_an'], start: countPage })
 */
export function gate(purpose: string, feature: GatedFeature): void {
  let running = false;
  const apply = () => {
    if (isGranted(purpose)) {
      if (running) return;
      running = true;
      feature.start();
      return;
    }
    expireCookies(feature.cookies ?? []);
    if (!running) return;
    running = false;
    feature.stop?.();
  };
  document.addEventListener(consentEvent, apply);
  apply();
}
