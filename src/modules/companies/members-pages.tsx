import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError, isAppError, type FieldErrors } from '../../platform/http/errors.js';
import { parseInput } from '../../platform/http/validation.js';
import { Field, Notice, PostForm } from '../../platform/views/components.js';
import type { PageContext } from '../../platform/views/context.js';
import { canManageMembers, type MembersList, type MembersService } from './members.js';
import * as schema from './members-schema.js';
import { invitableRoles } from './members-tables.js';
import type { CompaniesService, CompanyView } from './service.js';
import { ShopNav } from './views.js';

interface Deps {
  members: MembersService;
  companies: CompaniesService;
}

interface PageState {
  message?: string;
  params?: Record<string, string | number>;
  kind?: 'error' | 'success';
  values?: Record<string, string>;
  errors?: FieldErrors;
}

const uuid = /^[0-9a-f-]{36}$/;
const tokenPattern = /^[A-Za-z0-9_-]{20,100}$/;
const doneMessages: Record<string, string> = {
  invited: 'companies.members.done.invited',
  revoked: 'companies.members.done.revoked',
  role: 'companies.members.done.role',
  removed: 'companies.members.done.removed',
  transferred: 'companies.members.done.transferred',
};

function param(request: FastifyRequest, name: string, pattern: RegExp): string {
  const value = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!pattern.test(value)) throw new AppError('NOT_FOUND');
  return value;
}

function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') out[k] = v.slice(0, 500);
  }
  return out;
}

function formatDate(ctx: PageContext, iso: string): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(iso));
}

function RoleSelect({ ctx, id, value }: { ctx: PageContext; id: string; value?: string }) {
  return (
    <select id={id} name="role">
      {invitableRoles.map((r) => (
        <option key={r} value={r} selected={r === value}>{ctx.t(`companies.members.role.${r}`)}</option>
      ))}
    </select>
  );
}

