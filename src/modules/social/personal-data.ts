import type { Kysely } from 'kysely';
import type { Database } from '../../database.js';
import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

// Follows are a feature the person asks for (contract); they last until the person unfollows or
// the account goes. Shared links attribute visits for a year, then the hourly purge deletes them.
const followRetention = 'until unfollowed';
const shareRetention = '1 year';

export const socialDataMap: DataMap = {
  follow: {
    id: technical('identifies a follow', followRetention),
    account_id: personal('account.identifier', 'link a follow to the person who follows', 'contract', followRetention),
    target_type: personal('social.follows', 'show a person the companies and products they follow', 'contract', followRetention),
    target_id: personal('social.follows', 'show a person the companies and products they follow', 'contract', followRetention),
    created_at: technical('when the follow began, to list the newest first', followRetention),
  },
  share_link: {
    id: technical('identifies a shared link', shareRetention),
    token: personal('social.shares', 'attribute visits through a shared link to the share', 'contract', shareRetention),
    sharer_id: personal('account.identifier', 'link a shared link to the person who shared it', 'contract', shareRetention),
    target_type: personal('social.shares', 'record what a person shared and how', 'contract', shareRetention),
    target_id: personal('social.shares', 'record what a person shared and how', 'contract', shareRetention),
    channel: personal('social.shares', 'record what a person shared and how', 'contract', shareRetention),
    created_at: technical('when it was shared; starts the retention period', shareRetention),
  },
};

/**
 * Access, export and erasure of a person's follows and shared links. Neither is a trade record,
 * so erasure deletes them; a colleague's address is never stored here (only in the outbox message,
 * which the mail provider erases with the sender's data).
 */
export function socialProvider(db: Kysely<Database>): PersonalDataProvider {
  return {
    name: 'social',
    describe: () => socialDataMap,
    async export(subjectId) {
      const [follows, shares] = await Promise.all([
        db.selectFrom('follow').select(['targetType', 'targetId', 'createdAt']).where('accountId', '=', subjectId).orderBy('createdAt').execute(),
        db.selectFrom('shareLink').select(['targetType', 'targetId', 'channel', 'createdAt']).where('sharerId', '=', subjectId).orderBy('createdAt').execute(),
      ]);
      return { provider: 'social', records: { follows, shares } };
    },
    async erase(subjectId) {
      return db.transaction().execute(async (trx) => {
        const follows = await trx.deleteFrom('follow').where('accountId', '=', subjectId).executeTakeFirst();
        const shares = await trx.deleteFrom('shareLink').where('sharerId', '=', subjectId).executeTakeFirst();
        return { erased: Number(follows.numDeletedRows) + Number(shares.numDeletedRows) };
      });
    },
  };
}
