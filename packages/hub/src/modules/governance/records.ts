/**
 * Problem records: the per-ticket listing, and one record as the standards document
 * governance/problem-record-1.0 (the exchange format between platforms).
 */
import type { DataFinding, ProblemRecord } from '@minjiang/standards';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ProblemRecordTable, ProblemStatus } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { findTicket, seesTicket, type GovernanceScope, type TicketRow } from './tickets.js';

export type RecordRow = Selectable<ProblemRecordTable>;

/** An objection's finding also says the problem type the objector chose. */
export type StoredFinding = DataFinding & { problemType?: ProblemRecord['problemType'] };

/** The published version of a resource: its owner, its items (in order) and its key items. */
export interface PublishedResource {
  code: string;
  orgId: string;
  version: number;
  document: Record<string, unknown>;
  items: { name: string; isKey?: boolean }[];
  keyItems: string[];
  updateCycle: string;
}

export async function publishedResource(
  db: Kysely<Database>,
  code: string,
): Promise<PublishedResource | null> {
  const row = await db
    .selectFrom('catalog_resources as r')
    .innerJoin('catalog_versions as v', (join) =>
      join.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.published_version'),
    )
    .select(['r.code', 'r.org_id', 'v.version', 'v.document', 'v.update_cycle'])
    .where('r.code', '=', code)
    .executeTakeFirst();
  if (!row) return null;
  const document = JSON.parse(row.document) as Record<string, unknown>;
  const items = (document.items ?? []) as { name: string; isKey?: boolean }[];
  return {
    code: row.code,
    orgId: row.org_id,
    version: row.version,
    document,
    items,
    keyItems: items.filter((item) => item.isKey === true).map((item) => item.name),
    updateCycle: row.update_cycle,
  };
}

export function recordView(row: RecordRow) {
  return {
    id: row.id,
    ...(row.row_number !== null ? { rowNumber: Number(row.row_number) } : {}),
    ...(row.row_key !== null ? { key: JSON.parse(row.row_key) as string[] } : {}),
    row: JSON.parse(row.row) as Record<string, string>,
    status: row.status,
    findings: JSON.parse(row.findings) as StoredFinding[],
    ...(row.correction !== null ? { correction: JSON.parse(row.correction) as Record<string, string> } : {}),
  };
}

/** Cursor: the record's sequence number in its ticket. */
function decodeSeq(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(seq) || seq < 0)
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'cursor is not one this hub gave out' });
  return seq;
}

/** `GET /tickets/{id}/problems`: records in row order, with the header (item names). */
export async function listProblems(
  scope: GovernanceScope,
  id: string,
  query: { status?: ProblemStatus; limit: number; cursor?: string },
) {
  const { db } = scope.hub.store;
  const ticket = await findTicket(db, scope, id);
  const resource = await publishedResource(db, ticket.resource_code);
  let select = db.selectFrom('problem_records').selectAll().where('ticket_id', '=', id);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.cursor !== undefined) select = select.where('seq', '>', decodeSeq(query.cursor));
  const rows = await select
    .orderBy('seq')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const header = resource
    ? resource.items.map((item) => item.name)
    : [...new Set(page.flatMap((row) => Object.keys(JSON.parse(row.row) as object)))];
  return {
    header,
    items: page.map(recordView),
    ...(rows.length > query.limit && last
      ? { next: Buffer.from(String(last.seq)).toString('base64url') }
      : {}),
  };
}

/** The standard's problem type of a finding code. */
function problemType(finding: StoredFinding): ProblemRecord['problemType'] {
  if (finding.problemType) return finding.problemType;
  switch (finding.code) {
    case 'DATA-REQUIRED':
      return '缺失';
    case 'DATA-DUPLICATE-KEY':
      return '重复';
    case 'DATA-GENDER-MISMATCH':
    case 'DATA-BIRTHDATE-MISMATCH':
      return '不一致';
    case 'DATA-CODE':
    case 'DATA-CODE-LABEL':
    case 'DATA-RESIDENT-ID':
    case 'DATA-USCC':
    case 'DATA-ORG-CODE':
    case 'DATA-REGION-CODE':
      return '错误';
    default:
      return '格式';
  }
}

/**
 * The record's state in the standard. A record still open takes its ticket's state:
 * open → SUBMITTED, acknowledged → ACCEPTED, disputed → VERIFYING (disputed: true),
 * corrected → FIXED; a corrected record is FIXED, and CLOSED once its ticket is closed; a
 * waived record (a dispute upheld by the admin) is NOT_FIXED with the admin's reason.
 */
