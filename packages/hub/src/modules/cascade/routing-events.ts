/**
 * Events of routed applications (docs/cascade-routing.md "Events"): every step of an application
 * the owner hub holds for another hub's applicant goes back to the hub it came from, with the
 * owner's view and the signed grant; a province relays it down; the originating hub mirrors it.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { grantView } from '../sharing/grants.js';
import { applicationView, type ApplicationRow } from '../sharing/records.js';
import { workflowHistory } from '../workflow/events.js';
import { auditRouting, firstReceipt } from './routing-audit.js';
import { eventBack, routingOf, subjectPath, type RoutedRow } from './routing-origin.js';
import { notifyApplicant } from './routing-notify.js';
import { applyStepRefusal, type StepRefusal } from './routing-refusals.js';
import { enqueueMessage, onOutboxAnswer, type Delivery } from './routing-outbox.js';

/** What an event carries: the owner's view of the application, its grant, or a hop's refusal. */
export interface RoutedEvent {
  messageId: string;
  originId: string;
  owner?: string;
  /** The hubs the application passed, the owner last. */
  via?: string[];
  action?: string;
  application?: { id: string; state: string; history?: unknown[]; [key: string]: unknown };
  grant?: { id: string; [key: string]: unknown };
  refusal?: { status: number; code: string; message: string };
  /** An applicant's step or credential the owner refused after it had been queued. */
  stepRefused?: StepRefusal;
  /**
   * The owner hub's node key, which signed the grant: set by the province from the key it pinned
   * at the owner's approval (or its own when it owns the resource), trusted by a city because it
   * comes from its pinned parent.
   */
  signer?: SignerKey;
}

export interface SignerKey {
  hub: string;
  keyId: string;
  publicKey: string;
}

/** The signer key an event may carry on from this hub: vouched for by the province, passed on by a city. */
async function vouchedSigner(
  hub: HubContext,
  sender: string,
  event: RoutedEvent,
): Promise<SignerKey | undefined> {
  if (hub.config.role !== 'province') return event.signer;
  if (event.owner !== sender) return undefined;
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .select(['key_id', 'public_key', 'state'])
    .where('hub', '=', sender)
    .executeTakeFirst();
  return child?.state === 'APPROVED'
    ? { hub: sender, keyId: child.key_id, publicKey: child.public_key }
    : undefined;
}

/** At the owner: queues the event of a step of an application made for another hub's applicant. */
export async function announceStep(
  trx: Transaction<Database>,
  scope: { hub: HubContext; now: Date },
  row: ApplicationRow,
  action: string,
): Promise<void> {
  const remote = await trx
    .selectFrom('cascade_remote_applications')
    .selectAll()
    .where('application_id', '=', row.id)
    .executeTakeFirst();
  if (!remote) return;
  const history = await workflowHistory(trx, 'application_events', row.id);
  const grant =
    row.grant_id === null
      ? undefined
      : await trx.selectFrom('grants').selectAll().where('id', '=', row.grant_id).executeTakeFirst();
  const messageId = `evt-${row.id}-${history.length}`;
  const event: RoutedEvent = {
    messageId,
    originId: remote.origin_id,
    owner: scope.hub.config.hubCode,
    via: [...(JSON.parse(remote.via) as string[]), scope.hub.config.hubCode],
    action,
    application: { ...applicationView(row), history },
    ...(grant ? { grant: grantView(grant) } : {}),
    ...(scope.hub.config.role === 'province'
      ? {
          signer: {
            hub: scope.hub.config.hubCode,
            keyId: scope.hub.key.keyId,
            publicKey: scope.hub.key.publicKey,
          },
        }
      : {}),
  };
  await enqueueMessage(
    trx,
    {
      messageId,
      kind: 'event',
      target: remote.reply_to,
      path: subjectPath(remote.origin_id, 'events'),
      body: event as unknown as Record<string, unknown>,
      subject: remote.origin_id,
    },
    scope.now,
  );
}

