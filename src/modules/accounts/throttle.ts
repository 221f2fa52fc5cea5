import { createHmac } from 'node:crypto';
import { AppError } from '../../platform/http/errors.js';
import type { Executor } from '../../platform/db/client.js';
import { clearThrottle, findThrottle, saveThrottle } from './repo.js';
import type { Database } from '../../database.js';

export type ThrottleKind = 'identifier' | 'ip';

const minute = 60_000;
/** After this many failures in a row the key is locked for `lockMs`; before it, delays grow. */
const policy: Record<ThrottleKind, { free: number; lockAt: number; lockMs: number }> = {
  identifier: { free: 3, lockAt: 10, lockMs: 15 * minute },
  ip: { free: 20, lockAt: 50, lockMs: 15 * minute },
};
/** Failures older than this are forgotten. */
const memoryMs = 24 * 60 * minute;

/**
 * How long a key must wait after its n-th failure in a row: nothing for the first few, then
 * 1 s, 2 s, 4 s … capped at a minute, then a lock.
 * @example waitAfter('identifier', 4) // 2000
 */
export function waitAfter(kind: ThrottleKind, failures: number): number {
  const { free, lockAt, lockMs } = policy[kind];
  if (failures < free) return 0;
  if (failures >= lockAt) return lockMs;
  return Math.min(2 ** (failures - free) * 1000, minute);
}

/** Keys are HMACs so the table holds no identifier or address in the clear. */
export function throttleKey(secret: string, kind: ThrottleKind, value: string): string {
  return createHmac('sha256', secret).update(`${kind}:${value.toLowerCase()}`).digest('hex');
}

/** Refuses the attempt while any of the keys is waiting or locked. */
export async function assertNotThrottled(db: Executor<Database>, keys: string[], now: Date): Promise<void> {
  for (const key of keys) {
    const row = await findThrottle(db, key);
    if (row?.lockedUntil && row.lockedUntil > now.toISOString()) {
      const seconds = Math.max(1, Math.ceil((Date.parse(row.lockedUntil) - now.getTime()) / 1000));
      throw new AppError('ACCOUNT_LOCKED', {
        messageKey: 'accounts.error.tooManyAttempts',
        params: { seconds },
        retryAfterSeconds: seconds,
      });
    }
  }
}

export async function recordFailure(db: Executor<Database>, kind: ThrottleKind, key: string, now: Date) {
  const row = await findThrottle(db, key);
  const recent = row && now.getTime() - Date.parse(row.lastFailureAt) < memoryMs;
  const failures = (recent ? row.failures : 0) + 1;
  const wait = waitAfter(kind, failures);
  await saveThrottle(db, key, failures, now.toISOString(), wait > 0 ? new Date(now.getTime() + wait).toISOString() : null);
}

export function recordSuccess(db: Executor<Database>, key: string) {
  return clearThrottle(db, key);
}
