import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../http/schemas.js';
import { sweepSchema } from '../sharing/schemas.js';
import { sweepOnce } from './scheduler.js';

/** `POST /admin/sweep`: one scheduler round now, on the hub's clock (docs/sharing-api.md). */
export async function schedulerRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/api/v1/admin/sweep',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Run the deadline sweep and one webhook delivery round now (admin)',
        response: { 200: sweepSchema, ...errorResponses(401, 403) },
      },
    },
    async () => sweepOnce(app.hub, app.hub.now()),
  );
}
