import type { FastifyInstance } from 'fastify';

/** The audit log: read (auditors only), checkpoints and export for offline verification. */
export async function auditRoutes(_app: FastifyInstance): Promise<void> {}
