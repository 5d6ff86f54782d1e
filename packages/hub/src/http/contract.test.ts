import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestHub, ENGINES, type TestHub, type TestTokens } from '../../test-utils/hub.js';

interface Operation {
  'x-minjiang-roles'?: string[];
  responses: Record<string, unknown>;
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

const CALLERS: (keyof TestTokens | 'none')[] = [
  'none',
  'admin',
  'auditor',
  'officer',
  'reviewer',
  'consumer',
];
const ROLE_OF: Record<keyof TestTokens, string> = {
  admin: 'admin',
  auditor: 'auditor',
  officer: 'officer',
  otherOfficer: 'officer',
  reviewer: 'reviewer',
  consumer: 'consumer',
};

/**
 * Public routes that take only a hub's node signature: every token caller and an unsigned request
 * are refused (401/403), whatever the role.
 */
const NODE_SIGNED = new Set([
  'post /api/v1/cascade/nudge',
  // Return flow: the child's subscriptions and row pages at a province (the city's local row
  // read with an admin or auditor token exists only at a city), the parent's nudge at a city.
  'get /api/v1/cascade/return/subscriptions',
  'get /api/v1/cascade/return/{subscription}/rows',
  'post /api/v1/cascade/return/nudge',
  // Routed applications: from an APPROVED child at a province, from the pinned parent at a city.
  'post /api/v1/cascade/applications',
  'post /api/v1/cascade/applications/{originId}/events',
  'post /api/v1/cascade/applications/{originId}/actions',
  'post /api/v1/cascade/applications/{originId}/credentials',
]);

/** A concrete URL for a templated path: parameters get plausible values. */
function concrete(path: string): string {
  return path.replace(/\{[^}]+\}/g, (name) =>
    name === '{code}' ? encodeURIComponent('3350010001/000001') : 'x1',
  );
}

describe.each(ENGINES)('HTTP contract on %s', (engine) => {
  let hub: TestHub;
  let doc: OpenApi;
  beforeAll(async () => {
    hub = await buildTestHub(engine);
    doc = (await hub.call(null, { method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApi;
  });
  afterAll(async () => hub.close());

  it('serves an OpenAPI 3.1 document that an OpenAPI validator accepts', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents a response for every status of every operation, including the refusals', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = Object.keys(operation.responses);
        if (!statuses.some((status) => status.startsWith('2')))
          missing.push(`${method} ${path}: no success answer`);
        if (operation['x-minjiang-roles'] && !(statuses.includes('401') && statuses.includes('403'))) {
          missing.push(`${method} ${path}: 401/403`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('lets exactly the declared roles through every route, and no one without a token', async () => {
    const wrong: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const roles = operation['x-minjiang-roles'];
        for (const caller of CALLERS) {
          const token = caller === 'none' ? null : hub.tokens[caller];
          const response = await hub.call(token, {
            method: method.toUpperCase() as 'GET',
            url: concrete(path),
            payload: method === 'get' || method === 'delete' ? undefined : {},
          });
          const allowed =
            roles === undefined ||
            (caller !== 'none' && (roles.includes('any') || roles.includes(ROLE_OF[caller])));
          const refused = response.statusCode === 401 || response.statusCode === 403;
          const expected =
            roles === undefined ? 'not refused' : caller === 'none' ? 401 : allowed ? 'not refused' : 403;
          const ok = NODE_SIGNED.has(`${method} ${path}`)
            ? refused
            : expected === 'not refused'
              ? !refused
              : response.statusCode === expected;
          if (!ok)
            wrong.push(
              `${method.toUpperCase()} ${path} as ${caller}: ${response.statusCode}, expected ${expected}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('covers the routes the issue asks for', () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/version', '/api/v1/tokens', '/api/v1/organisations']),
    );
  });
});
