/**
 * The province's scheduled pull (docs/cascade-api.md "Sync"): every approved child whose last
 * attempt is older than `cascadeSyncInterval` seconds is synced once from its cursor. A child
 * whose sync is blocked waits for an admin; a child that is down is retried on the next round,
 * its error recorded and nothing of it deleted.
 */
import type { HubContext } from '../../plugins/store.js';
import { syncChild } from './sync.js';

const SYSTEM_ACTOR = { system: 'cascade-sync' };

/** Syncs the children that are due; answers how many were synced, failed, or blocked. */
export async function sweepCascade(hub: HubContext, now: Date) {
  const result = { synced: 0, failed: 0, blocked: 0 };
  const seconds = hub.config.cascadeSyncInterval;
  if (seconds === 0) return result;
  const dueBefore = new Date(now.getTime() - seconds * 1000).toISOString();
  const children = await hub.store.db
    .selectFrom('cascade_children as c')
    .leftJoin('cascade_sync as s', 's.hub', 'c.hub')
    .select(['c.hub', 'c.base_url', 'c.public_key', 's.updated_at', 's.blocked'])
    .where('c.state', '=', 'APPROVED')
    .execute();
  for (const child of children) {
    if (child.blocked !== null) continue;
    if (child.updated_at !== null && child.updated_at > dueBefore) continue;
    const node = { hub: child.hub, baseUrl: child.base_url, publicKey: child.public_key };
    try {
      const request = {
        mode: 'changes' as const,
        confirm: false,
        actor: SYSTEM_ACTOR,
        lang: 'zh-CN' as const,
      };
      const summary = await syncChild(hub, node, request);
      if (summary.blocked) result.blocked += 1;
      else if (summary.error && !summary.applied) result.failed += 1;
      else result.synced += 1;
    } catch {
      // Another hub process applied this child's sync first (409), or the database failed:
      // the cursor did not move, and the next round starts from it.
      result.failed += 1;
    }
  }
  return result;
}
