import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

const why = 'record who accessed personal data, and why';

export const auditDataMap: DataMap = {
  audit_entry: {
    seq: technical('orders the chain of entries'),
    recorded_at: technical(why),
    actor_id: personal('staff.identifier', why, 'legal-duty', '3 years'),
    actor_role: technical(why),
    action: technical(why),
    target_type: technical(why),
    target_id: technical(why),
    purpose: technical(why),
    prev_hash: technical('links the entry to the one before, so changes show'),
    hash: technical('links the entry to the one before, so changes show'),
  },
  audit_chain: {
    id: technical('names the chain'),
    last_seq: technical('the newest entry of the chain'),
    last_hash: technical('the newest entry of the chain'),
    first_seq: technical('where the kept chain starts after retention'),
    anchor_hash: technical('where the kept chain starts after retention'),
    updated_at: technical('ordering'),
  },
};

/**
 * The audit log holds a person only as a member of staff who acted on others' personal data.
 * Export gives them every entry where they are the actor.
 *
 * Erasure keeps the entries unchanged until their 3 years have passed. The log exists because
 * the law requires it: access control and records of processing (PIPL arts. 51, 54 and 55), logs
 * of network activity (Cybersecurity Law art. 21(3)). PIPL art. 47 para. 2 covers exactly this
 * case: when a retention period the law requires has not ended, the handler stops all processing
 * except storage and necessary security measures, instead of deleting. Replacing the actor with a
 * pseudonym would defeat the record's one purpose (a member of staff who leaves, or cancels the
 * account, could wipe the trace of what they looked at), and every hash from that entry on covers
 * the actor id, so the chain would no longer verify. The entries go with the retention job.
 */
export function auditProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'audit',
    describe: () => auditDataMap,
    async export(subjectId) {
      const entries = await db
        .selectFrom('auditEntry')
        .select(['seq', 'recordedAt', 'actorRole', 'action', 'targetType', 'targetId', 'purpose'])
        .where('actorId', '=', subjectId)
        .orderBy('seq')
        .execute();
      return { provider: 'audit', records: { accessedAsStaff: entries.map((e) => ({ ...e, seq: Number(e.seq) })) } };
    },
    // Kept on purpose, see above: nothing is erased before the legal period ends.
    erase: () => Promise.resolve({ erased: 0 }),
  };
}
