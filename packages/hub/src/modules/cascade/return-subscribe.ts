/**
 * Return-flow subscriptions at the province (docs/cascade-return.md "Subscription"): a province
 * admin subscribes an APPROVED child hub to a published resource's rows of the child's region —
 * which items (projection) under which masking profile — on the authority of an active grant of
 * that resource (its items and masking are then the most it may release) or of the admin's own
 * recorded decision with a reason. Audited `cascade.return.subscribe` / `return.revoke`.
 */
import { randomUUID } from 'node:crypto';
import { maskingProfile, type Lang } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../catalog/access.js';
import type { Caller } from '../identity/tokens.js';
import { publishedResource, type PublishedResource } from '../sharing/resource-terms.js';
import { requireProvince } from './registry-children.js';
import type { Subscription } from './return-log.js';

export interface SubscribeInput {
  child: string;
  resource: string;
  regionItem: string;
  prefix: string;
  items?: string[];
  masking?: string;
  grant?: string;
  reason?: string;
}

/** A subscription as both sides show it. */
export function subscriptionView(sub: Subscription) {
  return {
    id: sub.id,
    child: sub.child,
    parent: null as string | null,
    resource: sub.resource_code,
    regionItem: sub.region_item,
    prefix: sub.region_prefix,
    items: JSON.parse(sub.items) as string[],
    masking: sub.masking,
    grant: sub.grant_id,
    reason: sub.reason,
    state: sub.state,
    head: Number(sub.head),
    createdBy: sub.created_by,
    createdAt: sub.created_at,
  };
}

export type SubscriptionView = ReturnType<typeof subscriptionView>;

const termsError = (detail: string) => new HubError('HUB_ERR_CASCADE_RETURN_TERMS', { detail });

/** An item of the resource by name or technical name, as its name (rows are stored by name). */
function itemName(resource: PublishedResource, wanted: string): string {
  const item = resource.items.find(
    (candidate) => candidate.name === wanted || candidate.technicalName === wanted,
  );
  if (!item) throw termsError(`${wanted} is not an item of ${resource.code} v${resource.version}`);
  return item.name;
}

/** The child's region as a code prefix: 350100 → 3501, 350000 → 35. */
function regionPrefix(region: string): string {
  let prefix = region;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

async function approvedChild(hub: HubContext, code: string) {
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .selectAll()
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!child) throw new HubError('HUB_ERR_NOT_FOUND', { what: 'child hub', id: code });
  if (child.state !== 'APPROVED')
    throw new HubError('HUB_ERR_WORKFLOW_STATE', {
      id: code,
      state: child.state,
      action: 'subscribe',
      allowed: 'APPROVED',
    });
  return child;
}

/** The grant's items and masking when one is named (active, same resource); the admin's reason otherwise. */
async function authority(hub: HubContext, input: SubscribeInput) {
  if (input.grant === undefined) {
    if (!input.reason?.trim())
      throw new HubError('HUB_ERR_REASON_REQUIRED', { action: 'subscribe without a grant' });
    if (!input.items?.length || !input.masking)
      throw termsError('without a grant, items and masking are required');
    return { items: input.items, masking: input.masking, grant: null };
  }
  const grant = await hub.store.db
    .selectFrom('grants')
    .selectAll()
    .where('id', '=', input.grant)
    .executeTakeFirst();
  const current = grant?.status === 'active' && grant.valid_to >= hub.now().toISOString();
  if (!grant || !current || grant.resource_code !== input.resource)
    throw termsError(`grant ${input.grant} is not an active grant of ${input.resource}`);
  // The grant must be the child's own (its platform or one of its departments, `{hub}/…`):
  // another consumer's grant is no authority for rows that go to this city.
  if (!grant.assignee_org.startsWith(`${input.child}/`))
    throw termsError(
      `grant ${input.grant} is assigned to ${grant.assignee_org}, not to an organisation of ${input.child}`,
    );
  const granted = JSON.parse(grant.items) as string[];
  const items = input.items?.length ? input.items : granted;
  return { items, masking: input.masking ?? grant.masking, grant: grant.id, granted };
}

