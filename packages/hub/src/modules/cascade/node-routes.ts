/**
 * What every route that takes only a hub's node signature shares (nudge, routed applications,
 * return-flow pages): the body's exact bytes kept for the signature check, and the refusal of
 * token callers and unsigned requests before anything else is looked at.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { authenticateNode } from './node-auth.js';

const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * JSON bodies of the routes of this plugin context are parsed from a buffer kept beside them:
 * the signature covers the exact bytes, the route still gets (and validates) parsed JSON.
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    rawBodies.set(request, body as Buffer);
    try {
      done(null, (body as Buffer).length === 0 ? undefined : JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(new HubError('HUB_ERR_BAD_REQUEST', { detail: 'the body is not JSON' }), undefined);
    }
  });
}

/**
 * The hub that signed the request with the key pinned for it (an APPROVED child's, or the
 * parent's). A token caller is refused (403) and an unsigned request too (401): no role grants
 * anything on these routes. `required` says in the refusal what the route takes.
 */
export async function signedNodeOnly(
  hub: HubContext,
  request: FastifyRequest,
  from: 'child' | 'parent',
  required: string,
): Promise<string> {
  if (request.headers['signature-input'] === undefined) {
    if (request.caller)
      throw new HubError('HUB_ERR_FORBIDDEN', { roles: request.caller.roles.join(',') || '-', required });
    throw new HubError('CLI.SIG_INVALID', { detail: `no signature; this route takes ${required}` });
  }
  return (await authenticateNode(hub, request, rawBodies.get(request), from)).hub;
}
