/**
 * `GET /api/v1/cascade/feed` (docs/cascade-api.md "Feed"): this hub's signed feed pages, read
 * by its parent with a request signed by the parent's pinned node key. This hub's own admin and
 * auditor may read it with their token too (to see what the parent will see); every other
 * request is judged by the node check alone.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses } from '../../http/schemas.js';
import type { Role } from '../../roles.js';
import { seedFeed } from './feed-append.js';
import { DEFAULT_FEED_LIMIT, feedPosition, readFeedPage } from './feed-read.js';
import { feedPageEnvelope, feedQuery } from './feed-schemas.js';
import { authenticateNode } from './node-auth.js';

const LOCAL_READERS: readonly Role[] = ['admin', 'auditor'];

/**
 * An admin's or auditor's token reads the feed; anything else (the parent, another role's token,
 * no token) must be signed by the pinned parent key: another role's token grants nothing here.
 */
async function authoriseReader(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (request.caller?.roles.some((role) => LOCAL_READERS.includes(role))) return;
  await authenticateNode(app.hub, request, undefined, 'parent');
}

export async function cascadeFeedRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { after?: string; limit?: number } }>(
    '/api/v1/cascade/feed',
    {
      // The token layer lets the request through; authoriseReader decides (node signature or role).
      config: { access: 'public' },
      schema: {
        summary: "One signed page of this hub's catalog feed (parent hub signed; admin, auditor)",
        querystring: feedQuery,
        response: { 200: feedPageEnvelope, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      await authoriseReader(app, request);
      const position = feedPosition(request.query.after);
      await seedFeed(app.hub);
      return readFeedPage(app.hub, position, request.query.limit ?? DEFAULT_FEED_LIMIT);
    },
  );
}
