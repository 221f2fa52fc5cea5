import { z } from 'zod';

/** Thrown when the environment holds a value Silkline cannot run with; names the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  /** Postgres only: the schema to use (tests run each suite in a schema of its own). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Silkline 丝路 <no-reply@silkline.localhost>'),
  /** Where people write about their personal information; shown on the contact page and in consent receipts. */
  PRIVACY_EMAIL: z.email().default('privacy@silkline.localhost'),
  /** Where people write for help; mail to it becomes a support ticket. Default: support@ the PUBLIC_URL host. */
  SUPPORT_EMAIL: z.email().optional(),
  /** The inbound mail listener (support tickets by email); off unless a port is set. */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(300),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).default(19_456),
  /** The erasure ledger's directory: outside the database and its backups (default DATA_DIR/ledger). */
  ERASURE_LEDGER_DIR: z.string().min(1).optional(),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  privacyEmail: string;
  supportEmail: string;
  /** Set: mail to the site's addresses is received over SMTP on this port. */
  inboundSmtpPort?: number;
  inboundSmtpHost: string;
  sessionSecret?: string;
  logLevel: string;
  trustProxy: boolean;
  rateLimitMax: number;
  shutdownGraceMs: number;
  argon2MemoryKib: number;
  /** Where the erasure ledger lives: never inside a data backup, replayed at every start. */
  ledgerDir: string;
}

/**
 * Reads the configuration from an environment (process.env by default); the only reader of it.
 * @example loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && !e.SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET', 'is required in production');
  }
  const url = e.DATABASE_URL;
  const database: Config['database'] = url?.startsWith('postgres')
    ? { kind: 'postgres', url, schema: e.DATABASE_SCHEMA }
    : { kind: 'sqlite', file: url?.startsWith('sqlite:') ? url.slice('sqlite:'.length) : `${e.DATA_DIR}/silkline.db` };
  return {
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: e.DATA_DIR,
    database,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    privacyEmail: e.PRIVACY_EMAIL,
    supportEmail: e.SUPPORT_EMAIL ?? `support@${e.PUBLIC_URL ? new URL(e.PUBLIC_URL).hostname : 'silkline.localhost'}`,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    rateLimitMax: e.RATE_LIMIT_MAX,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    argon2MemoryKib: e.ARGON2_MEMORY_KIB,
    ledgerDir: e.ERASURE_LEDGER_DIR ?? `${e.DATA_DIR}/ledger`,
  };
}
