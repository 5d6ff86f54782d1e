/**
 * The province's side of sync (docs/cascade-api.md "Sync"): an admin runs one sync of a child
 * now (`changes` from the cursor, or a `full` resync whose complete listing may delete by
 * absence) and confirms a blocked mass delete; federated entries are readable, never writable.
 */
import type { Lang } from '@minjiang/standards';
import type { FastifyInstance } from 'fastify';
import { AUTH_ERRORS, errorResponses } from '../../http/schemas.js';
import { HubError } from '../../errors.js';
import { requestLang } from '../../plugins/errors.js';
import type { Role } from '../../roles.js';
import { actorOf } from '../catalog/access.js';
import { decodeCursor, encodeCursor } from '../workflow/cursor.js';
import {
  blockedErrorSchema,
  childParams,
  entriesPage,
  entriesQuery,
  syncBody,
  syncSummarySchema,
} from './feed-schemas.js';
import { syncChild, type SyncMode, type SyncSummary } from './sync.js';
import type { HubContext } from '../../plugins/store.js';

const ENTRY_READERS: readonly Role[] = ['admin', 'auditor', 'officer'];

async function approvedChild(hub: HubContext, code: string, lang: Lang) {
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .selectAll()
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!child)
    throw new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'child hub' : '下级节点', id: code });
  if (child.state !== 'APPROVED')
    throw new HubError('HUB_ERR_WORKFLOW_STATE', {
      id: code,
      state: child.state,
      action: 'sync',
      allowed: '-',
    });
  return { hub: child.hub, baseUrl: child.base_url, publicKey: child.public_key };
}

function blockedError(summary: SyncSummary): HubError {
  const block = summary.blocked as NonNullable<SyncSummary['blocked']>;
  const params = {
    hub: summary.hub,
    removals: block.removals,
    live: block.live,
    max: Math.round(block.maxShare * 1000) / 10,
  };
  return new HubError('HUB_ERR_CASCADE_BLOCKED', params, { summary });
}

interface EntriesQuery {
  origin: string;
  status?: 'live' | 'tombstone' | 'absent';
  cursor?: string;
  limit: number;
}

/** One page of an origin's federated entries in object order, with the owner's catalog document. */
async function listEntries(hub: HubContext, query: EntriesQuery) {
  let select = hub.store.db.selectFrom('cascade_entries').selectAll().where('origin', '=', query.origin);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.cursor !== undefined) select = select.where('object', '>', decodeCursor(query.cursor)[1]);
  const rows = await select
    .orderBy('object')
    .limit(query.limit + 1)
    .execute();
  const items = rows.slice(0, query.limit).map((row) => {
    const record = row.record ? (JSON.parse(row.record) as { payload: string }) : null;
    const payload = record
      ? (JSON.parse(Buffer.from(record.payload, 'base64').toString('utf8')) as { resource: unknown })
      : null;
    return {
      origin: row.origin,
      object: row.object,
      version: Number(row.version),
      status: row.status,
      digest: row.digest,
      resourceCode: row.resource_code,
      name: row.name,
      reason: row.reason,
      syncedAt: row.synced_at,
      resource: payload?.resource ?? null,
    };
  });
  const last = items.at(-1);
  return { items, ...(rows.length > query.limit && last ? { next: encodeCursor('', last.object) } : {}) };
}

export async function cascadeSyncRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { hub: string }; Body: { mode?: SyncMode; confirm?: boolean } | null }>(
    '/api/v1/cascade/children/:hub/sync',
    {
      config: { access: ['admin'] },
      schema: {
        summary:
          'Sync a child hub now (changes or full); confirm applies a blocked mass delete (admin); audited',
        params: childParams,
        body: syncBody,
        response: {
          200: syncSummarySchema,
          409: blockedErrorSchema,
          ...errorResponses(400, 404, ...AUTH_ERRORS),
        },
      },
    },
    async (request) => {
      const lang = requestLang(request);
      const child = await approvedChild(app.hub, request.params.hub, lang);
      const body = request.body ?? {};
      const actor = actorOf(request.caller!);
      const summary = await syncChild(app.hub, child, {
        mode: body.mode ?? 'changes',
        confirm: body.confirm ?? false,
        actor,
        lang,
      });
      if (summary.blocked) throw blockedError(summary);
      return summary;
    },
  );
  app.get<{ Querystring: EntriesQuery }>(
    '/api/v1/cascade/entries',
    {
      config: { access: ENTRY_READERS },
      schema: {
        summary: "A child hub's federated catalog entries as held here, read-only (admin, auditor, officer)",
        querystring: entriesQuery,
        response: { 200: entriesPage, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request) => listEntries(app.hub, request.query),
  );
}
