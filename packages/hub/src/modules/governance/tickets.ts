/**
 * Problem tickets: who sees them, how they read, and the audited transitions
 * open → acknowledged → (corrected →) closed, open | acknowledged → disputed, and the admin's
 * resolution of a dispute (reopen → acknowledged, close → closed with the open records waived).
 */
import type { Lang } from '@minjiang/standards';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, ProblemTicketTable, TicketStatus } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import type { Caller } from '../identity/tokens.js';
import { newestFirstPage } from '../workflow/cursor.js';

export type TicketRow = Selectable<ProblemTicketTable>;
type Db = Kysely<Database> | Transaction<Database>;

/** Everything a ticket operation needs from its request. */
export interface GovernanceScope {
  hub: HubContext;
  caller: Caller;
  now: Date;
  lang: Lang;
}

/** Admins and auditors see every ticket. */
export function privileged(caller: Caller): boolean {
  return caller.roles.includes('admin') || caller.roles.includes('auditor');
}

/**
 * Officers see their organisation's tickets and those it raised; consumers only those their
 * organisation raised (an objection); admins and auditors all.
 */
export function seesTicket(caller: Caller, ticket: Pick<TicketRow, 'org_id' | 'raised_by_org'>): boolean {
  if (privileged(caller)) return true;
  if (ticket.raised_by_org === caller.orgId) return true;
  return caller.roles.includes('officer') && ticket.org_id === caller.orgId;
}

export function ticketNotFound(id: string, lang: Lang): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'problem ticket' : '问题工单', id });
}

/** A ticket the caller may see, locked for the transaction on PostgreSQL when `forUpdate`. */
export async function findTicket(
  db: Db,
  scope: GovernanceScope,
  id: string,
  forUpdate = false,
): Promise<TicketRow> {
  const query = db.selectFrom('problem_tickets').selectAll().where('id', '=', id);
  const row = await (
    forUpdate && scope.hub.store.engine === 'postgres' ? query.forUpdate() : query
  ).executeTakeFirst();
  if (!row || !seesTicket(scope.caller, row)) throw ticketNotFound(id, scope.lang);
  return row;
}

/** Acting on a ticket is for the responsible organisation's officer. */
export function assertResponsible(scope: GovernanceScope, ticket: TicketRow): void {
  if (!scope.caller.roles.includes('officer') || scope.caller.orgId !== ticket.org_id)
    throw new HubError('HUB_ERR_NOT_RESPONSIBLE', { id: ticket.id, org: ticket.org_id });
}

export function ticketState(ticket: TicketRow, action: string, needs: string): HubError {
  return new HubError(
    'HUB_ERR_TICKET_STATE',
    { id: ticket.id, status: ticket.status, action, needs },
    { currentStatus: ticket.status },
  );
}

/** The ticket as the API shows it. */
export function ticketView(row: TicketRow) {
  return {
    id: row.id,
    resource: row.resource_code,
    organisation: row.org_id,
    ...(row.submission_id !== null ? { submission: row.submission_id } : {}),
    kind: row.kind,
    status: row.status,
    deadline: row.deadline,
    records: { total: Number(row.records_total), open: Number(row.records_open) },
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.raised_by_org !== null ? { raisedBy: row.raised_by_org } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
    ...escalationView(row),
  };
}

/** Only an escalated ticket says so: its level, since when, and when the next level falls due. */
function escalationView(row: TicketRow) {
  if (Number(row.escalation_level) === 0 || row.escalated_at === null) return {};
  const next = row.next_escalation_at;
  return {
    escalation: {
      level: Number(row.escalation_level),
      at: row.escalated_at,
      ...(next ? { nextAt: next } : {}),
    },
  };
}