/** At the originating hub: the routed application takes the owner's view, unless it already holds a newer one. */
export async function mirrorEvent(
  trx: Transaction<Database>,
  hub: HubContext,
  row: RoutedRow,
  event: RoutedEvent,
  now: Date,
) {
  const at = now.toISOString();
  if (event.refusal) {
    await trx
      .updateTable('cascade_routed_applications')
      .set({ state: 'REJECTED', refusal: JSON.stringify(event.refusal), updated_at: at })
      .where('id', '=', row.id)
      .where('remote', 'is', null)
      .execute();
    return;
  }
  const view = event.application;
  if (!view) return;
  const seq = view.history?.length ?? 0;
  if (seq < Number(row.event_seq)) return;
  const signed = event.grant && event.signer ? { ...event.grant, signer: event.signer } : event.grant;
  const grant = signed ? { grant_id: signed.id, grant_view: JSON.stringify(signed) } : {};
  // The same step may come twice (an action's answer, then its event): only the grant may be new.
  if (seq === Number(row.event_seq)) {
    if (event.grant)
      await trx.updateTable('cascade_routed_applications').set(grant).where('id', '=', row.id).execute();
    return;
  }
  await trx
    .updateTable('cascade_routed_applications')
    .set({
      state: view.state,
      owner_hub: event.owner ?? row.owner_hub,
      ...(event.via ? { via: JSON.stringify(event.via) } : {}),
      remote_id: view.id,
      remote: JSON.stringify(view),
      event_seq: seq,
      ...grant,
      refusal: null,
      updated_at: at,
    })
    .where('id', '=', row.id)
    .execute();
  await notifyApplicant(trx, hub, row, view, event.action ?? 'update', now);
}

/**
 * An event from the hub an application was sent to: mirrored when it was made here, relayed to
 * the hub it came from when this hub only passed it on. Applying one twice changes nothing.
 */
export async function receiveEvent(hub: HubContext, sender: string, originId: string, received: RoutedEvent) {
  const now = hub.now();
  // A key the sender claims for itself counts for nothing: only the province vouches for one.
  const signer = await vouchedSigner(hub, sender, received);
  const event: RoutedEvent = { ...received };
  delete event.signer;
  if (signer) event.signer = signer;
  await hub.store.db.transaction().execute(async (trx) => {
    const { routed, route } = await routingOf(trx, originId);
    if (routed ? routed.next_hop !== sender : route?.to_hub !== sender)
      throw new HubError('HUB_ERR_CASCADE_NO_ROUTE', { id: originId });
    const first = await firstReceipt(
      trx,
      { messageId: event.messageId, kind: 'event', subject: originId },
      now,
    );
    if (!first) return;
    if (routed && event.stepRefused) return applyStepRefusal(trx, hub, routed, event.stepRefused, now);
    if (routed) await mirrorEvent(trx, hub, routed, event, now);
    else if (route) await eventBack(trx, route, { ...event }, now);
    await auditRouting(trx, hub, now, 'event', originId, {
      messageId: event.messageId,
      from: sender,
      action:
        event.action ??
        (event.refusal ? 'refused' : event.stepRefused ? `refused ${event.stepRefused.kind}` : '-'),
      state: event.application?.state ?? (event.refusal ? 'REJECTED' : '-'),
      ...(route ? { relayedTo: route.from_hub } : {}),
    });
  });
  return { messageId: event.messageId, applied: true };
}

function refusalOf(delivery: Extract<Delivery, { outcome: 'refused' }>) {
  const body = delivery.answer.body as { code?: string; message?: string } | null;
  return {
    status: delivery.answer.status,
    code: body?.code ?? '-',
    message: body?.message ?? `refused with ${delivery.answer.status}`,
  };
}

/**
 * The answer to a forwarded application: at the origin a refusal rejects it and the owner's
 * answer is mirrored; at a relay a refusal goes back to the hub it came from as an event.
 */
onOutboxAnswer('application', async (hub, message, delivery) => {
  const now = hub.now();
  await hub.store.db.transaction().execute(async (trx) => {
    const { routed, route } = await routingOf(trx, message.subject);
    if (routed) {
      if (delivery.outcome === 'refused')
        return mirrorEvent(
          trx,
          hub,
          routed,
          { messageId: message.message_id, originId: routed.id, refusal: refusalOf(delivery) },
          now,
        );
      const answer =
        delivery.outcome === 'delivered' ? (delivery.answer.body as Partial<RoutedEvent> | null) : null;
      if (answer?.application)
        return mirrorEvent(
          trx,
          hub,
          routed,
          { ...answer, messageId: message.message_id, originId: routed.id },
          now,
        );
      return;
    }
    if (!route || delivery.outcome !== 'refused') return;
    const event = {
      messageId: `ref-${message.message_id}`,
      originId: route.origin_id,
      refusal: refusalOf(delivery),
    };
    await eventBack(trx, route, event, now);
  });
});
