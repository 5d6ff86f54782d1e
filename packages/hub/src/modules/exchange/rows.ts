/**
 * Reading granted rows from the row store: equality conditions on granted fields, the grant's
 * row filter, cursor paging in key order. A lookup that gives every key item reads one row by
 * its key; anything else filters the resource's rows in SQL (JSON members of the stored row).
 */
import { sql, type RawBuilder } from 'kysely';
import type { HotQuery } from '../../db/database.js';
import type { HubContext } from '../../plugins/store.js';
import type { ProbedRow } from './call-context.js';
import type { CompiledGrant } from './grant-context.js';
import { SesError } from './ses-error.js';

export interface RowPage {
  rows: Record<string, string>[];
  next?: string;
}

/** The stored row's member for an item, as text, on either engine. */
function member(hub: HubContext, item: string): RawBuilder<string> {
  if (hub.store.engine === 'postgres') return sql<string>`(row::jsonb ->> ${item})`;
  return sql<string>`json_extract(row, ${`$."${item.replace(/"/g, '\\"')}"`})`;
}

function decodeCursor(cursor: string): string {
  try {
    const key = Buffer.from(cursor, 'base64url').toString('utf8');
    if (Array.isArray(JSON.parse(key))) return key;
  } catch {
    // fall through
  }
  throw new SesError('CLI.BAD_REQUEST', 'cursor is not one this hub gave out');
}

/** The key text of a lookup that names every key item, or undefined. */
export function exactKey(terms: CompiledGrant, conditions: ReadonlyMap<string, string>): string | undefined {
  if (terms.keyItems.length === 0 || !terms.keyItems.every((item) => conditions.has(item))) return undefined;
  return JSON.stringify(terms.keyItems.map((item) => conditions.get(item)));
}

const ROW_BY_KEY: HotQuery = {
  name: 'ses_row_by_key',
  text: 'select row from data_rows where resource_code = ? and row_key = ?',
};

/**
 * A point lookup (every key item given, no cursor): the row read by its key with a fixed
 * statement — or already read with the call's credential — the other conditions and the row
 * filter checked on it: the same rows as the SQL below, without building a query on the path
 * most calls take.
 */
async function rowByKey(
  hub: HubContext,
  terms: CompiledGrant,
  conditions: ReadonlyMap<string, string>,
  key: string,
  probed: ProbedRow | undefined,
): Promise<RowPage> {
  const readAlready = probed?.probe.resource === terms.resource.code && probed.probe.key === key;
  const stored = readAlready
    ? probed.row
    : (await hub.store.readOne<{ row: string }>(ROW_BY_KEY, [terms.resource.code, key]))?.row;
  if (stored === null || stored === undefined) return { rows: [] };
  const row = JSON.parse(stored) as Record<string, string>;
  for (const [item, value] of conditions)
    if (!terms.keyItems.includes(item) && row[item] !== value) return { rows: [] };
  const filter = terms.rowFilter;
  if (filter && !filter.values.includes(row[filter.item] as string)) return { rows: [] };
  return { rows: [row] };
}

/** One page of the rows matching the conditions (item name → value) within the grant. */
export async function findRows(
  hub: HubContext,
  terms: CompiledGrant,
  conditions: ReadonlyMap<string, string>,
  page: {
    limit: number;
    cursor?: string | undefined;
    probed?: ProbedRow | undefined;
  },
): Promise<RowPage> {
  const key = exactKey(terms, conditions);
  if (key !== undefined && page.cursor === undefined)
    return rowByKey(hub, terms, conditions, key, page.probed);
  let query = hub.store.reader
    .selectFrom('data_rows')
    .select(['row_key', 'row'])
    .where('resource_code', '=', terms.resource.code);
  if (key !== undefined) query = query.where('row_key', '=', key);
  for (const [item, value] of conditions) {
    if (key === undefined || !terms.keyItems.includes(item))
      query = query.where(member(hub, item), '=', value);
  }
  if (terms.rowFilter) query = query.where(member(hub, terms.rowFilter.item), 'in', terms.rowFilter.values);
  if (page.cursor !== undefined) query = query.where('row_key', '>', decodeCursor(page.cursor));
  const found = await query
    .orderBy('row_key')
    .limit(page.limit + 1)
    .execute();
  const rows = found.slice(0, page.limit);
  const last = rows[rows.length - 1];
  return {
    rows: rows.map((row) => JSON.parse(row.row) as Record<string, string>),
    ...(found.length > page.limit && last ? { next: Buffer.from(last.row_key).toString('base64url') } : {}),
  };
}
