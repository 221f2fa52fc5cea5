import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../src/app.js';
import { createScratchDatabase } from '../src/platform/db/scratch-database.js';
import { loadConfig, type Config } from '../src/config.js';
import { creditCodeCheckCharacter } from '../src/modules/companies/credit-code.js';
import { minimalPdf } from '../src/platform/storage/sample-files.js';
import { leafCategories, type LeafCategory } from '../src/modules/catalogue/index.js';
import { productInput } from '../src/modules/products/schema.js';
import type { AuthState } from '../src/platform/http/context.js';

/** The engine the suite runs on: PostgreSQL when DATABASE_URL says so, SQLite otherwise. */
export const engine = loadConfig().database.kind;

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** Every log line the app wrote, as text. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * A fresh app on a freshly migrated real database: a temporary SQLite file, or a new schema of
 * its own in PostgreSQL that is dropped afterwards.
 */
export async function makeApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info' });
  const dataDir = mkdtempSync(join(tmpdir(), 'silkline-test-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  let database: Config['database'];
  if (base.database.kind === 'postgres') {
    const scratch = await createScratchDatabase(base.database.url, 't');
    database = { kind: 'postgres', url: scratch.url, schema: scratch.schema };
    cleanups.push(() => scratch.drop());
  } else {
    database = { kind: 'sqlite', file: join(dataDir, 'test.db') };
  }
  const config: Config = { ...base, database, dataDir, ledgerDir: join(dataDir, 'ledger'), argon2MemoryKib: 1024, publicUrl: 'http://localhost:3000', ...overrides };
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  let app: FastifyInstance;
  try {
    app = await buildApp(config, { logStream });
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }
  return {
    app,
    config,
    logs,
    async close() {
      await app.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  /** Header lines by lower-case name, as received. */
  headers: Map<string, string>;
}

/** A real SMTP server in this process that keeps what it receives. */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const waiters: { predicate: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            headers: new Map(parsed.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()])),
          };
          received.push(mail);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(mail)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(mail);
            }
          }
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Resolves with the first message (already received or still to come) that matches. */
    waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching mail arrived')), timeoutMs);
        waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A cookie jar for inject(): keeps Set-Cookie values across requests like a browser. */
export class Browser {
  private cookies = new Map<string, string>();
  /** Each browser comes from an address of its own (198.18.0.0/15, set aside for tests). */
  readonly remoteAddress: string;
  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
    remoteAddress?: string,
  ) {
    this.remoteAddress = remoteAddress ?? `198.${18 + (randomBytes(1)[0]! % 2)}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private keep(setCookie: string | string[] | undefined) {
    for (const line of ([] as string[]).concat(setCookie ?? [])) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.app.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } });
    this.keep(response.headers['set-cookie']);
    return response;
  }

  /** A fresh CSRF token, as a page would carry it in its forms. */
  async csrf(): Promise<string> {
    const response = await this.get('/api/csrf-token');
    return response.json<{ token: string }>().token;
  }

  /** Submits a form with its CSRF token (unless `_csrf` is given, even as ''). */
  async post(url: string, form: Record<string, string>) {
    const body = new URLSearchParams({ _csrf: form._csrf ?? (await this.csrf()), ...form });
    if (form._csrf === '') body.delete('_csrf');
    const response = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
    this.keep(response.headers['set-cookie']);
    return response;
  }

  /** A JSON API call with the CSRF header for state-changing methods. */
  async api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, extraHeaders: Record<string, string> = {}) {
    const headers: Record<string, string> = { ...this.headers, cookie: this.cookieHeader(), ...extraHeaders };
    if (method !== 'GET') headers['x-csrf-token'] = await this.csrf();
    headers.cookie = this.cookieHeader();
    const response = await this.app.inject({ method, url, remoteAddress: this.remoteAddress, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    this.keep(response.headers['set-cookie']);
    return response;
  }
}

const creditAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Test data with sensible, unique defaults. */
export const make = {
  /** A valid, random unified social credit code of a Shenzhen company. */
  creditCode(): string {
    const body = Array.from(randomBytes(9), (b) => creditAlphabet.charAt(b % creditAlphabet.length)).join('');
    const first17 = `91440300${body}`;
    return first17 + creditCodeCheckCharacter(first17);
  },
  /** The registration form of a lighting company in Shenzhen. */
  company(overrides: Record<string, string> = {}) {
    return {
      nameZh: '深圳光明照明科技有限公司',
      nameEn: 'Shenzhen Guangming Lighting Technology Co., Ltd.',
      creditCode: make.creditCode(),
      country: 'CN',
      provinceCode: '440000',
      cityCode: '440300',
      districtCode: '440305',
      street: '科技园南区 8 栋 501',
      mainProducts: 'LED工矿灯，太阳能路灯、投光灯',
      description: '专业生产 LED 工业照明产品，出口欧美。',
      contactPerson: '李伟',
      contactEmail: 'sales@guangming-lighting.example.cn',
      contactMobile: '13800138000',
      phone: '0755-8888 6666 转 802',
      fax: '',
      ...overrides,
    };
  },
  registration(overrides: Record<string, string> = {}) {
    const n = randomBytes(3).toString('hex');
    return {
      loginName: `buyer_${n}`,
      email: `buyer.${n}@example.cn`,
      mobile: '13800138000',
      contactPerson: '李伟',
      password: 'vermilion teapot orbit 42',
      acceptTerms: 'on',
      ...overrides,
    };
  },
};

/** The single-use link of a kind (`/verify-email?token=…`) from a message body. */
export function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+(${path.replace(/[?]/g, '\\?')}[^\\s]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in message`);
  return match[1];
}

