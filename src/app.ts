import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { dataMap, personalDataProviders } from './data-map.js';
import { tablesOf, type Database } from './database.js';
import { catalog } from './messages.js';
import { migrations } from './migrations.js';
import { openDb, type Db } from './platform/db/client.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { localSecret } from './platform/crypto/secret.js';
import { makeTranslator, type Locale } from './platform/i18n/i18n.js';
import { requestContext } from './platform/http/context.js';
import { registerCsrf } from './platform/http/csrf.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { registerRateLimit } from './platform/http/rate-limit.js';
import { registerSecurityHeaders } from './platform/http/security.js';
import { createLogger } from './platform/log/logger.js';
import { MailDispatcher, type MailTables } from './platform/mail/outbox.js';
import { registerAssets } from './platform/views/assets.js';
import type { FileStore } from './platform/storage/file-store.js';
import { createLocalFileStore } from './platform/storage/local-file-store.js';
import { registerMultipart } from './platform/storage/multipart.js';
import { registerPublicFiles } from './platform/storage/public-files.js';
import { accountsModule, createAccountsService, type AccountsService } from './modules/accounts/index.js';
import { siteModule } from './modules/site/index.js';
import { companiesModule, createCompaniesService, createMembersService, memberPages, memberRoutes, type CompaniesService } from './modules/companies/index.js';
import { createTelemetry, type Telemetry } from './modules/telemetry/index.js';
import { createNoticesService, noticesModule, type NoticesService } from './modules/notices/index.js';
import { createPrivacyRequestsService, privacyRequestsModule } from './modules/privacy-requests/index.js';
import { consentModule, createConsentService, useStatementVersion, type ConsentService } from './modules/consent/index.js';
import { analyticsModule, createAnalyticsService, type AnalyticsService } from './modules/analytics/index.js';
import { createLegalService, legalModule, type LegalService } from './modules/legal/index.js';
import { catalogueModule, companyProductsBlock, createProductsService, productPages, productRoutes, type ProductsService } from './modules/products/index.js';
import { createSupportService, startInboundMail, supportModule, type InboundMailServer, type SupportService } from './modules/support/index.js';
import { createRfqService, rfqModule, type RfqService } from './modules/rfq/index.js';
import { createInquiriesService, inquiriesModule, type InquiriesService } from './modules/inquiries/index.js';
import { createSocialService, socialModule, type SocialService } from './modules/social/index.js';
import { createPrivacyService, privacyModule } from './modules/privacy/index.js';
import { createSurveysService, surveysModule, type SurveysService } from './modules/surveys/index.js';
import { createSubscriptionsService, subscriptionsHomeBlock, subscriptionsModule, type SubscriptionsService } from './modules/subscriptions/index.js';
import { createIncidentsService, incidentsModule, type IncidentsService } from './modules/incidents/index.js';
import { dataCategories } from './modules/legal/index.js';
import { auditModule, createAuditService, type AuditService } from './modules/audit/index.js';
import type { DataMap, PersonalDataProvider } from './platform/privacy/data-map.js';

export interface AppOptions {
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
}

/** What the running app holds besides its routes; tests reach the services through it. */
export interface Silkline {
  config: Config;
  db: Db<Database>;
  mail: MailDispatcher;
  accounts: AccountsService;
  companies: CompaniesService;
  products: ProductsService;
  support: SupportService;
  telemetry: Telemetry;
  notices: NoticesService;
  consent: ConsentService;
  analytics: AnalyticsService;
  legal: LegalService;
  rfq: RfqService;
  inquiries: InquiriesService;
  social: SocialService;
  surveys: SurveysService;
  subscriptions: SubscriptionsService;
  incidents: IncidentsService;
  audit: AuditService;
  files: FileStore;
  dataMap: DataMap;
  providers: PersonalDataProvider[];
}

declare module 'fastify' {
  interface FastifyInstance {
    silkline: Silkline;
  }
}

