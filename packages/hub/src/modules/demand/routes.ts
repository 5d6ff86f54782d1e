import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import type { Role } from '../../roles.js';
import type { WorkflowScope } from '../workflow/events.js';
import {
  createBody,
  DEMAND_ACTIONS,
  demandDocumentSchema,
  demandErrors,
  demandListSchema,
  demandQuery,
  demandSchema,
  idParams,
  TRANSITION_BODIES,
} from './schemas.js';
import {
  createDemand,
  demandDocument,
  listDemands,
  readDemand,
  type CreateInput,
  type DemandQuery,
} from './service.js';
import { transition, type DemandAction, type TransitionInput } from './transitions.js';

const API = '/api/v1';
/** Who reads demands; what each sees is narrowed by organisation in the service. */
const READERS = ['officer', 'reviewer', 'admin', 'auditor'] as const;

/** The roles each step takes; the organisation is checked by the state machine (403 NOT_PARTY). */
const STEPS: Record<DemandAction, { roles: readonly Role[]; summary: string }> = {
  submit: {
    roles: ['officer'],
    summary: 'Submit a draft (requester): DRAFT → SUBMITTED, or ROUTED with an expected provider',
  },
  route: {
    roles: ['admin'],
    summary: 'Route to a provider (admin): SUBMITTED | ROUTED → ROUTED, deadline restarts',
  },
  claim: {
    roles: ['officer', 'reviewer'],
    summary: 'Claim (another organisation, or the one routed to): SUBMITTED | ROUTED → CLAIMED',
  },
  fulfil: {
    roles: ['officer'],
    summary: "Fulfil with a resource of the provider's organisation: ROUTED | CLAIMED → FULFILLED",
  },
  decline: {
    roles: ['officer', 'reviewer'],
    summary: 'Decline with a reason (provider): ROUTED | CLAIMED → DECLINED',
  },
  close: { roles: ['officer'], summary: 'Close (requester): FULFILLED | DECLINED → CLOSED' },
  withdraw: {
    roles: ['officer'],
    summary: 'Withdraw with a reason (requester): DRAFT … CLAIMED → WITHDRAWN',
  },
};

function scopeOf(app: FastifyInstance, request: FastifyRequest): WorkflowScope {
  return { hub: app.hub, caller: request.caller!, now: app.hub.now(), lang: requestLang(request) };
}

/** Demands (数据需求): filing, routing, claiming, fulfilment, and the standards document. */
export async function demandRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: CreateInput }>(
    `${API}/demands`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: 'File a demand (officer of the requester); submitted at once unless submit is false',
        body: createBody,
        response: { 201: demandSchema, ...demandErrors(400, 401, 403, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await createDemand(scopeOf(app, request), request.body)),
  );

  app.get<{ Querystring: DemandQuery }>(
    `${API}/demands`,
    {
      config: { access: READERS },
      schema: {
        summary:
          'Demands, newest first (officers and reviewers: as requester or provider, and claimable ones)',
        querystring: demandQuery,
        response: { 200: demandListSchema, ...demandErrors(400, 401, 403) },
      },
    },
    async (request) => listDemands(scopeOf(app, request), request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/demands/:id`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One demand with its history and who must act next',
        params: idParams,
        response: { 200: demandSchema, ...demandErrors(400, 401, 403, 404) },
      },
    },
    async (request) => readDemand(scopeOf(app, request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/demands/:id/document`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One demand as the standards document demand/demand-1.0',
        params: idParams,
        response: { 200: demandDocumentSchema, ...demandErrors(400, 401, 403, 404) },
      },
    },
    async (request) => demandDocument(scopeOf(app, request), request.params.id),
  );

  for (const action of DEMAND_ACTIONS) {
    const { roles, summary } = STEPS[action];
    app.post<{ Params: { id: string }; Body: TransitionInput | null }>(
      `${API}/demands/:id/${action}`,
      {
        config: { access: roles },
        schema: {
          summary,
          params: idParams,
          body: TRANSITION_BODIES[action],
          response: { 200: demandSchema, ...demandErrors(400, 401, 403, 404, 409, 415, 422) },
        },
      },
      async (request) => {
        const scope = scopeOf(app, request);
        await transition(scope, request.params.id, action, request.body ?? {});
        return readDemand(scope, request.params.id);
      },
    );
  }
}
