import { mkdirSync, readdirSync } from 'node:fs';
import type { Config } from '../src/config.js';
import type { FastifyInstance } from 'fastify';
import { makeApp, startSmtpSink } from '../test/helpers.js';
import { createServer } from 'node:net';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

export const screenshotDir = join(process.cwd(), 'test-results', 'e2e');

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A port nobody is listening on, so the app can be told its public URL before it listens. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Collects what goes wrong beneath a page: uncaught script errors, console errors (a CSP refusal
 * among them) and stylesheets, scripts or images that fail to load. A document answered with a
 * 4xx is not counted: a refused sign-in or an invalid form is meant to answer that way, and
 * Chromium reports each such answer as a console error. Loads cut short by a navigation are not
 * counted either.
 */
export function collectScriptErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:')) {
      errors.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      errors.push(`${response.url()}: answered ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // A navigation cancels what the page it leaves was still loading (a favicon, a beacon sent on
    // the way out); Chromium reports that as ERR_ABORTED, which is the browser at work, not a fault.
    const reason = request.failure()?.errorText ?? '';
    if (request.resourceType() !== 'document' && reason !== 'net::ERR_ABORTED') {
      errors.push(`${request.url()}: ${reason}`);
    }
  });
  return errors;
}

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

function describeViolations(name: string, url: string, violations: Violation[]): string {
  const lines = [`axe found ${violations.length} serious or critical violation(s) on "${name}" (${url}):`];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target}  ${node.html}`);
      lines.push(`       ${node.summary.replace(/\n/g, '\n       ')}`);
    }
  }
  return lines.join('\n');
}

/**
 * Keeps a full-page screenshot for review as `test-results/e2e/<nn>-<name>.png` and checks the
 * page with axe: no serious or critical violation is allowed.
 *
 * axe is evaluated through the DevTools protocol (`page.evaluate`), which the page's strict CSP
 * does not govern; an injected inline `<script>` would be refused by `script-src 'self'`.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  // Numbered on from what this run kept so far, so several spec files never overwrite each other.
  const shot = readdirSync(screenshotDir).filter((f) => f.endsWith('.png')).length + 1;
  await page.screenshot({ path: join(screenshotDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  await page.evaluate(axe.source);
  const result = await page.evaluate(async () => {
    const run = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return {
      checked: run.passes.length + run.violations.length,
      violations: run.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })),
        })),
    };
  });
  // A check that looked at nothing would pass every page: make sure axe really ran its rules.
  expect(result.checked, `axe ran no rules on "${name}"`).toBeGreaterThan(0);
  expect(result.violations, describeViolations(name, page.url(), result.violations)).toEqual([]);
}

/**
 * A real app listening on a free loopback port, and Chromium: what every journey starts from.
 * `publicUrl` is the listening address, so links in mail lead back to it.
 */
export async function startSite(overrides: Partial<Config> = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await makeApp({ publicUrl: base, ...overrides });
  await app.app.listen({ host: '127.0.0.1', port });
  const browser = await launchChromium();
  return {
    app,
    browser,
    base,
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** What a journey file works with: the running app, Chromium, the site's address and, when asked, the SMTP sink its mail reaches. */
export interface SiteUnderTest {
  app: FastifyInstance;
  browser: Browser;
  base: string;
  sink: Awaited<ReturnType<typeof startSmtpSink>>;
}

/**
 * Starts a site before the file's journeys and stops it after them. With `mail`, the site sends
 * its mail over real SMTP to an in-process sink, so a journey can follow a link from a message.
 * Read the fields inside the journeys, once `beforeAll` has filled them.
 * @example const site = useSite({ mail: true }); … await page.goto(`${site.base}/sign-in`);
 */
export function useSite(options: { mail?: boolean } = {}): SiteUnderTest {
  const site = {} as SiteUnderTest;
  let started: Awaited<ReturnType<typeof startSite>> | undefined;
  let sink: SiteUnderTest['sink'] | undefined;
  beforeAll(async () => {
    if (options.mail) sink = await startSmtpSink();
    started = await startSite(sink ? { smtpUrl: sink.url } : {});
    Object.assign(site, { app: started.app.app, browser: started.browser, base: started.base, sink });
  });
  afterAll(async () => {
    await started?.close();
    await sink?.close();
  });
  return site;
}

/** Signs in through the real form and waits until the site has moved on from it. */
export async function signInThrough(page: Page, base: string, identifier: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.fill('#field-identifier', identifier);
  await page.fill('#field-password', password);
  await page.click('form[action="/sign-in"] button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
