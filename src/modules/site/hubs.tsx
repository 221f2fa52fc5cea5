import type { FastifyInstance } from 'fastify';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import type { PageContext } from '../../platform/views/context.js';

/** A place the hub leads to: its address, the words `hub.link.<key>` and `hub.about.<key>`. */
interface HubLink {
  key: string;
  href: string;
}

interface HubSection {
  key: string;
  links: HubLink[];
}

/** 我的丝路: everything a signed-in person has of their own, grouped as they think of it. */
const personalSections: HubSection[] = [
  {
    key: 'buying',
    links: [
      { key: 'rfqMine', href: '/rfq/mine' },
      { key: 'rfqNew', href: '/rfq/new' },
      { key: 'following', href: '/following' },
      { key: 'subscriptions', href: '/subscriptions' },
    ],
  },
  {
    key: 'selling',
    links: [
      { key: 'shop', href: '/shop' },
      { key: 'rfqBoard', href: '/rfq' },
    ],
  },
  {
    key: 'talking',
    links: [
      { key: 'messages', href: '/messages' },
      { key: 'notices', href: '/notices' },
      { key: 'support', href: '/account/support' },
      { key: 'surveys', href: '/surveys' },
    ],
  },
  {
    key: 'account',
    links: [
      { key: 'profile', href: '/account' },
      { key: 'password', href: '/account/password' },
      { key: 'sessions', href: '/account/sessions' },
      { key: 'personalData', href: '/account/personal-data' },
      { key: 'privacySettings', href: '/privacy/settings' },
      { key: 'consents', href: '/privacy/consents' },
      { key: 'cancel', href: '/account/cancel' },
    ],
  },
];

/**
 * The staff areas and the roles that may enter each. Each area checks the role itself; this list
 * only decides which links a member of staff is shown.
 */
export const staffAreas: (HubLink & { roles: readonly string[] })[] = [
  { key: 'reviews', href: '/staff/reviews', roles: ['reviewer', 'admin'] },
  { key: 'privacy', href: '/staff/privacy', roles: ['privacy-officer', 'admin'] },
  { key: 'legal', href: '/staff/legal', roles: ['privacy-officer', 'admin'] },
  { key: 'incidents', href: '/staff/incidents', roles: ['privacy-officer', 'admin'] },
  { key: 'supportQueue', href: '/staff/support', roles: ['support', 'admin'] },
  { key: 'inquiryReports', href: '/staff/inquiry-reports', roles: ['support', 'admin'] },
  { key: 'staffSurveys', href: '/staff/surveys', roles: ['admin'] },
  { key: 'analytics', href: '/staff/analytics', roles: ['admin'] },
  { key: 'audit', href: '/staff/audit', roles: ['admin', 'privacy-officer'] },
];

function LinkList({ ctx, links, labelledBy }: { ctx: PageContext; links: HubLink[]; labelledBy: string }) {
  const { t } = ctx;
  return (
    <ul class="hub-links" aria-labelledby={labelledBy}>
      {links.map((link) => (
        <li key={link.key}>
          <a href={link.href}>{t(`hub.link.${link.key}`)}</a>
          <p class="muted">{t(`hub.about.${link.key}`)}</p>
        </li>
      ))}
    </ul>
  );
}

function PersonalHub({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1>{t('hub.me.title', { name: ctx.viewer?.displayName ?? '' })}</h1>
      <div class="hub-grid">
        {personalSections.map((section) => (
          <section key={section.key} class="hub-section">
            <h2 id={`hub-${section.key}`}>{t(`hub.section.${section.key}`)}</h2>
            <LinkList ctx={ctx} links={section.links} labelledBy={`hub-${section.key}`} />
          </section>
        ))}
      </div>
    </section>
  );
}

function StaffHub({ ctx, areas }: { ctx: PageContext; areas: HubLink[] }) {
  const { t } = ctx;
  return (
    <section class="card">
      <h1 id="hub-staff">{t('hub.staff.title')}</h1>
      <p>{t('hub.staff.intro')}</p>
      <LinkList ctx={ctx} links={areas} labelledBy="hub-staff" />
    </section>
  );
}

/** 我的丝路 at /me and the staff 工作台 at /staff: one link in the header each, every place behind it. */
export async function hubPages(app: FastifyInstance) {
  app.get('/me', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return sendPage(request, reply, { title: request.t('hub.me.short') }, (ctx) => <PersonalHub ctx={ctx} />);
  });

  app.get('/staff', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const role = request.auth.role;
    const areas = staffAreas.filter((area) => area.roles.includes(role));
    if (areas.length === 0) throw new AppError('FORBIDDEN');
    return sendPage(request, reply, { title: request.t('hub.staff.title') }, (ctx) => <StaffHub ctx={ctx} areas={areas} />);
  });
}
