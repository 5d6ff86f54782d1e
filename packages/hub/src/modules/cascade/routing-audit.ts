/** Audit entries of cascade routing: no personal data, only codes, ids and hub codes. */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';

export type RoutingAuditAction = 'forwarded' | 'received' | 'event';

/** `cascade.application.<action>` by the hub itself (`system:cascade-routing`), in the caller's transaction. */
export async function auditRouting(
  trx: Transaction<Database>,
  hub: HubContext,
  now: Date,
  action: RoutingAuditAction,
  object: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
    {
      type: 'app',
      action: `cascade.application.${action}`,
      actor: { system: 'cascade-routing' },
      object,
      result: 'success',
      detail,
    },
  ]);
}

/** Records a received message id in the caller's transaction; false when it was received before. */
export async function firstReceipt(
  trx: Transaction<Database>,
  message: { messageId: string; kind: 'application' | 'event' | 'action' | 'credential'; subject: string },
  now: Date,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('cascade_inbox')
    .values({
      message_id: message.messageId,
      kind: message.kind,
      subject: message.subject,
      received_at: now.toISOString(),
    })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .returning('message_id')
    .execute();
  return inserted.length === 1;
}
