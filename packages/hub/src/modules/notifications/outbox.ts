/**
 * Notifications are queued in the same transaction as the transition they announce: a
 * rolled-back transition notifies nobody, a committed one is never lost. The dispatcher
 * (dispatcher.ts) delivers the queue to each webhook, signed and retried with back-off.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';

/** `action_needed`: someone must act by a deadline; `decision`: a step was taken; `sla_breach`: a deadline was missed. */
export type NotificationType = 'action_needed' | 'decision' | 'sla_breach';

export interface HubNotification {
  type: NotificationType;
  /** What it is about: an application, a demand or a problem ticket, and its state after the step. */
  subject: { kind: 'application' | 'demand' | 'ticket'; id: string; state: string };
  /** The step that happened (`submit`, `offer`, `deadline`…). */
  action: string;
  /** Organisations whose webhooks receive it. */
  orgs: string[];
  /** Whether the platform's webhooks (registered by an admin) receive it too. */
  platform: boolean;
  /** Who must act next, and by when (null when nobody is waited on). */
  next: { role: string; org: string | null; deadline: string | null } | null;
  reason?: string;
  /** An escalated problem ticket's escalation level (1 at the deadline, 2 still overdue later). */
  level?: number;
}

/** Webhook event name of a notification, e.g. `application.action_needed`. */
export function eventName(notification: HubNotification): string {
  return `${notification.subject.kind}.${notification.type}`;
}

/** Queues one delivery per matching, enabled webhook. */
export async function enqueueNotification(
  trx: Transaction<Database>,
  hub: HubContext,
  notification: HubNotification,
  now: Date,
): Promise<number> {
  const event = eventName(notification);
  const orgs = [...new Set(notification.orgs)];
  // Nobody to tell; and SQLite cannot bind the `false` an empty OR would need.
  if (orgs.length === 0 && !notification.platform) return 0;
  const hooks = await trx
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('disabled_at', 'is', null)
    .where((eb) => {
      const audiences = orgs.length > 0 ? [eb('org_id', 'in', orgs)] : [];
      if (notification.platform) audiences.push(eb('platform', '=', 1));
      return eb.or(audiences);
    })
    .execute();
  const wanted = hooks.filter((hook) => {
    const events = JSON.parse(hook.events) as string[];
    return events.includes('*') || events.includes(event);
  });
  if (wanted.length === 0) return 0;
  const at = now.toISOString();
  const body = JSON.stringify({ event, hub: hub.config.hubCode, time: at, ...notification });
  await trx
    .insertInto('notification_outbox')
    .values(
      wanted.map((hook) => ({
        id: randomUUID(),
        webhook_id: hook.id,
        event_type: event,
        payload: body,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: at,
        locked_until: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
      })),
    )
    .execute();
  return wanted.length;
}