export async function ticketHistory(db: Db, id: string) {
  const events = await db
    .selectFrom('ticket_events')
    .selectAll()
    .where('ticket_id', '=', id)
    .orderBy('seq')
    .execute();
  return events.map((event) => ({
    action: event.action,
    from: event.from_status,
    to: event.to_status,
    actor: { tokenId: event.actor_token, orgId: event.actor_org },
    ...(event.reason !== null ? { reason: event.reason } : {}),
    at: event.at,
  }));
}

export async function readTicket(scope: GovernanceScope, id: string) {
  const { db } = scope.hub.store;
  const row = await findTicket(db, scope, id);
  return { ...ticketView(row), history: await ticketHistory(db, id) };
}

export interface TicketQuery {
  resource?: string;
  status?: TicketStatus;
  kind?: 'submission' | 'objection';
  limit: number;
  cursor?: string;
}

export async function listTickets(scope: GovernanceScope, query: TicketQuery) {
  const { caller } = scope;
  let select = scope.hub.store.db.selectFrom('problem_tickets').selectAll();
  if (!privileged(caller)) {
    select = caller.roles.includes('officer')
      ? select.where((eb) => eb.or([eb('org_id', '=', caller.orgId), eb('raised_by_org', '=', caller.orgId)]))
      : select.where('raised_by_org', '=', caller.orgId);
  }
  if (query.resource !== undefined) select = select.where('resource_code', '=', query.resource);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  return newestFirstPage(select, query, ticketView);
}

/**
 * Appends a history event after the ticket's last one, by the caller — or by the hub itself when
 * the scope names a system actor (`system:<name>` in place of a token, as the workflows record it).
 */
export async function addEvent(
  trx: Transaction<Database>,
  scope: Pick<GovernanceScope, 'now'> & ({ caller: Caller } | { system: string }),
  ticket: string,
  event: { action: string; from: TicketStatus | null; to: TicketStatus; reason?: string | null },
): Promise<void> {
  const last = await trx
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('ticket_id', '=', ticket)
    .executeTakeFirst();
  await trx
    .insertInto('ticket_events')
    .values({
      ticket_id: ticket,
      seq: Number(last?.seq ?? 0) + 1,
      action: event.action,
      from_status: event.from,
      to_status: event.to,
      actor_org: 'caller' in scope ? scope.caller.orgId : null,
      actor_token: 'caller' in scope ? scope.caller.tokenId : `system:${scope.system}`,
      reason: event.reason ?? null,
      at: scope.now.toISOString(),
    })
    .execute();
}

/**
 * Audit entries of the governance family (`governance.<action in snake case>`), appended last in
 * the transaction: every writer takes the row store's locks before the log's head row, so
 * concurrent commits, corrections and objections cannot deadlock on PostgreSQL.
 */
export async function auditGovernance(
  trx: Transaction<Database>,
  scope: GovernanceScope,
  events: { action: string; object: string; detail: Record<string, unknown> }[],
): Promise<void> {
  const { hub, caller, now } = scope;
  await appendAudit(
    trx,
    { hubCode: hub.config.hubCode, engine: hub.store.engine, now },
    events.map(({ action, object, detail }) => ({
      type: 'governance',
      action,
      actor: { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles },
      object,
      result: 'success' as const,
      detail,
    })),
  );
}

/**
 * Clears the 异议 flag of the stored rows an objection ticket pointed at, unless another
 * objection that is still open points at the same row.
 */
export async function clearFlags(trx: Transaction<Database>, ticket: TicketRow): Promise<void> {
  if (ticket.kind !== 'objection') return;
  const keys = await trx
    .selectFrom('problem_records')
    .select('row_key')
    .where('ticket_id', '=', ticket.id)
    .where('row_key', 'is not', null)
    .execute();
  for (const { row_key: key } of keys) {
    await trx
      .updateTable('data_rows')
      .set({ flagged: 0 })
      .where('resource_code', '=', ticket.resource_code)
      .where('row_key', '=', key as string)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('problem_records as pr')
              .innerJoin('problem_tickets as t', 't.id', 'pr.ticket_id')
              .select(sql`1`.as('one'))
              .where('t.kind', '=', 'objection')
              .where('t.status', '<>', 'closed')
              .where('t.id', '<>', ticket.id)
              .where('pr.resource_code', '=', ticket.resource_code)
              .where('pr.row_key', '=', key as string),
          ),
        ),
      )
      .execute();
  }
}

