import type { FastifyInstance } from 'fastify';
import type { SubmissionStatus } from '../../db/schema.js';
import { scopeOf } from '../catalog/routes.js';
import { commitSubmission, type CommitInput } from './commit.js';
import { dataRoutes } from './data-routes.js';
import { listSubmissions } from './listing.js';
import {
  chunkAnswerSchema,
  chunkHeaders,
  chunkParams,
  commitBody,
  commitResultSchema,
  createBody,
  emptyBody,
  idParams,
  listQuery,
  submissionErrors,
  submissionListSchema,
  submissionSchema,
} from './schemas.js';
import {
  cancelSubmission,
  createSubmission,
  putChunk,
  submissionView,
  visibleSubmission,
  type CreateSubmissionInput,
} from './submissions.js';

const SUBMISSIONS = '/api/v1/submissions';
export const CHUNK_MEDIA_TYPE = 'application/vnd.minjiang.rows+gzip';

/** Submissions: create, upload chunks, commit or cancel, and read them back. */
export async function aggregationRoutes(app: FastifyInstance): Promise<void> {
  // Chunks arrive as gzip bytes; they are checked by SM3 and stored as sent.
  app.addContentTypeParser(CHUNK_MEDIA_TYPE, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

  app.post<{ Body: CreateSubmissionInput }>(
    SUBMISSIONS,
    {
      config: { access: ['officer'] },
      schema: {
        summary: "Open a submission of a data file for one of the organisation's published resources",
        body: createBody,
        response: { 201: submissionSchema, ...submissionErrors(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createSubmission(scopeOf(app, request), request.body);
    },
  );

  app.put<{
    Params: { id: string; seq: number };
    Headers: { 'x-minjiang-sm3': string; 'x-minjiang-rows': number };
  }>(
    `${SUBMISSIONS}/:id/chunks/:seq`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: `Upload chunk {seq} (${CHUNK_MEDIA_TYPE}: gzip of JSON Lines [row, v1…vn]); idempotent`,
        params: chunkParams,
        headers: chunkHeaders,
        response: {
          200: chunkAnswerSchema,
          201: chunkAnswerSchema,
          ...submissionErrors(400, 401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const answer = await putChunk(scopeOf(app, request), request.params.id, {
        seq: request.params.seq,
        body: request.body as Buffer,
        sm3: request.headers['x-minjiang-sm3'],
        rows: request.headers['x-minjiang-rows'],
      });
      reply.code(answer.stored ? 201 : 200);
      return answer;
    },
  );

  app.post<{ Params: { id: string }; Body: CommitInput }>(
    `${SUBMISSIONS}/:id/commit`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: 'Validate every row and apply the submission, all or nothing; idempotent',
        params: idParams,
        body: commitBody,
        response: { 200: commitResultSchema, ...submissionErrors(400, 401, 403, 404, 409, 415, 503) },
      },
    },
    async (request) => commitSubmission(scopeOf(app, request), request.params.id, request.body),
  );

  app.post<{ Params: { id: string } }>(
    `${SUBMISSIONS}/:id/cancel`,
    {
      config: { access: ['officer'] },
      schema: {
        summary: 'Cancel an open submission; its chunks are dropped',
        params: idParams,
        body: emptyBody,
        response: { 200: submissionSchema, ...submissionErrors(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => cancelSubmission(scopeOf(app, request), request.params.id),
  );

  app.get<{ Params: { id: string } }>(
    `${SUBMISSIONS}/:id`,
    {
      config: { access: ['officer', 'admin', 'auditor'] },
      schema: {
        summary: 'A submission: chunks received so far, and its result once committed',
        params: idParams,
        response: { 200: submissionSchema, ...submissionErrors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const scope = scopeOf(app, request);
      return submissionView(app.hub.store.db, await visibleSubmission(scope, request.params.id));
    },
  );

  app.get<{ Querystring: { resource?: string; status?: SubmissionStatus; limit: number; cursor?: string } }>(
    SUBMISSIONS,
    {
      config: { access: ['officer', 'admin', 'auditor'] },
      schema: {
        summary: "Submissions, newest first (an officer sees its organisation's)",
        querystring: listQuery,
        response: { 200: submissionListSchema, ...submissionErrors(400, 401, 403) },
      },
    },
    async (request) => listSubmissions(scopeOf(app, request), request.query),
  );

  await app.register(dataRoutes);
}
