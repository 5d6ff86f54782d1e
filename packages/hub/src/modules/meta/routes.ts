import type { FastifyInstance } from 'fastify';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';

/** The API version and the capabilities a client may check before it relies on them. */
export const API_VERSION = '1.0.0';
export const CAPABILITIES = [
  'identity',
  'catalog',
  'catalog.search',
  'catalog.review',
  'receipts',
  'audit',
] as const;

export async function metaRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/version',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Hub version, role and capabilities',
        response: {
          200: {
            type: 'object',
            required: ['version', 'apiVersion', 'hub', 'capabilities'],
            properties: {
              version: { type: 'string' },
              apiVersion: { type: 'string' },
              hub: {
                type: 'object',
                required: ['code', 'role'],
                properties: {
                  code: { type: 'string' },
                  role: { type: 'string', enum: ['province', 'city'] },
                },
              },
              capabilities: { type: 'array', items: { type: 'string' } },
              caller: {
                type: 'object',
                properties: {
                  orgId: { type: 'string' },
                  roles: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (request) => ({
      version: API_VERSION,
      apiVersion: 'v1',
      hub: { code: app.hub.config.hubCode, role: app.hub.config.role },
      capabilities: [...CAPABILITIES],
      ...(request.caller ? { caller: { orgId: request.caller.orgId, roles: request.caller.roles } } : {}),
    }),
  );

  app.get(
    '/api/v1/hub/key',
    {
      config: { access: 'public' },
      schema: {
        summary: "The hub's public signing key, to verify receipts and audit checkpoints offline",
        response: {
          200: {
            type: 'object',
            required: ['keyId', 'algorithm', 'publicKey'],
            properties: {
              keyId: { type: 'string' },
              algorithm: { type: 'string', const: 'sm2-sm3' },
              publicKey: { type: 'string' },
            },
          },
        },
      },
    },
    async () => ({ keyId: app.hub.key.keyId, algorithm: 'sm2-sm3', publicKey: app.hub.key.publicKey }),
  );

  app.get(
    '/api/v1/openapi.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'This API as OpenAPI 3.1',
        hide: true,
        response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async () => app.swagger(),
  );
}
