import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses, requireAuth, sessionSecurity } from '../../platform/http/api.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthState } from '../../platform/http/context.js';
import type { AccountsService } from '../accounts/index.js';
import { citiesOf, districtsOf, findRegion, provinces } from './regions.js';
import * as schema from './schema.js';
import type { CompaniesService } from './service.js';
import { companyStatuses, memberRoles } from './tables.js';

const companySchema = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  creditCode: z.string(),
  hasLicence: z.boolean(),
  country: z.string(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  street: z.string(),
  phone: z.string(),
  fax: z.string().nullable(),
  mainProducts: z.array(z.string()),
  description: z.string(),
  contactPerson: z.string(),
  contactEmail: z.string(),
  contactMobile: z.string().nullable(),
  status: z.enum(companyStatuses),
  rejectionReason: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  verifiedChecks: z.array(z.string()),
  logoFileId: z.string().nullable(),
  memberRole: z.enum(memberRoles).optional(),
});
const publicSchema = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string().nullable(),
  country: z.string(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  mainProducts: z.array(z.string()),
  description: z.string(),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  verifiedChecks: z.array(z.string()),
  logoFileId: z.string().nullable(),
});
const idParams = z.object({ id: z.uuid() });


/** The companies JSON API, with the same rules as the pages. */
export async function companyRoutes(app: FastifyInstance, { companies, accounts }: { companies: CompaniesService; accounts: AccountsService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const ownName = async (auth: AuthState) => (await accounts.getProfile(auth.accountId)).contactPerson;

  api.get('/api/regions', {
    schema: {
      tags: ['companies'],
      summary: 'Administrative divisions of mainland China: provinces, or the children of a code',
      querystring: z.object({ parent: z.string().regex(/^\d{6}$/).optional(), lang: z.string().max(10).optional() }),
      response: { 200: z.object({ regions: z.array(z.object({ code: z.string(), name: z.string() })) }) },
    },
  }, async (request) => {
    const { parent, lang } = request.query;
    const level = parent ? findRegion(parent)?.level : undefined;
    const list = !parent ? provinces() : level === 'province' ? citiesOf(parent) : level === 'city' ? districtsOf(parent) : [];
    const english = lang === 'en' || (lang === undefined && request.locale === 'en');
    return { regions: list.map((r) => ({ code: r.code, name: english ? r.en : r.zh })) };
  });

  api.post('/api/companies', {
    config: { rateLimit: { max: 10, timeWindow: 60_000 } },
    schema: { tags: ['companies'], summary: 'Register a company; you become its owner', security: sessionSecurity, body: schema.registration, response: { 201: companySchema, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    const { id } = await companies.register(auth, request.body, await ownName(auth));
    return reply.status(201).send(await companies.getForMember(auth, id));
  });

  api.get('/api/me/companies', {
    schema: {
      tags: ['companies'],
      summary: 'Companies I am a member of',
      security: sessionSecurity,
      response: { 200: z.object({ companies: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), status: z.enum(companyStatuses), role: z.enum(memberRoles) })) }), ...errorResponses },
    },
  }, async (request) => ({ companies: await companies.listMine(requireAuth(request)) }));

  api.get('/api/companies/:id/manage', {
    schema: { tags: ['companies'], summary: 'A company as its member sees it', security: sessionSecurity, params: idParams, response: { 200: companySchema, ...errorResponses } },
  }, async (request) => companies.getForMember(requireAuth(request), request.params.id));

  api.patch('/api/companies/:id', {
    schema: { tags: ['companies'], summary: 'Correct or supplement company information (店铺管理-公司信息)', security: sessionSecurity, params: idParams, body: schema.companyInfo, response: { 200: companySchema, ...errorResponses } },
  }, async (request) => companies.updateInfo(requireAuth(request), request.params.id, request.body));

  api.patch('/api/companies/:id/contact', {
    schema: { tags: ['companies'], summary: 'Correct or supplement contact information (店铺管理-联系信息)', security: sessionSecurity, params: idParams, body: schema.contactInfo, response: { 200: companySchema, ...errorResponses } },
  }, async (request) => {
    const auth = requireAuth(request);
    return companies.updateContact(auth, request.params.id, request.body, await ownName(auth));
  });

  api.post('/api/companies/:id/submit', {
    schema: { tags: ['companies'], summary: 'Submit the company for verification', security: sessionSecurity, params: idParams, response: { 200: companySchema, ...errorResponses } },
  }, async (request) => companies.submitForReview(requireAuth(request), request.params.id));

  api.get('/api/companies', {
    schema: {
      tags: ['companies'],
      summary: 'The public company directory',
      querystring: schema.directoryQuery,
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), provinceCode: z.string().nullable(), cityCode: z.string().nullable(), mainProducts: z.array(z.string()), verified: z.boolean() })), total: z.number(), page: z.number(), pages: z.number() }) },
    },
  }, async (request) => {
    const q = request.query;
    const result = await companies.directory({ provinceCode: q.province, verifiedOnly: q.verified === '1', product: q.product?.trim() || undefined }, q.page);
    return { ...result, items: result.items.map((i) => ({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn, provinceCode: i.provinceCode, cityCode: i.cityCode, mainProducts: i.mainProducts, verified: i.verified })) };
  });

  api.get('/api/companies/:id', {
    schema: { tags: ['companies'], summary: 'A public company profile', params: idParams, response: { 200: publicSchema, ...errorResponses } },
  }, async (request) => companies.getPublic(request.params.id));

  api.post('/api/companies/:id/contact', {
    config: { rateLimit: { max: 20, timeWindow: 3600_000, keyGenerator: (request: FastifyRequest) => request.auth?.accountId ?? request.ip } },
    schema: {
      tags: ['companies'],
      summary: 'Reveal the contact details (signed in; rate-limited; recorded as a click-to-view event)',
      security: sessionSecurity,
      params: idParams,
      response: { 200: z.object({ contactPerson: z.string(), contactEmail: z.string(), contactMobile: z.string().nullable(), phone: z.string(), fax: z.string().nullable() }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    await companies.recordContactView(auth, request.params.id);
    return companies.revealContact(request.params.id);
  });

  api.post('/api/staff/companies/:id/decision', {
    schema: { tags: ['staff'], summary: 'Approve or reject a submitted company (reviewers)', security: sessionSecurity, params: idParams, body: schema.reviewDecision, response: { 200: companySchema, ...errorResponses } },
  }, async (request) => companies.decide(requireAuth(request), request.params.id, request.body, request.locale));
}
