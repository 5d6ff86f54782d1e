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
import { listEntries, type EntriesQuery } from './entries-read.js';
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
        summary:
          "Child hubs' federated catalog entries as held here, by origin or searched with q, read-only (admin, auditor, officer)",
        querystring: entriesQuery,
        response: { 200: entriesPage, ...errorResponses(400, ...AUTH_ERRORS) },
      },
    },
    async (request) => {
      // One origin's entries, or a search over every origin's live ones: a listing of all is not offered.
      if (request.query.origin === undefined && request.query.q === undefined)
        throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'give origin=<hub code> or q=<terms>' });
      return listEntries(app.hub, request.query);
    },
  );
}
