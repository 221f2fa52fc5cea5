import type { AuthState } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import * as repo from './repo.js';
import type { HandlersInput } from './schema.js';
import type { InquiriesDeps } from './service.js';
import type { HandlerMode } from './tables.js';

/** A member as the handler settings show them. */
export interface HandlerMemberView {
  accountId: string;
  contactPerson: string;
  role: 'owner' | 'admin' | 'member';
  /** Receives the company's inquiries under the current setting. */
  isHandler: boolean;
  /** Named in the `named` mode (kept when the mode is `all`, so switching back restores the list). */
  isNamed: boolean;
}

export interface HandlerSettingsView {
  companyId: string;
  mode: HandlerMode;
  members: HandlerMemberView[];
}

/** May this role choose who handles inquiries? One line, used by pages and API alike. */
export function canChooseHandlers(role: string): boolean {
  return role === 'owner' || role === 'admin';
}

/** Who in a supplier company handles its inquiries: every member (the default) or the owner and named members. */
export function createHandlerSettings(deps: InquiriesDeps) {
  const { db } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();

  /** The caller's role if they may choose; NOT_FOUND for non-members, FORBIDDEN for plain members. */
  async function getChooser(auth: AuthState, companyId: string) {
    const membership = await repo.findMembership(db, companyId, auth.accountId);
    if (!membership) throw new AppError('NOT_FOUND');
    if (!canChooseHandlers(membership.role)) throw new AppError('FORBIDDEN', { messageKey: 'inquiries.error.notManager' });
    return membership;
  }

  async function view(companyId: string): Promise<HandlerSettingsView> {
    const setting = await repo.findHandlerSetting(db, companyId);
    const mode = setting?.mode ?? 'all';
    const members = await repo.listMembersWithHandling(db, companyId);
    return {
      companyId,
      mode,
      members: members.map((m) => {
        const isNamed = m.namedId !== null;
        return { accountId: m.accountId, contactPerson: m.contactPerson, role: m.role, isNamed, isHandler: mode === 'all' || m.role === 'owner' || isNamed };
      }),
    };
  }

  return {
    /** The company's setting and its members; for the owner and admins. */
    async handlerSettings(auth: AuthState, companyId: string): Promise<HandlerSettingsView> {
      await getChooser(auth, companyId);
      return view(companyId);
    },

    /**
     * Chooses who handles the company's inquiries (owner and admins). In the `named` mode the
     * owner always handles them too, so no inquiry goes unseen; names must be current members.
     */
    async setHandlers(auth: AuthState, companyId: string, input: HandlersInput): Promise<HandlerSettingsView> {
      await getChooser(auth, companyId);
      const members = new Set((await repo.listMembersWithHandling(db, companyId)).map((m) => m.accountId));
      if (input.members.some((id) => !members.has(id))) {
        throw new AppError('VALIDATION_FAILED', { fields: { members: 'inquiries.error.handlerMember' } });
      }
      await db.transaction().execute((trx) => repo.replaceHandlers(trx, companyId, input.mode, input.members, auth.accountId, now().toISOString()));
      return view(companyId);
    },
  };
}
