import { describe, expect, it } from 'vitest';
import { Browser, latestMail, linkIn, make, makeApp, useTestApp } from './helpers.js';


const t = useTestApp({}, { mail: true });

/** Registers through the form and follows the emailed link, as a person would. */
async function registerAndVerify(browser: Browser, data = make.registration()) {
  const response = await browser.post('/register', data);
  expect(response.statusCode).toBe(303);
  expect(response.headers.location).toBe('/register/sent');
  const mail = await t.sink.waitFor((m) => m.to.includes(data.email) && m.subject.includes('验证'));
  const link = linkIn(mail.text, '/verify-email?token=');
  const page = await browser.get(link);
  expect(page.statusCode).toBe(200);
  const token = new URL(link, 'http://x').searchParams.get('token')!;
  const verified = await browser.post('/verify-email', { token });
  expect(verified.statusCode).toBe(200);
  expect(verified.body).toContain('邮箱已验证');
  return data;
}

async function signIn(browser: Browser, identifier: string, password: string) {
  return browser.post('/sign-in', { identifier, password, next: '/account' });
}

describe('registration and email verification', () => {
  it('sends a verification link over real SMTP that verifies the address once', async () => {
    const browser = new Browser(t.app);
    const data = make.registration();
    await browser.post('/register', data);
    const mail = await t.sink.waitFor((m) => m.to.includes(data.email));
    expect(mail.text).toContain(data.contactPerson);
    const token = new URL(linkIn(mail.text, '/verify-email?token='), 'http://x').searchParams.get('token')!;
    expect((await browser.post('/verify-email', { token })).statusCode).toBe(200);
    const again = await browser.post('/verify-email', { token });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('验证链接无效');
  });

  it('refuses sign-in before the email is verified, with a way to resend the link', async () => {
    const browser = new Browser(t.app);
    const data = make.registration();
    await browser.post('/register', data);
    const response = await signIn(browser, data.email, data.password);
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('请先点击验证邮件中的链接');
    expect(response.body).toContain('/verify-email/resend');
    const resend = await browser.post('/verify-email/resend', { email: data.email });
    expect(resend.statusCode).toBe(200);
    const first = await t.sink.waitFor((m) => m.to.includes(data.email));
    await t.sink.waitFor((m) => m.to.includes(data.email) && m !== first);
    expect(t.sink.received.filter((m) => m.to.includes(data.email)).length).toBe(2);
  });

  it('shows the collection notice, the terms checkbox and the password advice before the form is sent', async () => {
    const page = await new Browser(t.app).get('/register');
    expect(page.body).toContain('我们收集哪些信息，用于什么');
    expect(page.body).toContain('href="/legal"');
    expect(page.body).toMatch(/type="checkbox" name="acceptTerms"(?![^>]*checked)/);
    expect(page.body).toContain('data-strength-for="field-password"');
  });

  it('requires the terms to be accepted explicitly', async () => {
    const data = make.registration();
    const response = await new Browser(t.app).post('/register', { ...data, acceptTerms: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('请阅读并同意服务条款后再注册');
  });
});

describe('sign-in, sessions and sign-out', () => {
  it('signs in by email and by login name (any case), with a new session id each time', async () => {
    const browser = new Browser(t.app, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' });
    const data = await registerAndVerify(browser);
    const first = await signIn(browser, data.email.toUpperCase(), data.password);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/account');
    const setCookie = ([] as string[]).concat(first.headers['set-cookie'] ?? []).find((c) => c.startsWith('sid='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const firstSid = browser.cookie('sid');
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('个人信息-基本信息');
    expect(account.headers['cache-control']).toBe('private, no-store');

    const out = await browser.post('/sign-out', {});
    expect(out.statusCode).toBe(303);
    expect((await browser.get('/account')).statusCode).toBe(303);

    const second = await signIn(browser, data.loginName.toUpperCase(), data.password);
    expect(second.statusCode).toBe(303);
    expect(browser.cookie('sid')).toBeDefined();
    expect(browser.cookie('sid')).not.toBe(firstSid);
    // The old cookie no longer works.
    const stale = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `sid=${firstSid}` } });
    expect(stale.statusCode).toBe(401);
  });

  it('gives the same answer whether the account exists or the password is wrong', async () => {
    const browser = new Browser(t.app);
    const data = await registerAndVerify(browser);
    const wrong = await signIn(new Browser(t.app), data.email, 'not the right password at all');
    const missing = await signIn(new Browser(t.app), 'nobody-here@example.cn', 'not the right password at all');
    expect(wrong.statusCode).toBe(401);
    expect(missing.statusCode).toBe(401);
    const message = (body: string) => /<div class="notice notice-error" role="alert">([^<]*)</.exec(body)?.[1];
    expect(message(wrong.body)).toBe('账户或密码不正确。');
    expect(message(missing.body)).toBe(message(wrong.body));
    const api = await new Browser(t.app).api('POST', '/api/session', { identifier: 'nobody@example.cn', password: 'whatever-it-is' });
    expect(api.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '账户或密码不正确。' } });
  });

  it('slows down and then locks an identifier after repeated failures, for existing and unknown accounts alike', async () => {
    for (const identifier of ['ghost_account', (await registerAndVerify(new Browser(t.app))).loginName]) {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await new Browser(t.app).api('POST', '/api/session', { identifier, password: `wrong password ${i}` });
        statuses.push(last.statusCode);
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[3]).toBe(429);
      expect(last?.headers['retry-after']).toBeDefined();
      expect(last?.json().error.code).toBe('ACCOUNT_LOCKED');
    }
  });

  it('lists sessions with browser, OS and a truncated address, and revokes one or all others', async () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
    const a = new Browser(t.app, { 'user-agent': ua });
    const data = await registerAndVerify(a);
    await signIn(a, data.email, data.password);
    const b = new Browser(t.app);
    await signIn(b, data.loginName, data.password);
    const c = new Browser(t.app);
    await signIn(c, data.loginName, data.password);

    const list = await a.api('GET', '/api/me/sessions');
    const sessions = list.json().sessions as { id: string; browser: string; os: string; ipPrefix: string; current: boolean }[];
    expect(sessions).toHaveLength(3);
    const mine = sessions.find((s) => s.current)!;
    expect(mine.browser).toBe('Chrome 126');
    expect(mine.os).toBe('Windows 10');
    expect(mine.ipPrefix).toBe(a.remoteAddress.split('.').slice(0, 2).join('.') + '.0.0');
    const page = await a.get('/account/sessions');
    expect(page.body).toContain('Chrome 126 · Windows 10');
    expect(page.body).toContain('当前设备');

    const other = sessions.find((s) => !s.current)!;
    expect((await a.post(`/account/sessions/${other.id}/revoke`, {})).statusCode).toBe(303);
    expect((await a.api('GET', '/api/me/sessions')).json().sessions).toHaveLength(2);

    const revoked = await a.api('POST', '/api/me/sessions/revoke-others');
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await b.api('GET', '/api/me')).statusCode).toBe(401);
    expect((await c.api('GET', '/api/me')).statusCode).toBe(401);
    expect((await a.api('GET', '/api/me')).statusCode).toBe(200);
  });

  it("cannot revoke another account's session", async () => {
    const owner = new Browser(t.app);
    const ownerData = await registerAndVerify(owner);
    await signIn(owner, ownerData.email, ownerData.password);
    const ownerSession = ((await owner.api('GET', '/api/me/sessions')).json().sessions as { id: string }[])[0]!.id;
    const intruder = new Browser(t.app);
    const intruderData = await registerAndVerify(intruder);
    await signIn(intruder, intruderData.email, intruderData.password);
    const attempt = await intruder.api('DELETE', `/api/me/sessions/${ownerSession}`);
    expect(attempt.statusCode).toBe(404);
    expect((await owner.api('GET', '/api/me')).statusCode).toBe(200);
  });

  it('marks the session cookie Secure in production', async () => {
    const prod = await makeApp({ env: 'production', isProduction: true, sessionSecret: 'p'.repeat(40) });
    try {
      const browser = new Browser(prod.app);
      const data = make.registration();
      await browser.post('/register', data);
      const row = await latestMail(prod.app, data.email);
      const token = new URL(linkIn(row.textBody, '/verify-email?token='), 'http://x').searchParams.get('token')!;
      await browser.post('/verify-email', { token });
      const response = await signIn(browser, data.email, data.password);
      const sid = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('sid='));
      expect(sid).toMatch(/Secure/);
      expect((await prod.app.inject({ url: '/dev/mailbox' })).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});

describe('个人信息-基本信息 and passwords', () => {
  it('corrects contact person and mobile at once, and changes email only after the new address is verified', async () => {
    const browser = new Browser(t.app);
    const data = await registerAndVerify(browser);
    await signIn(browser, data.email, data.password);
    const newEmail = `changed.${data.loginName}@example.com`;
    const saved = await browser.post('/account', { contactPerson: '王芳', mobile: '+86 139 0013 9000', email: newEmail });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account?saved=email');
    let me = (await browser.api('GET', '/api/me')).json();
    expect(me).toMatchObject({ contactPerson: '王芳', mobile: '+8613900139000', email: data.email, pendingEmail: newEmail });

    const mail = await t.sink.waitFor((m) => m.to.includes(newEmail));
    const token = new URL(linkIn(mail.text, '/verify-email?token='), 'http://x').searchParams.get('token')!;
    expect((await browser.post('/verify-email', { token })).statusCode).toBe(200);
    me = (await browser.api('GET', '/api/me')).json();
    expect(me).toMatchObject({ email: newEmail, pendingEmail: null, emailVerified: true });
    expect((await signIn(new Browser(t.app), newEmail, data.password)).statusCode).toBe(303);
  });

  it('refuses an email that another account uses, and changes nothing', async () => {
    const other = await registerAndVerify(new Browser(t.app));
    const browser = new Browser(t.app);
    const data = await registerAndVerify(browser);
    await signIn(browser, data.email, data.password);
    const response = await browser.api('PATCH', '/api/me', { contactPerson: '赵六', mobile: '13700137000', email: other.email.toUpperCase() });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.fields.email).toBe('该邮箱已被注册。');
    expect((await browser.api('GET', '/api/me')).json()).toMatchObject({ contactPerson: data.contactPerson, mobile: '+8613800138000' });
  });

  it('changes the password after checking the current one and ends the other sessions', async () => {
    const browser = new Browser(t.app);
    const data = await registerAndVerify(browser);
    await signIn(browser, data.email, data.password);
    const elsewhere = new Browser(t.app);
    await signIn(elsewhere, data.email, data.password);

    const wrong = await browser.post('/account/password', { currentPassword: 'not my password', newPassword: 'copper lantern river 2027' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('当前密码不正确');
    const weak = await browser.post('/account/password', { currentPassword: data.password, newPassword: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('太容易被猜到');

    const ok = await browser.post('/account/password', { currentPassword: data.password, newPassword: 'copper lantern river 2027' });
    expect(ok.statusCode).toBe(303);
    expect((await browser.api('GET', '/api/me')).statusCode).toBe(200);
    expect((await elsewhere.api('GET', '/api/me')).statusCode).toBe(401);
    expect((await signIn(new Browser(t.app), data.email, data.password)).statusCode).toBe(401);
    expect((await signIn(new Browser(t.app), data.email, 'copper lantern river 2027')).statusCode).toBe(303);
    await t.sink.waitFor((m) => m.to.includes(data.email) && m.subject.includes('密码已修改'));
  });

  it('resets a forgotten password with a single-use emailed link that ends every session', async () => {
    const browser = new Browser(t.app);
    const data = await registerAndVerify(browser);
    await signIn(browser, data.email, data.password);
    const unknown = await new Browser(t.app).post('/password/forgot', { email: 'nobody.at.all@example.cn' });
    const known = await new Browser(t.app).post('/password/forgot', { email: data.email });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    expect(unknown.body).toContain('如果该邮箱已注册');
    expect(known.body).toContain('如果该邮箱已注册');

    const mail = await t.sink.waitFor((m) => m.to.includes(data.email) && m.subject.includes('重设密码'));
    const link = linkIn(mail.text, '/password/reset?token=');
    const visitor = new Browser(t.app);
    expect((await visitor.get(link)).statusCode).toBe(200);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const done = await visitor.post('/password/reset', { token, newPassword: 'marble falcon weekday 88' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('密码已重设');
    expect((await browser.api('GET', '/api/me')).statusCode).toBe(401);
    expect((await visitor.post('/password/reset', { token, newPassword: 'another good phrase 99' })).statusCode).toBe(410);
    expect((await visitor.get(link)).statusCode).toBe(410);
    expect((await signIn(new Browser(t.app), data.email, 'marble falcon weekday 88')).statusCode).toBe(303);
  });
});

describe('the JSON API', () => {
  it('registers, verifies, signs in and reads the profile with CSRF tokens', async () => {
    const client = new Browser(t.app);
    const data = make.registration();
    const created = await client.api('POST', '/api/accounts', { ...data, acceptTerms: true });
    expect(created.statusCode).toBe(201);
    const row = await latestMail(t.app, data.email);
    const token = new URL(linkIn(row.textBody, '/verify-email?token='), 'http://x').searchParams.get('token')!;
    expect((await client.api('POST', '/api/accounts/verify-email', { token })).statusCode).toBe(204);
    const session = await client.api('POST', '/api/session', { identifier: data.loginName, password: data.password });
    expect(session.statusCode).toBe(200);
    expect(session.json()).not.toHaveProperty('passwordHash');
    const me = (await client.api('GET', '/api/me')).json();
    expect(me).toEqual({
      id: created.json().id,
      loginName: data.loginName,
      email: data.email,
      pendingEmail: null,
      emailVerified: true,
      mobile: '+8613800138000',
      contactPerson: data.contactPerson,
      role: 'user',
      createdAt: expect.any(String),
    });
    expect((await client.api('DELETE', '/api/session')).statusCode).toBe(204);
    expect((await client.api('GET', '/api/me')).statusCode).toBe(401);
  });

  it('answers in English when asked', async () => {
    const client = new Browser(t.app, { 'accept-language': 'en-US,en;q=0.9' });
    const response = await client.api('GET', '/api/me');
    expect(response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Please sign in to continue.' } });
  });
});

describe('staff roles', () => {
  it('creates an administrator and grants roles through the service the CLI uses', async () => {
    const { accounts } = t.app.silkline;
    await accounts.createAdmin({
      loginName: 'chief_admin',
      email: 'chief.admin@example.cn',
      mobile: '+8613600136000',
      contactPerson: '管理员',
      password: 'granite orchard compass 7',
    });
    const browser = new Browser(t.app);
    expect((await signIn(browser, 'chief_admin', 'granite orchard compass 7')).statusCode).toBe(303);
    expect((await browser.api('GET', '/api/me')).json().role).toBe('admin');
    await accounts.setRole('CHIEF_ADMIN', 'privacy-officer');
    expect((await browser.api('GET', '/api/me')).json().role).toBe('privacy-officer');
    await expect(accounts.createAdmin({
      loginName: 'second_admin',
      email: 'second@example.cn',
      mobile: '+8613600136001',
      contactPerson: '管理员',
      password: 'password',
    })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('sign-in throttling per address', () => {
  it('locks an address that fails for many different identifiers', async () => {
    const { accounts } = t.app.silkline;
    const client = { ip: '198.18.77.77', userAgent: 'test' };
    const codes: string[] = [];
    for (let i = 0; i < 22; i++) {
      const error = await accounts.signIn({ identifier: `guess_${i}`, password: 'wrong password guess' }, client).catch((e: { code: string }) => e);
      codes.push((error as { code: string }).code);
    }
    expect(codes.slice(0, 20).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes.at(-1)).toBe('ACCOUNT_LOCKED');
    const other = await accounts.signIn({ identifier: 'guess_x', password: 'wrong password guess' }, { ip: '198.18.77.78' }).catch((e: { code: string }) => e);
    expect((other as { code: string }).code).toBe('INVALID_CREDENTIALS');
  });
});

describe('registering on the way somewhere', () => {
  it('carries a same-site next path through the verification link to sign-in', async () => {
    const browser = new Browser(t.app);
    const page = await browser.get('/register?next=%2Finvitations%2Fabc');
    expect(page.body).toContain('name="next" value="/invitations/abc"');
    const data = make.registration();
    await browser.post('/register', { ...data, next: '/invitations/abc' });
    const mail = await t.sink.waitFor((m) => m.to.includes(data.email));
    const link = linkIn(mail.text, '/verify-email?token=');
    expect(link).toContain('&next=%2Finvitations%2Fabc');
    const verifyPage = await browser.get(link);
    expect(verifyPage.body).toContain('name="next" value="/invitations/abc"');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const verified = await browser.post('/verify-email', { token, next: '/invitations/abc' });
    expect(verified.body).toContain('href="/sign-in?next=%2Finvitations%2Fabc"');

    const offsite = make.registration();
    await new Browser(t.app).post('/register', { ...offsite, next: '//evil.example/x' });
    const offsiteMail = await t.sink.waitFor((m) => m.to.includes(offsite.email));
    expect(linkIn(offsiteMail.text, '/verify-email?token=')).not.toContain('next=');
  });
});
