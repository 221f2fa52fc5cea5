import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../src/modules/companies/credit-code.js';
import { Browser, latestMail, linkIn, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A fresh, valid unified social credit code, so every test registers a company of its own. */
function freshCreditCode(): string {
  const first17 = `91440300${Array.from({ length: 9 }, () => alphabet.charAt(randomInt(alphabet.length))).join('')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

async function registerCompany(browser: Browser): Promise<string> {
  const response = await browser.post('/shop/new', {
    nameZh: '深圳光明照明科技有限公司',
    creditCode: freshCreditCode(),
    country: 'CN',
    provinceCode: '440000',
    cityCode: '440300',
    districtCode: '440305',
    street: '科技园南区 8 栋 501',
    mainProducts: 'LED工矿灯',
    description: '专业生产 LED 工业照明产品。',
    contactPerson: '李伟',
    contactEmail: 'sales@guangming-lighting.example.cn',
    phone: '0755-8888 6666',
  });
  expect(response.statusCode).toBe(303);
  return /\/shop\/([0-9a-f-]{36})\//.exec(response.headers.location as string)![1]!;
}

/** An owner with a company of their own. */
async function owned() {
  const owner = await signedIn(t.app);
  const id = await registerCompany(owner.browser);
  return { owner, id };
}

async function accountId(email: string): Promise<string> {
  return (await t.app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

/** The invitation path (`/invitations/<token>`) from the newest mail to an address. */
async function invitationLink(email: string): Promise<string> {
  const mail = await latestMail(t.app, email);
  expect(mail.kind).toBe('company-invitation');
  return linkIn(mail.textBody, '/invitations/');
}

/** Invites a fresh signed-in person with the role and has them accept. */
async function join(owner: Browser, id: string, role: 'admin' | 'member') {
  const person = await signedIn(t.app);
  expect((await owner.post(`/shop/${id}/members/invite`, { email: person.data.email, role })).statusCode).toBe(303);
  const accepted = await person.browser.post(await invitationLink(person.data.email), {});
  expect(accepted.statusCode).toBe(303);
  return { ...person, accountId: await accountId(person.data.email) };
}

async function roles(browser: Browser, id: string) {
  const response = await browser.api('GET', `/api/companies/${id}/members`);
  expect(response.statusCode).toBe(200);
  return Object.fromEntries(response.json<{ members: { email: string; role: string }[] }>().members.map((m) => [m.email, m.role]));
}

async function invitationCount(id: string): Promise<number> {
  const rows = await t.app.silkline.db.kysely.selectFrom('companyInvitation').select('id').where('companyId', '=', id).execute();
  return rows.length;
}

describe('invitations', () => {
  it('emails a link that the invited person accepts once, joining with the offered role', async () => {
    const { owner, id } = await owned();
    const invitee = await signedIn(t.app);
    const invited = await owner.browser.post(`/shop/${id}/members/invite`, { email: invitee.data.email.toUpperCase(), role: 'admin' });
    expect(invited.statusCode).toBe(303);
    const page = await owner.browser.get(`/shop/${id}/members`);
    expect(page.body).toContain(invitee.data.email);
    expect(page.body).toContain('待接受的邀请');

    const mail = await latestMail(t.app, invitee.data.email);
    expect(mail.subject).toContain('深圳光明照明科技有限公司');
    const link = linkIn(mail.textBody, '/invitations/');
    const token = link.split('/').pop()!;
    const stored = await t.app.silkline.db.kysely.selectFrom('companyInvitation').select('id').where('companyId', '=', id).execute();
    expect(JSON.stringify(stored)).not.toContain(token);

    const shown = await invitee.browser.get(link);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('深圳光明照明科技有限公司');
    expect(shown.body).toContain(`action="${link}"`);
    const accepted = await invitee.browser.post(link, {});
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/shop/${id}/members`);
    expect(await roles(owner.browser, id)).toMatchObject({ [owner.data.email]: 'owner', [invitee.data.email]: 'admin' });
    expect((await invitee.browser.get(`/shop/${id}/members`)).statusCode).toBe(200);

    const again = await invitee.browser.post(link, {});
    expect(again.statusCode).toBe(410);
    expect((await invitee.browser.api('POST', '/api/invitations/accept', { token })).statusCode).toBe(410);
  });

  it('sends a visitor without a session to sign in or register with the invited address', async () => {
    const { owner, id } = await owned();
    const email = `newcomer.${randomInt(1e9)}@example.cn`;
    await owner.browser.post(`/shop/${id}/members/invite`, { email, role: 'member' });
    const link = await invitationLink(email);
    const page = await new Browser(t.app).get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/sign-in?next=${encodeURIComponent(link)}`);
    expect(page.body).toContain('href="/register"');
    expect(page.body).toContain(email);

    const newcomer = await signedIn(t.app, { email });
    expect((await newcomer.browser.post(link, {})).statusCode).toBe(303);
    expect((await roles(owner.browser, id))[email]).toBe('member');
  });

  it('refuses an account with another address, naming the invited one', async () => {
    const { owner, id } = await owned();
    const invitee = await signedIn(t.app);
    await owner.browser.post(`/shop/${id}/members/invite`, { email: invitee.data.email, role: 'member' });
    const link = await invitationLink(invitee.data.email);
    const other = await signedIn(t.app);
    const refused = await other.browser.post(link, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain(invitee.data.email);
    expect(refused.body).toContain('另一个邮箱');
    const token = link.split('/').pop()!;
    const api = await other.browser.api('POST', '/api/invitations/accept', { token });
    expect(api.statusCode).toBe(403);
    expect(api.json().error.message).toContain(invitee.data.email);
    // The link still works for the right person.
    expect((await invitee.browser.post(link, {})).statusCode).toBe(303);
  });

  it('revoking an invitation makes its link unusable', async () => {
    const { owner, id } = await owned();
    const invitee = await signedIn(t.app);
    const created = await owner.browser.api('POST', `/api/companies/${id}/invitations`, { email: invitee.data.email, role: 'member' });
    expect(created.statusCode).toBe(201);
    expect(Object.keys(created.json()).sort()).toEqual(['createdAt', 'email', 'expiresAt', 'id', 'role']);
    const link = await invitationLink(invitee.data.email);
    const listed = await owner.browser.api('GET', `/api/companies/${id}/invitations`);
    expect(listed.json().invitations).toHaveLength(1);

    const revoked = await owner.browser.post(`/shop/${id}/invitations/${created.json().id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect((await owner.browser.api('GET', `/api/companies/${id}/invitations`)).json().invitations).toEqual([]);
    expect((await invitee.browser.get(link)).statusCode).toBe(410);
    expect((await invitee.browser.post(link, {})).statusCode).toBe(410);
    expect((await roles(owner.browser, id))[invitee.data.email]).toBeUndefined();
    expect((await owner.browser.api('DELETE', `/api/companies/${id}/invitations/${created.json().id}`)).statusCode).toBe(404);
  });

  it('refuses bad input with 400 and stores nothing', async () => {
    const { owner, id } = await owned();
    const cases = [
      { email: 'not-an-email', role: 'member' },
      { email: 'someone@example.cn', role: 'owner' },
      { email: 'someone@example.cn', role: 'superuser' },
      { email: `${'a'.repeat(10_000)}@example.cn`, role: 'member' },
      { email: '<script>alert(1)</script>', role: 'member' },
    ];
    for (const form of cases) {
      const page = await owner.browser.post(`/shop/${id}/members/invite`, form);
      expect(page.statusCode).toBe(400);
      expect(page.body).not.toContain('<script>alert(1)</script>');
      const api = await owner.browser.api('POST', `/api/companies/${id}/members`, form);
      expect(api.statusCode).toBe(400);
    }
    expect((await owner.browser.api('POST', `/api/companies/${id}/members`, { email: 42, role: ['admin'] })).statusCode).toBe(400);
    expect((await owner.browser.api('POST', '/api/invitations/accept', { token: 'x'.repeat(10_000) })).statusCode).toBe(400);
    expect(await invitationCount(id)).toBe(0);
  });
});

