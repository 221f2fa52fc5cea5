import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '../src/modules/accounts/index.js';
import { createAuditService, entryHash, type AuditRecordInput, type AuditService } from '../src/modules/audit/index.js';
import { minimalPdf } from '../src/platform/storage/sample-files.js';
import { Browser, postMultipart, signedIn, supplier, useTestApp, withAuth, type TestApp } from './helpers.js';

const t = useTestApp();
const db = () => t.app.silkline.db.kysely;

/** A signed-in member of staff: role set, then signed in again so the session carries it. */
async function staff(role: Role, app: TestApp = t) {
  const person = await withAuth(app.app, await signedIn(app.app));
  await app.app.silkline.accounts.setRole(person.data.loginName, role);
  const browser = new Browser(app.app);
  await browser.post('/sign-in', { identifier: person.data.email, password: person.data.password });
  return { browser, accountId: person.accountId, auth: { ...person.auth, role } };
}

async function lastSeq(app: TestApp = t): Promise<number> {
  const row = await app.app.silkline.db.kysely.selectFrom('auditChain').select('lastSeq').executeTakeFirstOrThrow();
  return Number(row.lastSeq);
}

/** The entries written while `act` ran. */
async function recordedBy(act: () => Promise<unknown>) {
  const before = await lastSeq();
  await act();
  return db().selectFrom('auditEntry').selectAll().where('seq', '>', before).orderBy('seq').execute();
}

const entry = (actorId: string, overrides: Partial<AuditRecordInput> = {}): AuditRecordInput => ({
  actor: { accountId: actorId, role: 'admin' },
  action: 'survey-results.view',
  target: { type: 'survey', id: randomUUID() },
  purpose: 'survey-analysis',
  ...overrides,
});

