/** What a workflow step leaves behind, read straight from the database: audit entries, notifications. */
import type { TestHub } from './hub.js';

/** The audit actions recorded against an object, in log order. */
export async function auditedActions(hub: TestHub, object: string): Promise<string[]> {
  const rows = await hub.app.hub.store.db
    .selectFrom('audit_entries')
    .select('action')
    .where('object', '=', object)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.action);
}

/** Notifications queued about a subject: event, the webhook's organisation and platform flag, the step. */
export async function queuedNotifications(hub: TestHub, subject: string) {
  const rows = await hub.app.hub.store.db
    .selectFrom('notification_outbox as o')
    .innerJoin('webhooks as w', 'w.id', 'o.webhook_id')
    .select(['o.event_type', 'o.payload', 'w.org_id', 'w.platform'])
    .orderBy('o.created_at')
    .execute();
  return rows
    .map((row) => ({ row, body: JSON.parse(row.payload) as { subject: { id: string }; action: string } }))
    .filter(({ body }) => body.subject.id === subject)
    .map(({ row, body }) => ({
      event: row.event_type,
      org: row.org_id,
      platform: Number(row.platform),
      action: body.action,
    }));
}
