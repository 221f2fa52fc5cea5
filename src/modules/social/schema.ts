import { z } from 'zod';
import { targetTypes } from './tables.js';

export const noteMaxLength = 500;
export const emailMaxLength = 254;

// Line breaks and tabs belong in a note; other control characters never come from a keyboard.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const type = z.enum(targetTypes, { error: 'social.error.type' });
// Lower case only: ids are made by randomUUID, and one spelling keeps one follow per target.
const id = z.string({ error: 'social.error.id' }).regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'social.error.id');

/** A company or product: what a follow or a share is about. */
export const target = z.object({ type, id });
export type Target = z.infer<typeof target>;

/** Which of one's follows to list, 20 a page; a bad page number is page 1. */
export const followingQuery = z.object({
  type: z.enum(targetTypes).catch('company').default('company'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

/** A share token as `?s=` carries it: 22 characters of base64url (128 random bits). */
export const shareToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** A link to share: copied (`link`) or shown as a QR code (`qr`). */
export const shareInput = target.extend({
  channel: z.enum(['link', 'qr'], { error: 'social.error.channel' }).default('link'),
});
export type ShareInput = z.infer<typeof shareInput>;

const email = z
  .string({ error: 'social.error.email' })
  .transform((v) => v.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().min(1, 'social.error.email').max(emailMaxLength, 'social.error.email').pipe(z.email('social.error.email')));

const note = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().max(noteMaxLength, 'social.error.noteTooLong').refine((v) => !controlCharacters.test(v), 'validation.controlCharacters'));

/** "Email to a colleague": who to send the link to, and an optional note. */
export const shareEmailInput = target.extend({ email, note: note.optional() });
export type ShareEmailInput = z.infer<typeof shareEmailInput>;
