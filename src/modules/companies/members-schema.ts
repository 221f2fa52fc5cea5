import { z } from 'zod';
import { email } from '../accounts/schema.js';
import { invitableRoles } from './members-tables.js';

/** A role that can be given by invitation or role change: admin or member, never owner. */
export const invitableRole = z.enum(invitableRoles, { error: 'companies.members.error.role' });

/** 邀请成员: the address to invite and the role offered. */
export const invitation = z.object({ email, role: invitableRole });
export type Invitation = z.infer<typeof invitation>;

/** A member's new role. */
export const roleChange = z.object({ role: invitableRole });
export type RoleChange = z.infer<typeof roleChange>;

/** An emailed invitation token: base64url, 43 characters for 32 random bytes. */
export const invitationToken = z.string({ error: 'validation.invalidType' }).regex(/^[A-Za-z0-9_-]{20,100}$/, 'companies.members.error.linkInvalid');

export const acceptance = z.object({ token: invitationToken });
export type Acceptance = z.infer<typeof acceptance>;
