import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { isAppError } from './platform/http/errors.js';
import { addCalendarDays } from './platform/calendar/working-days.js';
import { makeTranslator, defaultLocale } from './platform/i18n/i18n.js';
import { catalog } from './messages.js';
import { runRetention } from './retention.js';
import { errorKind } from './platform/jobs/serial-run.js';
import { staffRoles, type Role } from './modules/accounts/index.js';

const usage = `Silkline (丝路)

Usage: silkline <command> [options]

  serve                      start the web server (migrates first)
  migrate                    apply pending database migrations and exit
  create-admin --login NAME --email EMAIL --mobile MOBILE --name CONTACT
                             create a staff administrator; the password is read
                             from standard input (no default password exists)
  grant-role --login NAME --role ${staffRoles.join('|')}
                             give an account a staff role (or back to user)
  reindex                    rebuild the product and company search indexes
  retention                  delete or anonymise now what is past its declared
                             retention period (serve does it every hour)
`;

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stdout.write('Password: ');
  (process.stdout as { write: unknown }).write = () => true;
  try {
    return await rl.question('');
  } finally {
    (process.stdout as { write: unknown }).write = writeOut;
    process.stdout.write('\n');
    rl.close();
  }
}

async function serve(config: Config): Promise<void> {
  const app = await buildApp(config);
  const { db, products } = app.silkline;
  if (!(await products.index.isCurrent(db.kysely))) {
    // Built by an older analyser: rebuilt in the background while the site answers.
    app.log.warn('search indexes were built by another analyser version; rebuilding');
    void products.index.rebuild(db.kysely).then(
      ({ companies }) => app.log.info({ companies }, 'search indexes rebuilt'),
      (error: unknown) => app.log.error({ err: error }, 'search index rebuild failed'),
    );
  }
  const retry = setInterval(() => void app.silkline.mail.flush(), 30_000);
  // The Beijing date of the last daily message digest; null so the first hour after a start sends
  // a digest not yet sent today (each person gets one a day at most, on any instance).
  let digestDay: string | null = null;
  // Retention runs one at a time: a run that outlasts the hour is not joined by the next one.
  let isRetentionRunning = false;
  const purge = setInterval(() => {
    // Every declared retention period, enforced by the registry in src/retention.ts.
    if (!isRetentionRunning) {
      isRetentionRunning = true;
      void runRetention(app.silkline, new Date(), app.log).finally(() => {
        isRetentionRunning = false;
      });
    }
    // Invitations to open surveys go out in batches, once per person.
    void app.silkline.surveys.sendInvitations().catch((error: unknown) => app.log.error({ error: errorKind(error) }, 'survey invitations failed'));
    // Notices of a published security incident (S16) go out in batches, once per person. The jobs
    // below log only the kind of an error: its message may quote an address.
    void app.silkline.incidents.sendNotices().catch((error: unknown) => app.log.error({ error: errorKind(error) }, 'incident notices failed'));
    // Subscription alerts: each subscription is taken by one run only, on whichever instance comes first.
    void app.silkline.subscriptions.sendAlerts(new Date()).catch((error: unknown) => app.log.error({ error: errorKind(error) }, 'subscription alerts failed'));
    const now = new Date();
    const today = addCalendarDays(now, 0);
    if (today !== digestDay) {
      digestDay = today;
      void app.silkline.inquiries.sendDailyDigests(now).catch((error: unknown) => app.log.error({ error: errorKind(error) }, 'daily message digest failed'));
    }
  }, 3600_000);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(retry);
    clearInterval(purge);
    const force = setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    await app.close();
    app.log.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const { values } = parseArgs({
    args: rest,
    options: {
      login: { type: 'string' },
      email: { type: 'string' },
      mobile: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
    },
    allowPositionals: false,
  });
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate': {
      const app = await buildApp({ ...config, logLevel: 'warn' });
      await app.close();
      console.log('Migrations applied.');
      return 0;
    }
    case 'create-admin': {
      const { login, email, mobile, name } = values;
      if (!login || !email || !mobile || !name) {
        console.error(usage);
        return 2;
      }
      const password = await readPassword();
      const app = await buildApp({ ...config, logLevel: 'warn' });
      try {
        const { registration } = await import('./modules/accounts/schema.js');
        const { parseInput } = await import('./platform/http/validation.js');
        const input = parseInput(registration, { loginName: login, email, mobile, contactPerson: name, password, acceptTerms: true });
        await app.silkline.accounts.createAdmin(input);
        console.log(`Administrator ${input.loginName} created.`);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'grant-role': {
      const { login, role } = values;
      if (!login || !role || !(staffRoles as readonly string[]).includes(role)) {
        console.error(usage);
        return 2;
      }
      const app = await buildApp({ ...config, logLevel: 'warn' });
      try {
        await app.silkline.accounts.setRole(login, role as Role);
        console.log(`${login} is now ${role}.`);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'reindex': {
      const app = await buildApp({ ...config, logLevel: 'warn' });
      try {
        const { companies } = await app.silkline.products.index.rebuild(app.silkline.db.kysely);
        console.log(`Search indexes rebuilt (${companies} companies and their products).`);
        return 0;
      } finally {
        await app.close();
      }
    }
    case 'retention': {
      const app = await buildApp({ ...config, logLevel: 'warn' });
      try {
        const outcomes = await runRetention(app.silkline, new Date(), app.log);
        const failed = outcomes.filter((o) => !o.ok).map((o) => o.name);
        console.log(failed.length === 0 ? `Retention run finished (${outcomes.length} jobs).` : `Retention jobs failed: ${failed.join(', ')}.`);
        return failed.length === 0 ? 0 : 1;
      } finally {
        await app.close();
      }
    }
    default:
      console.log(usage);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    if (isAppError(error)) {
      const t = makeTranslator(catalog, defaultLocale);
      const fields = Object.entries(error.fields ?? {}).map(([field, key]) => `  ${field}: ${t(key)}`);
      console.error([`${error.code}: ${t(error.messageKey, error.params)}`, ...fields].join('\n'));
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
