/**
 * The deadline sweep (exchange.md §8.5): a missed precheck or provider review escalates to the
 * 主管部门, a missed offer expires, a missed escalation is reported again, and a grant past its
 * period expires — silence never approves. Each application is claimed with a conditional update,
 * so hub processes sweeping at once handle it once.
 */
import type { Transaction } from 'kysely';
import type { ApplicationState } from '../../db/schema-sharing.js';
import type { Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { addWorkflowEvent, auditStep } from '../workflow/events.js';
import { setGrantStatus } from './grants.js';
import type { ApplicationRow } from './records.js';
import { move, notifyStep, type StepContext } from './steps.js';

const MISSED = '处理期限已过，按规定提请主管部门协调（逾期不视为同意）';
const WAITING: ApplicationState[] = ['PRECHECK', 'PROVIDER_REVIEW', 'OFFERED', 'ESCALATED'];
const GRANTED: ApplicationState[] = ['APPROVED', 'ACTIVE', 'SUSPENDED'];

export interface ApplicationSweep {
  escalated: string[];
  expired: string[];
  breached: string[];
}

/** Claims the application for this sweep: false when another process changed it first. */
async function claim(trx: Transaction<Database>, row: ApplicationRow, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('applications')
    .set({ updated_at: at })
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .where('updated_at', '=', row.updated_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A missed escalation deadline: recorded and reported once, the state unchanged. */
async function breach(context: StepContext, row: ApplicationRow): Promise<void> {
  const { trx, scope, actor } = context;
  const at = scope.now.toISOString();
  await trx.updateTable('applications').set({ breached_at: at }).where('id', '=', row.id).execute();
  await addWorkflowEvent(trx, 'application_events', row.id, {
    action: 'sla_breach',
    from: row.state,
    to: row.state,
    actor,
    at: scope.now,
    reason: MISSED,
  });
  await auditStep(trx, scope, actor, 'app', 'sla_breach', row.id, {
    state: row.state,
    deadline: row.deadline,
  });
  await notifyStep(context, { ...row, breached_at: at }, 'sla_breach', 'sla_breach', MISSED);
}

async function handle(context: StepContext, row: ApplicationRow, result: ApplicationSweep): Promise<void> {
  if (GRANTED.includes(row.state)) {
    await setGrantStatus(context.trx, row.grant_id, 'expired', context.scope.now);
    await move(context, row, { action: 'expire', to: 'EXPIRED', detail: { grant: row.grant_id } });
    result.expired.push(row.id);
  } else if (row.state === 'ESCALATED') {
    await breach(context, row);
    result.breached.push(row.id);
  } else if (row.state === 'OFFERED') {
    await move(context, row, {
      action: 'sla_breach',
      to: 'EXPIRED',
      reason: '申请方未在期限内接受提供方的反要约',
    });
    result.expired.push(row.id);
  } else {
    const escalated = await move(context, row, { action: 'sla_breach', to: 'ESCALATED', reason: MISSED });
    await notifyStep(context, escalated, 'sla_breach', 'sla_breach', MISSED);
    result.escalated.push(row.id);
  }
}

async function dueApplications(hub: HubContext, at: string, limit: number): Promise<ApplicationRow[]> {
  const { db } = hub.store;
  const waiting = await db
    .selectFrom('applications')
    .selectAll()
    .where('state', 'in', WAITING)
    .where('deadline', '<', at)
    .where('breached_at', 'is', null)
    .orderBy('deadline')
    .limit(limit)
    .execute();
  const expiring = await db
    .selectFrom('applications')
    .innerJoin('grants', 'grants.id', 'applications.grant_id')
    .selectAll('applications')
    .where('applications.state', 'in', GRANTED)
    .where('grants.valid_to', '<', at)
    .limit(limit)
    .execute();
  return [...waiting, ...expiring];
}

/** Handles every application whose deadline (or grant period) has passed at `now`. */
export async function sweepApplications(hub: HubContext, now: Date, limit = 500): Promise<ApplicationSweep> {
  const result: ApplicationSweep = { escalated: [], expired: [], breached: [] };
  const at = now.toISOString();
  for (const row of await dueApplications(hub, at, limit)) {
    await hub.store.db.transaction().execute(async (trx) => {
      if (!(await claim(trx, row, at))) return;
      await handle(
        { trx, scope: { hub, now }, actor: { system: 'deadline' }, roles: [] },
        { ...row, updated_at: at },
        result,
      );
    });
  }
  return result;
}