function MembersPage({ ctx, company, list, state, me }: { ctx: PageContext; company: CompanyView; list: MembersList; state: PageState; me: string }) {
  const { t } = ctx;
  const isManager = canManageMembers(list.myRole);
  const base = `/shop/${company.id}`;
  return (
    <section class="card">
      <h1>{t('companies.members.title')}</h1>
      <ShopNav ctx={ctx} company={company} current="members" />
      {state.message ? <Notice kind={state.kind ?? 'error'}>{t(state.message, state.params)}</Notice> : null}
      <h2>{t('companies.members.list')}</h2>
      <p class="muted">{t('companies.members.roles.explain')}</p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('companies.members.name')}</th>
            <th scope="col">{t('companies.members.email')}</th>
            <th scope="col">{t('companies.members.roleLabel')}</th>
            <th scope="col">{t('companies.members.joinedAt')}</th>
            {isManager ? <th scope="col">{t('companies.members.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {list.members.map((m) => (
            <tr key={m.accountId}>
              <td>{m.contactPerson}{m.accountId === me ? t('companies.members.you') : ''}</td>
              <td>{m.email}</td>
              <td>{t(`companies.members.role.${m.role}`)}</td>
              <td>{formatDate(ctx, m.joinedAt)}</td>
              {isManager ? (
                <td>
                  {m.role !== 'owner' ? (
                    <>
                      <PostForm ctx={ctx} action={`${base}/members/${m.accountId}/role`} class="inline-form">
                        <label class="visually-hidden" for={`role-${m.accountId}`}>{t('companies.members.roleLabel')}</label>
                        <RoleSelect ctx={ctx} id={`role-${m.accountId}`} value={m.role} />
                        <button class="button button-secondary" type="submit">{t('companies.members.changeRole')}</button>
                      </PostForm>
                      {m.accountId !== me ? (
                        <PostForm ctx={ctx} action={`${base}/members/${m.accountId}/remove`} class="inline-form">
                          <button class="button button-secondary" type="submit">{t('companies.members.remove')}</button>
                        </PostForm>
                      ) : null}
                    </>
                  ) : null}
                  {list.myRole === 'owner' && m.accountId !== me ? (
                    <PostForm ctx={ctx} action={`${base}/members/${m.accountId}/transfer`} class="inline-form">
                      <button class="button button-secondary" type="submit">{t('companies.members.transfer')}</button>
                    </PostForm>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {isManager ? (
        <>
          <h2>{t('companies.members.invitations')}</h2>
          {list.invitations.length === 0 ? <p>{t('companies.members.noInvitations')}</p> : (
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('companies.members.email')}</th>
                  <th scope="col">{t('companies.members.roleLabel')}</th>
                  <th scope="col">{t('companies.members.expiresAt')}</th>
                  <th scope="col">{t('companies.members.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.invitations.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{t(`companies.members.role.${i.role}`)}</td>
                    <td>{formatDate(ctx, i.expiresAt)}</td>
                    <td>
                      <PostForm ctx={ctx} action={`${base}/invitations/${i.id}/revoke`} class="inline-form">
                        <button class="button button-secondary" type="submit">{t('companies.members.revoke')}</button>
                      </PostForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('companies.members.invite.title')}</h2>
          <p>{t('companies.members.invite.explain')}</p>
          <PostForm ctx={ctx} action={`${base}/members/invite`}>
            <Field ctx={ctx} name="email" type="email" label={t('companies.members.invite.email')} value={state.values?.email}
              error={state.errors?.email} required maxLength={254} autocomplete="off" />
            <div class={state.errors?.role ? 'field field-error' : 'field'}>
              <label for="field-role">{t('companies.members.invite.role')}</label>
              <RoleSelect ctx={ctx} id="field-role" value={state.values?.role ?? 'member'} />
              {state.errors?.role ? <p class="error-text" id="field-role-error">{t(state.errors.role)}</p> : null}
            </div>
            <button class="button" type="submit">{t('companies.members.invite.submit')}</button>
          </PostForm>
        </>
      ) : null}
      <h2>{t('companies.members.leave.title')}</h2>
      {list.myRole === 'owner' ? <p>{t('companies.members.leave.ownerExplain')}</p> : (
        <>
          <p>{t('companies.members.leave.explain')}</p>
          <PostForm ctx={ctx} action={`${base}/members/leave`}>
            <button class="button button-secondary" type="submit">{t('companies.members.leave.submit')}</button>
          </PostForm>
        </>
      )}
    </section>
  );
}

/** 店铺管理-成员: the members page, its forms, and the invitation link page. */
export async function memberPages(app: FastifyInstance, { members, companies }: Deps) {
  const membersPage = async (request: FastifyRequest, reply: FastifyReply, id: string, state: PageState, status = 200) => {
    const auth = request.auth!;
    const company = await companies.getForMember(auth, id);
    const list = await members.list(auth, id);
    return sendPage(request, reply, { title: request.t('companies.members.title'), status }, (ctx) => (
      <MembersPage ctx={ctx} company={company} list={list} state={state} me={auth.accountId} />
    ));
  };

  /** Runs one form action: success redirects back with a notice; a refusal re-renders the page with it. */
  const action = (run: (request: FastifyRequest, id: string) => Promise<string>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.auth) return redirectToSignIn(request, reply);
      const id = param(request, 'id', uuid);
      try {
        return reply.redirect(await run(request, id), 303);
      } catch (error) {
        if (!isAppError(error) || error.status === 404) throw error;
        const state: PageState = { message: error.fields ? 'error.VALIDATION_FAILED' : error.messageKey, params: error.params, values: formValues(request.body), errors: error.fields };
        return membersPage(request, reply, id, state, error.status);
      }
    };

  app.get('/shop/:id/members', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const done = doneMessages[(request.query as { done?: string }).done ?? ''];
    return membersPage(request, reply, param(request, 'id', uuid), done ? { message: done, kind: 'success' } : {});
  });

  app.post('/shop/:id/members/invite', { config: { rateLimit: { max: 30, timeWindow: 3600_000 } } }, action(async (request, id) => {
    await members.invite(request.auth!, id, parseInput(schema.invitation, request.body), request.locale);
    return `/shop/${id}/members?done=invited`;
  }));

  app.post('/shop/:id/invitations/:invitationId/revoke', action(async (request, id) => {
    await members.revoke(request.auth!, id, param(request, 'invitationId', /^[0-9a-f]{64}$/));
    return `/shop/${id}/members?done=revoked`;
  }));

  app.post('/shop/:id/members/:accountId/role', action(async (request, id) => {
    await members.changeRole(request.auth!, id, param(request, 'accountId', uuid), parseInput(schema.roleChange, request.body));
    return `/shop/${id}/members?done=role`;
  }));

  app.post('/shop/:id/members/:accountId/remove', action(async (request, id) => {
    await members.remove(request.auth!, id, param(request, 'accountId', uuid));
    return `/shop/${id}/members?done=removed`;
  }));

  app.post('/shop/:id/members/:accountId/transfer', action(async (request, id) => {
    await members.transfer(request.auth!, id, param(request, 'accountId', uuid));
    return `/shop/${id}/members?done=transferred`;
  }));

  app.post('/shop/:id/members/leave', action(async (request, id) => {
    await members.leave(request.auth!, id);
    return '/shop';
  }));

  const invitationPage = async (request: FastifyRequest, reply: FastifyReply, token: string, state: PageState, status = 200) => {
    const invitation = await members.describeInvitation(token);
    const here = `/invitations/${token}`;
    return sendPage(request, reply, { title: request.t('companies.members.invitation.title'), status }, (ctx) => {
      const { t } = ctx;
      const role = t(`companies.members.role.${invitation.role}`);
      return (
        <section class="card narrow">
          <h1>{t('companies.members.invitation.title')}</h1>
          {state.message ? <Notice kind={state.kind ?? 'error'}>{t(state.message, state.params)}</Notice> : null}
          <p>{t('companies.members.invitation.offer', { company: invitation.companyName, role })}</p>
          <p>{t('companies.members.invitation.sentTo', { email: invitation.email })}</p>
          <p class="muted">{t('companies.members.invitation.expires', { date: formatDate(ctx, invitation.expiresAt) })}</p>
          {ctx.viewer ? (
            <PostForm ctx={ctx} action={here}>
              <button class="button" type="submit">{t('companies.members.invitation.accept')}</button>
            </PostForm>
          ) : (
            <>
              <p><a class="button" href={`/sign-in?next=${encodeURIComponent(here)}`}>{t('companies.members.invitation.signIn')}</a></p>
              <p>{t('companies.members.invitation.newAccount', { email: invitation.email })}</p>
              <p><a href={`/register?next=${encodeURIComponent(here)}`}>{t('companies.members.invitation.register')}</a></p>
            </>
          )}
        </section>
      );
    });
  };

  app.get('/invitations/:token', async (request, reply) => {
    const token = param(request, 'token', tokenPattern);
    return invitationPage(request, reply, token, {});
  });

  app.post('/invitations/:token', { config: { rateLimit: { max: 20, timeWindow: 60_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const token = param(request, 'token', tokenPattern);
    try {
      const { companyId } = await members.accept(request.auth, token);
      return reply.redirect(`/shop/${companyId}/members`, 303);
    } catch (error) {
      if (!isAppError(error) || error.code === 'TOKEN_INVALID') throw error;
      return invitationPage(request, reply, token, { message: error.messageKey, params: error.params }, error.status);
    }
  });
}
