import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Proof of consent is kept for as long as the consent may need proving (PIPL art. 14/15 place the
// burden on the handler): the life of the account plus three years, then anonymised.
const proof = 'account-lifetime + 3 years (proof of consent)';

export const consentDataMap: DataMap = {
  consent_record: {
    id: technical('identifies a ledger line', proof),
    subject: personal('account.identifier', 'whose consent this is, for a signed-in person', 'legal-duty', proof, { optional: true }),
    consent_id: personal('device.identifier', 'the random id of an anonymous browser that made a choice (cookie consent_id, 12 months)', 'legal-duty', proof, { optional: true }),
    statement_version: technical('which legal statement the choice was made under', proof),
    purpose: personal('consent', 'which purpose the choice is about', 'legal-duty', proof),
    granted: personal('consent', 'whether the purpose was granted or refused', 'legal-duty', proof),
    method: personal('consent', 'how the choice was made: banner, settings, API or the GPC signal', 'legal-duty', proof),
    created_at: technical('when the choice was made; the latest line per purpose is in force', proof),
    ip_prefix: personal('device.network', 'truncated IP address (two octets, IPv6 /48) as evidence of the choice', 'legal-duty', proof),
    browser_class: personal('device.info', 'browser family (e.g. Chrome) as evidence of the choice', 'legal-duty', proof),
  },
};

/** Access, export and erasure of a person's consent ledger. */
export function consentProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'consent',
    describe: () => consentDataMap,
    async export(subjectId) {
      const rows = await db
        .selectFrom('consentRecord')
        .select(['purpose', 'granted', 'method', 'statementVersion', 'createdAt', 'ipPrefix', 'browserClass'])
        .where('subject', '=', subjectId)
        .orderBy('createdAt')
        .orderBy('purpose')
        .execute();
      return { provider: 'consent', records: { consents: rows.map((r) => ({ ...r, granted: Number(r.granted) === 1 })) } };
    },
    /**
     * Consent records may have to be kept as proof that processing was lawful, so erasure does
     * not delete them: it cuts them off the person (subject and browser id set to null) and
     * keeps the rest — purpose, choice, method, time, truncated IP, browser family — which no
     * longer identifies anyone. The only change the append-only ledger ever receives.
     */
    async erase(subjectId) {
      const result = await db.updateTable('consentRecord').set({ subject: null, consentId: null }).where('subject', '=', subjectId).executeTakeFirst();
      return { erased: Number(result.numUpdatedRows) };
    },
  };
}
