import { pino, type DestinationStream, type Logger } from 'pino';
import { truncateIp } from '../http/ip.js';

/** Field names whose values are personal or secret, wherever they appear in a log record. */
export const redactedFields = [
  'email',
  'mobile',
  'phone',
  'fax',
  'name',
  'contactPerson',
  'loginName',
  'login',
  'identifier',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'secret',
  'ip',
  'address',
  'cookie',
  'authorization',
];

const paths = [
  ...redactedFields,
  ...redactedFields.map((field) => `*.${field}`),
  ...redactedFields.map((field) => `*.*.${field}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  // Database errors repeat the offending values (e.g. PostgreSQL's `Key (email)=(…)`).
  'err.detail',
  'err.parameters',
];

/** Query values can carry tokens or addresses: only the names of the parameters are logged. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => pair.split('=')[0])
    .filter(Boolean);
  return `${url.slice(0, at)}?${names.map((n) => `${n}=[REDACTED]`).join('&')}`;
}

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
  ip?: string;
}

/**
 * Makes the app's pino logger. Requests are logged with method, path and a truncated address
 * only; personal and secret fields are censored at any depth pino can reach.
 * @example const logger = createLogger('info', process.stdout)
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths, censor: '[REDACTED]' },
      serializers: {
        req: (req: RequestLike) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          net: truncateIp(req.ip),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
