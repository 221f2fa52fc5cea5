import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { staffRoles } from '../src/modules/accounts/index.js';
import { staffAreas } from '../src/modules/site/index.js';
import { Browser, signedIn, useTestApp } from './helpers.js';

const t = useTestApp();

/** A signed-in person given a staff role, with a fresh session that carries it. */
async function withRole(role: (typeof staffRoles)[number]) {
  const person = await signedIn(t.app, { loginName: `u${randomUUID().slice(0, 8)}` });
  await t.app.silkline.accounts.setRole(person.data.loginName, role);
  const browser = new Browser(t.app);
  await browser.post('/sign-in', { identifier: person.data.email, password: person.data.password });
  return browser;
}

const hrefs = (body: string) => [...body.matchAll(/<li><a href="([^"]+)">/g)].map((m) => m[1]);

describe('我的丝路 and the staff workbench', () => {
  it('gives a signed-in person one header link to 我的丝路, which leads to everything of their own', async () => {
    const person = await signedIn(t.app, { contactPerson: '赵敏' });
    const home = await person.browser.get('/');
    expect(home.body).toContain('<a href="/me">我的丝路（赵敏）</a>');
    expect(home.body).not.toContain('href="/staff"');
    const me = await person.browser.get('/me');
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain('<h1>我的丝路（赵敏）</h1>');
    for (const href of ['/rfq/mine', '/following', '/subscriptions', '/shop', '/messages', '/notices', '/account/support', '/surveys', '/account', '/account/personal-data', '/privacy/settings', '/privacy/consents']) {
      expect(me.body).toContain(`href="${href}"`);
    }
    // Every link leads to a page that answers, not to a 404.
    expect(hrefs(me.body)).toHaveLength(17);
    for (const href of hrefs(me.body)) {
      const page = await person.browser.get(href!);
      expect([200, 303], href).toContain(page.statusCode);
    }
    const en = await person.browser.get('/me?lang=en');
    expect(en.body).toContain('<h1>My Silkline (赵敏)</h1>');
    expect(en.body).toContain('Account and privacy');
  });

  it('sends visitors to sign in', async () => {
    const visitor = new Browser(t.app);
    for (const path of ['/me', '/staff']) {
      const page = await visitor.get(path);
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it('refuses the workbench to people without a staff role', async () => {
    const person = await signedIn(t.app);
    expect((await person.browser.get('/staff')).statusCode).toBe(403);
  });

  it('shows each staff role the areas it may enter, and each of those areas lets it in', async () => {
    for (const role of staffRoles.filter((r) => r !== 'user')) {
      const browser = await withRole(role);
      expect((await browser.get('/')).body, role).toContain('<a href="/staff">工作台</a>');
      const bench = await browser.get('/staff');
      expect(bench.statusCode, role).toBe(200);
      const shown = hrefs(bench.body);
      expect(shown, role).toEqual(staffAreas.filter((a) => a.roles.includes(role)).map((a) => a.href));
      expect(shown.length, role).toBeGreaterThan(0);
      for (const href of shown) expect((await browser.get(href!)).statusCode, `${role} ${href}`).toBe(200);
    }
  });
});
