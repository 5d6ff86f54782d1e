import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';
import type { Role } from '../../roles.js';
import { createCheckpoint, maybeCheckpoint, stopCheckpoints } from './checkpoints.js';
import { auditExportLines, exportRange } from './export.js';
import { listCheckpoints, listEntries, type AuditFilter } from './query.js';
import {
  checkpointListSchema,
  checkpointQuerySchema,
  checkpointRecordSchema,
  exportAnswerSchema,
  exportQuerySchema,
  listAnswerSchema,
  listQuerySchema,
  verifyAnswerSchema,
} from './schemas.js';
import { verifyLiveLog } from './verify.js';

/** The auditor alone reads the log (GB/T 39477 three roles): not even an administrator. */
const AUDITOR: readonly Role[] = ['auditor'];

/** Methods that can write, and so append entries that may make a checkpoint due. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Signs checkpoints after writes have answered, and waits for a pending one on close. */
function checkpointHooks(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    if (WRITES.has(request.method) && reply.statusCode < 500) void maybeCheckpoint(app);
  });
  app.addHook('preClose', async () => stopCheckpoints(app.hub));
}

async function readRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/audit',
    {
      config: { access: AUDITOR },
      schema: {
        summary: 'Audit-log entries, filtered, in seq order (auditor only)',
        querystring: listQuerySchema,
        response: { 200: listAnswerSchema, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request) => listEntries(app.hub.store.db, request.query as AuditFilter),
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: { access: AUDITOR },
      schema: {
        summary: 'Export a range of the log as JSON Lines that verify offline (auditor only)',
        querystring: exportQuerySchema,
        response: { 200: exportAnswerSchema, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request, reply) => {
      const { from, to } = await exportRange(app.hub, request.query as { from?: number; to?: number });
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="audit-${app.hub.config.hubCode}-${from}-${to}.jsonl"`,
        )
        .send(Readable.from(auditExportLines(app.hub, from, to)));
    },
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: { access: AUDITOR },
      schema: {
        summary: 'Verify the live log: chain, evidence, filter columns and checkpoints (auditor only)',
        response: { 200: verifyAnswerSchema, ...errorResponses(...AUTH_ERRORS) },
      },
    },
    async () => verifyLiveLog(app.hub),
  );
}

async function checkpointRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/audit/checkpoints',
    {
      config: { access: AUDITOR },
      schema: {
        summary: 'Signed checkpoints, by size (auditor only)',
        querystring: checkpointQuerySchema,
        response: { 200: checkpointListSchema, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request) => listCheckpoints(app.hub.store.db, request.query as { cursor?: string; limit: number }),
  );

  app.post(
    '/api/v1/audit/checkpoints',
    {
      config: { access: AUDITOR },
      schema: {
        summary: 'Sign a checkpoint at the committed head now (201), or return the one already there (200)',
        response: {
          200: checkpointRecordSchema,
          201: checkpointRecordSchema,
          ...errorResponses(...AUTH_ERRORS, 409),
        },
      },
    },
    async (_request, reply) => {
      const signed = await createCheckpoint(app.hub);
      // Without a growth threshold there is always an answer.
      const { record, created } = signed as NonNullable<typeof signed>;
      return reply.status(created ? 201 : 200).send(record);
    },
  );
}

/**
 * The audit log: reading, checkpoints and export for the auditor, live verification. No route
 * changes or deletes an entry. A plugin without encapsulation, so its hooks see every write.
 */
export const auditRoutes = fp(
  async (app: FastifyInstance) => {
    checkpointHooks(app);
    await readRoutes(app);
    await checkpointRoutes(app);
  },
  { name: 'minjiang-audit', dependencies: ['minjiang-store', 'minjiang-auth'] },
);
