/**
 * The release batch's two statements on PostgreSQL (release-batch.ts): the first takes the
 * nonces, locks the day's usage rows and the audit head and reads them; the second writes the
 * audit entries, the usage counts and the new head. With BEGIN and COMMIT, four round trips a
 * batch instead of eight: each is a wait for the event loop as well as a socket write, and the
 * batch's transaction was most of a call's latency.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { AuditEntryTable, Database } from '../../db/schema.js';
import type { HubContext } from '../../plugins/store.js';
import { catalogOwners } from '../audit/leaf.js';
import { auditUnavailable, sealAfter, type AuditHead } from '../audit/log.js';
import {
  admit,
  auditContext,
  eventsOf,
  freshOnly,
  groupsOf,
  nonceRows,
  settle,
  splitUsageKey,
  usageKey,
  type NonceRow,
  type Outcome,
  type Pending,
  type UsageRow,
} from './release-admission.js';

interface Locked {
  /** The nonces stored now (the others were seen before). */
  fresh: Pick<NonceRow, 'keyid' | 'nonce'>[];
  /** The day's usage rows, locked, with the calls counted so far. */
  used: UsageRow[];
  head: AuditHead | undefined;
}

/** Writes a batch whose `candidates` (first call of each nonce) are taken from `batch`. */
export async function writeBatchPostgres(
  trx: Transaction<Database>,
  hub: HubContext,
  batch: Pending[],
  candidates: Pending[],
  outcome: Outcome,
): Promise<Outcome> {
  const groups = [...groupsOf(candidates).keys()].map(splitUsageKey);
  const locked = await lockBatch(trx, nonceRows(candidates), groups);
  const { admitted, counts } = admit(
    groupsOf(freshOnly(candidates, locked.fresh, outcome)),
    new Map(locked.used.map((row) => [usageKey(row), row.calls])),
    outcome,
  );
  if (admitted.size === 0) return outcome;
  if (!locked.head) throw auditUnavailable(new Error('the audit head row is missing'));
  const events = eventsOf(admitted);
  const context = auditContext(hub.config.hubCode, 'postgres', batch);
  const sealed = sealAfter(locked.head, context, events, await catalogOwners(trx, events));
  try {
    await writeEntries(trx, sealed.rows, counts, sealed.head);
  } catch (error) {
    throw auditUnavailable(error);
  }
  return settle(outcome, admitted);
}

/** Stores the nonces, locks and reads the usage rows (created at 0) and the audit head. */
async function lockBatch(
  trx: Transaction<Database>,
  nonces: NonceRow[],
  usage: Pick<UsageRow, 'grant_id' | 'day'>[],
): Promise<Locked> {
  const { rows } = await sql<{ kind: string; a: string; b: string | null; n: string | null }>`
    with fresh as (
      insert into ses_nonces (keyid, nonce, expires_at)
      select * from unnest(${nonces.map((r) => r.keyid)}::text[], ${nonces.map((r) => r.nonce)}::text[],
        ${nonces.map((r) => r.expires_at)}::text[])
      on conflict (keyid, nonce) do nothing
      returning keyid, nonce
    ), usage as (
      insert into grant_usage (grant_id, day, calls)
      select g, d, 0 from unnest(${usage.map((r) => r.grant_id)}::text[], ${usage.map((r) => r.day)}::text[]) as v(g, d)
      on conflict (grant_id, day) do update set calls = grant_usage.calls
      returning grant_id, day, calls
    ), head as (
      select seq, chain_hash from audit_head where id = 1 for update
    )
    select 'nonce' as kind, keyid as a, nonce as b, null as n from fresh
    union all select 'usage', grant_id, day, calls::text from usage
    union all select 'head', chain_hash, null, seq::text from head`.execute(trx);
  const locked: Locked = { fresh: [], used: [], head: undefined };
  for (const { kind, a, b, n } of rows) {
    if (kind === 'nonce') locked.fresh.push({ keyid: a, nonce: b ?? '' });
    else if (kind === 'usage') locked.used.push({ grant_id: a, day: b ?? '', calls: Number(n) });
    else locked.head = { seq: Number(n), chain_hash: a };
  }
  return locked;
}

/** Writes the sealed audit rows, the new usage counts and the new head. */
async function writeEntries(
  trx: Transaction<Database>,
  entries: Insertable<AuditEntryTable>[],
  usage: UsageRow[],
  head: AuditHead,
): Promise<void> {
  // One parameter a value (as Kysely's inserts): arrays would make the driver escape every leaf.
  const values = sql.join(
    entries.map(
      (r) =>
        sql`(${r.seq}, ${r.time}, ${r.leaf}, ${r.leaf_hash}, ${r.chain_hash}, ${r.evidence}, ${r.actor}, ${r.org_id ?? null}, ${r.action}, ${r.object ?? null}, ${r.result})`,
    ),
  );
  await sql`
    with entries as (
      insert into audit_entries (seq, time, leaf, leaf_hash, chain_hash, evidence, actor, org_id, action, object, result)
      values ${values}
    ), usage as (
      update grant_usage u set calls = v.calls
      from unnest(${usage.map((r) => r.grant_id)}::text[], ${usage.map((r) => r.day)}::text[],
        ${usage.map((r) => r.calls)}::int[]) as v(grant_id, day, calls)
      where u.grant_id = v.grant_id and u.day = v.day
    )
    update audit_head set seq = ${head.seq}, chain_hash = ${head.chain_hash} where id = 1`.execute(trx);
}
