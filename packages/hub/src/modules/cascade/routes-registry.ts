/**
 * Registry routes (docs/cascade-api.md "Registration and approval"). At a province: a city's
 * registration (public: it has no token, its envelope proves its key; rate-limited), the
 * administrator's list and decisions, and a child's status — read by the province's admin and
 * auditor with a token, or by the child itself with a request signed by its node key. At a city:
 * registering with the configured parent and reading what the parent says.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import { requestLang } from '../../plugins/errors.js';
import type { Role } from '../../roles.js';
import { actorOf } from '../catalog/access.js';
import { verifyNodeRequest } from './node-auth.js';
import {
  decideChild,
  listChildren,
  ownNodeKey,
  readChild,
  registerChild,
  requireProvince,
  type ChildQuery,
  type Decision,
} from './registry-children.js';
import { childHealth } from './registry-health.js';
import {
  refreshPinnedParent,
  registerWithParent,
  storedParent,
  type RegistrationInput,
} from './registry-parent.js';
import {
  adminRegistryErrors,
  childListAnswer,
  childListQuery,
  childParams,
  childStatusAnswer,
  decisionAnswer,
  decisionBody,
  parentQuery,
  parentRegisterBody,
  parentSchema,
  parentStatusAnswer,
  registrationAnswer,
  registrationBody,
  registryErrors,
} from './registry-schemas.js';

const BASE = '/api/v1/cascade';
/** The province's administrator decides; the auditor reads (GB/T 39477). */
const ACT = ['admin'] as const;
const READ: readonly Role[] = ['admin', 'auditor'];
/** Registrations a minute from one address: enough for retries, not for flooding the registry. */
const REGISTRATIONS_PER_MINUTE = 20;

/** A fixed-window count of registrations per client address, in this process. */
function registrationLimiter(now: () => Date) {
  const windows = new Map<string, { start: number; count: number }>();
  return (address: string) => {
    const at = now().getTime();
    const window = windows.get(address);
    if (!window || at - window.start >= 60_000) {
      if (windows.size > 10_000) windows.clear();
      windows.set(address, { start: at, count: 1 });
      return;
    }
    window.count += 1;
    if (window.count > REGISTRATIONS_PER_MINUTE)
      throw new HubError('HUB_ERR_CASCADE_RATE_LIMITED', { limit: REGISTRATIONS_PER_MINUTE });
  };
}

/** The token check of a public route that also takes signed hub requests. */
function requireRole(request: FastifyRequest, roles: readonly Role[]): void {
  const caller = request.caller;
  if (!caller) throw new HubError('HUB_ERR_UNAUTHENTICATED');
  if (!caller.roles.some((role) => roles.includes(role)))
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: caller.roles.join(',') || '-',
      required: roles.join(','),
    });
}

export async function registryRoutes(app: FastifyInstance): Promise<void> {
  const hub = app.hub;
  const limit = registrationLimiter(hub.now);

  app.post<{ Body: unknown }>(
    `${BASE}/children`,
    {
      config: { access: 'public' },
      schema: {
        summary:
          "A city hub's registration: the envelope signed with the node key it registers (public, rate-limited)",
        body: registrationBody,
        response: { 202: registrationAnswer, ...registryErrors(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      limit(request.ip);
      return reply.code(202).send(await registerChild(hub, request.body, requestLang(request)));
    },
  );

  app.get<{ Querystring: ChildQuery }>(
    `${BASE}/children`,
    {
      config: { access: READ },
      schema: {
        summary: 'Child hubs in code order (cursor: the last hub code of a page)',
        querystring: childListQuery,
        response: { 200: childListAnswer, ...adminRegistryErrors(400, 409) },
      },
    },
    async (request) => {
      requireProvince(hub, 'list child hubs');
      return listChildren(hub, request.query);
    },
  );

  app.get<{ Params: { hub: string } }>(
    `${BASE}/children/:hub`,
    {
      config: { access: 'public' },
      schema: {
        summary:
          "A child hub's registration and sync figures: the province's admin or auditor (token), or the child itself (signed by its node key; the answer then carries the province's node key)",
        params: childParams,
        response: { 200: childStatusAnswer, ...adminRegistryErrors(400, 404, 409) },
      },
    },
    async (request) => {
      requireProvince(hub, 'read a child hub');
      const code = request.params.hub;
      const lang = requestLang(request);
      if (request.headers['signature-input'] === undefined) {
        requireRole(request, READ);
        return { ...(await readChild(hub, code, lang)), ...(await childHealth(hub, code)) };
      }
      const node = await verifyNodeRequest(hub, request, undefined, 'child');
      if (node.hub !== code)
        throw new HubError('HUB_ERR_FORBIDDEN', { roles: `child ${node.hub}`, required: `child ${code}` });
      const child = await readChild(hub, code, lang);
      return { ...child, ...(await childHealth(hub, code)), parent: ownNodeKey(hub) };
    },
  );

  for (const decision of ['approve', 'reject', 'revoke'] as const satisfies readonly Decision[]) {
    app.post<{ Params: { hub: string }; Body: { reason?: string } | undefined }>(
      `${BASE}/children/:hub/${decision}`,
      {
        config: { access: ACT },
        schema: {
          summary: `${decision[0]!.toUpperCase()}${decision.slice(1)} a child hub${decision === 'approve' ? ' (the answer carries the province node key)' : ' (reason required)'}`,
          params: childParams,
          body: decisionBody,
          response: { 200: decisionAnswer, ...adminRegistryErrors(400, 404, 409, 422) },
        },
      },
      async (request) =>
        decideChild(
          hub,
          request.caller!,
          request.params.hub,
          decision,
          request.body ?? {},
          requestLang(request),
        ),
    );
  }

  app.post<{ Body: RegistrationInput }>(
    `${BASE}/parent/register`,
    {
      config: { access: ACT },
      schema: {
        summary:
          'A city registers with its configured parent: the hub signs the registration with its node key and sends it',
        body: parentRegisterBody,
        response: { 202: parentSchema, ...adminRegistryErrors(400, 409, 422, 502) },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await registerWithParent(hub, actorOf(request.caller!), request.body)),
  );

  app.get<{ Querystring: { refresh: boolean } }>(
    `${BASE}/parent`,
    {
      config: { access: READ },
      schema: {
        summary:
          "A city's parent: as stored, and (refresh, the default) as the parent answers a signed request now — pinning the parent's node key on approval",
        querystring: parentQuery,
        response: { 200: parentStatusAnswer, ...adminRegistryErrors(400, 409, 502) },
      },
    },
    async (request) => {
      await storedParent(hub);
      const remote = request.query.refresh ? await refreshPinnedParent(hub) : undefined;
      return { parent: await storedParent(hub), ...(remote ? { remote } : {}) };
    },
  );
}
