import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import { applyProposals } from './apply.js';
import { conflictsReport } from './conflicts.js';
import {
  listProposals,
  propose,
  readProposal,
  reviewProposal,
  type ProposalQuery,
  type ProposeInput,
  type ReviewInput,
} from './proposals.js';
import type { ResourceFilter } from './resources.js';
import {
  applyAnswer,
  applyBody,
  conflictsAnswer,
  conflictsQuery,
  gradingErrors,
  idParams,
  listAnswer,
  listQuery,
  proposalSchema,
  proposeAnswer,
  proposeBody,
  reviewBody,
} from './schemas.js';
import type { GradingScope } from './scope.js';
import { loadGradingSetup } from './setup.js';

const BASE = '/api/v1/admin/grading';
/** Acting is the platform administrator's; the auditor reads proposals and conflicts (GB/T 39477). */
const ACT = ['admin'] as const;
const READ = ['admin', 'auditor'] as const;

/** Classification and grading (分类分级, GB/T 43697): propose, review, apply, conflicts. */
export async function gradingRoutes(app: FastifyInstance): Promise<void> {
  const setup = loadGradingSetup(app.hub.config);
  const scopeOf = (request: FastifyRequest): GradingScope => ({
    hub: app.hub,
    caller: request.caller!,
    now: app.hub.now(),
    lang: requestLang(request),
    setup,
  });

  app.post<{ Body: ProposeInput }>(
    `${BASE}/propose`,
    {
      config: { access: ACT },
      schema: {
        summary:
          'Grade published resources (an organisation, a code prefix, or all) and file proposals for review',
        body: proposeBody,
        response: { 200: proposeAnswer, ...gradingErrors(400) },
      },
    },
    async (request) => propose(scopeOf(request), request.body ?? {}),
  );

  app.get<{ Querystring: ProposalQuery }>(
    `${BASE}/proposals`,
    {
      config: { access: READ },
      schema: {
        summary: 'Grade proposals, newest first',
        querystring: listQuery,
        response: { 200: listAnswer, ...gradingErrors(400) },
      },
    },
    async (request) => listProposals(scopeOf(request), request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${BASE}/proposals/:id`,
    {
      config: { access: READ },
      schema: {
        summary: 'One proposal with every item level and its reasons',
        params: idParams,
        response: { 200: proposalSchema, ...gradingErrors(400, 404) },
      },
    },
    async (request) => readProposal(scopeOf(request), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: ReviewInput }>(
    `${BASE}/proposals/:id/review`,
    {
      config: { access: ACT },
      schema: {
        summary: 'Accept, reject (with a reason) or override (another level, with a reason) a proposal',
        params: idParams,
        body: reviewBody,
        response: { 200: proposalSchema, ...gradingErrors(400, 404, 409, 422) },
      },
    },
    async (request) => reviewProposal(scopeOf(request), request.params.id, request.body),
  );

  app.post<{ Body: { dryRun?: boolean } }>(
    `${BASE}/apply`,
    {
      config: { access: ACT },
      schema: {
        summary: 'Write every accepted level onto its resource as a new published version (or a dry run)',
        body: applyBody,
        response: { 200: applyAnswer, ...gradingErrors(400) },
      },
    },
    async (request) => applyProposals(scopeOf(request), request.body ?? {}),
  );

  app.get<{ Querystring: ResourceFilter }>(
    `${BASE}/conflicts`,
    {
      config: { access: READ },
      schema: {
        summary:
          'Published resources whose share or open types the configured policy does not allow at their grades',
        querystring: conflictsQuery,
        response: { 200: conflictsAnswer, ...gradingErrors(400) },
      },
    },
    async (request) => conflictsReport(scopeOf(request), request.query),
  );
}