describe('each staff read or act on personal data writes exactly one entry', () => {
  it('opening a company under review, viewing its business licence (kept in licence_view too) and deciding the review', async () => {
    const owner = await supplier(t.app, { verified: false });
    await postMultipart(owner.browser, t.app, `/shop/${owner.companyId}/licence`, {}, { field: 'licence', name: 'licence.pdf', bytes: minimalPdf() });
    await owner.browser.post(`/shop/${owner.companyId}/submit`, {});
    const reviewer = await staff('reviewer');

    expect(await recordedBy(async () => expect((await owner.browser.get(`/shop/${owner.companyId}/licence`)).statusCode).toBe(200))).toEqual([]);
    const page = await recordedBy(async () => expect((await reviewer.browser.get(`/staff/reviews/${owner.companyId}`)).statusCode).toBe(200));
    expect(page).toEqual([expect.objectContaining({ actorId: reviewer.accountId, action: 'company.view', targetType: 'company', targetId: owner.companyId, purpose: 'company-verification' })]);
    const viewed = await recordedBy(async () => expect((await reviewer.browser.get(`/staff/reviews/${owner.companyId}/licence`)).statusCode).toBe(200));
    expect(viewed).toEqual([expect.objectContaining({ actorId: reviewer.accountId, actorRole: 'reviewer', action: 'licence.view', targetType: 'company', targetId: owner.companyId, purpose: 'company-verification' })]);
    expect(await db().selectFrom('licenceView').select('viewerId').where('companyId', '=', owner.companyId).execute()).toEqual([{ viewerId: reviewer.accountId }]);

    const decided = await recordedBy(async () => {
      const response = await reviewer.browser.post(`/staff/reviews/${owner.companyId}`, { decision: 'approve', checks: 'licence' });
      expect(response.statusCode).toBe(303);
    });
    expect(decided).toEqual([expect.objectContaining({ actorId: reviewer.accountId, action: 'company.review', targetId: owner.companyId })]);
  });

  it('opening a privacy request and replying to it', async () => {
    const officer = await staff('privacy-officer');
    await new Browser(t.app).post('/privacy/contact', { topic: 'access', message: '请给我一份我的数据。', email: 'ask@example.cn' });
    const { id } = await db().selectFrom('privacyRequest').select('id').where('email', '=', 'ask@example.cn').executeTakeFirstOrThrow();

    const opened = await recordedBy(async () => expect((await officer.browser.get(`/staff/privacy/${id}`)).body).toContain('请给我一份我的数据。'));
    expect(opened).toEqual([expect.objectContaining({ actorId: officer.accountId, actorRole: 'privacy-officer', action: 'privacy-request.view', targetType: 'privacy-request', targetId: id, purpose: 'rights-request' })]);
    const replied = await recordedBy(async () => expect((await officer.browser.post(`/staff/privacy/${id}/reply`, { body: '附件是您的数据。' })).statusCode).toBe(303));
    expect(replied).toEqual([expect.objectContaining({ actorId: officer.accountId, action: 'privacy-request.reply', targetId: id })]);
  });

  it('opening a support ticket and replying to it', async () => {
    const agent = await staff('support');
    const { id } = await t.app.silkline.support.submit(null, { topic: 'other', message: '我的订单在哪里？', email: 'where@example.cn' }, 'zh-CN');

    const opened = await recordedBy(async () => expect((await agent.browser.get(`/staff/support/${id}`)).body).toContain('我的订单在哪里？'));
    expect(opened).toEqual([expect.objectContaining({ actorId: agent.accountId, actorRole: 'support', action: 'support-ticket.view', targetType: 'support-ticket', targetId: id, purpose: 'support-request' })]);
    const replied = await recordedBy(async () => expect((await agent.browser.post(`/staff/support/${id}/reply`, { body: '已经发货。' })).statusCode).toBe(303));
    expect(replied).toEqual([expect.objectContaining({ actorId: agent.accountId, action: 'support-ticket.reply', targetId: id })]);
  });

  it('opening a reported inquiry thread', async () => {
    const owner = await supplier(t.app);
    const asker = await signedIn(t.app);
    const sent = await asker.browser.api('POST', '/api/inquiries', { companyId: owner.companyId, subject: '可疑', message: '请付款到个人账户。', quantity: 1, unit: 'piece' });
    const { threadId } = sent.json<{ threadId: string }>();
    await owner.browser.post(`/messages/${threadId}/report`, { reason: 'fraud', details: '' });
    const { id } = await db().selectFrom('inquiryReport').select('id').where('threadId', '=', threadId).executeTakeFirstOrThrow();
    const agent = await staff('support');

    const opened = await recordedBy(async () => expect((await agent.browser.get(`/staff/inquiry-reports/${id}`)).body).toContain('请付款到个人账户。'));
    expect(opened).toEqual([expect.objectContaining({ actorId: agent.accountId, action: 'inquiry-report.view', targetType: 'inquiry-report', targetId: id, purpose: 'abuse-report' })]);
  });

  it('viewing survey results and downloading their CSV', async () => {
    const admin = await staff('admin');
    const { id } = await t.app.silkline.surveys.create(admin.auth, { titleZh: '调查', titleEn: 'Survey', introZh: '', introEn: '' });

    const viewed = await recordedBy(async () => expect((await admin.browser.get(`/staff/surveys/${id}/results`)).statusCode).toBe(200));
    expect(viewed).toEqual([expect.objectContaining({ actorId: admin.accountId, action: 'survey-results.view', targetType: 'survey', targetId: id, purpose: 'survey-analysis' })]);
    const exported = await recordedBy(async () => expect((await admin.browser.get(`/staff/surveys/${id}/answers.csv`)).statusCode).toBe(200));
    expect(exported).toEqual([expect.objectContaining({ actorId: admin.accountId, action: 'survey-results.export', targetId: id })]);
  });

  it('fails closed: when the entry cannot be written the page answers 500 and shows nothing, and the act is undone', async () => {
    const officer = await staff('privacy-officer');
    await new Browser(t.app).post('/privacy/contact', { topic: 'access', message: '不应被看到的内容', email: 'closed@example.cn' });
    const { id } = await db().selectFrom('privacyRequest').select('id').where('email', '=', 'closed@example.cn').executeTakeFirstOrThrow();
    // Moving the head back one makes the next append collide with the newest entry's number: the
    // unique sequence refuses it (twice, with the retry) rather than forking the chain.
    await db().updateTable('auditChain').set((eb) => ({ lastSeq: eb('lastSeq', '-', 1) })).execute();
    try {
      const page = await officer.browser.get(`/staff/privacy/${id}`);
      expect(page.statusCode).toBe(500);
      expect(page.body).not.toContain('不应被看到的内容');
      expect((await officer.browser.post(`/staff/privacy/${id}/reply`, { body: '答复' })).statusCode).toBe(500);
      expect(await db().selectFrom('privacyRequestReply').select('id').where('requestId', '=', id).execute()).toEqual([]);
    } finally {
      await db().updateTable('auditChain').set((eb) => ({ lastSeq: eb('lastSeq', '+', 1) })).execute();
    }
    expect(await t.app.silkline.audit.verify()).toMatchObject({ ok: true });
  });

  it('leaves a chain that verifies', async () => {
    const count = await db().selectFrom('auditEntry').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(await t.app.silkline.audit.verify()).toEqual({ ok: true, entries: Number(count.n) });
  });
});

