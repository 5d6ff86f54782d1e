/**
 * A child's sync figures for the registry's status answer (docs/cascade-api.md "City status"):
 * where the province's cursor stands in the child's feed, the head it last saw, when it last
 * synced, the last error and a blocked plan waiting for an administrator. Null before any sync.
 */
import type { HubContext } from '../../plugins/store.js';

export interface ChildHealth {
  cursor: number | null;
  head: number | null;
  lastSyncAt: string | null;
  lastError: unknown;
  blocked: unknown;
}

function parsed(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

export async function childHealth(hub: HubContext, code: string): Promise<ChildHealth> {
  const row = await hub.store.db
    .selectFrom('cascade_sync')
    .select(['cursor', 'head', 'last_sync_at', 'last_error', 'blocked'])
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!row) return { cursor: null, head: null, lastSyncAt: null, lastError: null, blocked: null };
  return {
    cursor: Number(row.cursor),
    head: Number(row.head),
    lastSyncAt: row.last_sync_at,
    lastError: parsed(row.last_error),
    blocked: parsed(row.blocked),
  };
}
