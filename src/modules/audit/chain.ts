import { createHash } from 'node:crypto';
import type { AuditEntryTable } from './tables.js';

/** Every field of an entry that its hash covers: all but the hash itself. */
export type HashedEntry = Omit<AuditEntryTable, 'hash'>;

/**
 * The canonical serialisation of an entry: a JSON array in a fixed order behind a version tag.
 * JSON of strings and integers is unambiguous (quotes and separators are escaped), and an array
 * has no key order to disagree about, so the same entry always gives the same bytes.
 * @example canonicalEntry(entry) // '["silkline-audit/1",1,"2026-…","…",…]'
 */
export function canonicalEntry(entry: HashedEntry): string {
  return JSON.stringify([
    'silkline-audit/1',
    Number(entry.seq),
    entry.recordedAt,
    entry.actorId,
    entry.actorRole,
    entry.action,
    entry.targetType,
    entry.targetId,
    entry.purpose,
    entry.prevHash,
  ]);
}

/** SHA-256 (hex) over the canonical serialisation, which includes the previous entry's hash. */
export function entryHash(entry: HashedEntry): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}