describe('the chain', () => {
  const u = useTestApp();
  const audit = () => u.app.silkline.audit;
  const udb = () => u.app.silkline.db.kysely;
  const row = (seq: number) => udb().selectFrom('auditEntry').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  /** Changes the chain, checks what `verify` says, and puts every row back. */
  async function tampered(change: () => Promise<unknown>) {
    const saved = await udb().selectFrom('auditEntry').selectAll().orderBy('seq').execute();
    await change();
    const result = await audit().verify();
    await udb().deleteFrom('auditEntry').execute();
    for (const r of saved) await udb().insertInto('auditEntry').values(r).execute();
    expect(await audit().verify()).toMatchObject({ ok: true });
    return result;
  }

  it('stays gap-free and verifies when 20 entries are appended at once', async () => {
    const actor = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => audit().record(udb(), entry(actor))));
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await audit().verify()).toEqual({ ok: true, entries: 20 });
    const rows = await udb().selectFrom('auditEntry').selectAll().orderBy('seq').execute();
    for (const [i, r] of rows.entries()) {
      const { hash, ...fields } = r;
      expect(entryHash(fields)).toBe(hash);
      if (i > 0) expect(r.prevHash).toBe(rows[i - 1]!.hash);
    }
  });

  it('finds a changed field at its entry', async () => {
    expect(await tampered(() => udb().updateTable('auditEntry').set({ actorRole: 'user' }).where('seq', '=', 5).execute())).toEqual({ ok: false, brokenAt: 5, reason: 'hash-mismatch' });
  });

  it('finds a changed entry whose hash was recomputed at the next one', async () => {
    const result = await tampered(async () => {
      const { hash: _old, ...fields } = await row(5);
      const forged = { ...fields, targetId: 'someone-else' };
      await udb().updateTable('auditEntry').set({ targetId: forged.targetId, hash: entryHash(forged) }).where('seq', '=', 5).execute();
    });
    expect(result).toEqual({ ok: false, brokenAt: 6, reason: 'previous-hash-mismatch' });
  });

  it('finds a deleted middle entry, and a deleted newest one', async () => {
    expect(await tampered(() => udb().deleteFrom('auditEntry').where('seq', '=', 8).execute())).toEqual({ ok: false, brokenAt: 8, reason: 'sequence-gap' });
    expect(await tampered(() => udb().deleteFrom('auditEntry').where('seq', '=', 20).execute())).toEqual({ ok: false, brokenAt: 20, reason: 'sequence-gap' });
  });

  it('finds two swapped entries at the first of them', async () => {
    const result = await tampered(async () => {
      await udb().updateTable('auditEntry').set({ seq: -1 }).where('seq', '=', 3).execute();
      await udb().updateTable('auditEntry').set({ seq: 3 }).where('seq', '=', 4).execute();
      await udb().updateTable('auditEntry').set({ seq: 4 }).where('seq', '=', -1).execute();
    });
    expect(result).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it('refuses actions and purposes outside the fixed lists', async () => {
    await expect(audit().record(udb(), entry(randomUUID(), { action: 'account.view' as never }))).rejects.toThrow('unknown audit action');
    await expect(audit().record(udb(), entry(randomUUID(), { purpose: 'curiosity' as never }))).rejects.toThrow('unknown audit purpose');
    expect(await lastSeq(u)).toBe(20);
  });

  it('rolls back with the caller’s transaction', async () => {
    await expect(
      udb().transaction().execute(async (trx) => {
        await audit().record(trx, entry(randomUUID()));
        throw new Error('the act failed');
      }),
    ).rejects.toThrow('the act failed');
    expect(await audit().verify()).toEqual({ ok: true, entries: 20 });
  });
});

