import { schemaId } from '@minjiang/standards';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import type { Access } from '../../roles.js';
import type { Conditions } from './entries.js';
import { idempotent } from './idempotency.js';
import { readRoutes } from './read-routes.js';
import { review, type ReviewAction, type ReviewInput } from './review.js';
import {
  batchAnswerSchema,
  batchBody,
  catalogErrors,
  codeParams,
  emptyBody,
  rejectBody,
  transitionAnswerSchema,
  withdrawBody,
  writeAnswerSchema,
} from './schemas.js';
import type { WriteScope } from './service.js';
import { applyBatch, putResource } from './writes.js';

const RESOURCES = '/api/v1/catalog/resources';

/** Everything a write needs from its request. */
export function scopeOf(app: FastifyInstance, request: FastifyRequest): WriteScope {
  return { app, caller: request.caller!, now: app.hub.now(), lang: requestLang(request), log: request.log };
}

function conditionsOf(request: FastifyRequest): Conditions {
  const header = (name: 'if-match' | 'if-none-match') => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return { ifMatch: header('if-match'), ifNoneMatch: header('if-none-match') };
}

const REVIEW_ROUTES: { action: ReviewAction; access: Access; summary: string; body: object }[] = [
  {
    action: 'submit',
    access: ['officer'],
    summary: "Submit the draft for review (the owner's officer)",
    body: emptyBody,
  },
  {
    action: 'approve',
    access: ['admin'],
    summary: 'Publish the submitted version; the one published before is superseded',
    body: emptyBody,
  },
  {
    action: 'reject',
    access: ['admin'],
    summary: 'Reject the submitted version, with a reason',
    body: rejectBody,
  },
  {
    action: 'withdraw',
    access: ['officer', 'admin'],
    summary: 'Withdraw a draft, submitted or published version',
    body: withdrawBody,
  },
];

/** `POST …/{code}:submit|approve|reject|withdraw`. */
function registerReviewRoutes(app: FastifyInstance): void {
  for (const { action, access, summary, body } of REVIEW_ROUTES) {
    // A literal colon is `::`; the parameter stops before it (a code never holds a colon).
    app.post<{ Params: { code: string }; Body: ReviewInput | null }>(
      `${RESOURCES}/:code(^[^:]+)::${action}`,
      {
        config: { access },
        schema: {
          summary: `${summary} (If-Match, Idempotency-Key)`,
          params: codeParams,
          body,
          response: { 200: transitionAnswerSchema, ...catalogErrors(400, 401, 403, 404, 409, 412, 415, 422) },
        },
      },
      async (request, reply) =>
        idempotent(app, request, reply, () =>
          review(
            scopeOf(app, request),
            request.params.code,
            action,
            request.body ?? {},
            conditionsOf(request),
          ),
        ),
    );
  }
}

/** Registration, batch registration and the review workflow; reads are in read-routes.ts. */
export async function catalogRoutes(app: FastifyInstance): Promise<void> {
  app.put<{ Params: { code: string } }>(
    `${RESOURCES}/:code`,
    {
      config: { access: ['officer', 'admin'] },
      schema: {
        summary:
          'Register or update one resource (idempotent by content hash; If-Match, If-None-Match: *, Idempotency-Key)',
        params: codeParams,
        body: { $ref: schemaId('catalog-resource'), 'x-validated-by': 'standards' },
        response: {
          200: writeAnswerSchema,
          201: writeAnswerSchema,
          ...catalogErrors(400, 401, 403, 409, 412, 413, 415, 422),
        },
      },
    },
    async (request, reply) =>
      idempotent(app, request, reply, () =>
        putResource(scopeOf(app, request), request.params.code, request.body, conditionsOf(request)),
      ),
  );

  app.post(
    `${RESOURCES}::batch`,
    {
      config: { access: ['officer', 'admin'] },
      schema: {
        summary: `Register or update up to ${app.hub.config.batchLimit} resources, each with its own preconditions; results per entry (207 when some failed)`,
        body: {
          ...batchBody,
          properties: {
            ...batchBody.properties,
            entries: { ...batchBody.properties.entries, maxItems: app.hub.config.batchLimit },
          },
        },
        response: {
          200: batchAnswerSchema,
          207: batchAnswerSchema,
          ...catalogErrors(400, 401, 403, 413, 415, 422),
        },
      },
    },
    async (request, reply) =>
      idempotent(app, request, reply, () => applyBatch(scopeOf(app, request), request.body)),
  );

  registerReviewRoutes(app);
  await app.register(readRoutes);
}
