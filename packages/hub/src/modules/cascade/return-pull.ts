/**
 * The city's puller of the return flow (docs/cascade-return.md "At the city"): it asks its parent
 * for its subscriptions, then for each reads signed row pages after its cursor, verifies each
 * with the pinned parent key, and applies it — rows, cursor and state in one transaction per page
 * — so an outage at any point leaves the last applied cursor and the next pull resumes there
 * (re-applying a page changes nothing). At the parent's head it recomputes the copy's state
 * digest and records `verified` or `diverged`; a divergence is reported, never "fixed" here.
 */
import {
  MAX_ROW_PAGE_ITEMS,
  returnIssue,
  stateDigest,
  verifyRowPage,
  type Issue,
  type Lang,
  type RowPage,
} from '@minjiang/standards';
import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CascadeReturnCopyTable } from '../../db/schema-cascade-return.js';
import { HubError, renderHubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { signedNodeFetch } from './node-auth.js';
import { configuredParent } from './registry-parent.js';
import { dropCopy, recordError, unchanged } from './return-copies.js';
import { oneAtATime } from './return-log.js';
import type { SubscriptionView } from './return-subscribe.js';

type Copy = Selectable<CascadeReturnCopyTable>;

/** Pages one pull reads of a subscription at most; the next pull goes on from the cursor. */
export const RETURN_PAGES_PER_PULL = 50;

interface Parent {
  hub: string;
  url: string;
  publicKey: string;
}

export interface CopyPull {
  subscription: string;
  state: string;
  pages: number;
  applied: number;
  cursor: number;
  rows: number;
  verification: string;
  error: { code: string; message: string; issues?: Issue[] } | null;
}

async function approvedParent(hub: HubContext): Promise<Parent> {
  const { url, code } = configuredParent(hub, 'return sync');
  const row = await hub.store.db
    .selectFrom('cascade_parent')
    .selectAll()
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!row?.public_key) throw new HubError('HUB_ERR_CASCADE_NO_PARENT');
  if (row.state !== 'APPROVED')
    throw new HubError('HUB_ERR_WORKFLOW_STATE', {
      id: code,
      state: row.state,
      action: 'return sync',
      allowed: 'APPROVED',
    });
  return { hub: code, url, publicKey: row.public_key };
}

function refused(url: string, answer: { status: number; body: unknown }): HubError {
  const code = (answer.body as { code?: unknown } | null)?.code;
  const params = { url, status: answer.status, code: typeof code === 'string' ? code : '-' };
  return new HubError('HUB_ERR_CASCADE_PARENT_ANSWER', params, { parent: answer.body });
}

/** Takes the parent's list of this city's subscriptions into the copies table. */
async function takeSubscriptions(hub: HubContext, parent: Parent): Promise<void> {
  const answer = await signedNodeFetch(hub, `${parent.url}/api/v1/cascade/return/subscriptions`, {
    method: 'GET',
  });
  if (answer.status !== 200) throw refused(parent.url, answer);
  const at = hub.now().toISOString();
  for (const sub of (answer.body as { items: SubscriptionView[] }).items) {
    const terms = {
      resource_code: sub.resource,
      region_item: sub.regionItem,
      region_prefix: sub.prefix,
      items: JSON.stringify(sub.items),
      masking: sub.masking,
      state: sub.state,
      updated_at: at,
    };
    await hub.store.db
      .insertInto('cascade_return_copies')
      .values({
        subscription_id: sub.id,
        parent: parent.hub,
        ...terms,
        cursor: 0,
        rows: 0,
        state_digest: stateDigest([]),
        parent_head: 0,
        parent_rows: null,
        parent_digest: null,
        verification: 'pending',
        last_sync_at: null,
        last_error: null,
      })
      .onConflict((conflict) => conflict.column('subscription_id').doUpdateSet(terms))
      .execute();
  }
}

/** Rows held; with `digest`, also the copy's state digest (computed only at the parent's head). */
async function localState(trx: Transaction<Database>, id: string, digest: boolean) {
  if (!digest) {
    const counted = await trx
      .selectFrom('cascade_return_rows')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('subscription_id', '=', id)
      .executeTakeFirstOrThrow();
    return { rows: Number(counted.n), digest: undefined };
  }
  const rows = await trx
    .selectFrom('cascade_return_rows')
    .select(['row_key', 'digest'])
    .where('subscription_id', '=', id)
    .execute();
  return {
    rows: rows.length,
    digest: stateDigest(rows.map((row) => ({ key: row.row_key, digest: row.digest }))),
  };
}

async function applyRows(trx: Transaction<Database>, id: string, page: RowPage): Promise<void> {
  for (const item of page.items) {
    if (item.change === 'delete') {
      await trx
        .deleteFrom('cascade_return_rows')
        .where('subscription_id', '=', id)
        .where('row_key', '=', item.key)
        .execute();
      continue;
    }
    const values = { row: JSON.stringify(item.row), digest: item.digest ?? '' };
    await trx
      .insertInto('cascade_return_rows')
      .values({ subscription_id: id, row_key: item.key, ...values })
      .onConflict((conflict) => conflict.columns(['subscription_id', 'row_key']).doUpdateSet(values))
      .execute();
  }
}

