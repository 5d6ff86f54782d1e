import type { FastifyInstance } from 'fastify';
import { requestLang } from '../../plugins/errors.js';
import { resourceNotFound, viewerOf } from '../catalog/access.js';
import { findResource } from '../catalog/repository.js';
import { codeParams } from '../catalog/schemas.js';
import { decodeCursor, encodeCursor } from './listing.js';
import { dataDigest } from './row-store.js';
import { pageQuery, rowsPageSchema, statsSchema, submissionErrors } from './schemas.js';

const DATA = '/api/v1/resources/:code/data';

/** Stored rows of a resource and the digest that proves them; the owner, admins (and auditors for stats). */
export async function dataRoutes(app: FastifyInstance): Promise<void> {
  const ownerOrPrivileged = async (request: { caller?: unknown }, code: string, lang: 'zh-CN' | 'en') => {
    const viewer = viewerOf(request.caller as Parameters<typeof viewerOf>[0]);
    const resource = await findResource(app.hub.store.db, code);
    if (!resource || (!viewer.privileged && resource.org_id !== viewer.orgId))
      throw resourceNotFound(code, lang);
  };

  app.get<{ Params: { code: string }; Querystring: { limit: number; cursor?: string } }>(
    DATA,
    {
      config: { access: ['officer', 'admin'] },
      schema: {
        summary: 'Stored rows of a resource in key order',
        params: codeParams,
        querystring: pageQuery,
        response: { 200: rowsPageSchema, ...submissionErrors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const lang = requestLang(request);
      const { code } = request.params;
      await ownerOrPrivileged(request, code, lang);
      let query = app.hub.store.db
        .selectFrom('data_rows')
        .select(['row_key', 'row', 'flagged', 'updated_at'])
        .where('resource_code', '=', code);
      if (request.query.cursor)
        query = query.where('row_key', '>', decodeCursor(request.query.cursor, 1, lang)[0] ?? '');
      const limit = request.query.limit;
      const rows = await query
        .orderBy('row_key')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((row) => ({
          key: JSON.parse(row.row_key) as string[],
          row: JSON.parse(row.row) as Record<string, string>,
          flagged: Number(row.flagged) === 1,
          updatedAt: row.updated_at,
        })),
        ...(rows.length > limit && last ? { next: encodeCursor([last.row_key]) } : {}),
      };
    },
  );

  app.get<{ Params: { code: string } }>(
    `${DATA}/stats`,
    {
      config: { access: ['officer', 'admin', 'auditor'] },
      schema: {
        summary: 'Row count, flagged rows, and the SM3 digest of the stored set (docs/data-api.md)',
        params: codeParams,
        response: { 200: statsSchema, ...submissionErrors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { code } = request.params;
      await ownerOrPrivileged(request, code, requestLang(request));
      const db = app.hub.store.db;
      const { rows, digest } = await dataDigest(db, code);
      const flagged = await db
        .selectFrom('data_rows')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('resource_code', '=', code)
        .where('flagged', '=', 1)
        .executeTakeFirstOrThrow();
      return { resource: code, rows, flagged: Number(flagged.n), digest };
    },
  );
}
