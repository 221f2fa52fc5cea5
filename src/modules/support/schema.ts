import { z } from 'zod';
import { supportTopics, ticketStatuses } from './tables.js';

export const messageMaxLength = 5000;
export const nameMaxLength = 100;

// Line breaks and tabs belong in a message; other control characters never come from a keyboard.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A message body: line endings as `\n`, NFC, trimmed, 1 to 5,000 characters. */
const messageText = z
  .string({ error: 'support.error.messageRequired' })
  .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'support.error.messageRequired')
      .max(messageMaxLength, 'support.error.messageTooLong')
      .refine((v) => !controlCharacters.test(v), 'validation.controlCharacters'),
  );

/** A reply address; ignored (the account email is used) when the sender is signed in. */
const email = z
  .string({ error: 'support.error.email' })
  .transform((v) => v.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().max(254, 'support.error.email').pipe(z.email('support.error.email')));

/** An optional name: no markup and no line breaks, since it is shown in staff pages and mail. */
const name = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .max(nameMaxLength, 'support.error.nameTooLong')
      // eslint-disable-next-line no-control-regex -- a name has no line breaks or control characters
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'validation.controlCharacters')
      .refine((v) => !/[<>]/.test(v), 'support.error.nameCharacters'),
  )
  .transform((v) => v || undefined);

/** The contact form and its API body. */
export const supportTicketInput = z.object({
  topic: z.enum(supportTopics, { error: 'support.error.topic' }),
  message: messageText,
  email: email.optional(),
  name: name.optional(),
  /** A field people never see and leave empty; automated senders fill it in. */
  website: z.string().max(2000).optional(),
});
export type SupportTicketInput = z.infer<typeof supportTicketInput>;

/** A staff reply to the sender. */
export const supportReplyInput = z.object({ body: messageText });
export type SupportReplyInput = z.infer<typeof supportReplyInput>;

const page = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);

export const queueQuery = z.object({ status: z.enum(ticketStatuses).catch('open').default('open'), page });
export const pageQuery = z.object({ page });
export const ticketParams = z.object({ id: z.uuid() });
