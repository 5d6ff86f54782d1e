import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import {
  applyOrRoute,
  grantWithRouted,
  issueCredentialOrRoute,
  listCredentialsWithRouted,
  listWithRouted,
  readWithRouted,
  revokeCredentialOrRoute,
  stepOrRoute,
} from '../cascade/routing-sharing.js';
import type { WorkflowScope } from '../workflow/events.js';
import type { CreateApplicationInput } from './create.js';
import type { CredentialRequest } from './credentials.js';
import { readApplicationDocument } from './document.js';
import { actionRoles, type ApplicationAction } from './policy.js';
import type { ApplicationQuery } from './records.js';
import {
  applicationListSchema,
  applicationQuery,
  applicationSchema,
  createBody,
  credentialListSchema,
  credentialParams,
  documentSchema,
  grantSchema,
  idParams,
  issueCredentialBody,
  issuedCredentialSchema,
  revokedCredentialSchema,
  stepBody,
  workflowErrors,
} from './schemas.js';
import type { StepInput } from './transitions.js';

const API = '/api/v1';
/** Who reads applications; what each sees is narrowed to its organisation in records.ts. */
const READERS = ['officer', 'reviewer', 'admin', 'auditor'] as const;

const STEPS: { action: ApplicationAction; summary: string }[] = [
  { action: 'submit', summary: 'Submit a draft (applicant): DRAFT → PRECHECK' },
  { action: 'approve', summary: 'Approve: precheck (admin), provider review (reviewer), escalation (admin)' },
  { action: 'offer', summary: 'Counter-offer narrower terms (provider reviewer): PROVIDER_REVIEW → OFFERED' },
  { action: 'reject', summary: 'Reject with a reason (admin at precheck or escalation, provider reviewer)' },
  {
    action: 'accept',
    summary: 'Accept the offer, echoing its id and digest (applicant): → APPROVED with a grant',
  },
  {
    action: 'escalate',
    summary: 'Ask the 主管部门 to coordinate after a rejection (applicant), with a reason',
  },
  { action: 'withdraw', summary: 'Withdraw the application (applicant)' },
  { action: 'suspend', summary: 'Suspend an active grant (provider reviewer or admin), with a reason' },
  { action: 'resume', summary: 'Resume a suspended grant (provider reviewer or admin)' },
  { action: 'revoke', summary: 'Revoke the grant (provider reviewer or admin), with a reason' },
];

function scopeOf(app: FastifyInstance, request: FastifyRequest): WorkflowScope {
  return { hub: app.hub, caller: request.caller!, now: app.hub.now(), lang: requestLang(request) };
}

/** Sharing and open-data applications, their steps, grants and credentials (docs/sharing-api.md). */
export async function sharingRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: CreateApplicationInput }>(
    `${API}/applications`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: 'Apply for a resource of another organisation (and submit, unless submit: false)',
        body: createBody,
        response: { 201: applicationSchema, ...workflowErrors(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await applyOrRoute(scopeOf(app, request), request.body)),
  );

  app.get<{ Querystring: ApplicationQuery }>(
    `${API}/applications`,
    {
      config: { access: READERS },
      schema: {
        summary: 'Applications, newest first (officers and reviewers: their organisation’s, either side)',
        querystring: applicationQuery,
        response: { 200: applicationListSchema, ...workflowErrors(400, 401, 403) },
      },
    },
    async (request) => listWithRouted(scopeOf(app, request), request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/applications/:id`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One application with its history and who must act next, by when',
        params: idParams,
        response: { 200: applicationSchema, ...workflowErrors(400, 401, 403, 404) },
      },
    },
    async (request) => readWithRouted(scopeOf(app, request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    `${API}/applications/:id/document`,
    {
      config: { access: READERS },
      schema: {
        summary: 'One application as the standards document application/sharing-application-1.0',
        params: idParams,
        response: { 200: documentSchema, ...workflowErrors(400, 401, 403, 404) },
      },
    },
    async (request) => readApplicationDocument(scopeOf(app, request), request.params.id),
  );

  for (const { action, summary } of STEPS) {
    app.post<{ Params: { id: string }; Body: StepInput | null }>(
      `${API}/applications/:id/${action}`,
      {
        config: { access: actionRoles(action) },
        schema: {
          summary,
          params: idParams,
          body: stepBody,
          response: { 200: applicationSchema, ...workflowErrors(400, 401, 403, 404, 409, 415, 422) },
        },
      },
      async (request) => stepOrRoute(scopeOf(app, request), request.params.id, action, request.body ?? {}),
    );
  }

  await grantRoutes(app);
}

async function grantRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { id: string } }>(
    `${API}/grants/:id`,
    {
      config: { access: ['officer', 'reviewer', 'consumer', 'admin', 'auditor'] },
      schema: {
        summary: 'A grant with its signed document (DSSE envelope, verify with GET /hub/key)',
        params: idParams,
        response: { 200: grantSchema, ...workflowErrors(400, 401, 403, 404) },
      },
    },
    async (request) => grantWithRouted(scopeOf(app, request), request.params.id),
  );

  app.post<{ Params: { id: string }; Body: CredentialRequest | null }>(
    `${API}/grants/:id/credentials`,
    {
      config: { access: ['officer'] },
      schema: {
        summary:
          'Issue (or rotate) a credential of a grant: an app key and an HMAC secret shown only here, or an app key for an SM2 public key',
        params: idParams,
        body: issueCredentialBody,
        response: { 201: issuedCredentialSchema, ...workflowErrors(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const issued = await issueCredentialOrRoute(
        scopeOf(app, request),
        request.params.id,
        request.body ?? {},
      );
      return reply.code(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.get<{ Params: { id: string } }>(
    `${API}/grants/:id/credentials`,
    {
      config: { access: ['officer', 'admin', 'auditor'] },
      schema: {
        summary: 'The credentials of a grant (never their secrets)',
        params: idParams,
        response: { 200: credentialListSchema, ...workflowErrors(400, 401, 403, 404) },
      },
    },
    async (request) => listCredentialsWithRouted(scopeOf(app, request), request.params.id),
  );

  app.delete<{ Params: { id: string; appKey: string } }>(
    `${API}/grants/:id/credentials/:appKey`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: 'Revoke a credential of a grant; calls with it fail from the next one',
        params: credentialParams,
        response: { 200: revokedCredentialSchema, ...workflowErrors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      revokeCredentialOrRoute(scopeOf(app, request), request.params.id, request.params.appKey),
  );
}
