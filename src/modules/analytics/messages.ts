import type { Catalog } from '../../platform/i18n/i18n.js';

export const analyticsMessages: Catalog = {
  'zh-CN': {
    'analytics.staff.title': '访问统计',
    'analytics.staff.intro': '自 {since} 起（北京时间）的页面浏览量。',
    'analytics.staff.empty': '这段时间内没有统计到页面浏览。',
    'analytics.staff.daysCaption': '每日页面浏览量（最新在前）',
    'analytics.staff.pagesCaption': '浏览最多的页面',
    'analytics.staff.day': '日期',
    'analytics.staff.views': '浏览量',
    'analytics.staff.visits': '访客数',
    'analytics.staff.path': '页面',
    'analytics.staff.consentOnly': '只统计同意“统计分析”的访客；个人区域中的编号已替换为“:id”，链接中的令牌已替换为“:token”。',
    // The words of this module's data-map values in the privacy statement.
    'legal.category.analytics': '访问统计',
    'legal.categoryAbout.analytics': '在您同意“统计分析”后，浏览器 Cookie（sl_an）中的随机访问标识，以及您浏览的页面、来源页面和日期；不关联您的账户。',
    'legal.purpose.count-visits-and-page-views-with-the-visitor-s-consent': '在您同意后统计访问量和页面浏览量，以改进网站',
  },
  en: {
    'analytics.staff.title': 'Site analytics',
    'analytics.staff.intro': 'Page views since {since} (Beijing time).',
    'analytics.staff.empty': 'No page views were counted in this period.',
    'analytics.staff.daysCaption': 'Page views per day (newest first)',
    'analytics.staff.pagesCaption': 'Most viewed pages',
    'analytics.staff.day': 'Day',
    'analytics.staff.views': 'Views',
    'analytics.staff.visits': 'Visitors',
    'analytics.staff.path': 'Page',
    'analytics.staff.consentOnly': 'Only visitors who consent to analytics are counted; ids in personal areas read ":id" and tokens in links ":token".',
    'legal.category.analytics': 'Site analytics',
    'legal.categoryAbout.analytics': 'Once you consent to analytics: a random visit id in a browser cookie (sl_an), the pages you view, the page you came from and the day; never linked to your account.',
    'legal.purpose.count-visits-and-page-views-with-the-visitor-s-consent': 'count visits and page views, with your consent, to improve the site',
  },
};