export function recordState(ticket: TicketRow, record: RecordRow): ProblemRecord['state'] {
  if (record.status === 'waived') return 'NOT_FIXED';
  if (record.status === 'corrected') return ticket.status === 'closed' ? 'CLOSED' : 'FIXED';
  switch (ticket.status) {
    case 'open':
      return 'SUBMITTED';
    case 'acknowledged':
      return 'ACCEPTED';
    case 'disputed':
      return 'VERIFYING';
    case 'corrected':
      return 'FIXED';
    case 'closed':
      return 'CLOSED';
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

async function organisationRef(db: Kysely<Database>, id: string) {
  const org = await db
    .selectFrom('organisations')
    .select(['name', 'uscc'])
    .where('id', '=', id)
    .executeTakeFirst();
  return org ? { name: org.name, uscc: org.uscc } : null;
}

async function lastReason(db: Kysely<Database>, ticket: string, action: string): Promise<string | null> {
  const event = await db
    .selectFrom('ticket_events')
    .select('reason')
    .where('ticket_id', '=', ticket)
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return event?.reason ?? null;
}

/** `GET /problems/{id}`: the record as governance/problem-record-1.0. */
export async function problemDocument(scope: GovernanceScope, id: string): Promise<ProblemRecord> {
  const { db } = scope.hub.store;
  const notFound = new HubError('HUB_ERR_NOT_FOUND', {
    what: scope.lang === 'en' ? 'problem' : '问题数据',
    id,
  });
  const record = await db.selectFrom('problem_records').selectAll().where('id', '=', id).executeTakeFirst();
  if (!record) throw notFound;
  const ticket = await db
    .selectFrom('problem_tickets')
    .selectAll()
    .where('id', '=', record.ticket_id)
    .executeTakeFirst();
  if (!ticket || !seesTicket(scope.caller, ticket)) throw notFound;
  const resource = await publishedResource(db, ticket.resource_code);
  const findings = (JSON.parse(record.findings) as StoredFinding[]).filter((f) => f.severity === 'error');
  const row = JSON.parse(record.row) as Record<string, string>;
  const keyValues = record.row_key !== null ? (JSON.parse(record.row_key) as string[]) : null;
  const keyItems = resource?.keyItems ?? [];
  const recordKey: Record<string, string> =
    keyValues && keyItems.length === keyValues.length && keyValues.length > 0
      ? Object.fromEntries(keyItems.map((name, index) => [name, keyValues[index] ?? '']))
      : {
          ...(ticket.submission_id !== null ? { submission: ticket.submission_id } : {}),
          row: String(record.row_number ?? record.seq),
        };
  const items = [...new Set(findings.map((f) => f.item).filter((item): item is string => !!item))];
  const fallbackItem = keyItems[0] ?? Object.keys(row)[0] ?? '-';
  const fixes = findings.filter((f) => f.fix !== undefined && f.item);
  const state = recordState(ticket, record);
  const raiser = ticket.raised_by_org !== null ? await organisationRef(db, ticket.raised_by_org) : null;
  const responsible = await organisationRef(db, ticket.org_id);
  const first = findings[0];
  const opinion =
    state === 'NOT_FIXED'
      ? await lastReason(db, ticket.id, 'resolve')
      : state === 'VERIFYING'
        ? ticket.reason
        : null;
  return {
    id: record.id,
    resourceCode: ticket.resource_code,
    items: (items.length > 0 ? items : [fallbackItem]) as [string, ...string[]],
    recordKey,
    ...(record.row_number !== null ? { rowNumber: Number(record.row_number) } : {}),
    problemType: first ? problemType(first) : '错误',
    description: clip(findings.map((f) => f.message).join('；') || (ticket.reason ?? '-'), 2000),
    foundBy:
      ticket.kind === 'objection' && raiser
        ? { kind: 'department', organisation: raiser }
        : { kind: 'rule', ruleCode: first?.code ?? 'DATA' },
    foundAt: record.created_at,
    responsibleOrg: responsible ?? { name: ticket.org_id, uscc: '' },
    state,
    ...(state === 'VERIFYING' || (ticket.kind === 'objection' && ticket.status !== 'closed')
      ? { disputed: true }
      : {}),
    deadline: ticket.deadline,
    ...(fixes.length > 0
      ? { suggestedFix: clip(fixes.map((f) => `${f.item as string}: ${f.fix as string}`).join('; '), 2000) }
      : {}),
    ...(opinion ? { opinion: clip(opinion, 2000) } : {}),
  };
}