/** Sets a ticket's status (and closing time) and records the event. */
export async function moveTicket(
  trx: Transaction<Database>,
  scope: GovernanceScope,
  ticket: TicketRow,
  action: string,
  to: TicketStatus,
  reason: string | null,
  extra: Partial<Pick<TicketRow, 'records_open' | 'reason'>> = {},
): Promise<TicketRow> {
  const at = scope.now.toISOString();
  const changes = { status: to, updated_at: at, ...(to === 'closed' ? { closed_at: at } : {}), ...extra };
  await trx.updateTable('problem_tickets').set(changes).where('id', '=', ticket.id).execute();
  await addEvent(trx, scope, ticket.id, { action, from: ticket.status, to, reason });
  const moved = { ...ticket, ...changes };
  if (to === 'closed') await clearFlags(trx, moved);
  return moved;
}

export type TransitionAction = 'acknowledge' | 'dispute' | 'resolve';

export interface TransitionInput {
  reason?: string;
  decision?: 'reopen' | 'close';
}

/** What a transition does from a given status: move, nothing (idempotent), or refuse. */
function plan(
  action: TransitionAction,
  status: TicketStatus,
  input: TransitionInput,
): { to: TicketStatus } | 'same' | { needs: string } {
  switch (action) {
    case 'acknowledge':
      if (status === 'open') return { to: 'acknowledged' };
      return status === 'acknowledged' ? 'same' : { needs: 'open' };
    case 'dispute':
      if (status === 'open' || status === 'acknowledged') return { to: 'disputed' };
      return status === 'disputed' ? 'same' : { needs: 'open | acknowledged' };
    case 'resolve': {
      const to = input.decision === 'close' ? 'closed' : 'acknowledged';
      if (status === 'disputed') return { to };
      return status === to && to === 'closed' ? 'same' : { needs: 'disputed' };
    }
  }
}

/**
 * Acknowledge, dispute (officer of the responsible organisation) or resolve (admin, route
 * access) a ticket, audited in the same transaction. Repeating a transition that already
 * happened answers the ticket unchanged, with no new event.
 */
export async function transition(
  scope: GovernanceScope,
  id: string,
  action: TransitionAction,
  input: TransitionInput,
) {
  const { db } = scope.hub.store;
  const row = await db.transaction().execute(async (trx) => {
    const ticket = await findTicket(trx, scope, id, true);
    if (action !== 'resolve') assertResponsible(scope, ticket);
    const step = plan(action, ticket.status, input);
    if (step === 'same') return ticket;
    if ('needs' in step) throw ticketState(ticket, action, step.needs);
    const reason = input.reason ?? null;
    let extra: Partial<Pick<TicketRow, 'records_open' | 'reason'>> = {};
    let waived = 0;
    if (action === 'dispute') extra = { reason };
    if (step.to === 'closed') {
      const result = await trx
        .updateTable('problem_records')
        .set({ status: 'waived', updated_at: scope.now.toISOString() })
        .where('ticket_id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      waived = Number(result.numUpdatedRows);
      extra = { records_open: 0 };
    }
    const moved = await moveTicket(trx, scope, ticket, action, step.to, reason, extra);
    const detail = {
      resource: ticket.resource_code,
      from: ticket.status,
      to: step.to,
      ...(reason !== null ? { reason } : {}),
      ...(input.decision ? { decision: input.decision } : {}),
      ...(waived > 0 ? { waived } : {}),
    };
    await auditGovernance(trx, scope, [{ action: `ticket.${action}`, object: id, detail }]);
    return moved;
  });
  return { ...ticketView(row), history: await ticketHistory(db, id) };
}
