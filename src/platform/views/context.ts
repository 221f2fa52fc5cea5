import type { ComponentChildren } from 'preact';
import type { Locale, Translate } from '../i18n/i18n.js';

/** Who is looking at the page, as much as the layout needs. */
export interface Viewer {
  displayName: string;
  role: string;
  /** Unread in-site notices, for the header; absent when nothing filled it. */
  unreadNotices?: number;
  /** Conversations with unread messages, for the header; absent when nothing filled it. */
  unreadMessages?: number;
}

/** What modules add to the viewer for the layout, through `request.viewerExtras`. */
export type ViewerExtras = Partial<Omit<Viewer, 'displayName' | 'role'>>;

/** Everything a server-rendered page needs from the request, built once per request. */
export interface PageContext {
  t: Translate;
  locale: Locale;
  /** The path and query of this page, for the language switch and sign-in return. */
  path: string;
  csrfToken: string;
  viewer: Viewer | null;
  /** Resolves an asset's public URL (hashed file name). */
  asset: (name: string) => string;
  showDevMailbox: boolean;
  /** A notice a module shows above the page (e.g. the cookie banner), rendered by the layout. */
  banner?: ((ctx: PageContext) => ComponentChildren) | null;
  /** `data-*` attributes on <body> for client islands (name without `data-` → value). */
  data?: Record<string, string> | null;
  /** Islands loaded on every page, besides those a page asks for itself. */
  scripts?: string[] | null;
}
