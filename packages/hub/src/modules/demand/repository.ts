/** Reading demand rows and the organisations they name, for the service and the transitions. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import { lockRow, type WorkflowScope } from '../workflow/events.js';
import { seesDemand, type DemandRow } from './views.js';

export type Db = Kysely<Database> | Transaction<Database>;

export function demandNotFound(id: string, scope: WorkflowScope): HubError {
  return new HubError('HUB_ERR_NOT_FOUND', { what: scope.lang === 'en' ? 'demand' : '数据需求', id });
}

/**
 * A demand the caller may see (or any, with `anyOrg`); locked for the transaction on PostgreSQL
 * with `forUpdate`.
 */
export async function findDemand(
  db: Db,
  scope: WorkflowScope,
  id: string,
  options: { forUpdate?: boolean; anyOrg?: boolean } = {},
): Promise<DemandRow> {
  const query = db.selectFrom('demands').selectAll().where('id', '=', id);
  const row = await (options.forUpdate ? lockRow(scope, query) : query).executeTakeFirst();
  if (!row || (!options.anyOrg && !seesDemand(scope.caller, row))) throw demandNotFound(id, scope);
  return row;
}

export async function organisationRef(db: Db, id: string) {
  const org = await db
    .selectFrom('organisations')
    .select(['name', 'uscc', 'region_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  return org ? { name: org.name, uscc: org.uscc, regionCode: org.region_code } : null;
}

/** A provider must be another organisation registered at this hub. */
export async function checkProvider(db: Db, requester: string, provider: string): Promise<void> {
  if (provider === requester || !(await organisationRef(db, provider)))
    throw new HubError('HUB_ERR_DEMAND_PROVIDER', { provider });
}
