import { normalizeCode } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { HubError } from '../../errors.js';
import { requestLang } from '../../plugins/errors.js';
import { viewerOf } from './access.js';
import { listResources, toListItem, type ListQuery } from './listing.js';
import { readHistory, readResource } from './reads.js';
import {
  historySchema,
  listAnswerSchema,
  listQuery,
  resourceViewSchema,
  versionQuery,
} from './read-schemas.js';
import { catalogErrors, codeParams } from './schemas.js';

const RESOURCES = '/api/v1/catalog/resources';

const CODE_FILTERS = [
  ['shareType', 'share-type'],
  ['openType', 'open-type'],
  ['grading', 'grading-level'],
  ['updateCycle', 'update-cycle'],
] as const;

/** Filter values may be a code table's label or code; both mean its canonical label. */
function normaliseFilters(query: ListQuery): ListQuery {
  const out = { ...query };
  for (const [field, table] of CODE_FILTERS) {
    const value = query[field];
    if (value === undefined) continue;
    const canonical = normalizeCode(table, value);
    if (canonical === undefined)
      throw new HubError('HUB_ERR_BAD_REQUEST', { detail: `${field} "${value}" is not in ${table}` });
    out[field] = canonical;
  }
  return out;
}

/** Reading: one resource, its history, and the filtered, searchable, paged list. */
export async function readRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: ListQuery }>(
    RESOURCES,
    {
      config: { access: 'authenticated' },
      schema: {
        summary:
          'List and search resources (published ones, plus every version state for the owner, admins and auditors)',
        querystring: listQuery,
        response: { 200: listAnswerSchema, ...catalogErrors(400, 401, 403) },
      },
    },
    async (request) => {
      const { db, engine } = app.hub.store;
      const filter = normaliseFilters(request.query);
      const { rows, next } = await listResources(db, engine, viewerOf(request.caller!), filter);
      return { items: rows.map(toListItem), next };
    },
  );

  app.get<{ Params: { code: string }; Querystring: { version?: number } }>(
    `${RESOURCES}/:code`,
    {
      config: { access: 'authenticated' },
      schema: {
        summary:
          'One resource: the latest version for its organisation, admins and auditors, the published one for others',
        params: codeParams,
        querystring: versionQuery,
        response: { 200: resourceViewSchema, ...catalogErrors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { etag, view } = await readResource(
        app.hub.store.db,
        viewerOf(request.caller!),
        request.params.code,
        requestLang(request),
        request.query.version,
      );
      return reply.header('etag', etag).send(view);
    },
  );

  app.get<{ Params: { code: string } }>(
    `${RESOURCES}/:code/versions`,
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'Every version of a resource: status, who acted and when, and the reason given',
        params: codeParams,
        response: { 200: historySchema, ...catalogErrors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      readHistory(app.hub.store.db, viewerOf(request.caller!), request.params.code, requestLang(request)),
  );
}
