import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataMap } from '../src/data-map.js';
import { deleteExpiredInvitations } from '../src/modules/companies/index.js';
import { deleteExpiredPrivacyRequests } from '../src/modules/privacy-requests/index.js';
import { cutoffBefore, type Period } from '../src/platform/privacy/retention-period.js';
import { eventBoundRetentions, retentionJobs, runRetention, type RetentionJob, type RetentionLog } from '../src/retention.js';
import { Browser, makeApp, signedIn, supplier, withAuth, type TestApp } from './helpers.js';

/** Every (table, retention) pair the data map declares, as `table · retention`. */
function declaredPairs(): Set<string> {
  const pairs = new Set<string>();
  for (const [table, columns] of Object.entries(dataMap)) for (const column of Object.values(columns)) pairs.add(`${table} · ${column.retention}`);
  return pairs;
}

describe('the retention registry', () => {
  it('enforces every time-bound retention of the data map by exactly one job', () => {
    const jobsOf = new Map<string, string[]>();
    for (const job of retentionJobs) for (const rule of job.enforces) jobsOf.set(`${rule.table} · ${rule.retention}`, [...(jobsOf.get(`${rule.table} · ${rule.retention}`) ?? []), job.name]);
    const wrong = [...declaredPairs()]
      .filter((pair) => !(pair.split(' · ')[1]! in eventBoundRetentions))
      .map((pair) => ({ pair, jobs: jobsOf.get(pair) ?? [] }))
      .filter(({ jobs }) => jobs.length !== 1);
    expect(wrong).toEqual([]);
  });

  it('claims only pairs the data map declares, and lists only event-bound values still in use', () => {
    const declared = declaredPairs();
    const claimed = retentionJobs.flatMap((job) => job.enforces.map((r) => `${r.table} · ${r.retention}`));
    expect(claimed.filter((pair) => !declared.has(pair))).toEqual([]);
    const used = new Set([...declared].map((pair) => pair.split(' · ')[1]));
    expect(Object.keys(eventBoundRetentions).filter((value) => !used.has(value))).toEqual([]);
    expect(new Set(retentionJobs.map((job) => job.name)).size).toBe(retentionJobs.length);
  });

  it('computes cut-offs in calendar units', () => {
    const at = new Date('2026-06-15T12:00:00.000Z');
    expect(cutoffBefore(at, { years: 3 })).toBe('2023-06-15T12:00:00.000Z');
    expect(cutoffBefore(at, { months: 6 })).toBe('2025-12-15T12:00:00.000Z');
    expect(cutoffBefore(at, { days: 30 })).toBe('2026-05-16T12:00:00.000Z');
    expect(cutoffBefore(at, { hours: 24 })).toBe('2026-06-14T12:00:00.000Z');
  });
});

let t: TestApp;
let owner: Awaited<ReturnType<typeof supplier>> & { accountId: string };
beforeAll(async () => {
  t = await makeApp();
  owner = { ...(await supplier(t.app)), accountId: '' };
  owner.accountId = (await withAuth(t.app, owner)).accountId;
});
afterAll(async () => {
  await t.close();
});

const db = () => t.app.silkline.db.kysely;
const at = new Date();
const edge = (period: Period) => cutoffBefore(at, period);
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
/** A second past the period, and a second inside it. */
const past = (period: Period) => shift(edge(period), -1000);
const inside = (period: Period) => shift(edge(period), 1000);

