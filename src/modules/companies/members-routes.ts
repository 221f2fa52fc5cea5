import type { FastifyInstance } from 'fastify';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { InvitationView, MemberView, MembersService } from './members.js';
import * as schema from './members-schema.js';
import { invitableRoles } from './members-tables.js';
import { memberRoles } from './tables.js';

const tags = ['companies'];

const memberSchema = z.object({
  accountId: z.string(),
  contactPerson: z.string(),
  email: z.string(),
  role: z.enum(memberRoles),
  joinedAt: z.string(),
});
const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(invitableRoles),
  createdAt: z.string(),
  expiresAt: z.string(),
});
const companyParams = z.object({ id: z.uuid() });
const memberParams = z.object({ id: z.uuid(), accountId: z.uuid() });
const invitationParams = z.object({ id: z.uuid(), invitationId: z.string().regex(/^[0-9a-f]{64}$/) });
const transferBody = z.object({ accountId: z.uuid({ error: 'companies.members.error.noSuchMember' }) });


/** Presenters: only these fields ever leave the API. */
const presentMember = (m: MemberView) => ({ accountId: m.accountId, contactPerson: m.contactPerson, email: m.email, role: m.role, joinedAt: m.joinedAt });
const presentInvitation = (i: InvitationView) => ({ id: i.id, email: i.email, role: i.role, createdAt: i.createdAt, expiresAt: i.expiresAt });

/** The members and invitations JSON API, with the same rules as the pages. */
export async function memberRoutes(app: FastifyInstance, { members }: { members: MembersService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/companies/:id/members', {
    schema: {
      tags,
      summary: 'Members of a company with their roles (members only)',
      security: sessionSecurity,
      params: companyParams,
      response: { 200: z.object({ role: z.enum(memberRoles), members: z.array(memberSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const list = await members.list(requireAuth(request), request.params.id);
    return { role: list.myRole, members: list.members.map(presentMember) };
  });

  api.post('/api/companies/:id/members', {
    config: { rateLimit: { max: 30, timeWindow: 3600_000 } },
    schema: { tags, summary: 'Invite a person by email as admin or member (owner and admins)', security: sessionSecurity, params: companyParams, body: schema.invitation, response: { 201: invitationSchema, ...errorResponses } },
  }, async (request, reply) => {
    const invitation = await members.invite(requireAuth(request), request.params.id, request.body, request.locale);
    return reply.status(201).send(presentInvitation(invitation));
  });

  api.patch('/api/companies/:id/members/:accountId', {
    schema: { tags, summary: "Change a member's role (owner and admins; not the owner's)", security: sessionSecurity, params: memberParams, body: schema.roleChange, response: { 200: memberSchema, ...errorResponses } },
  }, async (request) => presentMember(await members.changeRole(requireAuth(request), request.params.id, request.params.accountId, request.body)));

  api.delete('/api/companies/:id/members/:accountId', {
    schema: { tags, summary: 'Remove a member (owner and admins; not the owner)', security: sessionSecurity, params: memberParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await members.remove(requireAuth(request), request.params.id, request.params.accountId);
    return reply.status(204).send(null);
  });

  api.post('/api/companies/:id/transfer', {
    schema: { tags, summary: 'Transfer ownership to another member (owner only); the old owner becomes an admin', security: sessionSecurity, params: companyParams, body: transferBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await members.transfer(requireAuth(request), request.params.id, request.body.accountId);
    return reply.status(204).send(null);
  });

  api.post('/api/companies/:id/leave', {
    schema: { tags, summary: 'Leave a company (not the owner, who must transfer first)', security: sessionSecurity, params: companyParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await members.leave(requireAuth(request), request.params.id);
    return reply.status(204).send(null);
  });

  api.get('/api/companies/:id/invitations', {
    schema: { tags, summary: 'Pending invitations (owner and admins)', security: sessionSecurity, params: companyParams, response: { 200: z.object({ invitations: z.array(invitationSchema) }), ...errorResponses } },
  }, async (request) => ({ invitations: (await members.listInvitations(requireAuth(request), request.params.id)).map(presentInvitation) }));

  api.post('/api/companies/:id/invitations', {
    config: { rateLimit: { max: 30, timeWindow: 3600_000 } },
    schema: { tags, summary: 'Invite a person by email (same as POST /members)', security: sessionSecurity, params: companyParams, body: schema.invitation, response: { 201: invitationSchema, ...errorResponses } },
  }, async (request, reply) => {
    const invitation = await members.invite(requireAuth(request), request.params.id, request.body, request.locale);
    return reply.status(201).send(presentInvitation(invitation));
  });

  api.delete('/api/companies/:id/invitations/:invitationId', {
    schema: { tags, summary: 'Revoke a pending invitation; its link stops working', security: sessionSecurity, params: invitationParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await members.revoke(requireAuth(request), request.params.id, request.params.invitationId);
    return reply.status(204).send(null);
  });

  api.post('/api/invitations/accept', {
    config: { rateLimit: { max: 20, timeWindow: 60_000 } },
    schema: {
      tags,
      summary: 'Accept an invitation with the emailed token (signed in with the invited address)',
      security: sessionSecurity,
      body: schema.acceptance,
      response: { 200: z.object({ companyId: z.string(), role: z.enum(invitableRoles) }), ...errorResponses },
    },
  }, async (request) => {
    const { companyId, role } = await members.accept(requireAuth(request), request.body.token);
    return { companyId, role };
  });
}
