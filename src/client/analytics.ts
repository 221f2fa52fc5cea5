/**
 * First-party page counting, loaded on every page and gated by consent to analytics: only then
 * does it keep a random visit id in the `sl_an` cookie and send one beacon per page (the path
 * and the same-site path it came from, never a query string). Nothing runs before a choice,
 * after a refusal or a withdrawal, or under `Sec-GPC: 1` unless the visitor opted in here.
 */
import { gate } from './consent-gate.js';

// The same name as in the consent module's purpose cookies, which the server expires.
const visitCookie = 'sl_an';
/** 12 months, the longest an analytics cookie may live. */
const visitCookieMaxAge = 365 * 86400;

function cookieValue(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const at = part.indexOf('=');
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** A random (version 4) UUID; `crypto.randomUUID` exists only in secure contexts. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Makes the visit id at the first counted page; it expires 12 months later, never renewed. */
function ensureVisitId(): void {
  if (/^[0-9a-f-]{36}$/.test(cookieValue(visitCookie) ?? '')) return;
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${visitCookie}=${randomId()}; path=/; max-age=${visitCookieMaxAge}; samesite=lax${secure}`;
}

/** The path of the page this one was reached from, when it is on this site. */
function referrerPath(): string | null {
  if (!document.referrer) return null;
  try {
    const from = new URL(document.referrer);
    return from.origin === location.origin ? from.pathname : null;
  } catch {
    return null;
  }
}

let counted = false;

function countPage(): void {
  // Once per page, even when consent is given, withdrawn and given again on it.
  if (counted || typeof navigator.sendBeacon !== 'function') return;
  counted = true;
  ensureVisitId();
  const body = new URLSearchParams({ path: location.pathname });
  const from = referrerPath();
  if (from) body.set('ref', from);
  navigator.sendBeacon('/api/beacon', body);
}

gate('analytics', { cookies: [visitCookie], start: countPage });