describe('the staff page /staff/audit', () => {
  it('is for administrators and privacy officers: visitors sign in, others get 403', async () => {
    expect((await new Browser(t.app).get('/staff/audit')).statusCode).toBe(303);
    for (const role of ['user', 'reviewer', 'support'] as const) expect((await (await staff(role)).browser.get('/staff/audit')).statusCode, role).toBe(403);
    for (const role of ['admin', 'privacy-officer'] as const) {
      const browser = (await staff(role)).browser;
      expect((await browser.get('/staff/audit')).statusCode, role).toBe(200);
      expect((await browser.get('/staff')).body, role).toContain('href="/staff/audit"');
    }
  });

  it('lists entries newest first, filters by actor and action, and pages by 50', async () => {
    const admin = await staff('admin');
    const [one, two] = [randomUUID(), randomUUID()];
    for (let i = 0; i < 55; i++) await t.app.silkline.audit.record(db(), entry(one));
    await t.app.silkline.audit.record(db(), entry(two, { action: 'licence.view', purpose: 'company-verification' }));
    const seqs = (body: string) => [...body.matchAll(/data-seq="(\d+)"/g)].map((m) => Number(m[1]));

    const all = seqs((await admin.browser.get('/staff/audit')).body);
    expect(all).toHaveLength(50);
    expect(all[0]).toBe(await lastSeq());
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const mine = await admin.browser.get(`/staff/audit?actor=${one}`);
    expect(mine.body).toContain('共 55 条');
    expect(seqs(mine.body)).toHaveLength(50);
    expect(seqs((await admin.browser.get(`/staff/audit?actor=${one}&page=2`)).body)).toHaveLength(5);
    const licence = await admin.browser.get(`/staff/audit?actor=${two}&action=licence.view`);
    expect(seqs(licence.body)).toEqual([await lastSeq()]);
    expect(licence.body).toContain('查看营业执照');
    expect(seqs((await admin.browser.get(`/staff/audit?actor=${two}&action=survey-results.view`)).body)).toEqual([]);
    // Nonsense filters are dropped, not errors.
    expect((await admin.browser.get('/staff/audit?actor=%3Cscript%3E&action=nope&page=-3')).statusCode).toBe(200);
  });

  it('verifies the chain on request, and shows where it breaks', async () => {
    const officer = await staff('privacy-officer');
    const ok = await officer.browser.post('/staff/audit/verify', {});
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/记录链完整：已核验 \d+ 条记录/);
    const seq = await lastSeq();
    await db().updateTable('auditEntry').set({ purpose: 'breach-notice' }).where('seq', '=', seq).execute();
    try {
      expect((await officer.browser.post('/staff/audit/verify', {})).body).toContain(`记录链在第 ${seq} 条处断开`);
    } finally {
      await db().updateTable('auditEntry').set({ purpose: 'company-verification' }).where('seq', '=', seq).execute();
    }
    expect((await officer.browser.post('/staff/audit/verify', { _csrf: '' })).statusCode).toBe(403);
  });
});

describe('retention and personal data', () => {
  const u = useTestApp();
  const udb = () => u.app.silkline.db.kysely;
  const at = (iso: string): AuditService => createAuditService({ db: udb(), clock: () => new Date(iso) });

  it('deletes entries past 3 years from the start only, and the kept chain still verifies from its checkpoint', async () => {
    const actor = randomUUID();
    const now = new Date();
    const old = new Date(now.getTime() - 4 * 365 * 86_400_000).toISOString();
    for (let i = 0; i < 3; i++) await at(old).record(udb(), entry(actor));
    await at(now.toISOString()).record(udb(), entry(actor));
    // An old time behind a recent entry (a clock set back) stays: only a prefix of the chain goes.
    await at(old).record(udb(), entry(actor));
    await at(now.toISOString()).record(udb(), entry(actor));

    expect(await u.app.silkline.audit.deleteExpired(now)).toBe(3);
    const seqs = (await udb().selectFrom('auditEntry').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual([4, 5, 6]);
    expect(await u.app.silkline.audit.verify()).toEqual({ ok: true, entries: 3 });
    expect(await u.app.silkline.audit.deleteExpired(now)).toBe(0);

    // The checkpoint still catches the oldest kept entry deleted by hand.
    const oldest = await udb().selectFrom('auditEntry').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
    await udb().deleteFrom('auditEntry').where('seq', '=', 4).execute();
    expect(await u.app.silkline.audit.verify()).toEqual({ ok: false, brokenAt: 4, reason: 'sequence-gap' });
    await udb().insertInto('auditEntry').values(oldest).execute();
  });

  it('exports the entries where the person is the actor, and keeps them on erasure (a legal-duty record)', async () => {
    const officer = await staff('privacy-officer', u);
    await u.app.silkline.audit.record(udb(), entry(officer.accountId, { actor: { accountId: officer.accountId, role: 'privacy-officer' }, action: 'privacy-request.view', purpose: 'rights-request' }));
    await u.app.silkline.audit.record(udb(), entry(randomUUID()));
    const provider = u.app.silkline.providers.find((p) => p.name === 'audit')!;
    const exported = await provider.export(officer.accountId);
    expect(exported.records.accessedAsStaff).toEqual([expect.objectContaining({ action: 'privacy-request.view', actorRole: 'privacy-officer', purpose: 'rights-request' })]);
    expect(JSON.stringify(exported)).not.toContain('prevHash');

    for (const p of u.app.silkline.providers) await p.erase(officer.accountId);
    expect(await udb().selectFrom('account').select('id').where('id', '=', officer.accountId).execute()).toEqual([]);
    expect((await provider.export(officer.accountId)).records.accessedAsStaff).toHaveLength(1);
    expect(await u.app.silkline.audit.verify()).toMatchObject({ ok: true });
  });
});
