import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  consentCookie,
  consentCookieMaxAge,
  consentIdCookie,
  decodeChoice,
  encodeChoice,
  isGranted,
  optionalPurposes,
  purposeCookies,
  type Choice,
  type ConsentMethod,
  type OptionalPurpose,
  type Purpose,
} from './purposes.js';
import type { ConsentOwner, ConsentService } from './service.js';

/** What a request knows about consent: the choice in force, whether one was made, and GPC. */
export interface ConsentState {
  /** The choice under the current statement version; null before the person chooses. */
  choice: Choice | null;
  /** Whether the person has chosen under the current statement version (GPC rows count for accounts). */
  isDecided: boolean;
  /** The browser sent `Sec-GPC: 1`. */
  gpc: boolean;
  /** Whose ledger the request reads: the account, the anonymous browser, or nobody yet. */
  owner: ConsentOwner | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The consent service, decorated by the consent module so `hasConsent(request, …)` finds it. */
    consent: ConsentService;
  }
}

const states = new WeakMap<FastifyRequest, Promise<ConsentState>>();

const cookieOptions = (request: FastifyRequest) => ({
  path: '/',
  sameSite: 'lax' as const,
  maxAge: consentCookieMaxAge,
  secure: request.server.platform.isProduction,
});

export function sendsGpc(request: FastifyRequest): boolean {
  return request.headers['sec-gpc'] === '1';
}

function consentIdOf(request: FastifyRequest): string | null {
  const value = request.cookies[consentIdCookie];
  return value && /^[0-9a-f-]{36}$/.test(value) ? value : null;
}

async function resolveState(request: FastifyRequest): Promise<ConsentState> {
  const service = request.server.consent;
  const gpc = sendsGpc(request);
  if (!request.auth) {
    // An anonymous browser's choice lives in its own cookie: no query on any page.
    const choice = decodeChoice(request.cookies[consentCookie], service.acceptedStatementVersions());
    const consentId = consentIdOf(request);
    return { choice, isDecided: choice !== null, gpc, owner: consentId ? { consentId } : null };
  }
  const subject = request.auth.accountId;
  const consentId = consentIdOf(request);
  const origin = { ip: request.ip, userAgent: request.headers['user-agent'] };
  if (consentId) await service.attachAnonymous(subject, consentId, origin);
  let current = await service.current({ subject });
  if (!current && gpc) {
    // An account that has not chosen but sends GPC: the refusal it signals is recorded as proof.
    await service.record({ subject, consentId }, {}, { ...origin, method: 'gpc' });
    current = await service.current({ subject });
  }
  return { choice: current?.choice ?? null, isDecided: current !== null, gpc, owner: { subject } };
}

/** The request's consent state, resolved once per request. */
export function consentState(request: FastifyRequest): Promise<ConsentState> {
  let state = states.get(request);
  if (!state) {
    state = resolveState(request);
    states.set(request, state);
  }
  return state;
}

/**
 * The one server-side consent check every non-essential feature calls: `necessary` is always
 * on; other purposes need a recorded grant, and under `Sec-GPC: 1` only a grant made on the
 * site's own banner or settings counts. Pass the request, or an account id with the service.
 * @example if (await hasConsent(request, 'analytics')) await beacons.count(…)
 */
export async function hasConsent(target: FastifyRequest | { consent: ConsentService; subject: string; gpc?: boolean }, purpose: Purpose): Promise<boolean> {
  if (purpose === 'necessary') return true;
  if ('consent' in target && 'subject' in target) return target.consent.hasConsent(target.subject, purpose, { gpc: target.gpc ?? false });
  const state = await consentState(target);
  return isGranted(state.choice, purpose, state.gpc);
}

/** Expires the cookies of every purpose the choice does not allow that the browser still sends. */
export function expireRefusedCookies(request: FastifyRequest, reply: FastifyReply, state: Pick<ConsentState, 'choice' | 'gpc'>, options: { always?: boolean } = {}) {
  for (const purpose of optionalPurposes) {
    if (isGranted(state.choice, purpose, state.gpc)) continue;
    for (const name of purposeCookies[purpose]) {
      if (options.always || request.cookies[name] !== undefined) reply.clearCookie(name, { path: '/' });
    }
  }
}

/**
 * Records a choice made on this request: to the account when signed in, else to the browser's
 * consent id (made now, at the first choice, never before). Sets the `consent` cookie, expires
 * the cookies of refused purposes and answers the choice.
 */
export async function applyChoice(
  request: FastifyRequest,
  reply: FastifyReply,
  grants: Partial<Record<OptionalPurpose, boolean>>,
  method: ConsentMethod,
): Promise<Choice> {
  const service = request.server.consent;
  let consentId = consentIdOf(request);
  const subject = request.auth?.accountId ?? null;
  if (!subject && !consentId) {
    consentId = randomUUID();
    reply.setCookie(consentIdCookie, consentId, { ...cookieOptions(request), httpOnly: true });
  }
  const choice = await service.record({ subject, consentId }, grants, { method, ip: request.ip, userAgent: request.headers['user-agent'] });
  // The client gate reads this cookie, so it is not HttpOnly; it holds no identifier.
  reply.setCookie(consentCookie, encodeChoice(choice, service.statementVersion()), { ...cookieOptions(request), httpOnly: false });
  const gpc = sendsGpc(request);
  expireRefusedCookies(request, reply, { choice, gpc }, { always: true });
  const owner: ConsentOwner | null = subject ? { subject } : consentId ? { consentId } : null;
  states.set(request, Promise.resolve({ choice, isDecided: true, gpc, owner }));
  return choice;
}
