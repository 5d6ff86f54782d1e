/**
 * Serving a subscription's rows to its child (docs/cascade-return.md "Row pages"): the log is
 * brought up to date, one page after the cursor is read with the state digest of every live row
 * at the head, signed with the node key, and audited `cascade.return.page` in the same
 * transaction before the page leaves — an audit that fails releases nothing.
 */
import {
  buildRowPage,
  signRowPage,
  sm3Hex,
  stateDigest,
  type DsseEnvelope,
  type RowPageItem,
  type ReturnRow,
} from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { oneAtATime, refreshLog, type Subscription } from './return-log.js';

export const DEFAULT_ROW_PAGE_LIMIT = 200;

/** The subscription the calling child may read, or 403/404 (deny by default). */
export async function subscriptionOfChild(hub: HubContext, id: string, child: string): Promise<Subscription> {
  const sub = await hub.store.db
    .selectFrom('cascade_return_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!sub) throw new HubError('HUB_ERR_NOT_FOUND', { what: 'return subscription', id });
  if (sub.child !== child || sub.state !== 'ACTIVE')
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: `child ${child}`,
      required: `the subscribed child hub of an ACTIVE subscription (${sub.child}, ${sub.state})`,
    });
  if (sub.grant_id !== null) await requireActiveGrant(hub, sub.grant_id);
  return sub;
}

/** A subscription on a grant's authority ends with it: suspended, revoked or past its period. */
async function requireActiveGrant(hub: HubContext, id: string): Promise<void> {
  const grant = await hub.store.db
    .selectFrom('grants')
    .select(['status', 'valid_to'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (grant?.status === 'active' && grant.valid_to >= hub.now().toISOString()) return;
  throw new HubError('HUB_ERR_FORBIDDEN', {
    roles: `grant ${id} (${grant?.status ?? 'unknown'})`,
    required: 'an active grant as the authority of the subscription',
  });
}

function itemOf(entry: {
  seq: number;
  row_key: string;
  change: string;
  row: string | null;
  digest: string | null;
}): RowPageItem {
  if (entry.change === 'delete') return { seq: Number(entry.seq), key: entry.row_key, change: 'delete' };
  return {
    seq: Number(entry.seq),
    key: entry.row_key,
    change: 'upsert',
    digest: entry.digest ?? '',
    row: JSON.parse(entry.row ?? '{}') as ReturnRow,
  };
}

/** Live rows' keys and digests: what the state digest covers. */
export async function liveDigests(db: Transaction<Database> | HubContext['store']['db'], id: string) {
  const live = await db
    .selectFrom('cascade_return_log')
    .select(['row_key', 'digest'])
    .where('subscription_id', '=', id)
    .where('change', '=', 'upsert')
    .execute();
  return live.map((entry) => ({ key: entry.row_key, digest: entry.digest ?? '' }));
}

async function pageAndAudit(
  hub: HubContext,
  trx: Transaction<Database>,
  sub: Subscription,
  after: number,
  limit: number,
): Promise<DsseEnvelope> {
  const entries = await trx
    .selectFrom('cascade_return_log')
    .selectAll()
    .where('subscription_id', '=', sub.id)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const live = await liveDigests(trx, sub.id);
  const now = hub.now();
  const items = entries.slice(0, limit).map(itemOf);
  const page = buildRowPage({
    hub: hub.config.hubCode,
    subscription: sub.id,
    resource: sub.resource_code,
    from: after,
    items,
    head: Math.max(Number(sub.head), after),
    complete: entries.length <= limit,
    rows: live.length,
    stateDigest: stateDigest(live),
    generatedAt: now.toISOString(),
  });
  const envelope = signRowPage(page, hub.key);
  const upserts = items.filter((item) => item.change === 'upsert').length;
  const event = {
    type: 'cascade',
    action: 'return.page',
    actor: { system: `cascade-child:${sub.child}` },
    object: sub.id,
    result: 'success' as const,
    // Counts and digests only: the rows themselves stay out of the log.
    detail: {
      child: sub.child,
      resource: sub.resource_code,
      cursor: after,
      to: page.to,
      head: page.head,
      upserts,
      deletes: items.length - upserts,
      rows: page.rows,
      stateDigest: page.stateDigest,
      pageDigest: `sm3:${sm3Hex(envelope.payload)}`,
    },
  };
  await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [event]);
  return envelope;
}

/** One signed page after `after`, the log refreshed first; audited before it is returned. */
export function serveRowPage(hub: HubContext, sub: Subscription, after: number, limit: number) {
  return oneAtATime(sub.id, async () => {
    // A reader behind the logged head reads what is logged; the rows are compared again (a read
    // of the whole resource) only once it has caught up, so a long initial copy scans once.
    if (after >= Number(sub.head)) await refreshLog(hub, sub.id);
    return hub.store.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('cascade_return_subscriptions')
        .selectAll()
        .where('id', '=', sub.id)
        .executeTakeFirstOrThrow();
      return pageAndAudit(hub, trx, current, after, limit);
    });
  });
}
