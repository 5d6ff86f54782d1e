/**
 * An applicant's step or credential that the owner hub refused after it had been queued (the
 * owner was down when it was sent; it then answered 409 or 422): the hub that held it tells the
 * origin with a `stepRefused` event along the route, and the origin undoes what it kept — a
 * credential registered there is revoked again. A refusal that comes back at once is the
 * consumer's error instead (routing-applicant.ts).
 */
import type { Transaction } from 'kysely';
import type { CascadeOutboxTable } from '../../db/schema-cascade-routing.js';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { auditRouting } from './routing-audit.js';
import { eventBack, routingOf, type RoutedRow } from './routing-origin.js';
import { onOutboxAnswer, type Delivery } from './routing-outbox.js';

/** What a `stepRefused` event says: which message, what it asked, and the owner's refusal. */
export interface StepRefusal {
  kind: 'action' | 'credential';
  messageId: string;
  action?: string;
  op?: string;
  appKey?: string;
  refusal: { status: number; code: string };
}

/** At the origin: a refused credential is revoked here too; every refusal is audited. */
export async function applyStepRefusal(
  trx: Transaction<Database>,
  hub: HubContext,
  row: RoutedRow,
  refused: StepRefusal,
  now: Date,
): Promise<void> {
  if (refused.kind === 'credential' && refused.op === 'issue' && refused.appKey)
    await trx
      .updateTable('cascade_routed_credentials')
      .set({ status: 'revoked', revoked_at: now.toISOString() })
      .where('app_key', '=', refused.appKey)
      .where('application_id', '=', row.id)
      .where('status', '=', 'active')
      .execute();
  await auditRouting(trx, hub, now, 'event', row.id, {
    messageId: refused.messageId,
    refused: refused.kind,
    ...(refused.action ? { action: refused.action } : {}),
    ...(refused.appKey ? { appKey: refused.appKey } : {}),
    code: refused.refusal.code,
  });
}

function stepRefusalOf(message: CascadeOutboxTable, delivery: Extract<Delivery, { outcome: 'refused' }>) {
  const body = JSON.parse(message.body) as { action?: string; op?: string; appKey?: string };
  const code = (delivery.answer.body as { code?: string } | null)?.code ?? '-';
  return {
    kind: message.kind as StepRefusal['kind'],
    messageId: message.message_id,
    ...(body.action ? { action: body.action } : {}),
    ...(body.op ? { op: body.op } : {}),
    ...(body.appKey ? { appKey: body.appKey } : {}),
    refusal: { status: delivery.answer.status, code },
  };
}

async function onRefused(hub: HubContext, message: CascadeOutboxTable, delivery: Delivery): Promise<void> {
  if (delivery.outcome !== 'refused') return;
  const refused = stepRefusalOf(message, delivery);
  const now = hub.now();
  await hub.store.db.transaction().execute(async (trx) => {
    const { routed, route } = await routingOf(trx, message.subject);
    if (routed) return applyStepRefusal(trx, hub, routed, refused, now);
    if (!route) return;
    const messageId = `ref-${message.message_id}`.slice(0, 80);
    await eventBack(trx, route, { messageId, originId: route.origin_id, stepRefused: refused }, now);
  });
}

onOutboxAnswer('action', onRefused);
onOutboxAnswer('credential', onRefused);
