import { Pager } from '../../platform/views/components.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/views/context.js';
import { redirectToSignIn, sendPage } from '../../platform/http/context.js';
import { AppError, isAppError, type FieldErrors } from '../../platform/http/errors.js';
import { parseInput } from '../../platform/http/validation.js';
import { formFailure, formValues } from '../../platform/http/forms.js';
import type { AccountsService } from '../accounts/index.js';
import { JitNotice, type CollectedColumn } from '../legal/index.js';
import { SocialActions, type SocialService } from '../social/index.js';
import * as schema from './schema.js';
import { canReview, type CompaniesService, type CompanyView } from './service.js';
import * as views from './views.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { acceptUpload } from '../../platform/storage/uploads.js';
import { publicFileUrl } from '../../platform/storage/public-files.js';
import type { UploadedFile } from '../../platform/storage/multipart.js';
import { companyRoutes } from './routes.js';
import { parsePhone } from './phone.js';

interface Deps {
  companies: CompaniesService;
  accounts: AccountsService;
  files: FileStore;
  /** Follower counts and the follow button on the profile page. */
  social: Pick<SocialService, 'followState'>;
  /** The company's public products on its profile, rendered by the catalogue. */
  companyProducts: (companyId: string) => Promise<(ctx: PageContext) => ComponentChildren>;
}

const licenceRules = { allowed: ['pdf', 'jpeg', 'png', 'webp'] as const, maxBytes: 10 * 1024 * 1024 };
/** What the licence upload collects, for its just-in-time notice. */
const licenceColumns: readonly CollectedColumn[] = [['company', 'licence_file_id']];
/** Revealing a company's contact details records who looked, as a service event. */
const contactRevealColumns: readonly CollectedColumn[] = [['service_event', 'subject_ref'], ['service_event', 'event'], ['service_event', 'target_id']];
const logoRules = { allowed: ['jpeg', 'png', 'webp'] as const, maxBytes: 2 * 1024 * 1024 };

function infoValues(c: CompanyView): views.Values {
  return {
    nameZh: c.nameZh,
    nameEn: c.nameEn ?? '',
    creditCode: c.creditCode,
    country: c.country,
    provinceCode: c.provinceCode ?? '',
    cityCode: c.cityCode ?? '',
    districtCode: c.districtCode ?? '',
    street: c.street,
    mainProducts: c.mainProducts.join('，'),
    description: c.description,
  };
}

function contactValues(c: CompanyView): views.Values {
  return {
    contactPerson: c.contactPerson,
    contactEmail: c.contactEmail,
    contactMobile: c.contactMobile ?? '',
    phone: phoneDisplay(c.phone),
    fax: c.fax ? phoneDisplay(c.fax) : '',
  };
}

/** A stored phone number (E.164 with `;ext=`) as people write it: `0755-8888 6666 转 802`. */
function phoneDisplay(stored: string): string {
  const parsed = parsePhone(stored);
  return parsed.ok ? parsed.display : stored;
}

const idParam = (request: FastifyRequest) => {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('NOT_FOUND');
  return id;
};