/**
 * Builds the whole application without listening: platform plugins first, then the modules.
 * Migrations are applied before the first request.
 * @example const app = await buildApp(loadConfig()); await app.listen({ port: 3000 })
 */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = createLogger(config.logLevel, options.logStream);
  const app = Fastify({
    // Typed as Fastify's logger so the instance type matches what plugins and modules expect.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const db = openDb<Database>(config.database, (error) => logger.warn({ err: error }, 'idle database connection lost'));
  try {
    await migrateToLatest(db.kysely, migrations, config.database.kind === 'postgres' ? config.database.schema : undefined);
  } catch (error) {
    await db.close();
    throw error;
  }
  const mail = new MailDispatcher(tablesOf<MailTables>(db.kysely), { smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  // What every service that writes to people is given: words in a language, and a nudge to send.
  const translator = (locale: Locale) => makeTranslator(catalog, locale);
  const onMailQueued = () => void mail.flush();
  const secret =
    config.sessionSecret ?? localSecret(config.database.kind === 'sqlite' && config.env !== 'test' ? config.dataDir : null);
  const accounts = createAccountsService({
    db: db.kysely,
    config,
    secret,
    translator,
    onMailQueued,
  });
  const telemetry = createTelemetry(db.kysely, secret);
  const notices = createNoticesService({ db: db.kysely });
  const legal = createLegalService({
    db: db.kysely,
    dataMap,
    catalog,
    privacyEmail: config.privacyEmail,
    publicUrl: config.publicUrl,
    onMailQueued,
    warn: (message, details) => logger.warn(details, message),
  });
  try {
    // Publishes the first versions of the legal documents on a new database.
    await legal.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  // Consents are stamped with the privacy statement in effect, and paused by material changes.
  useStatementVersion(() => legal.statementVersion());
  const consent = createConsentService({
    db: db.kysely,
    statementVersion: () => legal.statementVersion(),
    acceptedStatementVersions: () => legal.acceptedStatementVersions(),
  });
  const analytics = createAnalyticsService({ db: db.kysely });
  // Staff reads and acts on personal data are recorded through it, in their own transactions.
  const audit = createAuditService({ db: db.kysely });
  const files = createLocalFileStore({ dir: join(config.dataDir, 'files') });
  const companies = createCompaniesService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    telemetry,
    notices,
    files,
    audit,
    onMailQueued,
  });
  const members = createMembersService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    onMailQueued,
  });
  const products = createProductsService({ db: db.kysely, engine: db.engine, companies, files });
  const support = createSupportService({
    db: db.kysely,
    supportEmail: config.supportEmail,
    translator,
    audit,
    onMailQueued,
    warn: (message, details) => logger.warn(details, message),
  });
  const inquiries = createInquiriesService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    telemetry,
    companies,
    products,
    files,
    audit,
    onMailQueued,
  });
  const rfq = createRfqService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    companies,
    notices,
    telemetry,
    // Accepting a quote opens an inquiry thread inside the acceptance's transaction.
    startThread: (trx, input) => inquiries.startThread(trx, input),
    onMailQueued,
  });
  const social = createSocialService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    telemetry,
    companies,
    products,
    onMailQueued,
  });
  const subscriptions = createSubscriptionsService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    secret,
    translator,
    products,
    companies,
    social,
    onMailQueued,
  });
  const surveys = createSurveysService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    translator,
    consent,
    notices,
    audit,
    onMailQueued,
    warn: (message, details) => logger.warn(details, message),
  });
  const incidents = createIncidentsService({
    db: db.kysely,
    publicUrl: config.publicUrl,
    privacyEmail: config.privacyEmail,
    categories: dataCategories(dataMap),
    translator,
    notices,
    audit,
    onMailQueued,
    warn: (message, details) => logger.warn(details, message),
  });
  const providers = personalDataProviders(db.kysely, telemetry);
  const privacy = createPrivacyService({
    db: db.kysely,
    providers: () => providers,
    dataMap,
    accounts,
    companies,
    telemetry,
    publicUrl: config.publicUrl,
    translator,
    info: (message, details) => logger.info(details, message),
    warn: (message, details) => logger.warn(details, message),
    onMailQueued,
  });
  app.decorate('silkline', { config, db, mail, accounts, companies, products, support, telemetry, notices, consent, analytics, legal, rfq, inquiries, social, surveys, subscriptions, incidents, audit, files, dataMap, providers });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie, { secret });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  await registerMultipart(app, { maxFileBytes: 10 * 1024 * 1024 });
  await registerSecurityHeaders(app, config.isProduction);
  const redis = await registerRateLimit(app, { max: config.rateLimitMax, redisUrl: config.redisUrl });
  const assets = await registerAssets(app);
  await app.register(requestContext, {
    catalog,
    visitorPages: new Map(),
    assets,
    showDevMailbox: !config.isProduction && !config.smtpUrl,
    isProduction: config.isProduction,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Silkline API', version: '0.1.0', description: 'Silkline (丝路) B2B trade platform JSON API' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  // The OpenAPI document describes the JSON API only; pages are not part of it.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) route.schema = { ...route.schema, hide: true };
  });
  await registerCsrf(app, config.isProduction);
  registerErrorHandling(app);

  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    try {
      await db.ping();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accountsModule, { accounts });
  await app.register(noticesModule, { notices });
  await app.register(privacyRequestsModule, {
    privacyRequests: createPrivacyRequestsService({
      db: db.kysely,
      publicUrl: config.publicUrl,
      translator,
      audit,
      onMailQueued,
      warn: (message, details) => logger.warn(details, message),
    }),
  });
  await app.register(consentModule, { consent, publicUrl: config.publicUrl, statementChange: () => legal.statementChange() });
  await app.register(analyticsModule, { analytics });
  await app.register(legalModule, { legal });
  await registerPublicFiles(app, files);
  await app.register(companiesModule, { companies, accounts, files, social, companyProducts: companyProductsBlock(products) });
  await app.register(memberPages, { members, companies });
  await app.register(memberRoutes, { members });
  await app.register(productPages, { products });
  await app.register(productRoutes, { products });
  await app.register(catalogueModule, { products, social });
  await app.register(siteModule, { db: tablesOf<MailTables>(db.kysely), personalBlock: subscriptionsHomeBlock(subscriptions) });
  await app.register(supportModule, { support, supportEmail: config.supportEmail, privacyEmail: config.privacyEmail });
  await app.register(rfqModule, { rfq });
  await app.register(inquiriesModule, { inquiries, products, companies });
  await app.register(socialModule, { social });
  await app.register(surveysModule, { surveys });
  await app.register(subscriptionsModule, { subscriptions });
  await app.register(incidentsModule, { incidents });
  await app.register(privacyModule, { privacy });
  await app.register(auditModule, { audit });

  let inbound: InboundMailServer | undefined;
  app.addHook('onClose', async () => {
    await inbound?.close();
    await legal.drain();
    // Invitations started by opening a survey finish their batch before the database closes.
    await surveys.drainInvitations();
    await incidents.drainNotices();
    await mail.close();
    await redis?.quit().catch(() => undefined);
    await db.close();
  });
  await app.ready();
  // Mail to the site's own addresses becomes support tickets; off unless a port is configured.
  if (config.inboundSmtpPort !== undefined) {
    inbound = await startInboundMail({
      support,
      host: config.inboundSmtpHost,
      port: config.inboundSmtpPort,
      addresses: [config.supportEmail, config.privacyEmail],
      logger,
    }).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  }
  void mail.flush();
  return app;
}
