import { personal, technical, type DataMap, type PersonalDataProvider } from '../../platform/privacy/data-map.js';

const purpose = "count visits and page views with the visitor's consent";
// Deleted by the hourly retention run (src/main.ts), and at once when the browser withdraws.
const visits = '6 months';
const counts = '2 years';

export const analyticsDataMap: DataMap = {
  analytics_page_count: {
    day: technical('the Beijing day of the count', counts),
    path: technical('the page counted (ids in personal areas and tokens removed)', counts),
    views: technical('how many views the page had that day, from every consenting visitor together', counts),
  },
  analytics_visit: {
    id: technical('identifies a visit event', visits),
    visit_id: personal('analytics', purpose, 'consent', visits, { optional: true }),
    day: personal('analytics', purpose, 'consent', visits, { optional: true }),
    path: personal('analytics', purpose, 'consent', visits, { optional: true }),
    referrer_path: personal('analytics', purpose, 'consent', visits, { optional: true }),
  },
};

/**
 * Access and erasure for analytics. Visit events carry only a browser's random visit id and are
 * never linked to an account (that is what keeps them pseudonymous), so an account has nothing
 * here to export or erase; a browser's own events are deleted when it withdraws its consent
 * (see index.ts), and all of them within 6 months.
 */
export function analyticsProvider(): PersonalDataProvider {
  return {
    name: 'analytics',
    describe: () => analyticsDataMap,
    async export() {
      return { provider: 'analytics', records: {} };
    },
    async erase() {
      return { erased: 0 };
    },
  };
}
