/**
 * The nudge at the province (docs/cascade-api.md "Sync"): an approved child says its feed grew
 * (`POST /api/v1/cascade/nudge` `{ hub, head }`, signed by its node key) and the province syncs
 * that child now instead of waiting for `cascadeSyncInterval`. The sync itself is the scheduler's
 * (`syncChild` from the cursor, as `system:cascade-nudge`); the nudge only makes it due. One sync
 * of a child runs at a time in this process: nudges that arrive meanwhile are folded into one
 * more run after it, so a chatty child costs at most one sync in flight and one waiting.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { syncChild } from './sync.js';
import { syncState } from './sync-store.js';

const NUDGE_ACTOR = { system: 'cascade-nudge' };

/** A child's nudged sync in this process: the run in flight, and whether another is owed. */
interface Queued {
  running: Promise<void>;
  again: boolean;
}

const queues = new WeakMap<HubContext, Map<string, Queued>>();

function queueOf(hub: HubContext): Map<string, Queued> {
  let queue = queues.get(hub);
  if (!queue) {
    queue = new Map();
    queues.set(hub, queue);
  }
  return queue;
}

/** The child as the sync reads it, or undefined when it is not APPROVED (revoked since) or blocked. */
async function syncableChild(hub: HubContext, code: string) {
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .select(['hub', 'base_url', 'public_key', 'state'])
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!child || child.state !== 'APPROVED') return undefined;
  // A blocked mass delete waits for an administrator, whoever asks (as the scheduler does).
  if ((await syncState(hub.store.db, code))?.blocked) return undefined;
  return { hub: child.hub, baseUrl: child.base_url, publicKey: child.public_key };
}

async function syncNudged(hub: HubContext, code: string, log: FastifyBaseLogger): Promise<void> {
  const child = await syncableChild(hub, code);
  if (!child) return;
  const request = { mode: 'changes' as const, confirm: false, actor: NUDGE_ACTOR, lang: 'zh-CN' as const };
  const summary = await syncChild(hub, child, request);
  if (summary.error && !summary.applied)
    log.warn({ child: code, error: summary.error }, 'nudged cascade sync applied nothing');
}

/**
 * Syncs the child soon, in the background: now if no sync of it runs here, else once more after
 * the running one. Never throws; a failure is the sync's own record (or logged) and the
 * scheduler tries again on its interval.
 */
export function syncSoon(hub: HubContext, code: string, log: FastifyBaseLogger): void {
  const queue = queueOf(hub);
  const queued = queue.get(code);
  if (queued) {
    queued.again = true;
    return;
  }
  const entry: Queued = { running: Promise.resolve(), again: true };
  queue.set(code, entry);
  entry.running = (async () => {
    await Promise.resolve(); // after the nudge's answer is on its way
    while (entry.again) {
      entry.again = false;
      // Another process applied first (409) or the database failed: the cursor did not move.
      await syncNudged(hub, code, log).catch((error: unknown) =>
        log.warn({ err: error, child: code }, 'nudged cascade sync failed'),
      );
    }
    queue.delete(code);
  })();
}

/** Resolves when no nudged sync runs here (tests; closing the hub waits for them too). */
export async function nudgedSyncsSettled(hub: HubContext): Promise<void> {
  const queue = queues.get(hub);
  while (queue && queue.size > 0) await Promise.all([...queue.values()].map((entry) => entry.running));
}

/**
 * What the province does with a verified nudge: a head beyond the stored cursor makes the child's
 * sync due now; a head at or below it (nothing new, or a replayed old nudge) changes nothing.
 */
export async function acceptNudge(
  hub: HubContext,
  nudge: { hub: string; head: number },
  log: FastifyBaseLogger,
): Promise<{ hub: string; head: number; cursor: number; syncing: boolean }> {
  const cursor = Number((await syncState(hub.store.db, nudge.hub))?.cursor ?? 0);
  const syncing = nudge.head > cursor;
  if (syncing) syncSoon(hub, nudge.hub, log);
  return { hub: nudge.hub, head: nudge.head, cursor, syncing };
}
