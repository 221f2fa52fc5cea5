import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Text from a form or JSON: trimmed, NFC-normalised, without control characters. */
const text = (max: number, tooLong: string) =>
  z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'validation.required')
        .max(max, tooLong)
        // eslint-disable-next-line no-control-regex -- refusing control characters is the point
        .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'validation.controlCharacters'),
    );

export const loginName = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.trim())
  .pipe(
    z
      .string()
      .min(1, 'validation.required')
      .regex(/^[A-Za-z0-9_-]{4,32}$/, 'accounts.error.loginNameFormat'),
  );

/** Email: trimmed, lower-cased, NFC; one account per normalised address. */
export const email = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().min(1, 'validation.required').max(254, 'accounts.error.emailFormat').pipe(z.email('accounts.error.emailFormat')));

/**
 * Mobile: mainland China `1xxxxxxxxxx` with or without +86, or an international number in
 * E.164 form; stored as E.164 (`+8613800138000`).
 */
export const mobile = z
  .string({ error: 'validation.invalidType' })
  .transform((v) => v.replace(/[\s-]/g, ''))
  .pipe(z.string().min(1, 'validation.required').max(20, 'accounts.error.mobileFormat'))
  .transform((v, ctx) => {
    const mainland = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(v);
    if (mainland) return `+86${mainland[1]}`;
    if (/^\+[1-9]\d{6,14}$/.test(v) && !v.startsWith('+86')) {
      const phone = parsePhoneNumberFromString(v);
      const type = phone?.getType();
      if (phone?.isValid() && type !== 'FIXED_LINE') return phone.number;
    }
    ctx.addIssue({ code: 'custom', message: 'accounts.error.mobileFormat' });
    return z.NEVER;
  });

export const contactPerson = text(100, 'accounts.error.contactPersonTooLong');

/** Passwords: 8 to 64+ characters (we accept up to 128), no composition rules. */
export const password = z
  .string({ error: 'validation.invalidType' })
  .min(1, 'validation.required')
  .min(8, 'accounts.error.passwordTooShort')
  .max(128, 'accounts.error.passwordTooLong');

const checkbox = z.union([z.literal('on'), z.literal('true'), z.literal(true)], {
  error: 'accounts.error.termsRequired',
});

export const registration = z.object({
  loginName,
  email,
  mobile,
  contactPerson,
  password,
  acceptTerms: checkbox,
});
export type Registration = z.output<typeof registration>;

export const signIn = z.object({
  identifier: z
    .string({ error: 'validation.invalidType' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(z.string().min(1, 'validation.required').max(320, 'accounts.error.identifierTooLong')),
  password: z.string({ error: 'validation.invalidType' }).min(1, 'validation.required').max(128, 'accounts.error.passwordTooLong'),
});
export type SignIn = z.output<typeof signIn>;

export const profileUpdate = z.object({ contactPerson, email, mobile });
export type ProfileUpdate = z.output<typeof profileUpdate>;

export const passwordChange = z.object({
  currentPassword: z.string({ error: 'validation.invalidType' }).min(1, 'validation.required').max(128, 'accounts.error.passwordTooLong'),
  newPassword: password,
});
export type PasswordChange = z.output<typeof passwordChange>;

export const passwordResetRequest = z.object({ email });

export const passwordReset = z.object({
  token: z.string({ error: 'validation.invalidType' }).regex(/^[A-Za-z0-9_-]{20,100}$/, 'accounts.error.tokenInvalid'),
  newPassword: password,
});

export const tokenQuery = z.object({
  token: z.string({ error: 'validation.invalidType' }).regex(/^[A-Za-z0-9_-]{20,100}$/, 'accounts.error.tokenInvalid'),
});

export const strengthQuery = z.object({
  password: z.string().max(128),
  hints: z.array(z.string().max(320)).max(5).default([]),
});
