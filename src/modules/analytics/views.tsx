import type { PageContext } from '../../platform/views/context.js';
import type { AnalyticsService } from './service.js';

type Report = Awaited<ReturnType<AnalyticsService['report']>>;

/** The staff report: page views and visits per day for the last 30 days, and the top pages. */
export function ReportPage({ ctx, report }: { ctx: PageContext; report: Report }) {
  const { t } = ctx;
  const number = new Intl.NumberFormat(ctx.locale);
  return (
    <section class="card">
      <h1>{t('analytics.staff.title')}</h1>
      <p>{t('analytics.staff.intro', { since: report.since })}</p>
      {report.days.length === 0 ? (
        <p class="muted">{t('analytics.staff.empty')}</p>
      ) : (
        <>
          <table class="data" id="analytics-days">
            <caption>{t('analytics.staff.daysCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('analytics.staff.day')}</th>
                <th scope="col">{t('analytics.staff.views')}</th>
                <th scope="col">{t('analytics.staff.visits')}</th>
              </tr>
            </thead>
            <tbody>
              {report.days.map((d) => (
                <tr key={d.day}>
                  <td>
                    <time dateTime={d.day}>{d.day}</time>
                  </td>
                  <td>{number.format(d.views)}</td>
                  <td>{number.format(d.visits)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="data" id="analytics-pages">
            <caption>{t('analytics.staff.pagesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('analytics.staff.path')}</th>
                <th scope="col">{t('analytics.staff.views')}</th>
              </tr>
            </thead>
            <tbody>
              {report.pages.map((p) => (
                <tr key={p.path}>
                  <td>
                    <code>{p.path}</code>
                  </td>
                  <td>{number.format(p.views)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p class="hint">{t('analytics.staff.consentOnly')}</p>
    </section>
  );
}
