/**
 * The problem-ticket deadline sweep (issue 9): a ticket still open or acknowledged after its
 * deadline is escalated to the 主管部门 (level 1); still overdue `ticketEscalationDays` working
 * days later, it is escalated again (level 2). Each level is recorded once — history event, audit
 * entry `governance.ticket.sla_breach` by the system actor, and one notification to the owning
 * organisation's and the platform's webhooks — all in one transaction. The ticket's status is
 * left alone: escalation says who is chasing it, the owner still acknowledges and corrects it.
 */
import type { Selectable } from 'kysely';
import type { ProblemTicketTable, TicketStatus } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { enqueueNotification } from '../notifications/outbox.js';
import { workingDeadline, type WorkingCalendar } from './calendar.js';
import { addEvent } from './tickets.js';

/** Statuses in which the responsible organisation owes the next step; a dispute waits on the admin. */
const OVERDUE: TicketStatus[] = ['open', 'acknowledged'];
const SYSTEM = 'deadline';
const REASONS: Record<number, string> = {
  1: '问题数据整改期限已过，已提请主管部门督办',
  2: '问题数据逾期仍未整改，再次提请主管部门督办（第二级）',
};

export interface TicketSweep {
  /** Tickets escalated to level 1 in this round. */
  escalated: string[];
  /** Tickets escalated to level 2 in this round. */
  reescalated: string[];
}

export interface EscalationTarget {
  level: 0 | 1 | 2;
  /** When the next level falls due (null when there is none). */
  next: string | null;
}

/**
 * The level a ticket due at `deadline` should be at, at `now`. The second level falls at the end
 * of the `days`-th working day after the deadline's day (none when `days` is 0). A hub that was
 * down past both goes straight to level 2: one report of where things stand, not a replay.
 */
export function escalationTarget(
  deadline: string,
  now: Date,
  days: number,
  calendar: WorkingCalendar,
): EscalationTarget {
  const at = now.toISOString();
  if (at <= deadline) return { level: 0, next: deadline };
  if (days === 0) return { level: 1, next: null };
  const second = workingDeadline(new Date(deadline), days, calendar);
  return at > second ? { level: 2, next: null } : { level: 1, next: second };
}

type TicketRow = Selectable<ProblemTicketTable>;

/**
 * Raises one ticket to `target`, unless another sweep (or a transition out of open/acknowledged)
 * got there first: the conditional UPDATE on the level it was read at is the claim. PostgreSQL
 * re-checks the condition after waiting on the row lock, SQLite has one writer: one sweep wins.
 */
async function escalate(hub: HubContext, row: TicketRow, target: EscalationTarget, now: Date) {
  const at = now.toISOString();
  return hub.store.db.transaction().execute(async (trx) => {
    const won = await trx
      .updateTable('problem_tickets')
      .set({
        escalation_level: target.level,
        escalated_at: at,
        next_escalation_at: target.next,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('status', 'in', OVERDUE)
      .where('escalation_level', '=', Number(row.escalation_level))
      .executeTakeFirst();
    if (Number(won.numUpdatedRows) !== 1) return false;
    const ticket = await trx
      .selectFrom('problem_tickets')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    const reason = REASONS[target.level] as string;
    await addEvent(trx, { now, system: SYSTEM }, ticket.id, {
      action: 'escalate',
      from: ticket.status,
      to: ticket.status,
      reason,
    });
    await enqueueNotification(
      trx,
      hub,
      {
        type: 'sla_breach',
        subject: { kind: 'ticket', id: ticket.id, state: ticket.status },
        action: 'escalate',
        orgs: [ticket.org_id],
        platform: true,
        next: { role: 'officer', org: ticket.org_id, deadline: target.next },
        reason,
        level: target.level,
      },
      now,
    );
    // Last in the transaction: the log's head row is the lock every writer takes last.
    await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
      {
        type: 'governance',
        action: 'ticket.sla_breach',
        actor: { system: SYSTEM },
        object: ticket.id,
        result: 'success',
        detail: {
          resource: ticket.resource_code,
          organisation: ticket.org_id,
          status: ticket.status,
          deadline: ticket.deadline,
          level: target.level,
          from: Number(row.escalation_level),
          open: Number(ticket.records_open),
        },
      },
    ]);
    return true;
  });
}

/** Tickets that may be due for a level: past their deadline unescalated, or past the next level's time. */
async function dueTickets(hub: HubContext, at: string, limit: number): Promise<TicketRow[]> {
  return hub.store.db
    .selectFrom('problem_tickets')
    .selectAll()
    .where('status', 'in', OVERDUE)
    .where((eb) =>
      eb.or([
        eb.and([eb('escalation_level', '=', 0), eb('deadline', '<', at)]),
        eb.and([eb('escalation_level', '=', 1), eb('next_escalation_at', '<', at)]),
      ]),
    )
    .orderBy('deadline')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Escalates every overdue ticket (up to `limit` per round) to the level it should be at, at `now`. */
export async function sweepTickets(hub: HubContext, now: Date, limit = 500): Promise<TicketSweep> {
  const result: TicketSweep = { escalated: [], reescalated: [] };
  const { ticketEscalationDays, calendar } = hub.config;
  for (const row of await dueTickets(hub, now.toISOString(), limit)) {
    const target = escalationTarget(row.deadline, now, ticketEscalationDays, calendar);
    if (target.level <= Number(row.escalation_level)) continue;
    if (!(await escalate(hub, row, target, now))) continue;
    (target.level === 1 ? result.escalated : result.reescalated).push(row.id);
  }
  return result;
}
