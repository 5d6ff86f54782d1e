import type { FastifyInstance } from 'fastify';
import { idempotent } from './idempotency.js';
import {
  reviewBatch,
  reviewBatchAnswerSchema,
  reviewBatchBody,
  type BatchReviewEntry,
} from './review-batch.js';
import { scopeOf } from './routes.js';
import { catalogErrors } from './schemas.js';

/** `POST /api/v1/catalog/resources:review`: the administrator's bulk approve / reject. */
export async function catalogReviewBatchRoutes(app: FastifyInstance): Promise<void> {
  const limit = app.hub.config.batchLimit;
  app.post<{ Body: { entries: BatchReviewEntry[] } }>(
    // A literal colon is `::` in a Fastify path.
    '/api/v1/catalog/resources::review',
    {
      config: { access: ['admin'] },
      schema: {
        summary: `Approve or reject up to ${limit} submitted resources, each in its own audited transaction with its own If-Match; results per entry (207 when some failed)`,
        body: reviewBatchBody(limit),
        response: {
          200: reviewBatchAnswerSchema,
          207: reviewBatchAnswerSchema,
          ...catalogErrors(400, 401, 403, 413, 415, 422),
        },
      },
    },
    async (request, reply) =>
      idempotent(app, request, reply, () => reviewBatch(scopeOf(app, request), request.body)),
  );
}
