import { schemaId } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { HubError } from '../../errors.js';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';
import { requestLang } from '../../plugins/errors.js';
import { ROLES, type Role } from '../../roles.js';
import { findOrganisation, listOrganisations, organisationViewSchema, toView } from './organisations.js';
import { createOrganisation, createToken, revokeToken } from './service.js';

const tokenSummary = {
  type: 'object',
  required: ['id', 'orgId', 'name', 'roles', 'createdAt'],
  properties: {
    id: { type: 'string' },
    orgId: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
  },
} as const;

/** Organisations and API tokens. */
export async function identityRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/api/v1/organisations',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Register an organisation (province, city platform, department, unit)',
        body: { $ref: schemaId('organisation'), 'x-validated-by': 'standards' },
        response: { 201: organisationViewSchema, ...errorResponses(400, ...AUTH_ERRORS, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await createOrganisation(app, request.caller, request.body, requestLang(request));
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/organisations',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'List organisations',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: ['province', 'city', 'department', 'unit'] },
            parent: { type: 'string', maxLength: 64 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: organisationViewSchema } },
          },
          ...errorResponses(400, ...AUTH_ERRORS),
        },
      },
    },
    async (request) => {
      const rows = await listOrganisations(
        app.hub.store.db,
        request.query as { kind?: string; parent?: string },
      );
      return { items: rows.map(toView) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/organisations/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'One organisation',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: { 200: organisationViewSchema, ...errorResponses(...AUTH_ERRORS, 404) },
      },
    },
    async (request, reply) => {
      const row = await findOrganisation(app.hub.store.db, request.params.id);
      if (!row)
        throw new HubError('HUB_ERR_NOT_FOUND', {
          what: requestLang(request) === 'en' ? 'organisation' : '机构',
          id: request.params.id,
        });
      return reply.send(toView(row));
    },
  );

  app.post<{ Body: { orgId: string; name: string; roles: Role[]; expiresAt?: string } }>(
    '/api/v1/tokens',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Issue an API token; its secret is shown in this answer only',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['orgId', 'name', 'roles'],
          properties: {
            orgId: { type: 'string', minLength: 1, maxLength: 64 },
            name: { type: 'string', minLength: 1, maxLength: 100 },
            roles: {
              type: 'array',
              minItems: 1,
              maxItems: 5,
              uniqueItems: true,
              items: { type: 'string', enum: [...ROLES] },
            },
            expiresAt: { type: 'string', format: 'date-time', maxLength: 40 },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['id', 'token', 'orgId', 'roles'],
            properties: {
              id: { type: 'string' },
              token: { type: 'string' },
              orgId: { type: 'string' },
              roles: { type: 'array', items: { type: 'string' } },
              expiresAt: { type: ['string', 'null'] },
            },
          },
          ...errorResponses(400, ...AUTH_ERRORS, 404),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createToken(app, request.caller, request.body, requestLang(request))),
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'List tokens (never their secrets)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { orgId: { type: 'string', maxLength: 64 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: tokenSummary } },
          },
          ...errorResponses(400, ...AUTH_ERRORS),
        },
      },
    },
    async (request) => {
      const { orgId } = request.query as { orgId?: string };
      let query = app.hub.store.db
        .selectFrom('api_tokens')
        .select(['id', 'org_id', 'name', 'roles', 'created_at', 'expires_at', 'revoked_at'])
        .orderBy('created_at');
      if (orgId) query = query.where('org_id', '=', orgId);
      const rows = await query.execute();
      return {
        items: rows.map((row) => ({
          id: row.id,
          orgId: row.org_id,
          name: row.name,
          roles: JSON.parse(row.roles) as string[],
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
        })),
      };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Revoke a token',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 32 } } },
        response: {
          200: {
            type: 'object',
            required: ['id', 'revokedAt'],
            properties: { id: { type: 'string' }, revokedAt: { type: 'string' } },
          },
          ...errorResponses(...AUTH_ERRORS, 404),
        },
      },
    },
    async (request) => revokeToken(app, request.caller!, request.params.id, requestLang(request)),
  );

  app.get(
    '/api/v1/whoami',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'The caller: organisation and roles of the presented token',
        response: {
          200: {
            type: 'object',
            required: ['tokenId', 'roles', 'organisation'],
            properties: {
              tokenId: { type: 'string' },
              roles: { type: 'array', items: { type: 'string' } },
              organisation: organisationViewSchema,
            },
          },
          ...errorResponses(...AUTH_ERRORS),
        },
      },
    },
    async (request) => {
      const caller = request.caller!;
      const org = await findOrganisation(app.hub.store.db, caller.orgId);
      return { tokenId: caller.tokenId, roles: caller.roles, organisation: org ? toView(org) : undefined };
    },
  );
}
