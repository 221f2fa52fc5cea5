import { describe, expect, it } from 'vitest';
import { Browser, latestMail, linkIn, make, useTestApp } from './helpers.js';

const t = useTestApp({ logLevel: 'trace' });

describe('logs', () => {
  it('hold none of the personal values of a registration, sign-in and profile edit', async () => {
    const browser = new Browser(t.app, { 'user-agent': 'Mozilla/5.0 Test' }, '203.0.113.77');
    const data = make.registration({ contactPerson: '欧阳明月', mobile: '13912345678' });
    await browser.post('/register', data);
    const mail = await latestMail(t.app, data.email);
    const link = linkIn(mail.textBody, '/verify-email?token=');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    await browser.get(link);
    await browser.post('/verify-email', { token });
    await browser.post('/sign-in', { identifier: data.email, password: data.password });
    await browser.api('POST', '/api/session', { identifier: data.loginName, password: 'a wrong password here' });
    await browser.post('/account', { contactPerson: '欧阳明月', mobile: '13912345678', email: data.email });
    const sid = browser.cookie('sid')!;

    const output = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(10);
    expect(output).toContain('203.0.0.0');
    for (const secret of [data.email, data.loginName, data.password, '欧阳明月', '13912345678', '8613912345678', '203.0.113.77', token, sid]) {
      expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
