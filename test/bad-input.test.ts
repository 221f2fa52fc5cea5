import { describe, expect, it } from 'vitest';
import { Browser, latestMail, linkIn, make, useTestApp } from './helpers.js';

const t = useTestApp();

async function accountCount(): Promise<number> {
  const row = await t.app.silkline.db.kysely.selectFrom('account').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const huge = 'x'.repeat(10_000);
const script = '<script>alert(1)</script>';

const registrationCases: [string, Record<string, string>, string][] = [
  ['empty login name', { loginName: '' }, 'loginName'],
  ['short login name', { loginName: 'abc' }, 'loginName'],
  ['10,000-character login name', { loginName: huge }, 'loginName'],
  ['script login name', { loginName: script }, 'loginName'],
  ['empty email', { email: '' }, 'email'],
  ['10,000-character email', { email: `${huge}@example.cn` }, 'email'],
  ['script email', { email: `${script}@example.cn` }, 'email'],
  ['empty mobile', { mobile: '' }, 'mobile'],
  ['letters as mobile', { mobile: 'call me' }, 'mobile'],
  ['too short mobile', { mobile: '1380013800' }, 'mobile'],
  ['landline as mobile', { mobile: '02161234567' }, 'mobile'],
  ['10,000-character mobile', { mobile: '1'.repeat(10_000) }, 'mobile'],
  ['empty contact person', { contactPerson: '' }, 'contactPerson'],
  ['10,000-character contact person', { contactPerson: huge }, 'contactPerson'],
  ['control characters in contact person', { contactPerson: 'Li\u0000Wei' }, 'contactPerson'],
  ['empty password', { password: '' }, 'password'],
  ['7-character password', { password: 'Ab3$xyz' }, 'password'],
  ['common password', { password: 'password123' }, 'password'],
  ['10,000-character password', { password: huge }, 'password'],
  ['terms not accepted', { acceptTerms: '' }, 'acceptTerms'],
];

describe('registration form with bad input', () => {
  it.each(registrationCases)('%s gets a localised field message and stores nothing', async (_name, override, field) => {
    const before = await accountCount();
    const response = await new Browser(t.app).post('/register', make.registration(override));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toMatch(new RegExp(`id="field-${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="field-${field}"|id="field-${field}-error"`));
    expect(response.body).toContain('提交的信息有误');
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(await accountCount()).toBe(before);
  });

  it('shows English messages to an English visitor', async () => {
    const response = await new Browser(t.app, { 'accept-language': 'en' }).post('/register', make.registration({ mobile: 'nope' }));
    expect(response.body).toContain('Enter a valid mobile number');
  });

  it('keeps what was typed, except the password', async () => {
    const data = make.registration({ mobile: 'nope' });
    const response = await new Browser(t.app).post('/register', data);
    expect(response.body).toContain(`value="${data.email}"`);
    expect(response.body).not.toContain(data.password);
  });

  it('refuses duplicates that differ only in case, and stores nothing', async () => {
    const browser = new Browser(t.app);
    const first = make.registration();
    expect((await browser.post('/register', first)).statusCode).toBe(303);
    const before = await accountCount();
    const sameLogin = await new Browser(t.app).post('/register', make.registration({ loginName: first.loginName.toUpperCase() }));
    expect(sameLogin.statusCode).toBe(409);
    expect(sameLogin.body).toContain('该登录名已被使用');
    const sameEmail = await new Browser(t.app).post('/register', make.registration({ email: first.email.toUpperCase() }));
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.body).toContain('该邮箱已被注册');
    expect(await accountCount()).toBe(before);
  });

  it('refuses repeated fields (arrays) as a wrong type', async () => {
    const browser = new Browser(t.app);
    const token = await browser.csrf();
    const before = await accountCount();
    const data = make.registration();
    const body = new URLSearchParams({ ...data, _csrf: token });
    body.append('loginName', 'second_value');
    const response = await t.app.inject({
      method: 'POST',
      url: '/register',
      remoteAddress: browser.remoteAddress,
      headers: { cookie: browser.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    expect(response.statusCode).toBe(400);
    expect(await accountCount()).toBe(before);
  });

  it('refuses a registration without a CSRF token with 403 and stores nothing', async () => {
    const before = await accountCount();
    const browser = new Browser(t.app);
    await browser.get('/register');
    const response = await browser.post('/register', { ...make.registration(), _csrf: '' });
    expect(response.statusCode).toBe(403);
    expect(await accountCount()).toBe(before);
  });

  it('answers too many registrations from one address with 429', async () => {
    const browser = new Browser(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await browser.post('/register', make.registration({ mobile: 'bad' }))).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    const limited = await browser.post('/register', make.registration());
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('操作过于频繁');
  });
});

describe('JSON API with bad input', () => {
  const wrongTypes: [string, Record<string, unknown>][] = [
    ['number as login name', { loginName: 12345678 }],
    ['array as email', { email: ['a@b.cn'] }],
    ['object as mobile', { mobile: { n: 1 } }],
    ['null contact person', { contactPerson: null }],
    ['boolean password', { password: true }],
    ['string terms', { acceptTerms: 'yes please' }],
  ];

  it.each(wrongTypes)('%s gets 400 VALIDATION_FAILED with a field message', async (_name, override) => {
    const before = await accountCount();
    const response = await new Browser(t.app).api('POST', '/api/accounts', { ...make.registration(), acceptTerms: true, ...override });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.error.fields)).toEqual([Object.keys(override)[0]]);
    expect(await accountCount()).toBe(before);
  });

  it('refuses a sign-in body that is not an object', async () => {
    const response = await new Browser(t.app).api('POST', '/api/session', ['x']);
    expect(response.statusCode).toBe(400);
  });

  it('refuses an API call without the CSRF header', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/accounts', payload: { ...make.registration(), acceptTerms: true } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF_INVALID');
  });
});

