import type { Catalog } from '../../platform/i18n/i18n.js';

export const noticesMessages: Catalog = {
  'zh-CN': {
    'notices.title': '站内通知',
    'notices.empty': '暂无通知。',
    'notices.unread': '未读',
    'notices.open': '查看',
    'notices.markRead': '标为已读',
    'notices.markAllRead': '全部标为已读',
    'notices.list': '通知列表',
    'notices.kind.company.verified': '{company} 已通过企业认证',
    'notices.kind.company.rejected': '{company} 未通过企业认证：{reason}',
  },
  en: {
    'notices.title': 'Notices',
    'notices.empty': 'No notices yet.',
    'notices.unread': 'Unread',
    'notices.open': 'View',
    'notices.markRead': 'Mark read',
    'notices.markAllRead': 'Mark all read',
    'notices.list': 'Notices',
    'notices.kind.company.verified': '{company} is verified',
    'notices.kind.company.rejected': '{company} was not verified: {reason}',
  },
};
