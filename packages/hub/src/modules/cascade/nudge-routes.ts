/**
 * The nudge (docs/cascade-api.md "Sync"), both ends. At the province, `POST /api/v1/cascade/nudge`
 * takes a request signed by an approved child's node key — no role token grants anything here —
 * and makes that child's sync due now. At a city with a parent, every write that succeeded asks
 * for a nudge once it has been answered (so after its transaction committed): which writes
 * append feed items (catalog review, batch review, grading apply, …) need not be known here,
 * since the nudge carries the feed head and only a head that grew goes out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HubError } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { acceptNudge, nudgedSyncsSettled } from './nudge.js';
import { nudgeParentSoon, nudgesParent, stopNudging } from './nudge-send.js';
import { keepRawJsonBodies, signedNodeOnly } from './node-routes.js';
import { requireProvince } from './registry-children.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

const nudgeBody = {
  type: 'object',
  required: ['hub', 'head'],
  additionalProperties: false,
  properties: {
    hub: { type: 'string', pattern: '^[1-9][0-9]{5}$', description: 'the child hub that nudges' },
    head: { type: 'integer', minimum: 0, description: "the last seq of the child's feed" },
  },
} as const;

const nudgeAnswer = {
  type: 'object',
  required: ['hub', 'head', 'cursor', 'syncing'],
  properties: {
    hub: { type: 'string' },
    head: { type: 'integer' },
    cursor: { type: 'integer', description: "where the province's cursor stands in the child's feed" },
    syncing: { type: 'boolean', description: 'false when the province already holds that head' },
  },
} as const;

const REQUIRED = 'a request signed by an APPROVED child hub node key';

/** Refuses token callers and unsigned requests before the body is even validated, then checks the node signature. */
async function authoriseChild(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  if (request.headers['signature-input'] !== undefined) requireProvince(app.hub, 'accept a nudge');
  return signedNodeOnly(app.hub, request, 'child', REQUIRED);
}

async function nudgeRoute(app: FastifyInstance): Promise<void> {
  keepRawJsonBodies(app);
  const nodes = new WeakMap<FastifyRequest, string>();
  app.post<{ Body: { hub: string; head: number } }>(
    '/api/v1/cascade/nudge',
    {
      // No token layer: authoriseChild decides, before validation, on the node signature alone.
      config: { access: 'public' },
      preValidation: async (request) => {
        nodes.set(request, await authoriseChild(app, request));
      },
      schema: {
        summary: "A child hub's feed grew: sync it now (signed by the APPROVED child's node key; 202)",
        body: nudgeBody,
        response: { 202: nudgeAnswer, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const caller = nodes.get(request);
      if (request.body.hub !== caller)
        throw new HubError('HUB_ERR_FORBIDDEN', {
          roles: `child ${caller ?? '-'}`,
          required: `child ${request.body.hub}`,
        });
      return reply.code(202).send(await acceptNudge(app.hub, request.body, request.log));
    },
  );
}

/** The nudge route, and at a city the hook that nudges the parent after a successful write. */
async function cascadeNudge(app: FastifyInstance): Promise<void> {
  await app.register(nudgeRoute);
  if (nudgesParent(app.hub))
    app.addHook('onResponse', async (request, reply) => {
      if (!READS.has(request.method) && reply.statusCode < 400) nudgeParentSoon(app.hub, app.log);
    });
  app.addHook('onClose', async () => {
    await stopNudging(app.hub);
    await nudgedSyncsSettled(app.hub);
  });
}

/**
 * Not encapsulated, so the city's hook sees every route: register it before the route modules
 * (a parent's hooks reach only the plugins registered after them).
 */
export const cascadeNudgePlugin = fp(cascadeNudge, {
  name: 'minjiang-cascade-nudge',
  dependencies: ['minjiang-store', 'minjiang-auth'],
});
