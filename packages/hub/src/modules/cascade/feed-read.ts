/**
 * Serving this hub's feed (docs/cascade-api.md "Feed"): one page of the change feed (`c<seq>`)
 * or of the snapshot listing (`s<seq>`, the latest item of each object), signed as a whole with
 * the node key, so the parent can trust the cursor fields as much as the items.
 */
import {
  FEED_PAGE_PAYLOAD_TYPE,
  buildFeedPage,
  parseFeedCursor,
  signDsse,
  signFeedPage,
  type CascadeFeedItem,
  type CascadeFeedPage,
  type DsseEnvelope,
  type FeedMode,
} from '@minjiang/standards';
import { sql } from 'kysely';
import type { CascadeFeedTable } from '../../db/schema-cascade-feed.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';

/** Items per page when the reader names no limit, and the most it may ask for (the schema's bound). */
export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 500;

/** The mode and seq of an `after` parameter; 400 HUB_ERR_CASCADE_CURSOR for anything else. */
export function feedPosition(after: string | undefined): { mode: FeedMode; seq: number } {
  if (after === undefined || after === '') return { mode: 'changes', seq: 0 };
  const position = parseFeedCursor(after);
  if (!position || !Number.isSafeInteger(position.seq))
    throw new HubError('HUB_ERR_CASCADE_CURSOR', { found: after });
  return position;
}

function itemOf(row: CascadeFeedTable): CascadeFeedItem {
  const base = {
    seq: Number(row.seq),
    object: row.object,
    version: Number(row.version),
    published: row.published,
  };
  if (row.type === 'Delete') {
    return {
      ...base,
      type: 'Delete',
      reason: row.reason ?? 'WITHDRAWN',
      ...(row.successor !== null ? { successor: row.successor } : {}),
    };
  }
  return {
    ...base,
    type: row.type,
    digest: row.digest ?? '',
    record: JSON.parse(row.record ?? 'null') as NonNullable<CascadeFeedItem['record']>,
  };
}

/** Up to `limit + 1` rows after `seq`: the extra one only tells whether the page is complete. */
async function rowsAfter(hub: HubContext, mode: FeedMode, seq: number, limit: number) {
  let query = hub.store.db.selectFrom('cascade_feed as f').selectAll('f').where('f.seq', '>', seq);
  if (mode === 'snapshot') {
    // The latest item of each object only: an object changed since moved to a later seq.
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('cascade_feed as g')
            .select(sql`1`.as('one'))
            .whereRef('g.object', '=', 'f.object')
            .whereRef('g.seq', '>', 'f.seq'),
        ),
      ),
    );
  }
  return query
    .orderBy('f.seq')
    .limit(limit + 1)
    .execute();
}

async function headSeq(hub: HubContext): Promise<number> {
  const row = await hub.store.db
    .selectFrom('cascade_feed')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst();
  return Number(row?.head ?? 0);
}

/**
 * One signed page. An `after` beyond the head (the hub was restored from an older backup) gets
 * an empty page whose head is below its start: signFeedPage refuses to sign a page that breaks
 * the rules, so this one is signed directly — the reader must see FED-109 rather than wait for
 * seqs that will be reused for other items.
 */
export async function readFeedPage(
  hub: HubContext,
  position: { mode: FeedMode; seq: number },
  limit: number,
): Promise<DsseEnvelope> {
  const rows = await rowsAfter(hub, position.mode, position.seq, limit);
  const head = Math.max(await headSeq(hub), Number(rows.at(-1)?.seq ?? 0));
  const generatedAt = hub.now().toISOString();
  const items = rows.slice(0, limit).map(itemOf);
  const base = { hub: hub.config.hubCode, mode: position.mode, from: position.seq, generatedAt };
  if (position.seq > head) {
    const page: CascadeFeedPage = { ...base, to: position.seq, head, complete: true, next: null, items: [] };
    return signDsse(hub.key, FEED_PAGE_PAYLOAD_TYPE, page);
  }
  const page = buildFeedPage({ ...base, items, head, complete: rows.length <= limit });
  return signFeedPage(page, hub.key);
}
