import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeNext, sendPage } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { parseInput } from '../../platform/http/validation.js';
import { optionalPurposes, type OptionalPurpose } from './purposes.js';
import { buildReceipt } from './receipt.js';
import { applyChoice, consentState } from './request-state.js';
import type { ConsentOwner, ConsentService } from './service.js';
import * as views from './views.js';

const checkbox = z.literal('on').optional();
const choiceForm = z.object({
  choice: z.enum(['accept-all', 'reject-all', 'custom']),
  method: z.enum(['banner', 'settings']),
  next: z.string().max(500).optional(),
  preferences: checkbox,
  analytics: checkbox,
  personalisation: checkbox,
  marketing: checkbox,
  surveys: checkbox,
});

/** The grants a submitted form asks for. */
function grantsOf(form: z.infer<typeof choiceForm>): Record<OptionalPurpose, boolean> {
  return Object.fromEntries(
    optionalPurposes.map((purpose) => [purpose, form.choice === 'accept-all' || (form.choice === 'custom' && form[purpose] === 'on')]),
  ) as Record<OptionalPurpose, boolean>;
}

/** Whose ledger the history pages show: the account, else this browser's consent id. */
async function ownerOf(request: FastifyRequest): Promise<ConsentOwner | null> {
  return (await consentState(request)).owner;
}

/** The banner's and settings page's form target, the settings page, the history and the receipt. */
export async function consentPages(app: FastifyInstance, { consent, publicUrl }: { consent: ConsentService; publicUrl: string }) {
  app.post('/privacy/consent', async (request, reply) => {
    const form = parseInput(choiceForm, request.body ?? {});
    await applyChoice(request, reply, grantsOf(form), form.method);
    // The banner's island asks for JSON and hides the banner in place.
    if (request.headers.accept?.includes('application/json')) return reply.send({ saved: true });
    return reply.redirect(safeNext(form.next, '/privacy/settings?saved=1'), 303);
  });

  app.get('/privacy/settings', async (request, reply) => {
    const state = await consentState(request);
    const saved = (request.query as Record<string, unknown> | undefined)?.saved === '1';
    return sendPage(request, reply, { title: request.t('consent.settings.title') }, (ctx) => (
      <views.SettingsPage ctx={ctx} choice={state.choice} isDecided={state.isDecided} gpc={state.gpc} saved={saved} />
    ));
  });

  app.get('/privacy/consents', async (request, reply) => {
    const owner = await ownerOf(request);
    const records = owner ? await consent.history(owner) : [];
    reply.header('cache-control', 'private, no-store');
    return sendPage(request, reply, { title: request.t('consent.history.title') }, (ctx) => <views.HistoryPage ctx={ctx} records={records} />);
  });

  app.get('/privacy/consents/receipt.json', async (request, reply) => {
    const state = await consentState(request);
    const owner = state.owner;
    const current = owner ? await consent.current(owner) : null;
    if (!owner || !current) throw new AppError('NOT_FOUND');
    const receipt = buildReceipt({
      current,
      principalId: 'subject' in owner ? owner.subject : owner.consentId,
      language: request.locale,
      publicUrl,
      privacyEmail: request.server.silkline.config.privacyEmail,
      gpc: state.gpc,
    });
    return reply
      .header('cache-control', 'private, no-store')
      .header('content-disposition', 'attachment; filename="consent-receipt.json"')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(receipt, null, 2));
  });
}
