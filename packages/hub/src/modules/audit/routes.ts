import type { FastifyInstance } from 'fastify';

/** The audit log: read (auditors only), checkpoints and export for offline verification. */
export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.log.debug('audit routes: none yet');
}
