import type { FastifyInstance } from 'fastify';

/** The catalog registry: register, review, read and search resources. */
export async function catalogRoutes(app: FastifyInstance): Promise<void> {
  app.log.debug('catalog routes: none yet');
}