/** The newest outbox message to an address (kept or sent), read from the real database. */
export async function latestMail(app: FastifyInstance, to: string) {
  const row = await app.silkline.db.kysely
    .selectFrom('mailOutbox')
    .select(['recipient', 'subject', 'textBody', 'kind', 'status'])
    .where('recipient', '=', to)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error(`no mail to ${to}`);
  return row;
}

/** Posts a multipart form (with its CSRF token) as a browser would. */
export async function postMultipart(
  browser: Browser,
  app: FastifyInstance,
  url: string,
  fields: Record<string, string>,
  file: { field: string; name: string; bytes: Buffer; type?: string },
) {
  const form = new FormData();
  form.set('_csrf', await browser.csrf());
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: browser.remoteAddress,
    headers: { cookie: browser.cookieHeader(), 'content-type': request.headers.get('content-type')! },
    payload,
  });
}

/**
 * A signed-in member of a company that went through review: registered through the form, licence
 * uploaded, submitted, and approved by a reviewer (unless `verified` is false).
 */
export async function supplier(app: FastifyInstance, options: { company?: Record<string, string>; verified?: boolean } = {}) {
  const member = await signedIn(app);
  const created = await member.browser.post('/shop/new', make.company(options.company));
  const companyId = /\/shop\/([0-9a-f-]{36})\//.exec(String(created.headers.location))?.[1];
  if (!companyId) throw new Error(`company registration failed: ${created.statusCode}`);
  if (options.verified !== false) {
    await postMultipart(member.browser, app, `/shop/${companyId}/licence`, {}, { field: 'licence', name: 'licence.pdf', bytes: minimalPdf() });
    await member.browser.post(`/shop/${companyId}/submit`, {});
    const reviewer = { accountId: randomUUID(), sessionId: 'test', role: 'reviewer', displayName: 'reviewer' };
    await app.silkline.companies.decide(reviewer, companyId, { decision: 'approve', checks: ['licence', 'creditCode'] }, 'zh-CN');
  }
  return { ...member, companyId };
}

/** A signed-in person with their account id and the AuthState services take. */
export async function withAuth<T extends { data: { email: string; contactPerson: string } }>(app: FastifyInstance, person: T): Promise<T & { accountId: string; auth: AuthState }> {
  const { id } = await app.silkline.db.kysely.selectFrom('account').select('id').where('email', '=', person.data.email).executeTakeFirstOrThrow();
  return { ...person, accountId: id, auth: { accountId: id, sessionId: 'test', role: 'user', displayName: person.data.contactPerson } };
}

/** A leaf whose template has a select attribute, so products pass (and tests can check) the template. */
export function leafWithSelect(): LeafCategory & { select: NonNullable<LeafCategory['attributes']>[number] } {
  for (const leaf of leafCategories()) {
    const select = leaf.attributes.find((a) => a.type === 'select' && a.options.length > 0);
    if (select) return { ...leaf, select };
  }
  throw new Error('no leaf with a select attribute');
}

/**
 * A product of the supplier's company made through the service with the API's input schema
 * (an LED high bay light in a leaf with a select attribute), published unless told otherwise.
 */
export async function makeProduct(app: FastifyInstance, owner: { auth: AuthState; companyId: string }, options: { fields?: Record<string, unknown>; publish?: boolean } = {}): Promise<string> {
  const leaf = leafWithSelect();
  const input = productInput.parse({
    titleZh: 'LED工矿灯 100W 防水IP65',
    titleEn: 'LED high bay light 100W waterproof',
    categoryId: leaf.id,
    attributes: { [leaf.select.key]: leaf.select.options![0]!.value },
    moq: 50,
    unit: 'piece',
    currency: 'USD',
    priceTiers: [{ minQty: 50, price: '12.50' }],
    ...options.fields,
  });
  const { products } = app.silkline;
  const { id } = await products.create(owner.auth, owner.companyId, input);
  if (options.publish !== false) await products.setStatus(owner.auth, owner.companyId, id, 'published');
  return id;
}

/** A registered, verified and signed-in browser. */
export async function signedIn(app: FastifyInstance, overrides: Record<string, string> = {}) {
  const browser = new Browser(app);
  const data = make.registration(overrides);
  await browser.post('/register', data);
  const mail = await latestMail(app, data.email);
  const token = new URL(linkIn(mail.textBody, '/verify-email?token='), 'http://x').searchParams.get('token')!;
  await browser.post('/verify-email', { token });
  const response = await browser.post('/sign-in', { identifier: data.email, password: data.password });
  if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode}`);
  return { browser, data };
}

export type Sink = Awaited<ReturnType<typeof startSmtpSink>>;

/**
 * A test file's app, made before its tests and closed after them. With `mail`, the app sends its
 * mail over real SMTP to an in-process sink (`t.sink`). Read it inside the tests, once
 * `beforeAll` has filled it.
 * @example const t = useTestApp({}, { mail: true }); … await t.sink.waitFor((m) => m.to.includes(email));
 */
export function useTestApp(overrides: Partial<Config> = {}, options: { mail?: boolean } = {}): TestApp & { sink: Sink } {
  const handle = {} as TestApp & { sink: Sink };
  let app: TestApp | undefined;
  let sink: Sink | undefined;
  beforeAll(async () => {
    if (options.mail) sink = await startSmtpSink();
    app = await makeApp(sink ? { smtpUrl: sink.url, ...overrides } : overrides);
    Object.assign(handle, app, { sink });
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });
  return handle;
}
