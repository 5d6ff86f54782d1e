/**
 * Receiving routed messages (docs/cascade-routing.md): an application is filed here when the
 * resource is this hub's, or — at the province — passed on to the child that owns it, the route
 * remembered for the way back; the applicant's steps and credentials follow the same route down.
 * A `via` that already names this hub or holds more than 3 hops is refused (HUB.ROUTE_LOOP, 508).
 */
import type { Lang } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { resourceNotFound } from '../catalog/access.js';
import { auditRouting, firstReceipt } from './routing-audit.js';
import { APPLICATIONS_PATH, routeFor, subjectPath } from './routing-origin.js';
import { deliverMessage, enqueueMessage, type OutboxMessage } from './routing-outbox.js';
import {
  acceptAsOwner,
  actAsApplicant,
  credentialAsApplicant,
  remoteApplication,
  type ActionMessage,
  type ApplicationMessage,
  type CredentialMessage,
} from './routing-owner.js';

/** At most this many hubs before this one. */
export const MAX_HOPS = 3;

/** An answer for the route to send as it is: status and body. */
export interface RelayAnswer {
  status: number;
  body: unknown;
}

/** Refuses a loop or a route too long; `via` must end with the sender. */
export function checkVia(hub: HubContext, sender: string, via: string[]): void {
  const own = hub.config.hubCode;
  if (via.includes(own) || via.length > MAX_HOPS || via[via.length - 1] !== sender)
    throw new HubError('HUB.ROUTE_LOOP', { via: via.join('>') || '-', hub: own });
}

/** Sends a message on at once; answers what the next hub answered, or 202 when it is queued. */
async function sendOn(hub: HubContext, message: OutboxMessage): Promise<RelayAnswer> {
  const delivery = await deliverMessage(hub, message.messageId);
  if (delivery && delivery.outcome !== 'pending') return delivery.answer;
  return { status: 202, body: { messageId: message.messageId, queued: true, to: message.target } };
}

async function relayApplication(
  hub: HubContext,
  sender: string,
  message: ApplicationMessage,
  nextHop: string,
) {
  const via = [...message.via, hub.config.hubCode];
  if (via.includes(nextHop))
    throw new HubError('HUB.ROUTE_LOOP', { via: [...via, nextHop].join('>'), hub: hub.config.hubCode });
  const outgoing: OutboxMessage = {
    messageId: message.messageId,
    kind: 'application',
    target: nextHop,
    path: APPLICATIONS_PATH,
    body: { ...message, via },
    subject: message.originId,
  };
  const now = hub.now();
  const fresh = await hub.store.db.transaction().execute(async (trx) => {
    const held = await trx
      .selectFrom('cascade_routes')
      .select('to_hub')
      .where('origin_id', '=', message.originId)
      .executeTakeFirst();
    if (held) return false;
    await trx
      .insertInto('cascade_routes')
      .values({
        origin_id: message.originId,
        from_hub: sender,
        to_hub: nextHop,
        via: JSON.stringify(via),
        created_at: now.toISOString(),
      })
      .execute();
    await firstReceipt(
      trx,
      { messageId: message.messageId, kind: 'application', subject: message.originId },
      now,
    );
    await enqueueMessage(trx, outgoing, now);
    const detail = {
      messageId: message.messageId,
      resource: message.request.resourceCode,
      from: sender,
      via,
    };
    await auditRouting(trx, hub, now, 'received', message.originId, detail);
    await auditRouting(trx, hub, now, 'forwarded', message.originId, { ...detail, to: nextHop });
    return true;
  });
  if (!fresh) return { status: 202, body: { messageId: message.messageId, queued: true, to: nextHop } };
  return sendOn(hub, outgoing);
}