/** 店铺管理 pages, the verification queue, the public profile and the directory. */
export async function companyPages(app: FastifyInstance, { companies, accounts, files, social, companyProducts }: Deps) {
  await app.register(companyRoutes, { companies, accounts });
  const ownName = async (request: FastifyRequest) => (await accounts.getProfile(request.auth!.accountId)).contactPerson;

  app.get('/shop', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const mine = await companies.listMine(request.auth);
    return sendPage(request, reply, { title: request.t('companies.shop.title') }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('companies.shop.title')}</h1>
        {mine.length === 0 ? <p>{ctx.t('companies.shop.empty')}</p> : (
          <table class="data">
            <tbody>
              {mine.map((c) => (
                <tr key={c.id}>
                  <td>{c.nameZh}</td>
                  <td><views.StatusBadge ctx={ctx} status={c.status} /></td>
                  <td><a href={`/shop/${c.id}/info`}>{ctx.t('companies.shop.manage')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p><a class="button" href="/shop/new">{ctx.t('companies.shop.register')}</a></p>
      </section>
    ));
  });

  const registerPage = (request: FastifyRequest, reply: FastifyReply, state: views.FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('companies.register.title'), status, scripts: ['region-select'] }, (ctx) => (
      <>
        {state.errors?.creditCode === 'companies.error.creditCodeTaken' ? (
          <section class="card">
            <h2>{ctx.t('companies.join.title')}</h2>
            <p>{ctx.t('companies.join.explain')}</p>
            <form method="post" action="/shop/join-request" class="form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <input type="hidden" name="creditCode" value={state.values?.creditCode ?? ''} />
              <button class="button" type="submit">{ctx.t('companies.join.submit')}</button>
            </form>
          </section>
        ) : null}
        <views.FormPage ctx={ctx} title={ctx.t('companies.register.title')} state={state} action="/shop/new" submit={ctx.t('companies.register.submit')}>
          <views.CompanyInfoFields ctx={ctx} v={state.values ?? {}} e={state.errors ?? {}} />
          <views.ContactFields ctx={ctx} v={state.values ?? {}} e={state.errors ?? {}} />
        </views.FormPage>
      </>
    ));

  app.post('/shop/join-request', { config: { rateLimit: { max: 5, timeWindow: 3600_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const { creditCode } = parseInput(schema.joinRequest, request.body);
    await companies.requestToJoin(request.auth, creditCode, request.locale);
    return sendPage(request, reply, { title: request.t('companies.join.title') }, (ctx) => (
      <section class="card narrow">
        <h1>{ctx.t('companies.join.title')}</h1>
        <p>{ctx.t('companies.join.sent')}</p>
        <p><a href="/shop">{ctx.t('companies.shop.title')}</a></p>
      </section>
    ));
  });

  app.get('/shop/new', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const me = await accounts.getProfile(request.auth.accountId);
    return registerPage(request, reply, { values: { contactPerson: me.contactPerson, contactEmail: me.email, contactMobile: me.mobile } });
  });

  app.post('/shop/new', { config: { rateLimit: { max: 10, timeWindow: 60_000 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const v = formValues(request.body);
    try {
      const { id } = await companies.register(request.auth, parseInput(schema.registration, request.body), await ownName(request));
      return reply.redirect(`/shop/${id}/verification`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, v);
      return registerPage(request, reply, state, status);
    }
  });

  app.get('/shop/:id', async (request, reply) => reply.redirect(`/shop/${idParam(request)}/info`, 303));

  const infoPage = (request: FastifyRequest, reply: FastifyReply, company: CompanyView, state: views.FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('companies.info.title'), status, scripts: ['region-select'] }, (ctx) => (
      <>
        <views.FormPage ctx={ctx} title={ctx.t('companies.info.title')} state={state} action={`/shop/${company.id}/info`}
          nav={<views.ShopNav ctx={ctx} company={company} current="info" />} submit={ctx.t('companies.save')}>
          <views.CompanyInfoFields ctx={ctx} v={state.values ?? infoValues(company)} e={state.errors ?? {}} />
        </views.FormPage>
        <section class="card">
          <h2>{ctx.t('companies.logo.title')}</h2>
          {company.logoFileId ? <img class="logo-preview" src={publicFileUrl(company.logoFileId)} alt={ctx.t('companies.logo.current')} /> : null}
          <form method="post" action={`/shop/${company.id}/logo`} enctype="multipart/form-data" class="form">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <div class="field">
              <label for="field-logo">{ctx.t('companies.logo.upload')}</label>
              <input id="field-logo" type="file" name="logo" accept="image/jpeg,image/png,image/webp" required aria-describedby="field-logo-hint" />
              <p class="hint" id="field-logo-hint">{ctx.t('companies.logo.hint')}</p>
            </div>
            <button class="button button-secondary" type="submit">{ctx.t('companies.logo.upload')}</button>
          </form>
        </section>
      </>
    ));

  app.post('/shop/:id/logo', { config: { upload: { maxFileBytes: logoRules.maxBytes, maxFiles: 1 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    const company = await companies.getForMember(request.auth, id);
    const upload = (request.body as { logo?: UploadedFile } | undefined)?.logo;
    try {
      if (!upload) throw new AppError('VALIDATION_FAILED', { messageKey: 'upload.error.empty' });
      const stored = await files.put(await acceptUpload(upload.bytes, logoRules), { visibility: 'public' });
      const { previous } = await companies.setLogo(request.auth, id, stored.id).catch(async (error: unknown) => {
        await files.delete(stored.id);
        throw error;
      });
      if (previous) await files.delete(previous);
      return reply.redirect(`/shop/${id}/info?saved=1`, 303);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return infoPage(request, reply, company, { message: error.messageKey, messageParams: error.params }, error.status);
    }
  });

  app.get('/shop/:id/info', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const company = await companies.getForMember(request.auth, idParam(request));
    const saved = (request.query as { saved?: string }).saved === '1';
    return infoPage(request, reply, company, saved ? { message: 'companies.saved', messageKind: 'success' } : {});
  });

  app.post('/shop/:id/info', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    try {
      await companies.updateInfo(request.auth, id, parseInput(schema.companyInfo, request.body));
      return reply.redirect(`/shop/${id}/info?saved=1`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return infoPage(request, reply, await companies.getForMember(request.auth, id), state, status);
    }
  });

  const contactPage = (request: FastifyRequest, reply: FastifyReply, company: CompanyView, state: views.FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('companies.contact.title'), status }, (ctx) => (
      <views.FormPage ctx={ctx} title={ctx.t('companies.contact.title')} state={state} action={`/shop/${company.id}/contact`}
        nav={<views.ShopNav ctx={ctx} company={company} current="contact" />} submit={ctx.t('companies.save')}>
        <views.ContactFields ctx={ctx} v={state.values ?? contactValues(company)} e={state.errors ?? {}} />
      </views.FormPage>
    ));

  app.get('/shop/:id/contact', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const company = await companies.getForMember(request.auth, idParam(request));
    const saved = (request.query as { saved?: string }).saved === '1';
    return contactPage(request, reply, company, saved ? { message: 'companies.saved', messageKind: 'success' } : {});
  });

  app.post('/shop/:id/contact', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    try {
      await companies.updateContact(request.auth, id, parseInput(schema.contactInfo, request.body), await ownName(request));
      return reply.redirect(`/shop/${id}/contact?saved=1`, 303);
    } catch (error) {
      const { state, status } = formFailure(error, reply, formValues(request.body));
      return contactPage(request, reply, await companies.getForMember(request.auth, id), state, status);
    }
  });

  const verificationPage = (request: FastifyRequest, reply: FastifyReply, company: CompanyView, state: views.FormState, status = 200) =>
    sendPage(request, reply, { title: request.t('companies.verification.title'), status }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('companies.verification.title')}</h1>
        <views.ShopNav ctx={ctx} company={company} current="verification" />
        {state.message ? <p class={`notice notice-${state.messageKind ?? 'error'}`} role={state.messageKind === 'success' ? 'status' : 'alert'}>{ctx.t(state.message, state.messageParams)}</p> : null}
        <p>{ctx.t('companies.verification.explain')}</p>
        {company.status === 'rejected' && company.rejectionReason ? (
          <p class="notice notice-error">{ctx.t('companies.verification.rejectedReason', { reason: company.rejectionReason })}</p>
        ) : null}
        {company.status === 'verified' ? <p><views.VerifiedBadge ctx={ctx} company={{ verified: true, verifiedAt: company.verifiedAt, verifiedChecks: company.verifiedChecks }} /></p> : null}
        {company.hasLicence ? (
          <p>{ctx.t('companies.verification.hasLicence')} <a href={`/shop/${company.id}/licence`}>{ctx.t('companies.verification.viewLicence')}</a></p>
        ) : null}
        <JitNotice ctx={ctx} dataMap={app.silkline.dataMap} columns={licenceColumns} id="licence-notice" />
        <form method="post" action={`/shop/${company.id}/licence`} enctype="multipart/form-data" class="form">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <div class="field">
            <label for="field-licence">{ctx.t('companies.verification.upload')}</label>
            <input id="field-licence" type="file" name="licence" accept="application/pdf,image/jpeg,image/png,image/webp" required aria-describedby="field-licence-hint" />
            <p class="hint" id="field-licence-hint">{ctx.t('companies.hint.licence')}</p>
          </div>
          <button class="button button-secondary" type="submit">{ctx.t('companies.verification.upload')}</button>
        </form>
        {company.status === 'draft' || company.status === 'rejected' ? (
          <form method="post" action={`/shop/${company.id}/submit`} class="form">
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button class="button" type="submit" disabled={!company.hasLicence}>{ctx.t('companies.verification.submit')}</button>
          </form>
        ) : null}
      </section>
    ));

  app.get('/shop/:id/verification', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const company = await companies.getForMember(request.auth, idParam(request));
    const done = (request.query as { done?: string }).done;
    const state: views.FormState =
      done === 'licence' ? { message: 'companies.saved', messageKind: 'success' }
      : done === 'submitted' ? { message: 'companies.verification.submitted', messageKind: 'success' }
      : {};
    return verificationPage(request, reply, company, state);
  });

  app.post('/shop/:id/licence', { config: { upload: { maxFileBytes: licenceRules.maxBytes, maxFiles: 1 } } }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    const company = await companies.getForMember(request.auth, id);
    const upload = (request.body as { licence?: UploadedFile } | undefined)?.licence;
    try {
      if (!upload) throw new AppError('VALIDATION_FAILED', { messageKey: 'upload.error.empty' });
      const accepted = await acceptUpload(upload.bytes, licenceRules);
      const stored = await files.put(accepted, { visibility: 'private' });
      const { previous } = await companies.setLicence(request.auth, id, stored.id).catch(async (error: unknown) => {
        await files.delete(stored.id);
        throw error;
      });
      if (previous) await files.delete(previous);
      return reply.redirect(`/shop/${id}/verification?done=licence`, 303);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return verificationPage(request, reply, company, { message: error.messageKey, messageParams: error.params }, error.status);
    }
  });

  app.post('/shop/:id/submit', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    try {
      await companies.submitForReview(request.auth, id);
      return reply.redirect(`/shop/${id}/verification?done=submitted`, 303);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return verificationPage(request, reply, await companies.getForMember(request.auth, id), { message: error.messageKey }, error.status);
    }
  });

  /** Sends a licence privately: never cached, shown inline for the reviewer's side-by-side view. */
  const sendLicence = async (reply: FastifyReply, fileId: string) => {
    const { file, bytes } = await files.get(fileId);
    return reply
      .header('cache-control', 'no-store')
      .header('content-type', file.mime)
      .header('content-disposition', `inline; filename="licence.${file.extension}"`)
      .header('x-content-type-options', 'nosniff')
      .send(bytes);
  };

  app.get('/shop/:id/licence', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return sendLicence(reply, await companies.licenceFor(request.auth, idParam(request)));
  });

  app.get('/staff/reviews/:id/licence', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    if (!canReview(request.auth)) throw new AppError('FORBIDDEN');
    return sendLicence(reply, await companies.licenceFor(request.auth, idParam(request)));
  });

  app.get('/companies', async (request, reply) => {
    const query = schema.directoryQuery.parse(request.query ?? {});
    const filter = { provinceCode: query.province, verifiedOnly: query.verified === '1', product: query.product?.trim() || undefined };
    const result = await companies.directory(filter, query.page);
    const href = (page: number) => {
      const params = new URLSearchParams();
      if (query.province) params.set('province', query.province);
      if (query.verified) params.set('verified', '1');
      if (filter.product) params.set('product', filter.product);
      params.set('page', String(page));
      return `/companies?${params.toString()}`;
    };
    return sendPage(request, reply, { title: request.t('companies.directory.title') }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('companies.directory.title')}</h1>
        <form method="get" action="/companies" class="filters" aria-label={ctx.t('companies.directory.filters')}>
          <label for="filter-province">{ctx.t('companies.field.province')}</label>
          <select id="filter-province" name="province">
            <option value="">{ctx.t('companies.directory.allProvinces')}</option>
            {views.provinceOptions(ctx).map((o) => <option key={o.value} value={o.value} selected={o.value === query.province}>{o.label}</option>)}
          </select>
          <label for="filter-product">{ctx.t('companies.directory.product')}</label>
          <input id="filter-product" name="product" value={filter.product ?? ''} maxLength={40} />
          <label class="checkbox" for="filter-verified">
            <input id="filter-verified" type="checkbox" name="verified" value="1" checked={filter.verifiedOnly} />
            {ctx.t('companies.directory.verifiedOnly')}
          </label>
          <button class="button" type="submit">{ctx.t('companies.directory.apply')}</button>
        </form>
        <p class="muted">{ctx.t('companies.directory.count', { count: result.total })}</p>
        {result.items.length === 0 ? <p>{ctx.t('companies.directory.empty')}</p> : (
          <ul class="directory">
            {result.items.map((c) => (
              <li key={c.id} class="card">
                <h2><a href={`/companies/${c.id}`}>{ctx.locale === 'en' && c.nameEn ? c.nameEn : c.nameZh}</a></h2>
                <views.VerifiedBadge ctx={ctx} company={{ verified: c.verified, verifiedAt: c.verifiedAt, verifiedChecks: [] }} />
                <p class="muted">{views.cityLevel(ctx, { country: 'CN', provinceCode: c.provinceCode, cityCode: c.cityCode })}</p>
                <p>{c.mainProducts.join(ctx.locale === 'en' ? ', ' : '、')}</p>
              </li>
            ))}
          </ul>
        )}
        <Pager ctx={ctx} page={result.page} pages={result.pages} href={href} />
      </section>
    ));
  });

  const profilePage = async (request: FastifyRequest, reply: FastifyReply, revealed: boolean) => {
    const id = idParam(request);
    const company = await companies.getPublic(id);
    const contact = revealed ? await companies.revealContact(id) : null;
    const follow = await social.followState(request.auth, { type: 'company', id });
    const productsBlock = await companyProducts(id);
    const name = request.locale === 'en' && company.nameEn ? company.nameEn : company.nameZh;
    const base = request.server.silkline.config.publicUrl;
    const jsonLd = JSON.stringify({
      '@context': 'https://schema.org',
      '@type': 'Organization',
      name: company.nameZh,
      ...(company.nameEn ? { alternateName: company.nameEn } : {}),
      url: `${base}/companies/${company.id}`,
      description: company.description.slice(0, 500),
      address: { '@type': 'PostalAddress', addressCountry: company.country },
    }).replace(/</g, '\\u003c');
    return sendPage(
      request,
      reply,
      { title: name, description: company.description.slice(0, 150), canonicalUrl: `${base}/companies/${company.id}`, jsonLd },
      (ctx) => (
        <article class="card company-profile">
          {company.logoFileId ? <img class="company-logo" src={publicFileUrl(company.logoFileId)} alt="" width={96} height={96} /> : null}
          <h1>{name}</h1>
          <views.VerifiedBadge ctx={ctx} company={company} />
          {company.verified && company.verifiedAt ? <p class="muted" aria-hidden="true">{views.verificationDetail(ctx, company)}</p> : null}
          <p class="muted">{ctx.t('companies.profile.location')}: {views.cityLevel(ctx, company)}</p>
          <SocialActions ctx={ctx} target={{ type: 'company', id: company.id }} state={follow} />
          {/* The subscriptions module's form, pre-filled with this company; visitors sign in first. */}
          <p>
            <a href={`/subscriptions/new?companyId=${company.id}`}>{ctx.t('companies.profile.subscribe')}</a>
          </p>
          <h2>{ctx.t('companies.profile.mainProducts')}</h2>
          <ul class="tags">{company.mainProducts.map((p) => <li key={p}>{p}</li>)}</ul>
          <h2>{ctx.t('companies.profile.about')}</h2>
          <p class="description">{company.description}</p>
          {/* The inquiries module's form; signed-out visitors are sent to sign in and back. */}
          <p><a class="button" href={`/inquiries/new?company=${company.id}`}>{ctx.t('inquiries.send')}</a></p>
          <h2>{ctx.t('companies.profile.contactTitle')}</h2>
          {contact ? (
            <dl class="contact">
              <dt>{ctx.t('companies.field.contactPerson')}</dt><dd>{contact.contactPerson}</dd>
              <dt>{ctx.t('companies.field.phone')}</dt><dd>{phoneDisplay(contact.phone)}</dd>
              {contact.fax ? <><dt>{ctx.t('companies.profile.fax')}</dt><dd>{phoneDisplay(contact.fax)}</dd></> : null}
              <dt>{ctx.t('companies.field.contactEmail')}</dt><dd>{contact.contactEmail}</dd>
              {contact.contactMobile ? <><dt>{ctx.t('companies.profile.mobile')}</dt><dd>{phoneDisplay(contact.contactMobile)}</dd></> : null}
            </dl>
          ) : ctx.viewer ? (
            <>
              <JitNotice ctx={ctx} dataMap={app.silkline.dataMap} columns={contactRevealColumns} id="contact-reveal-notice" />
              <PostFormInline ctx={ctx} action={`/companies/${company.id}/contact`} label={ctx.t('companies.profile.showContact')} />
            </>
          ) : (
            <p><a href={`/sign-in?next=${encodeURIComponent(`/companies/${company.id}`)}`}>{ctx.t('companies.profile.signInToSee')}</a></p>
          )}
          <h2>{ctx.t('companies.profile.products')}</h2>
          {productsBlock(ctx)}
        </article>
      ),
    );
  };

  app.get('/companies/:id', async (request, reply) => profilePage(request, reply, false));

  // Revealing contact details is rate-limited per viewer to deter scraping.
  app.post('/companies/:id/contact', {
    config: { rateLimit: { max: 20, timeWindow: 3600_000, keyGenerator: (request: FastifyRequest) => request.auth?.accountId ?? request.ip } },
  }, async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    await companies.recordContactView(request.auth, idParam(request));
    return profilePage(request, reply, true);
  });

  app.get('/staff/reviews', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    if (!canReview(request.auth)) throw new AppError('FORBIDDEN');
    const queue = await companies.reviewQueue(request.auth, 1);
    return sendPage(request, reply, { title: request.t('companies.review.title') }, (ctx) => (
      <section class="card">
        <h1>{ctx.t('companies.review.title')}</h1>
        {queue.length === 0 ? <p>{ctx.t('companies.review.empty')}</p> : (
          <table class="data">
            <thead><tr><th scope="col">{ctx.t('companies.field.nameZh')}</th><th scope="col">{ctx.t('companies.field.creditCode')}</th><th scope="col">{ctx.t('companies.review.submittedAt')}</th><th scope="col"></th></tr></thead>
            <tbody>
              {queue.map((c) => (
                <tr key={c.id}>
                  <td>{c.nameZh}</td><td>{c.creditCode}</td><td>{c.submittedAt}</td>
                  <td><a href={`/staff/reviews/${c.id}`}>{ctx.t('companies.review.open')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    ));
  });

  const reviewPage = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) => {
    const company = await companies.getForReview(request.auth!, idParam(request));
    const licence = company.licenceFileId ? await files.find(company.licenceFileId) : null;
    return sendPage(request, reply, { title: request.t('companies.review.title'), status }, (ctx) => (
      <section class="card review">
        <h1>{company.nameZh} <views.StatusBadge ctx={ctx} status={company.status} /></h1>
        <div class="side-by-side">
          <dl>
            <dt>{ctx.t('companies.field.creditCode')}</dt><dd>{company.creditCode}</dd>
            <dt>{ctx.t('companies.field.nameEn')}</dt><dd>{company.nameEn ?? '—'}</dd>
            <dt>{ctx.t('companies.profile.location')}</dt><dd>{views.regionName(ctx, company.provinceCode)} {views.regionName(ctx, company.cityCode)} {views.regionName(ctx, company.districtCode)} {company.street}</dd>
            <dt>{ctx.t('companies.field.mainProducts')}</dt><dd>{company.mainProducts.join('、')}</dd>
          </dl>
          <div>
            <h2>{ctx.t('companies.review.licence')}</h2>
            {licence?.mime.startsWith('image/') ? (
              <img src={`/staff/reviews/${company.id}/licence`} alt={ctx.t('companies.review.licence')} />
            ) : null}
            {licence ? <p><a href={`/staff/reviews/${company.id}/licence`}>{ctx.t('companies.verification.viewLicence')}</a></p> : <p>—</p>}
          </div>
        </div>
        {company.status === 'submitted' ? (
          <div class="grid">
            <form method="post" action={`/staff/reviews/${company.id}`} class="form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <input type="hidden" name="decision" value="approve" />
              <fieldset>
                <legend>{ctx.t('companies.review.checks')}</legend>
                {(['licence', 'creditCode', 'name', 'address'] as const).map((c) => (
                  <label class="checkbox" key={c}><input type="checkbox" name="checks" value={c} /> {ctx.t(`companies.check.${c}`)}</label>
                ))}
                {errors.checks ? <p class="error-text">{ctx.t(errors.checks)}</p> : null}
              </fieldset>
              <button class="button" type="submit">{ctx.t('companies.review.approve')}</button>
            </form>
            <form method="post" action={`/staff/reviews/${company.id}`} class="form">
              <input type="hidden" name="_csrf" value={ctx.csrfToken} />
              <input type="hidden" name="decision" value="reject" />
              <div class="field">
                <label for="field-reason">{ctx.t('companies.review.reason')}</label>
                <textarea id="field-reason" name="reason" rows={4} maxLength={1000} />
                {errors.reason ? <p class="error-text">{ctx.t(errors.reason)}</p> : null}
              </div>
              <button class="button button-secondary" type="submit">{ctx.t('companies.review.reject')}</button>
            </form>
          </div>
        ) : null}
      </section>
    ));
  };

  app.get('/staff/reviews/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    return reviewPage(request, reply);
  });

  app.post('/staff/reviews/:id', async (request, reply) => {
    if (!request.auth) return redirectToSignIn(request, reply);
    const id = idParam(request);
    try {
      await companies.decide(request.auth, id, parseInput(schema.reviewDecision, request.body), request.locale);
      return reply.redirect('/staff/reviews', 303);
    } catch (error) {
      if (isAppError(error) && error.fields) return reviewPage(request, reply, error.fields, error.status);
      throw error;
    }
  });
}

function PostFormInline({ ctx, action, label }: { ctx: PageContext; action: string; label: string }) {
  return (
    <form method="post" action={action} class="inline-form">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <button class="button" type="submit">{label}</button>
    </form>
  );
}
