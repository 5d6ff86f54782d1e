/**
 * The return flow on the scheduler (docs/cascade-return.md "Increments"), every
 * `cascadeSyncInterval` seconds: a province refreshes each ACTIVE subscription's log and nudges
 * the child whose rows changed ("the province pushes increments"); a city with an approved parent
 * pulls. Nudges and the pulls they start run in the background, best effort: a failure is logged,
 * and the next round tries again.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { signedNodeFetch } from './node-auth.js';
import { oneAtATime, refreshLog } from './return-log.js';
import { pullReturn } from './return-pull.js';

const lastRound = new WeakMap<HubContext, number>();
const inFlight = new WeakMap<HubContext, Set<Promise<unknown>>>();

/** Keeps background return-flow work, so closing the hub waits for it. */
export function trackReturnWork(hub: HubContext, work: Promise<unknown>): void {
  const running = inFlight.get(hub) ?? new Set<Promise<unknown>>();
  inFlight.set(hub, running);
  const settled = work.catch(() => undefined);
  running.add(settled);
  void settled.then(() => running.delete(settled));
}

/** Waits for background nudges and pulls (the hub is closing). */
export async function returnWorkSettled(hub: HubContext): Promise<void> {
  await Promise.all([...(inFlight.get(hub) ?? [])]);
}

/** Asks a child to pull now; answers whether it took the nudge (202). */
export async function nudgeChild(hub: HubContext, child: string): Promise<boolean> {
  const row = await hub.store.db
    .selectFrom('cascade_children')
    .select(['base_url', 'state'])
    .where('hub', '=', child)
    .executeTakeFirst();
  if (row?.state !== 'APPROVED') return false;
  const url = `${row.base_url.replace(/\/+$/, '')}/api/v1/cascade/return/nudge`;
  return (await signedNodeFetch(hub, url, { method: 'POST' })).status === 202;
}

/** Province: nudge a child in the background (after a subscription is made or revoked). */
export function nudgeChildSoon(hub: HubContext, child: string, log: FastifyBaseLogger): void {
  trackReturnWork(
    hub,
    nudgeChild(hub, child).catch((error: unknown) =>
      log.warn({ err: error, child }, 'return-flow nudge failed'),
    ),
  );
}

/** City: pull every subscription in the background (the parent nudged). */
export function pullSoon(hub: HubContext, log: FastifyBaseLogger): void {
  trackReturnWork(
    hub,
    pullReturn(hub).catch((error: unknown) => log.warn({ err: error }, 'return-flow pull failed')),
  );
}

/** Province: refresh every ACTIVE subscription; nudge each child whose rows changed. */
export async function refreshAndNudge(hub: HubContext): Promise<{ refreshed: number; nudged: number }> {
  const subs = await hub.store.db
    .selectFrom('cascade_return_subscriptions')
    .select(['id', 'child'])
    .where('state', '=', 'ACTIVE')
    .execute();
  const changed = new Set<string>();
  for (const sub of subs) {
    const result = await oneAtATime(sub.id, () => refreshLog(hub, sub.id));
    if (result.changed > 0) changed.add(sub.child);
  }
  let nudged = 0;
  for (const child of changed) if (await nudgeChild(hub, child).catch(() => false)) nudged += 1;
  return { refreshed: subs.length, nudged };
}

/** One scheduler round of the return flow; nothing when it ran less than the interval ago. */
export async function sweepReturn(hub: HubContext, now: Date) {
  const seconds = hub.config.cascadeSyncInterval;
  const last = lastRound.get(hub);
  if (seconds === 0 || (last !== undefined && now.getTime() - last < seconds * 1000)) return null;
  lastRound.set(hub, now.getTime());
  if (hub.config.role === 'province') return refreshAndNudge(hub);
  if (!hub.config.parentUrl || !hub.config.parentCode) return null;
  const pulls = await pullReturn(hub).catch(() => []);
  return { pulled: pulls.length, failed: pulls.filter((pull) => pull.error !== null).length };
}
