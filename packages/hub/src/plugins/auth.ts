import fp from 'fastify-plugin';
import { HubError } from '../errors.js';
import { authenticate, type Caller } from '../modules/identity/tokens.js';
import type { Access } from '../roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say; a route without it does not start. */
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/**
 * Default deny: every route declares its access, and the check runs before validation and the
 * handler. A route registered without `config.access` makes the hub refuse to start.
 */
export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('caller', null);
    app.addHook('onRoute', (route) => {
      const access = route.config?.access;
      if (access === undefined && !route.url.startsWith('/documentation')) {
        throw new Error(`Route ${route.method.toString()} ${route.url} declares no access: every route must`);
      }
    });
    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') {
        request.caller = await authenticate(app.hub.store.db, request.headers.authorization, app.hub.now());
        return;
      }
      const caller = await authenticate(app.hub.store.db, request.headers.authorization, app.hub.now());
      if (!caller) throw new HubError('HUB_ERR_UNAUTHENTICATED');
      if (access !== 'authenticated' && !caller.roles.some((role) => access.includes(role))) {
        throw new HubError('HUB_ERR_FORBIDDEN', {
          roles: caller.roles.join(',') || '-',
          required: access.join(','),
        });
      }
      request.caller = caller;
    });
  },
  { name: 'minjiang-auth', dependencies: ['minjiang-store'] },
);
