import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { accountPages } from './pages.js';
import { accountRoutes } from './routes.js';
import { sessionCookie, type AccountsService } from './service.js';

export { createAccountsService, type AccountsService, type Profile } from './service.js';
export { accountsMigrations, staffRoles, type AccountsTables, type Role } from './tables.js';
export { accountsDataMap, accountsProvider } from './personal-data.js';
export { accountsMessages } from './messages.js';
export { assessPassword } from './password.js';
export { AccountNav } from './views.js';
export { clearSessionCookie } from './pages.js';

/** Resolves the session cookie on every request, then serves the accounts pages and API. */
export const accountsModule = fp(
  async (app: FastifyInstance, options: { accounts: AccountsService }) => {
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[sessionCookie];
      if (token) request.auth = await options.accounts.authenticate(token);
    });
    await app.register(accountPages, options);
    await app.register(accountRoutes, options);
  },
  { name: 'silkline-accounts', dependencies: ['silkline-request-context'] },
);
