/**
 * Routes of the return flow 回流 (docs/cascade-return.md). At the province: the admin subscribes
 * and revokes, admin and auditor list; the subscribed child — by its node signature alone, no
 * token — lists its subscriptions and reads signed row pages. At the city: admin and auditor read
 * the copies and their rows, the admin pulls now, and the parent's signed nudge starts a pull.
 */
import type { Lang } from '@minjiang/standards';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';
import { requestLang } from '../../plugins/errors.js';
import type { Role } from '../../roles.js';
import { signedNodeOnly } from './node-routes.js';
import { requireProvince } from './registry-children.js';
import { copyRows, copyViews } from './return-copies.js';
import { pullReturn } from './return-pull.js';
import { DEFAULT_ROW_PAGE_LIMIT, serveRowPage, subscriptionOfChild } from './return-serve.js';
import {
  createSubscription,
  listSubscriptions,
  revokeSubscription,
  type SubscribeInput,
} from './return-subscribe.js';
import { nudgeChildSoon, pullSoon, returnWorkSettled } from './return-sweep.js';
import * as schemas from './return-schemas.js';

const READERS: readonly Role[] = ['admin', 'auditor'];

/** A request signed by a node key and no token; a token caller is refused, as for the nudge. */
async function signedBy(app: FastifyInstance, request: FastifyRequest, from: 'child' | 'parent') {
  const required =
    from === 'child' ? 'a request signed by the subscribed child hub' : 'a request signed by the parent hub';
  return signedNodeOnly(app.hub, request, from, required);
}

/** A city's local reads take an admin's or auditor's token. */
function localReader(request: FastifyRequest): void {
  if (!request.caller) throw new HubError('HUB_ERR_UNAUTHENTICATED');
  if (!request.caller.roles.some((role) => READERS.includes(role)))
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: request.caller.roles.join(','),
      required: READERS.join(','),
    });
}

function seqOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^[0-9]{1,15}$/.test(cursor)) throw new HubError('HUB_ERR_CASCADE_CURSOR', { found: cursor });
  return Number(cursor);
}

interface RowsRequest {
  Params: { subscription: string };
  Querystring: { cursor?: string; limit?: number };
}

async function provinceRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: SubscribeInput }>(
    '/api/v1/cascade/return',
    {
      config: { access: ['admin'] },
      schema: {
        summary:
          "Subscribe an APPROVED child hub to a resource's rows of its region (province admin); audited",
        body: schemas.subscribeBody,
        response: { 201: schemas.subscriptionSchema, ...errorResponses(400, 404, 409, 422, ...AUTH_ERRORS) },
      },
    },
    async (request, reply) => {
      const view = await createSubscription(app.hub, request.caller!, request.body, requestLang(request));
      nudgeChildSoon(app.hub, view.child, app.log);
      return reply.code(201).send(view);
    },
  );
  app.post<{ Params: { subscription: string }; Body: { reason?: string } }>(
    '/api/v1/cascade/return/:subscription/revoke',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'End a return-flow subscription (province admin; reason required); audited',
        params: schemas.subscriptionParams,
        body: schemas.reasonBody,
        response: { 200: schemas.subscriptionSchema, ...errorResponses(400, 404, 409, 422, ...AUTH_ERRORS) },
      },
    },
    async (request) => {
      const view = await revokeSubscription(
        app.hub,
        request.caller!,
        request.params.subscription,
        request.body?.reason,
      );
      nudgeChildSoon(app.hub, view.child, app.log);
      return view;
    },
  );
  const children = new WeakMap<FastifyRequest, string>();
  app.get(
    '/api/v1/cascade/return/subscriptions',
    {
      // No token layer: only the child's node signature counts (its own subscriptions).
      config: { access: 'public' },
      preValidation: async (request) => {
        children.set(request, await signedBy(app, request, 'child'));
        requireProvince(app.hub, 'list return subscriptions');
      },
      schema: {
        summary:
          "The calling child hub's return-flow subscriptions (signed by the APPROVED child's node key)",
        response: { 200: schemas.childSubscriptionsAnswer, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({ items: await listSubscriptions(app.hub, children.get(request)) }),
  );
}

async function rowsRoute(app: FastifyInstance): Promise<void> {
  const children = new WeakMap<FastifyRequest, string>();
  app.get<RowsRequest>(
    '/api/v1/cascade/return/:subscription/rows',
    {
      config: { access: 'public' },
      // Province: the subscribed child's node signature only. City: its admin's or auditor's token.
      preValidation: async (request) => {
        if (app.hub.config.role === 'province') children.set(request, await signedBy(app, request, 'child'));
        else localReader(request);
      },
      schema: {
        summary:
          'Province: one signed row page after the cursor (the subscribed child only; audited before release). City: the copied rows (admin, auditor)',
        params: schemas.subscriptionParams,
        querystring: schemas.rowsQuery,
        response: { 200: schemas.rowsAnswer, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { subscription } = request.params;
      const limit = request.query.limit ?? DEFAULT_ROW_PAGE_LIMIT;
      const child = children.get(request);
      if (child === undefined) return copyRows(app.hub, subscription, request.query.cursor, limit);
      const sub = await subscriptionOfChild(app.hub, subscription, child);
      return serveRowPage(app.hub, sub, seqOf(request.query.cursor), limit);
    },
  );
}

async function cityRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { full?: boolean } | null }>(
    '/api/v1/cascade/return/sync',
    {
      config: { access: ['admin'] },
      schema: {
        summary:
          'Pull every return-flow subscription from the parent now (city admin); full copies again from 0',
        body: schemas.pullBody,
        response: { 200: schemas.pullAnswer, ...errorResponses(400, 409, 502, ...AUTH_ERRORS) },
      },
    },
    async (request) => {
      const lang: Lang = requestLang(request);
      return { pulls: await pullReturn(app.hub, { full: request.body?.full === true, lang }) };
    },
  );
  app.post(
    '/api/v1/cascade/return/nudge',
    {
      config: { access: 'public' },
      preValidation: async (request) => {
        await signedBy(app, request, 'parent');
      },
      schema: {
        summary: "The parent's rows changed: pull now (signed by the pinned parent's node key; 202)",
        response: { 202: schemas.nudgeAnswer, ...errorResponses(400, 401, 403) },
      },
    },
    async (_request, reply) => {
      pullSoon(app.hub, app.log);
      return reply.code(202).send({ pulling: true });
    },
  );
}

export async function cascadeReturnRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/cascade/return',
    {
      config: { access: READERS },
      schema: {
        summary:
          'Return-flow subscriptions served (province) or copies held and their state (city) (admin, auditor)',
        response: { 200: schemas.returnListAnswer, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async () =>
      app.hub.config.role === 'province'
        ? { role: 'province', subscriptions: await listSubscriptions(app.hub), copies: [] }
        : { role: 'city', subscriptions: [], copies: await copyViews(app.hub) },
  );
  await provinceRoutes(app);
  await rowsRoute(app);
  app.addHook('onClose', async () => returnWorkSettled(app.hub));
  await cityRoutes(app);
}
