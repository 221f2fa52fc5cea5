import type { InquiryThreadTable, Side, ThreadOrigin, ThreadStatus } from './tables.js';

/** A thread as its participants see it; never a raw row. */
export interface ThreadView {
  id: string;
  company: { id: string; nameZh: string; nameEn: string | null };
  buyerName: string;
  product: { id: string | null; title: string } | null;
  subject: string;
  quantity: number | null;
  unit: string | null;
  targetPrice: string | null;
  targetCurrency: string | null;
  origin: ThreadOrigin;
  status: ThreadStatus;
  createdAt: string;
  lastMessageAt: string;
  closedAt: string | null;
  /** The viewer's side; null for staff looking at a reported thread. */
  side: Side | null;
  isUnread: boolean;
  isArchived: boolean;
}

export interface AttachmentView {
  id: string;
  fileName: string;
  mime: string;
  size: number;
}

export interface MessageView {
  id: string;
  side: Side;
  authorName: string;
  isMine: boolean;
  body: string;
  createdAt: string;
  attachments: AttachmentView[];
}

type ThreadRow = Pick<
  InquiryThreadTable,
  | 'id' | 'companyId' | 'buyerAccountId' | 'buyerName' | 'productId' | 'productTitle' | 'subject' | 'quantity' | 'unit' | 'targetPrice'
  | 'targetCurrency' | 'origin' | 'status' | 'createdAt' | 'lastMessageAt' | 'lastBuyerMessageAt' | 'lastSupplierMessageAt' | 'closedAt'
> & { companyNameZh: string; companyNameEn: string | null; lastReadAt: string | null; archivedAt: string | null };

/** The presenter of a thread for a viewer (by account id), or for staff when the viewer is null. */
export function toThread(row: ThreadRow, viewerAccountId: string | null): ThreadView {
  const side: Side | null = viewerAccountId === null ? null : row.buyerAccountId === viewerAccountId ? 'buyer' : 'supplier';
  const fromOtherSide = side === 'buyer' ? row.lastSupplierMessageAt : side === 'supplier' ? row.lastBuyerMessageAt : null;
  return {
    id: row.id,
    company: { id: row.companyId, nameZh: row.companyNameZh, nameEn: row.companyNameEn },
    buyerName: row.buyerName,
    product: row.productTitle ? { id: row.productId, title: row.productTitle } : null,
    subject: row.subject,
    quantity: row.quantity,
    unit: row.unit,
    targetPrice: row.targetPrice,
    targetCurrency: row.targetCurrency,
    origin: row.origin,
    status: row.status,
    createdAt: row.createdAt,
    lastMessageAt: row.lastMessageAt,
    closedAt: row.closedAt,
    side,
    isUnread: fromOtherSide !== null && fromOtherSide > (row.lastReadAt ?? ''),
    isArchived: row.archivedAt !== null,
  };
}

interface MessageRow {
  id: string;
  authorAccountId: string | null;
  side: Side;
  authorName: string;
  body: string;
  createdAt: string;
}

interface AttachmentRow extends AttachmentView {
  messageId: string;
}

/** The presenter of a thread's messages, each with its attachments. */
export function toMessages(messages: MessageRow[], attachments: AttachmentRow[], viewerAccountId: string | null): MessageView[] {
  return messages.map((m) => ({
    id: m.id,
    side: m.side,
    authorName: m.authorName,
    isMine: viewerAccountId !== null && m.authorAccountId === viewerAccountId,
    body: m.body,
    createdAt: m.createdAt,
    attachments: attachments.filter((a) => a.messageId === m.id).map((a) => ({ id: a.id, fileName: a.fileName, mime: a.mime, size: a.size })),
  }));
}
