/**
 * Corrections (整改): the responsible officer sends new values for problem records; each
 * corrected row is checked again with the standards' RowValidator against the resource's
 * published version, rows that pass go to the row store, and the ticket closes when no record
 * is left open. All of it, with its audit entries, in one transaction.
 */
import { RowValidator, type DataFinding, type DataResource } from '@minjiang/standards';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { storedRow, storeRows, type StoredRow } from '../aggregation/row-store.js';
import { publishedResource, type PublishedResource, type RecordRow } from './records.js';
import {
  assertResponsible,
  auditGovernance,
  findTicket,
  moveTicket,
  ticketHistory,
  ticketState,
  ticketView,
  type GovernanceScope,
  type TicketRow,
} from './tickets.js';

export interface CorrectionInput {
  corrections: { problem: string; values: Record<string, string | number | boolean | null> }[];
}

/** Spreadsheet cells come back as numbers or booleans; an emptied cell as null. */
function asText(values: Record<string, string | number | boolean | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

interface TextCorrections {
  corrections: { problem: string; values: Record<string, string> }[];
}

interface Outcome {
  accepted: string[];
  rejected: { problem: string; findings: DataFinding[] }[];
}

function invalid(detail: string): HubError {
  return new HubError('HUB_ERR_CORRECTION_INVALID', { detail });
}

async function loadRecords(
  trx: Transaction<Database>,
  ticket: TicketRow,
  resource: PublishedResource,
  input: TextCorrections,
): Promise<Map<string, RecordRow>> {
  const names = new Set(resource.items.map((item) => item.name));
  const ids = input.corrections.map((c) => c.problem);
  if (new Set(ids).size !== ids.length) throw invalid('a problem is corrected twice in one request');
  for (const { problem, values } of input.corrections) {
    const unknown = Object.keys(values).find((name) => !names.has(name));
    if (unknown !== undefined)
      throw invalid(
        `"${unknown}" (problem ${problem}) is not an item of ${resource.code} v${resource.version}`,
      );
  }
  const rows = new Map<string, RecordRow>();
  for (let start = 0; start < ids.length; start += 500) {
    const found = await trx
      .selectFrom('problem_records')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .where('id', 'in', ids.slice(start, start + 500))
      .execute();
    for (const row of found) rows.set(row.id, row);
  }
  const missing = ids.find((id) => !rows.has(id));
  if (missing !== undefined) throw invalid(`${missing} is not a problem record of ticket ${ticket.id}`);
  return rows;
}

/** Checks every correction; writes the records' new state; returns the rows to store. */
async function checkAll(
  trx: Transaction<Database>,
  scope: GovernanceScope,
  ticket: TicketRow,
  resource: PublishedResource,
  input: TextCorrections,
): Promise<Outcome & { store: StoredRow[]; newlyCorrected: number }> {
  const records = await loadRecords(trx, ticket, resource, input);
  // The columns the rows were submitted with, plus any item a correction fills in, in item
  // order: the stored row has the same shape (and hash) as the commit would have given it.
  const present = new Set(
    input.corrections.flatMap(({ problem, values }) => [
      ...Object.keys(JSON.parse((records.get(problem) as RecordRow).row) as object),
      ...Object.keys(values),
    ]),
  );
  const header = resource.items.map((item) => item.name).filter((name) => present.has(name));
  const validator = new RowValidator(resource.document as unknown as DataResource, header, { mask: false });
  validator.takeFindings(); // header remarks (optional items not sent) are not the row's problems
  const at = scope.now.toISOString();
  const outcome: Outcome = { accepted: [], rejected: [] };
  const store: StoredRow[] = [];
  let newlyCorrected = 0;
  for (const { problem, values } of input.corrections) {
    const record = records.get(problem) as RecordRow;
    if (record.status === 'corrected' && record.correction === JSON.stringify(values)) {
      outcome.accepted.push(problem); // the same correction again: already done
      continue;
    }
    if (record.status !== 'open') throw invalid(`${problem} is ${record.status}, not open`);
    const merged: Record<string, string> = {
      ...(JSON.parse(record.row) as Record<string, string>),
      ...values,
    };
    const cells = header.map((name) => (merged[name] ?? '').trim());
    const row = Object.fromEntries(header.map((name, index) => [name, cells[index] as string]));
    const ok = validator.check({ row: record.row_number ?? record.seq, values: cells });
    const findings = validator.takeFindings();
    if (!ok) {
      outcome.rejected.push({ problem, findings });
      await trx
        .updateTable('problem_records')
        .set({ row: JSON.stringify(row), findings: JSON.stringify(findings), updated_at: at })
        .where('id', '=', problem)
        .execute();
      continue;
    }
    const keyValues =
      resource.keyItems.length > 0
        ? validator.keyOf(cells)
        : [ticket.submission_id ?? ticket.id, String(record.row_number ?? record.seq)];
    const stored = storedRow(keyValues, row);
    store.push(stored);
    outcome.accepted.push(problem);
    newlyCorrected += 1;
    await trx
      .updateTable('problem_records')
      .set({
        status: 'corrected',
        correction: JSON.stringify(values),
        row: stored.row,
        // An objection keeps the key of the row it was raised against (its flag is cleared by it).
        ...(ticket.kind === 'submission' ? { row_key: stored.key } : {}),
        updated_at: at,
      })
      .where('id', '=', problem)
      .execute();
  }
  return { ...outcome, store, newlyCorrected };
}

/** `POST /tickets/{id}/corrections`. */
export async function correct(scope: GovernanceScope, id: string, request: CorrectionInput) {
  const input = {
    corrections: request.corrections.map(({ problem, values }) => ({ problem, values: asText(values) })),
  };
  const { db, engine } = scope.hub.store;
  const { outcome, ticket } = await db.transaction().execute(async (trx) => {
    let ticket = await findTicket(trx, scope, id, true);
    assertResponsible(scope, ticket);
    if (ticket.status === 'closed') throw ticketState(ticket, 'corrections', 'not closed');
    const resource = await publishedResource(trx, ticket.resource_code);
    if (!resource) throw new HubError('HUB_ERR_NO_PUBLISHED_VERSION', { code: ticket.resource_code });
    const result = await checkAll(trx, scope, ticket, resource, input);
    const at = scope.now.toISOString();
    let inserted = 0;
    if (result.store.length > 0) {
      const counts = await storeRows(trx, engine, resource.code, ticket.id, result.store, at);
      inserted = counts.inserted;
      if (inserted > 0)
        await trx
          .updateTable('data_stats')
          .set((eb) => ({ rows: eb('rows', '+', inserted) }))
          .where('resource_code', '=', resource.code)
          .execute();
    }
    const open = Math.max(0, Number(ticket.records_open) - result.newlyCorrected);
    const events: { action: string; object: string; detail: Record<string, unknown> }[] = [
      {
        action: 'correction',
        object: id,
        detail: {
          resource: resource.code,
          version: resource.version,
          accepted: result.accepted,
          rejected: result.rejected.map((r) => r.problem),
          stored: result.store.length,
          inserted,
        },
      },
    ];
    if (open === 0) {
      const from = ticket.status;
      ticket = await moveTicket(trx, scope, ticket, 'correct', 'corrected', null, { records_open: 0 });
      ticket = await moveTicket(trx, scope, ticket, 'close', 'closed', null);
      events.push({
        action: 'ticket.close',
        object: id,
        detail: { resource: resource.code, from, to: 'closed' },
      });
    } else if (open !== Number(ticket.records_open)) {
      await trx
        .updateTable('problem_tickets')
        .set({ records_open: open, updated_at: at })
        .where('id', '=', id)
        .execute();
      ticket = { ...ticket, records_open: open, updated_at: at };
    }
    await auditGovernance(trx, scope, events);
    return { outcome: { accepted: result.accepted, rejected: result.rejected }, ticket };
  });
  return { ...outcome, ticket: { ...ticketView(ticket), history: await ticketHistory(db, id) } };
}
