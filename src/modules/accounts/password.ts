import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/** The zxcvbn score a password needs (0–4). */
export const minimumScore = 3;

export interface Strength {
  score: number;
  acceptable: boolean;
  /** Catalog key explaining a refusal. */
  reason?: string;
}

/** The parts of a person's own data that must not make up their password. */
function personalHints(hints: string[]): string[] {
  const parts = new Set<string>();
  for (const hint of hints) {
    const value = hint.toLowerCase().trim();
    if (!value) continue;
    parts.add(value);
    for (const piece of value.split(/[@.\s_+-]+/)) if (piece.length >= 3) parts.add(piece);
  }
  return [...parts];
}

/**
 * Judges a password after NIST SP 800-63B: length and guessability only, no composition rules.
 * Hints are the user's own name, email and login name, which make a password guessable.
 * @example assessPassword('correct horse battery staple', ['li.wei@example.cn']).acceptable // true
 */
export function assessPassword(password: string, hints: string[] = []): Strength {
  if (password.length < 8) return { score: 0, acceptable: false, reason: 'accounts.error.passwordTooShort' };
  const parts = personalHints(hints);
  const lower = password.toLowerCase();
  if (parts.some((part) => part.length >= 4 && lower.includes(part))) {
    return { score: 0, acceptable: false, reason: 'accounts.error.passwordPersonal' };
  }
  const { score } = zxcvbn.check(password.slice(0, 128), parts);
  if (score < minimumScore) return { score, acceptable: false, reason: 'accounts.error.passwordWeak' };
  return { score, acceptable: true };
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

/** argon2id with the given memory cost (19 MiB by default, OWASP's minimum for argon2id). */
export function argon2Hasher(memoryKib: number): PasswordHasher {
  const options = { memoryCost: memoryKib, timeCost: 2, parallelism: 1 };
  return {
    hash: (password) => hash(password, options),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
