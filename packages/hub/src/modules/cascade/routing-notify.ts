/**
 * The applicant's webhooks at its own hub hear of a routed application's steps as of a local one
 * (docs/sharing-api.md "Webhooks"): a `decision` for every step the owner's event brings, and an
 * `action_needed` when the applicant is waited on by a deadline (an offer to accept).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { enqueueNotification } from '../notifications/outbox.js';

interface OwnerView {
  state: string;
  next?: { party: string; role: string | null; org: string | null; deadline: string | null };
}

export async function notifyApplicant(
  trx: Transaction<Database>,
  hub: HubContext,
  routed: { id: string; applicant_org: string },
  view: OwnerView,
  action: string,
  now: Date,
): Promise<void> {
  const next = view.next && view.next.party !== 'nobody' && view.next.role !== null ? view.next : undefined;
  const base = {
    subject: { kind: 'application' as const, id: routed.id, state: view.state },
    action,
    orgs: [routed.applicant_org],
    platform: false,
    next: next ? { role: next.role!, org: next.org, deadline: next.deadline } : null,
  };
  await enqueueNotification(trx, hub, { ...base, type: 'decision' }, now);
  // As for a local application: only a step with a deadline is announced as the applicant's turn.
  if (next?.org === routed.applicant_org && next.deadline !== null)
    await enqueueNotification(trx, hub, { ...base, type: 'action_needed' }, now);
}
