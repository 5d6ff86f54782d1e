/**
 * The province's side of cascade sync (docs/cascade-api.md "Sync"): an admin syncs a child hub
 * now — from its cursor, or as a full resync — and confirms a sync the mass-delete guard stopped;
 * federated entries are read page after page. A blocked sync is an answer, not a failure: the
 * hub's 409 HUB_ERR_CASCADE_BLOCKED carries the plan, which is returned with `applied: false`.
 */
import type { Issue, Lang } from '@minjiang/standards';
import type { HubClient } from './client/hub-client.js';
import { ConflictError } from './client/errors.js';

export type CascadeSyncMode = 'changes' | 'full';

/** Why a read of the child's feed stopped: unreachable, refused, or a page that did not verify. */
export interface CascadeSyncFailure {
  code: string;
  message: string;
  status?: number;
  issues?: Issue[];
}

/** What one sync did (or would do, when blocked). */
export interface CascadeSyncSummary {
  hub: string;
  mode: CascadeSyncMode;
  applied: boolean;
  counts: {
    create: number;
    update: number;
    tombstone: number;
    unchanged: number;
    'stale-version-ignored': number;
  };
  removals: number;
  live: number;
  blocked: { removals: number; live: number; share: number; maxShare: number; message: string } | null;
  cursor: { previous: number; next: number };
  head: number;
  /** Items refused one by one (FED-201 another hub's object, FED-202 equivocation). */
  refused: Issue[];
  error: CascadeSyncFailure | null;
}

/** A federated entry as the province holds it, read-only. */
export interface CascadeEntry {
  origin: string;
  object: string;
  version: number;
  status: 'live' | 'tombstone' | 'absent';
  digest: string | null;
  resourceCode: string;
  name: string | null;
  reason: string | null;
  syncedAt: string;
  resource: Record<string, unknown> | null;
}

const BASE = '/api/v1/cascade';

function headers(lang: Lang | undefined) {
  return lang === 'en' ? { headers: { 'accept-language': 'en' } } : {};
}

/** Province admin: one sync of a child hub now; `confirm` applies the removals of the blocked plan. */
export async function syncCascadeChild(
  client: HubClient,
  hub: string,
  input: { mode?: CascadeSyncMode; confirm?: boolean } = {},
  options: { lang?: Lang } = {},
): Promise<CascadeSyncSummary> {
  try {
    const { data } = await client.transport.request<CascadeSyncSummary>({
      method: 'POST',
      path: `${BASE}/children/${encodeURIComponent(hub)}/sync`,
      body: { mode: input.mode ?? 'changes', confirm: input.confirm ?? false },
      // The sync already waited for the child; a blocked answer must reach the admin as it is.
      maxRetries: 0,
      ...headers(options.lang),
    });
    return data;
  } catch (error) {
    const summary = (error as { body?: { summary?: CascadeSyncSummary } }).body?.summary;
    if (error instanceof ConflictError && error.code === 'HUB_ERR_CASCADE_BLOCKED' && summary) return summary;
    throw error;
  }
}

/**
 * Province: federated entries page after page — one child hub's (`origin`), or the live entries
 * of every child matching the search terms `q` (Chinese terms of one or two characters work).
 */
export async function* federatedEntries(
  client: HubClient,
  query:
    | { origin: string; q?: string; status?: CascadeEntry['status'] }
    | { origin?: string; q: string; status?: CascadeEntry['status'] },
  options: { lang?: Lang } = {},
): AsyncGenerator<CascadeEntry> {
  let cursor: string | undefined;
  do {
    const { data } = await client.transport.request<{ items: CascadeEntry[]; next?: string }>({
      method: 'GET',
      path: `${BASE}/entries`,
      query: { ...query, limit: 500, ...(cursor ? { cursor } : {}) },
      ...headers(options.lang),
    });
    yield* data.items;
    cursor = data.next;
  } while (cursor !== undefined);
}
