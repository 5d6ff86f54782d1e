import type { ProblemStatus } from '../../db/schema.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HubError } from '../../errors.js';
import { requestLang } from '../../plugins/errors.js';
import { correct, type CorrectionInput } from './corrections.js';
import { raiseObjection, type ObjectionInput } from './objections.js';
import { organisationQuality, resourceQuality } from './quality.js';
import { listProblems, problemDocument } from './records.js';
import {
  acknowledgeBody,
  codeParams,
  correctionsAnswer,
  correctionsBody,
  disputeBody,
  governanceErrors,
  idParams,
  objectionBody,
  organisationQualitySchema,
  orgParams,
  problemListSchema,
  problemQuery,
  problemRecordSchema,
  resolveBody,
  resourceQualitySchema,
  ticketListSchema,
  ticketQuery,
  ticketSchema,
} from './schemas.js';
import {
  listTickets,
  readTicket,
  transition,
  type GovernanceScope,
  type TicketQuery,
  type TransitionAction,
  type TransitionInput,
} from './tickets.js';

const API = '/api/v1';
/** Who reads tickets; what each sees is narrowed by organisation in tickets.ts. */
const READERS = ['officer', 'consumer', 'admin', 'auditor'] as const;

function scopeOf(app: FastifyInstance, request: FastifyRequest): GovernanceScope {
  return { hub: app.hub, caller: request.caller!, now: app.hub.now(), lang: requestLang(request) };
}

const TRANSITIONS: {
  action: TransitionAction;
  roles: ('officer' | 'admin')[];
  summary: string;
  body: object;
}[] = [
  {
    action: 'acknowledge',
    roles: ['officer'],
    summary: 'Acknowledge a ticket (officer of the responsible organisation): open → acknowledged',
    body: acknowledgeBody,
  },
  {
    action: 'dispute',
    roles: ['officer'],
    summary:
      'Dispute a ticket with a reason (officer of the responsible organisation): open | acknowledged → disputed',
    body: disputeBody,
  },
  {
    action: 'resolve',
    roles: ['admin'],
    summary: 'Resolve a dispute (admin): reopen → acknowledged, or close (open records become waived)',
    body: resolveBody,
  },
];

/** Problem tickets, problem records, objections and quality scores (docs/data-api.md). */
export async function governanceRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: TicketQuery }>(
    `${API}/tickets`,
    {
      config: { access: READERS },
      schema: {
        summary: 'Problem tickets, newest first (officers: their organisation’s and those it raised)',
        querystring: ticketQuery,
        response: { 200: ticketListSchema, ...governanceErrors(400, 401, 403) },
      },
    },
    async (request) => listTickets(scopeOf(app, request), request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/tickets/:id`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One problem ticket with its history',
        params: idParams,
        response: { 200: ticketSchema, ...governanceErrors(400, 401, 403, 404) },
      },
    },
    async (request) => readTicket(scopeOf(app, request), request.params.id),
  );

  app.get<{
    Params: { id: string };
    Querystring: { status?: ProblemStatus; limit: number; cursor?: string };
  }>(
    `${API}/tickets/:id/problems`,
    {
      config: { access: READERS },
      schema: {
        summary: 'The problem records of a ticket, in row order, with the header (item names)',
        params: idParams,
        querystring: problemQuery,
        response: { 200: problemListSchema, ...governanceErrors(400, 401, 403, 404) },
      },
    },
    async (request) => listProblems(scopeOf(app, request), request.params.id, request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/problems/:id`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One problem record as the standards document governance/problem-record-1.0',
        params: idParams,
        response: { 200: problemRecordSchema, ...governanceErrors(400, 401, 403, 404) },
      },
    },
    async (request) => problemDocument(scopeOf(app, request), request.params.id),
  );

  for (const { action, roles, summary, body } of TRANSITIONS) {
    app.post<{ Params: { id: string }; Body: TransitionInput | null }>(
      `${API}/tickets/:id/${action}`,
      {
        config: { access: roles },
        schema: {
          summary,
          params: idParams,
          body,
          response: { 200: ticketSchema, ...governanceErrors(400, 401, 403, 404, 409, 415) },
        },
      },
      async (request) => transition(scopeOf(app, request), request.params.id, action, request.body ?? {}),
    );
  }

  app.post<{ Params: { id: string }; Body: CorrectionInput }>(
    `${API}/tickets/:id/corrections`,
    {
      config: { access: ['officer'] },
      schema: {
        summary:
          'Correct problem records (officer of the responsible organisation); rows that pass are stored',
        params: idParams,
        body: correctionsBody,
        response: { 200: correctionsAnswer, ...governanceErrors(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request) => correct(scopeOf(app, request), request.params.id, request.body),
  );

  app.post<{ Params: { code: string }; Body: ObjectionInput }>(
    `${API}/resources/:code/data/objections`,
    {
      config: { access: ['officer', 'consumer', 'admin'] },
      schema: {
        summary:
          'Object to a stored row of another organisation (异议): a ticket for the owner; the row is flagged',
        params: codeParams,
        body: objectionBody,
        response: { 201: ticketSchema, ...governanceErrors(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await raiseObjection(scopeOf(app, request), request.params.code, request.body)),
  );

  app.get<{ Params: { code: string } }>(
    `${API}/quality/resources/:code`,
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Quality of a resource’s data: completeness, validity, uniqueness, timeliness and score',
        params: codeParams,
        response: { 200: resourceQualitySchema, ...governanceErrors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { code } = request.params;
      const answer = await resourceQuality(
        app.hub.store.db,
        code,
        app.hub.now(),
        app.hub.config.qualityWeights,
      );
      if (!answer)
        throw new HubError('HUB_ERR_NOT_FOUND', {
          what: requestLang(request) === 'en' ? 'resource' : '资源',
          id: code,
        });
      return answer;
    },
  );

  app.get<{ Params: { id: string } }>(
    `${API}/quality/organisations/:id`,
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Quality of an organisation’s data: the means over its resources that have data',
        params: orgParams,
        response: { 200: organisationQualitySchema, ...governanceErrors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const answer = await organisationQuality(
        app.hub.store.db,
        id,
        app.hub.now(),
        app.hub.config.qualityWeights,
      );
      if (!answer)
        throw new HubError('HUB_ERR_NOT_FOUND', {
          what: requestLang(request) === 'en' ? 'organisation' : '机构',
          id,
        });
      return answer;
    },
  );
}
