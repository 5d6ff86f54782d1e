import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OutboxStatus } from '../../db/schema-sharing.js';
import { requestLang } from '../../plugins/errors.js';
import {
  deliveryListSchema,
  deliveryQuery,
  pageQuery,
  registeredSchema,
  webhookBody,
  webhookErrors,
  webhookIdParams,
  webhookListSchema,
  webhookSchema,
} from './schemas.js';
import {
  listDeliveries,
  listWebhooks,
  registerWebhook,
  removeWebhook,
  type PageQuery,
  type WebhookInput,
  type WebhookScope,
} from './webhooks.js';

const API = '/api/v1';
/** Who registers and removes webhooks: an organisation's officer or reviewer, or an admin (platform). */
const WRITERS = ['officer', 'reviewer', 'admin'] as const;
/** Auditors also read them (every organisation's, like admins), but change nothing. */
const READERS = [...WRITERS, 'auditor'] as const;

function scopeOf(app: FastifyInstance, request: FastifyRequest): WebhookScope {
  return { hub: app.hub, caller: request.caller!, now: app.hub.now(), lang: requestLang(request) };
}

/** Webhook registrations and their delivery logs (docs/sharing-api.md, "Webhooks"). */
export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: WebhookInput }>(
    `${API}/webhooks`,
    {
      config: { access: WRITERS },
      schema: {
        summary: 'Register a webhook; the answer shows its signing secret, once',
        body: webhookBody,
        response: { 201: registeredSchema, ...webhookErrors(400, 401, 403, 415, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerWebhook(scopeOf(app, request), request.body)),
  );

  app.get<{ Querystring: PageQuery }>(
    `${API}/webhooks`,
    {
      config: { access: READERS },
      schema: {
        summary:
          'Active webhooks, newest first: the organisation’s (admins and auditors: all); never secrets',
        querystring: pageQuery,
        response: { 200: webhookListSchema, ...webhookErrors(400, 401, 403) },
      },
    },
    async (request) => listWebhooks(scopeOf(app, request), request.query),
  );

  app.delete<{ Params: { id: string } }>(
    `${API}/webhooks/:id`,
    {
      config: { access: WRITERS },
      schema: {
        summary: 'Remove a webhook: nothing more is sent to it, its pending deliveries fail',
        params: webhookIdParams,
        response: { 200: webhookSchema, ...webhookErrors(400, 401, 403, 404) },
      },
    },
    async (request) => removeWebhook(scopeOf(app, request), request.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: PageQuery & { status?: OutboxStatus } }>(
    `${API}/webhooks/:id/deliveries`,
    {
      config: { access: READERS },
      schema: {
        summary: 'Deliveries of a webhook, newest first: status, attempts, next attempt, last error',
        params: webhookIdParams,
        querystring: deliveryQuery,
        response: { 200: deliveryListSchema, ...webhookErrors(400, 401, 403, 404) },
      },
    },
    async (request) => listDeliveries(scopeOf(app, request), request.params.id, request.query),
  );
}