describe('signed-in forms with bad input', () => {
  it('the profile form refuses bad values, changes nothing, and escapes what it shows', async () => {
    const browser = new Browser(t.app);
    const data = make.registration();
    await browser.post('/register', data);
    const mail = await latestMail(t.app, data.email);
    await browser.post('/verify-email', { token: new URL(linkIn(mail.textBody, '/verify-email?token='), 'http://x').searchParams.get('token')! });
    await browser.post('/sign-in', { identifier: data.email, password: data.password });

    for (const bad of [
      { contactPerson: '', mobile: '13800138000', email: data.email },
      { contactPerson: huge, mobile: '13800138000', email: data.email },
      { contactPerson: 'ok', mobile: 'nope', email: data.email },
      { contactPerson: 'ok', mobile: '13800138000', email: 'not-an-email' },
    ]) {
      const response = await browser.post('/account', bad);
      expect(response.statusCode).toBe(400);
    }
    const me = (await browser.api('GET', '/api/me')).json();
    expect(me).toMatchObject({ contactPerson: data.contactPerson, mobile: '+8613800138000', email: data.email, pendingEmail: null });

    const saved = await browser.post('/account', { contactPerson: script, mobile: '13800138000', email: data.email });
    expect(saved.statusCode).toBe(303);
    const page = await browser.get('/account');
    expect(page.body).not.toContain(script);
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('pages that need an account send a visitor to sign in; the API answers 401', async () => {
    const response = await t.app.inject({ url: '/account/sessions' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?next=%2Faccount%2Fsessions');
    expect((await t.app.inject({ url: '/api/me' })).statusCode).toBe(401);
  });

  it('bad tokens in links get a clear 410 page, not an error', async () => {
    for (const url of ['/verify-email', '/verify-email?token=short', `/password/reset?token=${'A'.repeat(43)}`, `/verify-email?token=${huge}`]) {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(410);
      expect(response.body).toContain('链接');
    }
  });
});
