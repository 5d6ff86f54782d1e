import type { FastifyInstance } from 'fastify';

/** The catalog registry: register, review, read and search resources. */
export async function catalogRoutes(_app: FastifyInstance): Promise<void> {}