/** `POST /api/v1/cascade/applications`: filed here as the owner, or relayed to the owning child. */
export async function receiveApplication(
  hub: HubContext,
  sender: string,
  message: ApplicationMessage,
  lang: Lang,
): Promise<RelayAnswer> {
  checkVia(hub, sender, message.via);
  const origin = message.via[0];
  // A child only ever sends what it made itself (only the province passes applications on), and
  // every application names its hub in its id and its applicant.
  const madeThere = [`urn:ses:app:${origin}:`, `urn:ses:oapp:${origin}:`].some((p) =>
    message.originId.startsWith(p),
  );
  const ownChild = hub.config.role !== 'province' || message.via.length === 1;
  if (!madeThere || !ownChild || message.applicant.hub !== origin)
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: `hub ${sender}`,
      required: 'an application made at the first hub on via, by an organisation of that hub',
    });
  const relayed = await hub.store.db
    .selectFrom('cascade_routes')
    .select('to_hub')
    .where('origin_id', '=', message.originId)
    .executeTakeFirst();
  if (relayed) return relayApplication(hub, sender, message, relayed.to_hub);
  const route = await routeFor(hub, message.request.resourceCode);
  if (route === undefined) {
    const local = await hub.store.db
      .selectFrom('catalog_resources')
      .select('code')
      .where('code', '=', message.request.resourceCode)
      .executeTakeFirst();
    if (!local) throw resourceNotFound(message.request.resourceCode, lang);
    return { status: 201, body: await acceptAsOwner(hub, sender, message, lang) };
  }
  // A city never sends back up what came down from its parent.
  if (hub.config.role !== 'province') throw resourceNotFound(message.request.resourceCode, lang);
  return relayApplication(hub, sender, message, route.nextHop);
}

/**
 * An applicant's step or credential for a routed application: applied here when this hub owns
 * it, else passed on along the route it came by (only from the hub it came from).
 */
export async function receiveApplicantMessage(
  hub: HubContext,
  sender: string,
  kind: 'action' | 'credential',
  message: ActionMessage | CredentialMessage,
  lang: Lang,
): Promise<RelayAnswer> {
  const remote = await remoteApplication(hub, message.originId);
  if (remote) {
    if (remote.reply_to !== sender) throw new HubError('HUB_ERR_CASCADE_NO_ROUTE', { id: message.originId });
    const body =
      kind === 'action'
        ? await actAsApplicant(hub, remote, message as ActionMessage, lang)
        : await credentialAsApplicant(hub, remote, message as CredentialMessage, lang);
    await auditReceipt(hub, sender, kind, message);
    return { status: 200, body };
  }
  const route = await hub.store.db
    .selectFrom('cascade_routes')
    .selectAll()
    .where('origin_id', '=', message.originId)
    .executeTakeFirst();
  if (!route || route.from_hub !== sender)
    throw new HubError('HUB_ERR_CASCADE_NO_ROUTE', { id: message.originId });
  const outgoing: OutboxMessage = {
    messageId: message.messageId,
    kind,
    target: route.to_hub,
    path: subjectPath(message.originId, kind === 'action' ? 'actions' : 'credentials'),
    body: message as unknown as Record<string, unknown>,
    subject: message.originId,
  };
  const now = hub.now();
  await hub.store.db.transaction().execute(async (trx) => {
    if (!(await firstReceipt(trx, { messageId: message.messageId, kind, subject: message.originId }, now)))
      return;
    await enqueueMessage(trx, outgoing, now);
    await auditRouting(trx, hub, now, 'forwarded', message.originId, {
      messageId: message.messageId,
      kind,
      from: sender,
      to: route.to_hub,
    });
  });
  return sendOn(hub, outgoing);
}

async function auditReceipt(
  hub: HubContext,
  sender: string,
  kind: string,
  message: ActionMessage | CredentialMessage,
) {
  const now = hub.now();
  await hub.store.db.transaction().execute(async (trx) => {
    if (
      !(await firstReceipt(
        trx,
        { messageId: message.messageId, kind: kind as 'action', subject: message.originId },
        now,
      ))
    )
      return;
    const what =
      'action' in message ? { action: message.action } : { op: message.op, appKey: message.appKey };
    await auditRouting(trx, hub, now, 'received', message.originId, {
      messageId: message.messageId,
      kind,
      from: sender,
      ...what,
    });
  });
}