/** Applies one verified page; at the head, compares the copy with the parent's state digest. */
async function applyPage(hub: HubContext, copy: Copy, page: RowPage, reset: boolean, lang: Lang) {
  const at = hub.now().toISOString();
  return hub.store.db.transaction().execute(async (trx) => {
    if (reset)
      await trx
        .deleteFrom('cascade_return_rows')
        .where('subscription_id', '=', copy.subscription_id)
        .execute();
    await applyRows(trx, copy.subscription_id, page);
    const atHead = page.complete;
    const local = await localState(trx, copy.subscription_id, atHead);
    const same = local.digest === page.stateDigest && local.rows === page.rows;
    const diverged = returnIssue('RET-109', '/stateDigest', { found: local.rows, expected: page.rows }, lang);
    const moved = await trx
      .updateTable('cascade_return_copies')
      .set({
        cursor: page.to,
        rows: local.rows,
        ...(local.digest === undefined ? {} : { state_digest: local.digest }),
        parent_head: page.head,
        last_sync_at: at,
        updated_at: at,
        ...(atHead
          ? {
              parent_rows: page.rows,
              parent_digest: page.stateDigest,
              verification: same ? 'verified' : 'diverged',
              last_error: same
                ? null
                : JSON.stringify({ code: diverged.code, message: diverged.message, at }),
            }
          : { verification: 'pending', last_error: null }),
      })
      .where('subscription_id', '=', copy.subscription_id)
      .where('cursor', '=', copy.cursor)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      throw new HubError('HUB_ERR_CONFLICT', {
        detail: `another pull of ${copy.subscription_id} applied first`,
      });
  });
}

async function readPage(hub: HubContext, parent: Parent, id: string, cursor: number, lang: Lang) {
  const url = `${parent.url}/api/v1/cascade/return/${encodeURIComponent(id)}/rows?cursor=${cursor}&limit=${Math.min(hub.config.cascadeFeedPageSize, MAX_ROW_PAGE_ITEMS)}`;
  const answer = await signedNodeFetch(hub, url, { method: 'GET' });
  if (answer.status !== 200) throw refused(parent.url, answer);
  const verified = verifyRowPage(answer.body, {
    hub: parent.hub,
    publicKey: parent.publicKey,
    subscription: id,
    after: cursor,
    lang,
  });
  if (!verified.ok) {
    const first = verified.issues[0] as Issue;
    throw new HubError(
      'HUB_ERR_CASCADE_RETURN_PAGE',
      { hub: parent.hub, code: first.code },
      { issues: verified.issues },
    );
  }
  return verified.page;
}

function errorOf(error: unknown, lang: Lang): NonNullable<CopyPull['error']> {
  if (!(error instanceof HubError)) throw error;
  const issues = error.details?.['issues'] as Issue[] | undefined;
  const { message } = renderHubError(error.code, error.params, lang);
  return { code: error.code, message, ...(issues ? { issues } : {}) };
}

/** Pulls one copy from its cursor (from 0 and replacing its rows when `full`). */
async function pullCopy(
  hub: HubContext,
  parent: Parent,
  id: string,
  full: boolean,
  lang: Lang,
): Promise<CopyPull> {
  let copy = await hub.store.db
    .selectFrom('cascade_return_copies')
    .selectAll()
    .where('subscription_id', '=', id)
    .executeTakeFirstOrThrow();
  const result = { pages: 0, applied: 0, error: null as CopyPull['error'] };
  let reset = full;
  // The cursor stored (which the next apply moves from) and the one read after (0 when full).
  let stored = Number(copy.cursor);
  try {
    for (let cursor = full ? 0 : stored; result.pages < RETURN_PAGES_PER_PULL;) {
      const page = await readPage(hub, parent, id, cursor, lang);
      await applyPage(hub, { ...copy, cursor: stored }, page, reset, lang);
      stored = page.to;
      reset = false;
      result.pages += 1;
      result.applied += page.items.length;
      cursor = page.to;
      if (page.complete) break;
    }
  } catch (error) {
    result.error = errorOf(error, lang);
    await recordError(hub, id, result.error);
  }
  copy = await hub.store.db
    .selectFrom('cascade_return_copies')
    .selectAll()
    .where('subscription_id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    subscription: id,
    state: copy.state,
    cursor: Number(copy.cursor),
    rows: Number(copy.rows),
    verification: copy.verification,
    ...result,
  };
}

/** One pull of every subscription of this city; one pull at a time in a hub process. */
export function pullReturn(
  hub: HubContext,
  options: { full?: boolean; lang?: Lang } = {},
): Promise<CopyPull[]> {
  const lang = options.lang ?? 'zh-CN';
  return oneAtATime(`return-pull:${hub.config.hubCode}`, async () => {
    const parent = await approvedParent(hub);
    // A parent that cannot list the subscriptions fails each copy's pull, recorded on the copy.
    const listing = await takeSubscriptions(hub, parent).then(
      () => null,
      (error: unknown) => errorOf(error, lang),
    );
    const copies = await hub.store.db
      .selectFrom('cascade_return_copies')
      .selectAll()
      .orderBy('subscription_id')
      .execute();
    const pulls: CopyPull[] = [];
    for (const copy of copies) {
      if (copy.state !== 'ACTIVE') {
        if (!listing) await dropCopy(hub, copy.subscription_id);
      } else if (listing) {
        await recordError(hub, copy.subscription_id, listing);
        pulls.push({ ...unchanged(copy), error: listing });
      } else {
        pulls.push(await pullCopy(hub, parent, copy.subscription_id, options.full === true, lang));
      }
    }
    return pulls;
  });
}
