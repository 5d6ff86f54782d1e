/**
 * The demand deadline sweep: a provider that lets a ROUTED or CLAIMED demand pass its deadline
 * leaves the state as it is (silence never fulfils nor declines), but the breach is recorded
 * once, audited, and reported to the platform (sla_breach).
 */
import type { HubContext } from '../../plugins/store.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { addWorkflowEvent, auditStep, type Actor } from '../workflow/events.js';
import type { DemandRow } from './views.js';
import { nextOf } from './views.js';

const ACTOR: Actor = { system: 'deadline' };

/**
 * Marks every demand past its deadline as breached. Each demand is taken in its own transaction
 * by a conditional UPDATE (`breached_at is null`): when two hub processes sweep at once, the row
 * lock (PostgreSQL) or the write lock (SQLite) lets exactly one of them win it.
 */
export async function sweepDemands(hub: HubContext, now: Date): Promise<{ breached: string[] }> {
  const at = now.toISOString();
  const due = await hub.store.db
    .selectFrom('demands')
    .select('id')
    .where('state', 'in', ['ROUTED', 'CLAIMED'])
    .where('breached_at', 'is', null)
    .where('deadline', '<', at)
    .orderBy('deadline')
    .execute();
  const breached: string[] = [];
  for (const { id } of due) if (await breach(hub, id, now)) breached.push(id);
  return { breached };
}

/** Breaches one demand, unless another sweep (or a step) got there first. */
async function breach(hub: HubContext, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return hub.store.db.transaction().execute(async (trx) => {
    const won = await trx
      .updateTable('demands')
      .set({ breached_at: at })
      .where('id', '=', id)
      .where('state', 'in', ['ROUTED', 'CLAIMED'])
      .where('breached_at', 'is', null)
      .where('deadline', '<', at)
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) return false;
    const row: DemandRow = await trx
      .selectFrom('demands')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const detail = { deadline: row.deadline, provider: row.provider_org };
    await addWorkflowEvent(trx, 'demand_events', id, {
      action: 'deadline',
      from: row.state,
      to: row.state,
      actor: ACTOR,
      at: now,
      detail,
    });
    const next = nextOf(row);
    await enqueueNotification(
      trx,
      hub,
      {
        type: 'sla_breach',
        subject: { kind: 'demand', id, state: row.state },
        action: 'deadline',
        orgs: [],
        platform: true,
        next: { role: String(next.role), org: next.org, deadline: next.deadline },
      },
      now,
    );
    await auditStep(trx, { hub, now }, ACTOR, 'demand', 'deadline', id, detail);
    return true;
  });
}
