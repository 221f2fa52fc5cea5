import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { z } from 'zod';
import type { InboundMail, SupportService } from './service.js';

/** The largest mail accepted, advertised with the SMTP SIZE extension and enforced. */
export const defaultMaxBytes = 10 * 1024 * 1024;
/** Longer text bodies (long quoted histories) are cut here. */
export const maxBodyCharacters = 100_000;
const maxRecipients = 20;
const maxSubjectCharacters = 200;
const maxNameCharacters = 100;
const maxFileNameCharacters = 200;

export interface InboundMailOptions {
  support: Pick<SupportService, 'receiveMail'>;
  host: string;
  /** 0 picks a free port (tests); the chosen one is on the returned handle. */
  port: number;
  /** The site's own addresses; mail for any other recipient is refused (no open relay). */
  addresses: string[];
  maxBytes?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface InboundMailServer {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply that refuses a command or a message; `responseCode` is what the client sees. */
function refusal(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

// eslint-disable-next-line no-control-regex -- control characters never belong in stored text
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const isAddress = (value: string) => value.length <= 254 && z.email().safeParse(value).success;

/** A header line's text: one line, no control characters, cut to a length. */
function oneLine(value: string, max: number): string {
  return value.normalize('NFC').replace(/[\r\n\t]+/g, ' ').replace(controlCharacters, '').replace(/\s+/g, ' ').trim().slice(0, max);
}

function headerText(parsed: ParsedMail, name: string): string {
  const value = parsed.headers.get(name);
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * The mail's text. mailparser turns HTML into text only when the HTML is the whole mail (or sits
 * beside a text part), so an HTML part next to attachments is read again on its own.
 */
async function textOf(parsed: ParsedMail): Promise<string> {
  if (parsed.text) return parsed.text;
  if (typeof parsed.html !== 'string' || parsed.html === '') return '';
  const alone = await simpleParser(Buffer.from(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${parsed.html}`, 'utf8'));
  return alone.text ?? '';
}

/**
 * What the support service needs from a parsed mail; null when there is no address to answer.
 * The sender is the From header's address (what a person sees), else the envelope sender.
 */
export async function readInboundMail(parsed: ParsedMail, envelope: { mailFrom: string; to: string }, ownAddresses: ReadonlySet<string>): Promise<InboundMail | null> {
  const header = parsed.from?.value.find((a) => a.address && isAddress(a.address.trim().toLowerCase()));
  const from = header?.address?.trim().toLowerCase() ?? (isAddress(envelope.mailFrom.toLowerCase()) ? envelope.mailFrom.toLowerCase() : null);
  if (!from) return null;
  const autoSubmitted = headerText(parsed, 'auto-submitted');
  const precedence = headerText(parsed, 'precedence');
  // RFC 3834: never answer bounces, auto-replies or bulk mail, nor mail from the site itself.
  const isAutomatic =
    envelope.mailFrom === '' || (autoSubmitted !== '' && autoSubmitted !== 'no') || ['bulk', 'junk', 'list'].includes(precedence) || ownAddresses.has(from);
  let text = (await textOf(parsed)).normalize('NFC').replace(/\r\n?/g, '\n').replace(controlCharacters, '').trim();
  if (text.length > maxBodyCharacters) text = `${text.slice(0, maxBodyCharacters)}\n…`;
  return {
    from,
    fromName: header?.name ? oneLine(header.name, maxNameCharacters).replace(/[<>]/g, '') || null : null,
    to: envelope.to,
    subject: oneLine(parsed.subject ?? '', maxSubjectCharacters),
    text,
    attachments: parsed.attachments.map((a) => oneLine(a.filename ?? '', maxFileNameCharacters)),
    messageId: parsed.messageId ? parsed.messageId.slice(0, 300) : null,
    isAutomatic,
  };
}

/**
 * Starts the inbound mail listener: SMTP without authentication that accepts mail only for the
 * site's own addresses, up to a size limit, and turns each mail into a support ticket (or a
 * new message in the ticket whose reference its subject quotes). Answers 451 when the mail
 * cannot be stored, so the sending server tries again later.
 * @example const inbound = await startInboundMail({ support, host: '127.0.0.1', port: 2525, addresses: ['support@silkline.cn'] })
 */
export async function startInboundMail(options: InboundMailOptions): Promise<InboundMailServer> {
  const accepted = new Set(options.addresses.map((a) => a.trim().toLowerCase()));
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const { logger } = options;

  async function store(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const envelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo[0]?.address.toLowerCase() ?? '',
    };
    const mail = await readInboundMail(parsed, envelope, accepted);
    if (!mail) throw refusal(550, '5.1.7 A valid sender address is needed to answer this mail');
    try {
      const { outcome, reference } = await options.support.receiveMail(mail);
      logger?.info({ outcome, reference, attachments: mail.attachments.length }, 'inbound mail stored');
      return reference ? `Queued as ${reference}` : 'Already received';
    } catch (error) {
      logger?.warn({ err: error }, 'inbound mail could not be stored');
      throw refusal(451, '4.3.0 Temporary failure, please try again later');
    }
  }

  const server = new SMTPServer({
    banner: 'Silkline',
    size: maxBytes,
    rejectOversized: true,
    authOptional: true,
    // No authentication (nobody sends as the site through it) and no STARTTLS: the listener sits
    // behind the site's mail exchanger on a private address, which speaks TLS to the internet.
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    maxClients: 50,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address, session, callback) {
      if (!accepted.has(address.address.trim().toLowerCase())) {
        callback(refusal(550, '5.7.1 Relaying denied: this server accepts mail only for its own addresses'));
        return;
      }
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(refusal(452, '4.5.3 Too many recipients'));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped; the message is refused when it ends.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(refusal(552, `5.3.4 Message exceeds the maximum size of ${maxBytes} bytes`));
          return;
        }
        store(Buffer.concat(chunks), session).then(
          (message) => callback(null, message),
          (error: unknown) => callback(error instanceof Error ? error : refusal(451, '4.3.0 Temporary failure')),
        );
      });
    },
  });
  // Connection-level failures (a client resetting, a bad TLS handshake) are reported here.
  server.on('error', (error: NodeJS.ErrnoException) => logger?.warn({ code: error.code }, 'inbound mail connection error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  logger?.info({ port }, 'inbound mail listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