describe('authorisation', () => {
  it('lets a plain member see members but not invite or manage (403)', async () => {
    const { owner, id } = await owned();
    const member = await join(owner.browser, id, 'member');
    const page = await member.browser.get(`/shop/${id}/members`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/members/invite');
    expect((await member.browser.post(`/shop/${id}/members/invite`, { email: 'x@example.cn', role: 'member' })).statusCode).toBe(403);
    expect((await member.browser.api('POST', `/api/companies/${id}/members`, { email: 'x@example.cn', role: 'member' })).statusCode).toBe(403);
    expect((await member.browser.api('GET', `/api/companies/${id}/invitations`)).statusCode).toBe(403);
    const ownerId = await accountId(owner.data.email);
    expect((await member.browser.api('DELETE', `/api/companies/${id}/members/${ownerId}`)).statusCode).toBe(403);
    expect((await member.browser.api('POST', `/api/companies/${id}/transfer`, { accountId: member.accountId })).statusCode).toBe(403);
    expect((await owner.browser.api('GET', `/api/companies/${id}/invitations`)).json().invitations).toEqual([]);
    expect(await roles(owner.browser, id)).toMatchObject({ [owner.data.email]: 'owner', [member.data.email]: 'member' });
  });

  it('answers a stranger 404 on every members page and API', async () => {
    const { owner, id } = await owned();
    const member = await join(owner.browser, id, 'member');
    const invitation = (await owner.browser.api('POST', `/api/companies/${id}/invitations`, { email: 'later@example.cn', role: 'member' })).json<{ id: string }>();
    const stranger = await signedIn(t.app);
    const m = member.accountId;
    for (const url of [`/shop/${id}/members`]) expect((await stranger.browser.get(url)).statusCode).toBe(404);
    for (const [url, form] of [
      [`/shop/${id}/members/invite`, { email: 'x@example.cn', role: 'member' }],
      [`/shop/${id}/invitations/${invitation.id}/revoke`, {}],
      [`/shop/${id}/members/${m}/role`, { role: 'admin' }],
      [`/shop/${id}/members/${m}/remove`, {}],
      [`/shop/${id}/members/${m}/transfer`, {}],
      [`/shop/${id}/members/leave`, {}],
    ] as const) {
      expect({ url, status: (await stranger.browser.post(url, form)).statusCode }).toEqual({ url, status: 404 });
    }
    for (const [method, url, body] of [
      ['GET', `/api/companies/${id}/members`, undefined],
      ['POST', `/api/companies/${id}/members`, { email: 'x@example.cn', role: 'member' }],
      ['PATCH', `/api/companies/${id}/members/${m}`, { role: 'admin' }],
      ['DELETE', `/api/companies/${id}/members/${m}`, undefined],
      ['POST', `/api/companies/${id}/transfer`, { accountId: m }],
      ['POST', `/api/companies/${id}/leave`, undefined],
      ['GET', `/api/companies/${id}/invitations`, undefined],
      ['POST', `/api/companies/${id}/invitations`, { email: 'x@example.cn', role: 'member' }],
      ['DELETE', `/api/companies/${id}/invitations/${invitation.id}`, undefined],
    ] as const) {
      expect({ method, url, status: (await stranger.browser.api(method, url, body)).statusCode }).toEqual({ method, url, status: 404 });
    }
    expect(await roles(owner.browser, id)).toMatchObject({ [member.data.email]: 'member' });
    expect((await owner.browser.api('GET', `/api/companies/${id}/invitations`)).json().invitations).toHaveLength(1);
  });

  it('sends a visitor without a session to sign in, and the API answers 401', async () => {
    const { id } = await owned();
    const visitor = new Browser(t.app);
    const page = await visitor.get(`/shop/${id}/members`);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('/sign-in?next=');
    expect((await visitor.api('GET', `/api/companies/${id}/members`)).statusCode).toBe(401);
  });
});

describe('managing members', () => {
  it("changes a member's role, but never the owner's", async () => {
    const { owner, id } = await owned();
    const member = await join(owner.browser, id, 'member');
    expect((await owner.browser.post(`/shop/${id}/members/${member.accountId}/role`, { role: 'admin' })).statusCode).toBe(303);
    expect((await roles(owner.browser, id))[member.data.email]).toBe('admin');
    const patched = await owner.browser.api('PATCH', `/api/companies/${id}/members/${member.accountId}`, { role: 'member' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ accountId: member.accountId, role: 'member' });
    expect((await owner.browser.api('PATCH', `/api/companies/${id}/members/${member.accountId}`, { role: 'owner' })).statusCode).toBe(400);

    const admin = await join(owner.browser, id, 'admin');
    const ownerId = await accountId(owner.data.email);
    const refused = await admin.browser.post(`/shop/${id}/members/${ownerId}/role`, { role: 'member' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('转让所有权');
    expect((await roles(owner.browser, id))[owner.data.email]).toBe('owner');
  });

  it('removes a member, but not the owner', async () => {
    const { owner, id } = await owned();
    const member = await join(owner.browser, id, 'member');
    const admin = await join(owner.browser, id, 'admin');
    expect((await admin.browser.post(`/shop/${id}/members/${member.accountId}/remove`, {})).statusCode).toBe(303);
    expect((await roles(owner.browser, id))[member.data.email]).toBeUndefined();
    expect((await member.browser.get(`/shop/${id}/members`)).statusCode).toBe(404);
    const ownerId = await accountId(owner.data.email);
    expect((await admin.browser.api('DELETE', `/api/companies/${id}/members/${ownerId}`)).statusCode).toBe(409);
    expect((await roles(owner.browser, id))[owner.data.email]).toBe('owner');
  });

  it('transfers ownership: the old owner becomes an admin and the new owner manages', async () => {
    const { owner, id } = await owned();
    const heir = await join(owner.browser, id, 'member');
    expect((await owner.browser.post(`/shop/${id}/members/${heir.accountId}/transfer`, {})).statusCode).toBe(303);
    expect(await roles(owner.browser, id)).toMatchObject({ [owner.data.email]: 'admin', [heir.data.email]: 'owner' });

    const ownerId = await accountId(owner.data.email);
    expect((await owner.browser.api('POST', `/api/companies/${id}/transfer`, { accountId: ownerId })).statusCode).toBe(403);
    expect((await heir.browser.api('PATCH', `/api/companies/${id}/members/${ownerId}`, { role: 'member' })).statusCode).toBe(200);
    expect((await heir.browser.api('POST', `/api/companies/${id}/invitations`, { email: 'next@example.cn', role: 'admin' })).statusCode).toBe(201);
    expect((await heir.browser.api('POST', `/api/companies/${id}/transfer`, { accountId: ownerId })).statusCode).toBe(204);
    expect(await roles(heir.browser, id)).toMatchObject({ [owner.data.email]: 'owner', [heir.data.email]: 'admin' });
  });

  it('lets a member leave, but not the owner', async () => {
    const { owner, id } = await owned();
    const refused = await owner.browser.post(`/shop/${id}/members/leave`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('请先把所有权转让');
    expect((await owner.browser.api('POST', `/api/companies/${id}/leave`)).statusCode).toBe(409);

    const member = await join(owner.browser, id, 'member');
    const left = await member.browser.post(`/shop/${id}/members/leave`, {});
    expect(left.statusCode).toBe(303);
    expect((await roles(owner.browser, id))[member.data.email]).toBeUndefined();
    const admin = await join(owner.browser, id, 'admin');
    expect((await admin.browser.api('POST', `/api/companies/${id}/leave`)).statusCode).toBe(204);
    expect(Object.keys(await roles(owner.browser, id))).toEqual([owner.data.email]);
  });

  it('shows the members tab in the shop navigation', async () => {
    const { owner, id } = await owned();
    const page = await owner.browser.get(`/shop/${id}/info`);
    expect(page.body).toContain(`href="/shop/${id}/members"`);
    expect(page.body).toContain('店铺管理-成员');
  });
});

describe('personal data', () => {
  it('exports and erases invitations sent to and by a person', async () => {
    const { owner, id } = await owned();
    const invitee = await signedIn(t.app);
    await owner.browser.api('POST', `/api/companies/${id}/invitations`, { email: invitee.data.email, role: 'member' });
    const provider = t.app.silkline.providers.find((p) => p.name === 'company-invitations')!;
    const inviteeId = await accountId(invitee.data.email);
    const ownerId = await accountId(owner.data.email);
    expect((await provider.export(inviteeId)).records.received).toHaveLength(1);
    expect((await provider.export(ownerId)).records.sent).toHaveLength(1);
    expect((await provider.erase(inviteeId)).erased).toBe(1);
    expect(await invitationCount(id)).toBe(0);
  });
});
