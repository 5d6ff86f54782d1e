/**
 * Hub-to-hub routes of routed applications (docs/cascade-routing.md), reachable only by a
 * request signed with a pinned node key: at a province an APPROVED child's, at a city its
 * parent's. No role token grants anything here. Also the delivery loop of the routing outbox.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { requestLang } from '../../plugins/errors.js';
import { keepRawJsonBodies, signedNodeOnly } from './node-routes.js';
import { receiveEvent, type RoutedEvent } from './routing-events.js';
import { deliveriesSettled, kickDelivery } from './routing-outbox.js';
import type { ActionMessage, ApplicationMessage, CredentialMessage } from './routing-owner.js';
import { receiveApplicantMessage, receiveApplication } from './routing-relay.js';

const BASE = '/api/v1/cascade/applications';
const REQUIRED = 'a request signed by the node key of the pinned parent or an APPROVED child hub';
/** How often due messages are retried (each message keeps its own backoff). */
const DELIVERY_TICK_MS = 1000;

const code = { type: 'string', pattern: '^[1-9][0-9]{5}$' } as const;
const id = { type: 'string', minLength: 8, maxLength: 80 } as const;
const messageId = { type: 'string', minLength: 1, maxLength: 80 } as const;

const applicationBody = {
  type: 'object',
  required: ['messageId', 'originId', 'request', 'applicant', 'via'],
  properties: {
    messageId,
    originId: id,
    request: { type: 'object', required: ['resourceCode'], properties: { resourceCode: { type: 'string' } } },
    applicant: {
      type: 'object',
      required: ['id', 'name', 'uscc', 'hub'],
      properties: {
        id: { type: 'string', maxLength: 64 },
        name: { type: 'string' },
        uscc: { type: 'string' },
        hub: code,
      },
    },
    via: { type: 'array', items: code, minItems: 1 },
  },
} as const;

const eventBody = {
  type: 'object',
  required: ['messageId', 'originId'],
  properties: {
    messageId,
    originId: id,
    owner: code,
    application: { type: 'object' },
    grant: { type: 'object' },
  },
} as const;

const actionBody = {
  type: 'object',
  required: ['messageId', 'originId', 'action'],
  properties: {
    messageId,
    originId: id,
    action: { type: 'string', enum: ['accept', 'withdraw', 'escalate'] },
    input: { type: 'object' },
  },
} as const;

const credentialBody = {
  type: 'object',
  required: ['messageId', 'originId', 'op', 'appKey'],
  properties: {
    messageId,
    originId: id,
    op: { type: 'string', enum: ['issue', 'revoke'] },
    appKey: { type: 'string', pattern: '^ak_[0-9a-f]{20}$' },
    publicKey: { type: 'string', maxLength: 200 },
    rotate: { type: 'boolean' },
  },
} as const;

const senders = new WeakMap<FastifyRequest, string>();

/** A province takes these from its approved children, a city from its pinned parent. */
async function authoriseHub(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const from = app.hub.config.role === 'province' ? 'child' : 'parent';
  senders.set(request, await signedNodeOnly(app.hub, request, from, REQUIRED));
}

/** The answers are the receiving step's own documents (docs/cascade-routing.md), passed through whole. */
const answer = { type: 'object', additionalProperties: true } as const;
const QUEUED = { 202: { ...answer, description: 'passed on: queued for the next hub' } };

function node(
  app: FastifyInstance,
  summary: string,
  body: object,
  success: Record<number, object>,
  params?: object,
) {
  return {
    config: { access: 'public' as const },
    preValidation: async (request: FastifyRequest) => authoriseHub(app, request),
    schema: {
      summary,
      body,
      ...(params ? { params } : {}),
      response: { ...success, ...errorResponses(400, 401, 403, 404, 409, 422, 508) },
    },
  };
}

const subjectParams = { type: 'object', required: ['originId'], properties: { originId: id } } as const;

async function routingRoutes(app: FastifyInstance): Promise<void> {
  keepRawJsonBodies(app);
  const kick = () => void kickDelivery(app.hub, app.log);
  app.post<{ Body: ApplicationMessage }>(
    BASE,
    node(
      app,
      'A routed sharing application: filed here for a local resource, or passed on to the owning child',
      applicationBody,
      { 201: { ...answer, description: 'filed here: the owner, via and the application' }, ...QUEUED },
    ),
    async (request, reply) => {
      const answer = await receiveApplication(
        app.hub,
        senders.get(request)!,
        request.body,
        requestLang(request),
      );
      kick();
      return reply.code(answer.status).send(answer.body);
    },
  );
  app.post<{ Params: { originId: string }; Body: RoutedEvent }>(
    `${BASE}/:originId/events`,
    node(
      app,
      'A step of a routed application at its owner hub: mirrored or relayed towards its origin',
      eventBody,
      { 200: { ...answer, description: 'applied (or already applied): the message id' } },
      subjectParams,
    ),
    async (request) => {
      if (request.body.originId !== request.params.originId)
        throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'originId differs from the path' });
      const answer = await receiveEvent(
        app.hub,
        senders.get(request)!,
        request.params.originId,
        request.body,
      );
      kick();
      return answer;
    },
  );
  for (const [kind, path, body] of [
    ['action', 'actions', actionBody],
    ['credential', 'credentials', credentialBody],
  ] as const)
    app.post<{ Params: { originId: string }; Body: ActionMessage | CredentialMessage }>(
      `${BASE}/:originId/${path}`,
      node(
        app,
        `The applicant's ${kind} on a routed application: applied at its owner hub or relayed to it`,
        body,
        { 200: { ...answer, description: `applied at the owner: the ${kind}'s outcome` }, ...QUEUED },
        subjectParams,
      ),
      async (request, reply) => {
        if (request.body.originId !== request.params.originId)
          throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'originId differs from the path' });
        const sender = senders.get(request)!;
        const answer = await receiveApplicantMessage(
          app.hub,
          sender,
          kind,
          request.body,
          requestLang(request),
        );
        kick();
        return reply.code(answer.status).send(answer.body);
      },
    );
}

/** The routes, and the loop that retries due messages of the outbox while the hub runs. */
export async function cascadeRoutingRoutes(app: FastifyInstance): Promise<void> {
  await app.register(routingRoutes);
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => void kickDelivery(app.hub, app.log), DELIVERY_TICK_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await deliveriesSettled(app.hub);
  });
}