describe('new retention functions delete what is just past the period and keep what is just inside', () => {
  it('accounts: a pending email address goes 24 hours after its verification link was sent', async () => {
    const [late, recent] = [await withAuth(t.app, await signedIn(t.app)), await withAuth(t.app, await signedIn(t.app))];
    for (const [person, sentAt] of [[late, past({ hours: 24 })], [recent, inside({ hours: 24 })]] as const) {
      const update = { contactPerson: person.data.contactPerson, mobile: person.data.mobile, email: `new.${person.data.loginName}@example.cn` };
      await t.app.silkline.accounts.updateProfile(person.accountId, update, 'zh-CN');
      await db().updateTable('accountToken').set({ createdAt: sentAt }).where('accountId', '=', person.accountId).where('purpose', '=', 'verify-email').execute();
    }
    await t.app.silkline.accounts.purgeExpired(at);
    const pending = async (id: string) => (await db().selectFrom('account').select(['email', 'pendingEmail']).where('id', '=', id).executeTakeFirstOrThrow());
    expect(await pending(late.accountId)).toEqual({ email: late.data.email, pendingEmail: null });
    expect(await pending(recent.accountId)).toEqual({ email: recent.data.email, pendingEmail: `new.${recent.data.loginName}@example.cn` });
  });

  it('telemetry: service-log events go after 6 months', async () => {
    const [old, kept] = [randomUUID(), randomUUID()];
    for (const id of [old, kept]) await t.app.silkline.telemetry.record(db(), owner.accountId, 'contact.view', { type: 'company', id });
    await db().updateTable('serviceEvent').set({ createdAt: past({ months: 6 }) }).where('targetId', '=', old).execute();
    await db().updateTable('serviceEvent').set({ createdAt: inside({ months: 6 }) }).where('targetId', '=', kept).execute();
    expect(await t.app.silkline.telemetry.deleteExpired(at)).toBeGreaterThanOrEqual(1);
    expect(await db().selectFrom('serviceEvent').select('targetId').where('targetId', 'in', [old, kept]).execute()).toEqual([{ targetId: kept }]);
  });

  it('companies: verification reviews and licence views go after 3 years', async () => {
    const other = await supplier(t.app);
    const reviewer = { accountId: randomUUID(), sessionId: 'test', role: 'reviewer' as const, displayName: 'reviewer' };
    for (const companyId of [owner.companyId, other.companyId]) await t.app.silkline.companies.licenceFor(reviewer, companyId);
    await db().updateTable('companyReview').set({ createdAt: past({ years: 3 }) }).where('companyId', '=', owner.companyId).execute();
    await db().updateTable('companyReview').set({ createdAt: inside({ years: 3 }) }).where('companyId', '=', other.companyId).execute();
    await db().updateTable('licenceView').set({ viewedAt: past({ years: 3 }) }).where('companyId', '=', owner.companyId).execute();
    await db().updateTable('licenceView').set({ viewedAt: inside({ years: 3 }) }).where('companyId', '=', other.companyId).execute();
    expect(await t.app.silkline.companies.deleteExpired(at)).toEqual({ reviews: 1, licenceViews: 1 });
    const ids = [owner.companyId, other.companyId];
    expect(await db().selectFrom('companyReview').select('companyId').where('companyId', 'in', ids).execute()).toEqual([{ companyId: other.companyId }]);
    expect(await db().selectFrom('licenceView').select('companyId').where('companyId', 'in', ids).execute()).toEqual([{ companyId: other.companyId }]);
    expect((await db().selectFrom('company').select('status').where('id', '=', owner.companyId).executeTakeFirstOrThrow()).status).toBe('verified');
  });

  it('company invitations: go 30 days after acceptance, expiry or revocation', async () => {
    const invite = async (label: string) => {
      const response = await owner.browser.api('POST', `/api/companies/${owner.companyId}/invitations`, { email: `${label}.${randomUUID().slice(0, 8)}@example.cn`, role: 'member' });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ id: string }>().id;
    };
    const month = { days: 30 };
    const cases = [
      { id: await invite('accepted-late'), set: { acceptedAt: past(month), acceptedBy: owner.accountId }, kept: false },
      { id: await invite('accepted-recently'), set: { acceptedAt: inside(month), acceptedBy: owner.accountId }, kept: true },
      { id: await invite('expired-late'), set: { expiresAt: past(month) }, kept: false },
      { id: await invite('expired-recently'), set: { expiresAt: inside(month) }, kept: true },
      { id: await invite('revoked-late'), set: { revokedAt: past(month) }, kept: false },
      { id: await invite('pending'), set: {}, kept: true },
    ];
    for (const c of cases) if (Object.keys(c.set).length > 0) await db().updateTable('companyInvitation').set(c.set).where('id', '=', c.id).execute();
    expect(await deleteExpiredInvitations(db(), at)).toBe(3);
    const left = (await db().selectFrom('companyInvitation').select('id').where('id', 'in', cases.map((c) => c.id)).execute()).map((r) => r.id);
    expect(left.sort()).toEqual(cases.filter((c) => c.kept).map((c) => c.id).sort());
  });

  it('inquiry reports: go after 3 years, and the reported threads stay', async () => {
    const asker = await signedIn(t.app);
    const threads: string[] = [];
    for (const subject of ['询价：旧的举报', '询价：新的举报']) {
      const sent = await asker.browser.api('POST', '/api/inquiries', { companyId: owner.companyId, subject, message: '请报 500 件 FOB 深圳价格。', quantity: 500, unit: 'piece' });
      expect(sent.statusCode, sent.body).toBe(201);
      const threadId = sent.json<{ threadId: string }>().threadId;
      expect((await asker.browser.api('POST', `/api/threads/${threadId}/report`, { reason: 'spam' })).statusCode).toBeLessThan(300);
      threads.push(threadId);
    }
    await db().updateTable('inquiryReport').set({ createdAt: past({ years: 3 }) }).where('threadId', '=', threads[0]!).execute();
    await db().updateTable('inquiryReport').set({ createdAt: inside({ years: 3 }) }).where('threadId', '=', threads[1]!).execute();
    expect(await t.app.silkline.inquiries.deleteExpiredReports(at)).toBe(1);
    expect(await db().selectFrom('inquiryReport').select('threadId').where('threadId', 'in', threads).execute()).toEqual([{ threadId: threads[1] }]);
    expect(await db().selectFrom('inquiryThread').select('id').where('id', 'in', threads).execute()).toHaveLength(2);
  });

  it('privacy requests: go with their replies 3 years after closing; open ones stay whatever their age', async () => {
    const officer = await signedIn(t.app);
    await t.app.silkline.accounts.setRole(officer.data.loginName, 'privacy-officer');
    const visitor = new Browser(t.app);
    const submit = async () => {
      const response = await visitor.api('POST', '/api/privacy/requests', { topic: 'access', message: '请告诉我你们保存了哪些我的信息。', email: `visitor.${randomUUID().slice(0, 8)}@example.cn` });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return (await db().selectFrom('privacyRequest').select('id').orderBy('createdAt', 'desc').limit(1).executeTakeFirstOrThrow()).id;
    };
    const [late, recent, open] = [await submit(), await submit(), await submit()];
    expect((await officer.browser.api('POST', `/api/staff/privacy/requests/${late}/replies`, { body: '已附上您的信息副本。' })).statusCode).toBeLessThan(300);
    for (const id of [late, recent]) expect((await officer.browser.api('POST', `/api/staff/privacy/requests/${id}/close`)).statusCode).toBeLessThan(300);
    await db().updateTable('privacyRequest').set({ closedAt: past({ years: 3 }) }).where('id', '=', late).execute();
    await db().updateTable('privacyRequest').set({ closedAt: inside({ years: 3 }) }).where('id', '=', recent).execute();
    await db().updateTable('privacyRequest').set({ createdAt: past({ years: 10 }) }).where('id', '=', open).execute();
    expect(await deleteExpiredPrivacyRequests(db(), at)).toBe(1);
    const left = (await db().selectFrom('privacyRequest').select('id').where('id', 'in', [late, recent, open]).execute()).map((r) => r.id);
    expect(left.sort()).toEqual([recent, open].sort());
    expect(await db().selectFrom('privacyRequestReply').select('id').where('requestId', '=', late).execute()).toEqual([]);
  });

  it('rfq: requests and their quotes go 3 years after the decision, or after the deadline of one left open', async () => {
    const product = await owner.browser.api('POST', `/api/companies/${owner.companyId}/products`, {
      titleZh: 'LED工矿灯 150W', categoryId: 'lighting.led-high-bay', moq: 10, unit: 'piece', currency: 'USD', priceTiers: [{ minQty: 10, price: '15.00' }],
    });
    expect((await owner.browser.api('POST', `/api/companies/${owner.companyId}/products/${product.json().id}/publish`)).statusCode).toBe(204);
    const buyer = await signedIn(t.app);
    const deadline = new Date(Date.now() + 8 * 3_600_000 + 14 * 86_400_000).toISOString().slice(0, 10);
    const validUntil = new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
    const post = async () => {
      const response = await buyer.browser.api('POST', '/api/rfqs', {
        productName: 'LED工矿灯 150W', categoryId: 'lighting.led-high-bay', quantity: '2000', unit: 'piece', specifications: 'IP65，CE 认证。', destination: '德国 汉堡港', deadline,
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const quote = async (rfqId: string) => {
      const response = await owner.browser.api('POST', `/api/rfqs/${rfqId}/quotes`, { currency: 'USD', priceTiers: [{ minQty: 500, price: '13.20' }], leadTimeDays: 20, validUntil, message: 'FOB 深圳。' });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const [awarded, closed, openLate, openRecent] = [await post(), await post(), await post(), await post()];
    expect((await buyer.browser.api('POST', `/api/rfqs/${awarded}/quotes/${await quote(awarded)}/accept`)).statusCode).toBe(200);
    await quote(closed);
    expect((await buyer.browser.api('POST', `/api/rfqs/${closed}/close`)).statusCode).toBe(200);
    await quote(openLate);
    await db().updateTable('rfq').set({ decidedAt: past({ years: 3 }) }).where('id', '=', awarded).execute();
    await db().updateTable('rfq').set({ decidedAt: inside({ years: 3 }) }).where('id', '=', closed).execute();
    await db().updateTable('rfq').set({ expiresAt: past({ years: 3 }) }).where('id', '=', openLate).execute();
    await db().updateTable('rfq').set({ expiresAt: inside({ years: 3 }) }).where('id', '=', openRecent).execute();
    expect(await t.app.silkline.rfq.deleteExpired(at)).toBe(2);
    const ids = [awarded, closed, openLate, openRecent];
    const left = (await db().selectFrom('rfq').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
    expect(left.sort()).toEqual([closed, openRecent].sort());
    expect((await db().selectFrom('rfqQuote').select('rfqId').where('rfqId', 'in', ids).execute()).map((r) => r.rfqId)).toEqual([closed]);
  });

  it('consent: keeps an account’s ledger, cuts off a gone account’s, and deletes anonymous lines past proof', async () => {
    const { consent } = t.app.silkline;
    const origin = { method: 'banner' as const, ip: '198.18.0.1', userAgent: 'Mozilla/5.0 Chrome/120' };
    const [gone, browserLate, browserRecent] = [randomUUID(), randomUUID(), randomUUID()];
    await consent.record({ subject: owner.accountId, consentId: null }, { analytics: true }, origin);
    await consent.record({ subject: gone, consentId: randomUUID() }, { analytics: true }, origin);
    for (const id of [browserLate, browserLate, browserRecent, browserRecent]) await consent.record({ subject: null, consentId: id }, { surveys: true }, origin);
    await consent.record({ subject: null, consentId: null }, {}, origin);
    await consent.record({ subject: null, consentId: null }, {}, { ...origin, method: 'settings' });
    const rows = () => db().selectFrom('consentRecord').select(['id', 'subject', 'consentId', 'method', 'createdAt']);
    // A browser's latest line 12 months + 3 years (less or more a second) before now; older lines before that.
    const browserEdge = cutoffBefore(new Date(at.getTime() - 365 * 86_400_000), { years: 3 });
    for (const [id, latest] of [[browserLate, shift(browserEdge, -1000)], [browserRecent, shift(browserEdge, 1000)]] as const) {
      const lines = await rows().where('consentId', '=', id).orderBy('createdAt').execute();
      await db().updateTable('consentRecord').set({ createdAt: past({ years: 9 }) }).where('id', 'in', lines.slice(0, 5).map((r) => r.id)).execute();
      await db().updateTable('consentRecord').set({ createdAt: latest }).where('id', 'in', lines.slice(5).map((r) => r.id)).execute();
    }
    const anonymous = rows().where('subject', 'is', null).where('consentId', 'is', null);
    await anonymous.where('method', '=', 'banner').execute().then((r) => db().updateTable('consentRecord').set({ createdAt: past({ years: 3 }) }).where('id', 'in', r.map((x) => x.id)).execute());
    await anonymous.where('method', '=', 'settings').execute().then((r) => db().updateTable('consentRecord').set({ createdAt: inside({ years: 3 }) }).where('id', 'in', r.map((x) => x.id)).execute());
    await db().updateTable('consentRecord').set({ createdAt: past({ years: 20 }) }).where('subject', '=', owner.accountId).execute();

    const result = await consent.deleteExpired(at);
    expect(result).toEqual({ anonymised: 5, deleted: 15 });
    expect(await rows().where('subject', '=', owner.accountId).execute()).toHaveLength(5);
    expect(await rows().where('subject', '=', gone).execute()).toEqual([]);
    expect(await rows().where('consentId', '=', browserLate).execute()).toEqual([]);
    expect(await rows().where('consentId', '=', browserRecent).execute()).toHaveLength(10);
    const cutOff = await anonymous.execute();
    expect(cutOff.filter((r) => r.method === 'settings')).toHaveLength(5);
    expect(cutOff.filter((r) => r.method === 'banner')).toHaveLength(5);
    expect(cutOff.filter((r) => r.method === 'banner').every((r) => r.createdAt > edge({ years: 3 }))).toBe(true);
  });
});

describe('running the registry', () => {
  it('runs every job, and one that throws neither stops the others nor logs its message', async () => {
    const ran: string[] = [];
    const logged: { level: string; details: Record<string, unknown>; message: string }[] = [];
    const log: RetentionLog = {
      info: (details, message) => logged.push({ level: 'info', details, message }),
      error: (details, message) => logged.push({ level: 'error', details, message }),
    };
    const job = (name: string, run: RetentionJob['run']): RetentionJob => ({ name, enforces: [], run });
    const jobs = [
      job('first', async () => ran.push('first')),
      job('broken', async () => {
        throw Object.assign(new Error('duplicate key value: buyer.li@example.cn'), { code: '23505' });
      }),
      job('last', async () => ran.push('last')),
    ];
    const outcomes = await runRetention(t.app.silkline, at, log, jobs);
    expect(ran).toEqual(['first', 'last']);
    expect(outcomes.map((o) => [o.name, o.ok])).toEqual([['first', true], ['broken', false], ['last', true]]);
    expect(logged.filter((l) => l.level === 'error')).toEqual([{ level: 'error', details: { job: 'broken', error: '23505' }, message: 'retention job failed' }]);
    expect(JSON.stringify(logged)).not.toContain('@');
  });

  it('runs the real jobs on the real database without a failure', async () => {
    const outcomes = await runRetention(t.app.silkline, new Date(), t.app.log);
    expect(outcomes.map((o) => o.name)).toEqual(retentionJobs.map((j) => j.name));
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(t.logs.join('')).toContain('retention run finished');
    expect(t.logs.join('')).not.toContain('retention job failed');
  });
});
