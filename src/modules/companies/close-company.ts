import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import type { Executor } from '../../platform/db/client.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import * as repo from './repo.js';

export interface CloseCompanyDeps {
  db: Kysely<Database>;
  files: Pick<FileStore, 'delete'>;
  now: () => string;
  /** Tells the listeners (the catalogue index, the products) that the company's public face changed. */
  changed: (trx: Executor<Database>, companyId: string) => Promise<void>;
}

/** What a person's membership means for cancelling their account. */
export interface MembershipForCancellation {
  companyId: string;
  nameZh: string;
  role: 'owner' | 'admin' | 'member';
  /** How many other accounts are members: 0 means the company closes with the account. */
  otherMembers: number;
}

/**
 * The account's companies with how many other members each has, so the account's cancellation
 * can tell which companies close with it and which ones it would leave without an owner.
 */
export async function listMembershipsForCancellation(db: Executor<Database>, accountId: string): Promise<MembershipForCancellation[]> {
  const mine = await repo.listCompaniesOfMember(db, accountId);
  if (mine.length === 0) return [];
  const counts = await db
    .selectFrom('companyMember')
    .select(['companyId', (eb) => eb.fn.countAll().as('n')])
    .where('companyId', 'in', mine.map((m) => m.id))
    .groupBy('companyId')
    .execute();
  const members = new Map(counts.map((c) => [c.companyId, Number(c.n)]));
  return mine.map((m) => ({ companyId: m.id, nameZh: m.nameZh, role: m.role, otherMembers: (members.get(m.id) ?? 1) - 1 }));
}

/**
 * Closes a company nobody is left to run: status `closed`, so its public pages, directory entry
 * and search entries go and reviewers no longer see it; the contact fields (personal data of
 * the people behind it) are cleared; pending invitations are revoked, so no old link can bring
 * anyone back into it; the private licence file (it names the legal representative) and the
 * public logo are deleted.
 * The row itself, with its name and credit code, stays: inquiry threads and quotes kept under
 * the E-Commerce Law refer to it.
 *
 * With `trx` the database changes join the caller's transaction; the licence file is deleted
 * right after them either way (the logo too), because a file cannot be rolled back — if the caller's
 * transaction later fails, the company keeps a reference to a missing file, which reads as
 * "no licence" rather than leaving personal data behind.
 * @example await closeCompany(deps, undefined, companyId)
 */
export async function closeCompany(deps: CloseCompanyDeps, trx: Executor<Database> | undefined, companyId: string): Promise<{ closed: boolean }> {
  const work = async (executor: Executor<Database>) => {
    const row = await repo.findCompany(executor, companyId);
    if (!row) return { fileIds: [], closed: false };
    const at = deps.now();
    await repo.updateCompany(executor, companyId, {
      status: 'closed',
      contactPerson: '',
      contactEmail: '',
      contactMobile: null,
      contactAuthorisedAt: null,
      street: '',
      phone: '',
      fax: null,
      licenceFileId: null,
      logoFileId: null,
      updatedAt: at,
    });
    await executor
      .updateTable('companyInvitation')
      .set({ revokedAt: at })
      .where('companyId', '=', companyId)
      .where('acceptedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .execute();
    await deps.changed(executor, companyId);
    return { fileIds: [row.licenceFileId, row.logoFileId].filter((id): id is string => id !== null), closed: true };
  };
  const { fileIds, closed } = trx ? await work(trx) : await deps.db.transaction().execute(work);
  for (const fileId of fileIds) await deps.files.delete(fileId);
  return { closed };
}
