import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** What is to be erased: today a whole account; the kind names the handler that replays it. */
export type ErasureKind = 'account';

/** Why it is erased, as the statement's grounds and the retention rules name them. */
export type ErasureReason = 'cancellation' | 'deletion-request' | 'retention';

/** One erasure, as the ledger keeps it: opaque ids and times only, never a person's values. */
export interface LedgerEntry {
  id: string;
  kind: ErasureKind;
  subjectId: string;
  reason: ErasureReason;
  at: string;
}

/**
 * The erasure ledger: an append-only record of every erasure, kept outside the database and
 * outside its backups, so that a restored old backup never brings anyone back — at every start
 * the entries are replayed through the modules' providers before the site serves.
 */
export interface ErasureLedger {
  /** The live JSON-lines file, `<dir>/erasures.jsonl`. */
  readonly file: string;
  /** Records an erasure durably (flushed to disk) before the database is touched. */
  append(entry: Omit<LedgerEntry, 'id'> & { id?: string }): Promise<LedgerEntry>;
  /** Every entry, oldest first; a line cut short by a crash is skipped. */
  entries(): Promise<LedgerEntry[]>;
  /** Writes a plain copy file into `dir` (atomically) and answers its path. */
  copyTo(dir: string): Promise<string>;
  /** Merges a copy's entries into the live ledger; answers how many were new. */
  mergeFrom(file: string): Promise<number>;
  /** Keeps only the entries `keep` says yes to (pruning what no backup can hold any more). */
  retain(keep: (entry: LedgerEntry) => boolean): Promise<number>;
}

const kinds: readonly string[] = ['account'];
const reasons: readonly string[] = ['cancellation', 'deletion-request', 'retention'];

function parseEntry(line: string): LedgerEntry | null {
  try {
    const value = JSON.parse(line) as Partial<LedgerEntry>;
    if (typeof value.id !== 'string' || typeof value.subjectId !== 'string' || typeof value.at !== 'string') return null;
    if (!kinds.includes(value.kind ?? '') || !reasons.includes(value.reason ?? '')) return null;
    return { id: value.id, kind: value.kind!, subjectId: value.subjectId, reason: value.reason!, at: value.at };
  } catch {
    return null;
  }
}

async function readEntries(file: string): Promise<LedgerEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseEntry)
    .filter((entry): entry is LedgerEntry => entry !== null);
}

const toLine = (entry: LedgerEntry) => `${JSON.stringify({ id: entry.id, kind: entry.kind, subjectId: entry.subjectId, reason: entry.reason, at: entry.at })}\n`;

/** Writes `text` to `path` through a flushed temporary file and a rename: a reader sees all or none. */
async function writeAtomically(path: string, dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/**
 * Opens (or creates on first append) the ledger in `dir`. Appends in one process are serialised;
 * several processes may append to one file (O_APPEND, one short line per write).
 * @example const ledger = openErasureLedger(config.ledgerDir)
 */
export function openErasureLedger(dir: string): ErasureLedger {
  const file = join(dir, 'erasures.jsonl');
  // One write at a time from this process, so merges and prunes never interleave with an append.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  async function appendLines(entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(file, 'a', 0o600);
    try {
      await handle.writeFile(entries.map(toLine).join(''));
      // The erasure counts as recorded only once it is on disk.
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    file,
    append: (input) =>
      serial(async () => {
        const entry: LedgerEntry = { id: input.id ?? randomUUID(), kind: input.kind, subjectId: input.subjectId, reason: input.reason, at: input.at };
        await appendLines([entry]);
        return entry;
      }),
    entries: () => readEntries(file),
    copyTo: (target) =>
      serial(async () => {
        const entries = await readEntries(file);
        const path = join(target, `erasures-${new Date().toISOString().replace(/[:.]/g, '')}.jsonl`);
        await writeAtomically(path, target, entries.map(toLine).join(''));
        return path;
      }),
    mergeFrom: (copy) =>
      serial(async () => {
        const known = new Set((await readEntries(file)).map((e) => e.id));
        const fresh = (await readEntries(copy)).filter((e) => !known.has(e.id) && known.add(e.id));
        await appendLines(fresh);
        return fresh.length;
      }),
    retain: (keep) =>
      serial(async () => {
        const entries = await readEntries(file);
        const kept = entries.filter(keep);
        if (kept.length === entries.length) return 0;
        await writeAtomically(file, dir, kept.map(toLine).join(''));
        return entries.length - kept.length;
      }),
  };
}