/** Checks the terms and stores the subscription with its audit entry. */
export async function createSubscription(hub: HubContext, caller: Caller, input: SubscribeInput, lang: Lang) {
  requireProvince(hub, 'subscribe a child hub to rows');
  const child = await approvedChild(hub, input.child);
  const resource = await publishedResource(hub.store.db, lang, input.resource);
  const source = await authority(hub, input);
  const items = source.items.map((item) => itemName(resource, item));
  const outside = source.granted ? items.filter((item) => !source.granted.includes(item)) : [];
  if (outside.length > 0) throw termsError(`items ${outside.join(', ')} are not granted`);
  const regionItem = itemName(resource, input.regionItem);
  const childPrefix = regionPrefix(child.region);
  if (!/^[0-9]{2,12}$/.test(input.prefix) || !input.prefix.startsWith(childPrefix))
    throw termsError(`prefix ${input.prefix} is not within the region of ${child.hub} (${childPrefix}…)`);
  try {
    maskingProfile(source.masking);
  } catch {
    throw termsError(`masking profile ${source.masking} is unknown`);
  }
  const now = hub.now();
  const at = now.toISOString();
  const row: Subscription = {
    id: `ret-${randomUUID().replace(/-/g, '')}`,
    child: child.hub,
    resource_code: resource.code,
    region_item: regionItem,
    region_prefix: input.prefix,
    items: JSON.stringify(items),
    masking: source.masking,
    grant_id: source.grant,
    reason: input.reason?.trim() || null,
    state: 'ACTIVE',
    head: 0,
    created_by: caller.tokenId,
    created_at: at,
    updated_at: at,
  };
  await hub.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('cascade_return_subscriptions').values(row).execute();
    const facts = {
      child: row.child,
      resource: row.resource_code,
      prefix: row.region_prefix,
      grant: row.grant_id,
    };
    const event = { type: 'cascade', action: 'return.subscribe', actor: actorOf(caller), object: row.id };
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
      {
        ...event,
        result: 'success',
        detail: {
          ...facts,
          regionItem: row.region_item,
          items: items,
          masking: row.masking,
          reason: row.reason,
        },
      },
    ]);
  });
  return subscriptionView(row);
}

/** Ends a subscription: the child is told on its next pull and drops its copy. */
export async function revokeSubscription(
  hub: HubContext,
  caller: Caller,
  id: string,
  reason: string | undefined,
) {
  requireProvince(hub, 'revoke a return subscription');
  if (!reason?.trim()) throw new HubError('HUB_ERR_REASON_REQUIRED', { action: 'revoke' });
  const now = hub.now();
  return hub.store.db.transaction().execute(async (trx) => {
    const sub = await trx
      .selectFrom('cascade_return_subscriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!sub) throw new HubError('HUB_ERR_NOT_FOUND', { what: 'return subscription', id });
    if (sub.state !== 'ACTIVE')
      throw new HubError('HUB_ERR_WORKFLOW_STATE', {
        id,
        state: sub.state,
        action: 'revoke',
        allowed: 'ACTIVE',
      });
    await trx
      .updateTable('cascade_return_subscriptions')
      .set({ state: 'REVOKED', reason: reason.trim(), updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute();
    const event = { type: 'cascade', action: 'return.revoke', actor: actorOf(caller), object: id };
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
      { ...event, result: 'success', detail: { child: sub.child, reason: reason.trim() } },
    ]);
    return subscriptionView({ ...sub, state: 'REVOKED', reason: reason.trim() });
  });
}

/** Every subscription (province admin, auditor) or one child's (the child, node-signed). */
export async function listSubscriptions(hub: HubContext, child?: string): Promise<SubscriptionView[]> {
  let query = hub.store.db.selectFrom('cascade_return_subscriptions').selectAll();
  if (child !== undefined) query = query.where('child', '=', child);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(subscriptionView);
}
