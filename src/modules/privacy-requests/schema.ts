import { z } from 'zod';
import { privacyTopics } from './tables.js';

export const messageMaxLength = 5000;

const text = (max: number, tooLong: string) =>
  z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(z.string().min(1, 'privacyRequests.error.messageRequired').max(max, tooLong));

/** A reply address; ignored (the account email is used) when the sender is signed in. */
const email = z
  .string({ error: 'privacyRequests.error.email' })
  .transform((v) => v.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().max(254, 'privacyRequests.error.email').pipe(z.email('privacyRequests.error.email')));

/** The privacy contact form and its API body. */
export const privacyRequestInput = z.object({
  topic: z.enum(privacyTopics, { error: 'privacyRequests.error.topic' }),
  message: text(messageMaxLength, 'privacyRequests.error.messageTooLong'),
  email: email.optional(),
});
export type PrivacyRequestInput = z.infer<typeof privacyRequestInput>;

/** An officer's reply to the requester. */
export const privacyReplyInput = z.object({
  body: text(messageMaxLength, 'privacyRequests.error.messageTooLong'),
});
export type PrivacyReplyInput = z.infer<typeof privacyReplyInput>;

export const queueQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
export const requestParams = z.object({ id: z.uuid() });
