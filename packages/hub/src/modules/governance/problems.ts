/**
 * Filing problem data (问题数据): a ticket for one resource and submission (or one objection), and
 * its problem records, written inside the caller's transaction. Records stream in batches, so a
 * commit with 100k rejected rows never holds them all. Ticket and record numbers come from
 * `hub_counters`, incremented by one upsert whose row lock (PostgreSQL) or write lock (SQLite)
 * lasts until the transaction ends: numbers are unique across hub processes and, since a rolled
 * back transaction takes its increments with it, gap-free.
 */
import type { DataFinding } from '@minjiang/standards';
import { sql, type Transaction } from 'kysely';
import type { Database, TicketKind } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { chinaDay, workingDeadline } from './calendar.js';

/** One rejected row (or objected stored row) to file as a problem record. */
export interface NewProblem {
  /** 1-based data row number in the submitted file; null for an objection. */
  rowNumber: number | null;
  /** JSON array text of the key values (as in the row store), when the row has a usable key. */
  key: string | null;
  /** The row as submitted: item name → value. */
  row: Record<string, string>;
  /** Every finding on the row, unmasked (the responsible organisation's own data). */
  findings: DataFinding[];
}

/** A ticket being filled: add records in batches, then finish it once. */
export interface TicketWriter {
  id: string;
  add(records: NewProblem[]): Promise<void>;
  finish(): Promise<{ records: number }>;
}

export interface OpenTicketInput {
  resource: string;
  /** The responsible (数源) organisation: the resource's owner. */
  orgId: string;
  submissionId: string | null;
  kind: TicketKind;
  now: Date;
  actor: { tokenId: string; orgId: string | null; roles?: string[] };
  /** An objection's reason. */
  reason?: string;
  /** The organisation that raised an objection. */
  raisedByOrg?: string;
}

/** Rows per INSERT: 12 parameters a row stays far below both engines' limits. */
const BATCH = 500;

/**
 * Takes `count` numbers from a named counter; returns the first. One statement: on PostgreSQL
 * the upsert locks the counter row until the transaction ends.
 */
export async function takeNumbers(trx: Transaction<Database>, name: string, count: number): Promise<number> {
  const { value } = await trx
    .insertInto('hub_counters')
    .values({ name, value: count })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`hub_counters.value + ${count}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(value) - count + 1;
}

/** The China-time year of an instant: numbers restart each year, like the standard's URNs. */
function year(now: Date): string {
  return chinaDay(now).slice(0, 4);
}

/** `urn:ses:problem:<hub>:<year>:<n>` (standards dictionary urnProblem). */
export function problemId(hubCode: string, yearText: string, n: number): string {
  return `urn:ses:problem:${hubCode}:${yearText}:${n}`;
}

/**
 * Opens a ticket in status `open` with its deadline (now + problemDeadlineDays working days) and
 * its first history event. `finish()` sets the counts and appends the audit entry
 * (`governance.ticket_open`) in the same transaction; a ticket finished with no record is
 * removed again, so callers may open one before they know whether any row is rejected.
 */
export async function openTicket(
  trx: Transaction<Database>,
  hub: HubContext,
  input: OpenTicketInput,
): Promise<TicketWriter> {
  const { config } = hub;
  const at = input.now.toISOString();
  const yearText = year(input.now);
  const ticketNumber = await takeNumbers(trx, `ticket:${yearText}`, 1);
  const id = `T-${yearText}-${ticketNumber}`;
  await trx
    .insertInto('problem_tickets')
    .values({
      id,
      resource_code: input.resource,
      org_id: input.orgId,
      submission_id: input.submissionId,
      kind: input.kind,
      status: 'open',
      deadline: workingDeadline(input.now, config.problemDeadlineDays, config.calendar),
      records_total: 0,
      records_open: 0,
      reason: input.reason ?? null,
      raised_by_org: input.raisedByOrg ?? null,
      created_at: at,
      updated_at: at,
      closed_at: null,
    })
    .execute();
  await trx
    .insertInto('ticket_events')
    .values({
      ticket_id: id,
      seq: 1,
      action: 'open',
      from_status: null,
      to_status: 'open',
      actor_org: input.actor.orgId,
      actor_token: input.actor.tokenId,
      reason: input.reason ?? null,
      at,
    })
    .execute();

  let records = 0;
  let finished = false;
  const add = async (problems: NewProblem[]): Promise<void> => {
    if (finished) throw new Error(`ticket ${id} is finished`);
    if (problems.length === 0) return;
    const first = await takeNumbers(trx, `problem:${yearText}`, problems.length);
    const rows = problems.map((problem, index) => ({
      id: problemId(config.hubCode, yearText, first + index),
      ticket_id: id,
      seq: records + index + 1,
      resource_code: input.resource,
      row_number: problem.rowNumber,
      row_key: problem.key,
      row: JSON.stringify(problem.row),
      findings: JSON.stringify(problem.findings),
      status: 'open' as const,
      correction: null,
      created_at: at,
      updated_at: at,
    }));
    for (let start = 0; start < rows.length; start += BATCH) {
      await trx
        .insertInto('problem_records')
        .values(rows.slice(start, start + BATCH))
        .execute();
    }
    records += problems.length;
  };

  const finish = async (): Promise<{ records: number }> => {
    if (finished) return { records };
    finished = true;
    if (records === 0) {
      await trx.deleteFrom('ticket_events').where('ticket_id', '=', id).execute();
      await trx.deleteFrom('problem_tickets').where('id', '=', id).execute();
      return { records };
    }
    await trx
      .updateTable('problem_tickets')
      .set({ records_total: records, records_open: records })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, { hubCode: config.hubCode, engine: hub.store.engine, now: input.now }, [
      {
        type: 'governance',
        action: 'ticket.open',
        actor: { tokenId: input.actor.tokenId, orgId: input.actor.orgId, roles: input.actor.roles ?? [] },
        object: id,
        result: 'success',
        detail: {
          resource: input.resource,
          kind: input.kind,
          organisation: input.orgId,
          records,
          ...(input.submissionId ? { submission: input.submissionId } : {}),
          ...(input.raisedByOrg ? { raisedBy: input.raisedByOrg } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
        },
      },
    ]);
    return { records };
  };

  return { id, add, finish };
}
