/**
 * Objections (异议) against a stored row of a published resource, by another organisation's
 * officer or consumer, or an admin: a ticket of kind `objection` with one record for the owner.
 * The stored row is flagged until the ticket closes.
 */
import type { ProblemRecord } from '@minjiang/standards';
import { HubError } from '../../errors.js';
import { openTicket } from './problems.js';
import { publishedResource, type StoredFinding } from './records.js';
import { findTicket, ticketHistory, ticketView, type GovernanceScope } from './tickets.js';

export interface ObjectionInput {
  key: Record<string, string>;
  items: string[];
  reason: string;
  problemType?: ProblemRecord['problemType'];
}

function bad(detail: string): HubError {
  return new HubError('HUB_ERR_BAD_REQUEST', { detail });
}

/** `POST /resources/{code}/data/objections`: 201 with the new ticket. */
export async function raiseObjection(scope: GovernanceScope, code: string, input: ObjectionInput) {
  const { hub, caller, lang } = scope;
  const { db } = hub.store;
  const id = await db.transaction().execute(async (trx) => {
    const resource = await publishedResource(trx, code);
    if (!resource)
      throw new HubError('HUB_ERR_NOT_FOUND', {
        what: lang === 'en' ? 'published resource' : '已发布资源',
        id: code,
      });
    if (resource.orgId === caller.orgId) throw new HubError('HUB_ERR_OBJECTION_OWN_DATA', { code });
    if (resource.keyItems.length === 0) throw bad(`resource ${code} has no key items to locate a row by`);
    const names = new Set(resource.items.map((item) => item.name));
    const unknown = [...Object.keys(input.key), ...input.items].find((name) => !names.has(name));
    if (unknown !== undefined) throw bad(`"${unknown}" is not an item of ${code}`);
    const missing = resource.keyItems.find((name) => (input.key[name] ?? '').trim() === '');
    if (missing !== undefined) throw bad(`key item "${missing}" has no value`);
    const key = JSON.stringify(resource.keyItems.map((name) => (input.key[name] as string).trim()));
    // Flag (and lock) the row first, then take the counters and the log's head: the commit's order.
    const stored = await trx
      .updateTable('data_rows')
      .set({ flagged: 1 })
      .where('resource_code', '=', code)
      .where('row_key', '=', key)
      .returning('row')
      .executeTakeFirst();
    if (!stored)
      throw new HubError('HUB_ERR_NOT_FOUND', { what: lang === 'en' ? 'stored row' : '数据记录', id: key });
    const row = JSON.parse(stored.row) as Record<string, string>;
    const findings: StoredFinding[] = input.items.map((item) => ({
      code: 'DATA-OBJECTION',
      severity: 'error',
      row: 0,
      column: item,
      item,
      value: row[item] ?? '',
      message: input.reason,
      ...(input.problemType ? { problemType: input.problemType } : {}),
    }));
    const writer = await openTicket(trx, hub, {
      resource: code,
      orgId: resource.orgId,
      submissionId: null,
      kind: 'objection',
      now: scope.now,
      actor: { tokenId: caller.tokenId, orgId: caller.orgId, roles: caller.roles },
      reason: input.reason,
      raisedByOrg: caller.orgId,
    });
    await writer.add([{ rowNumber: null, key, row, findings }]);
    await writer.finish();
    return writer.id;
  });
  const ticket = await findTicket(db, scope, id);
  return { ...ticketView(ticket), history: await ticketHistory(db, id) };
}
