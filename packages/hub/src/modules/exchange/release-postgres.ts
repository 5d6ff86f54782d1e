/**
 * The release batch's two statements on PostgreSQL (release-batch.ts): the first takes the
 * nonces, locks the day's usage rows and the audit head and reads them; the second writes the
 * audit entries, the usage counts and the new head. With BEGIN and COMMIT, four round trips a
 * batch instead of eight: each is a wait for the event loop as well as a socket write, and the
 * batch's transaction was most of a call's latency.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import type { AuditEntryTable, Database } from '../../db/schema.js';
import type { AuditHead } from '../audit/log.js';

export interface NonceRow {
  keyid: string;
  nonce: string;
  expires_at: string;
}

export interface UsageRow {
  grant_id: string;
  day: string;
  calls: number;
}

export interface Locked {
  /** The nonces stored now (the others were seen before). */
  fresh: Pick<NonceRow, 'keyid' | 'nonce'>[];
  /** The day's usage rows, locked, with the calls counted so far. */
  used: UsageRow[];
  head: AuditHead | undefined;
}

/** Stores the nonces, locks and reads the usage rows (created at 0) and the audit head. */
export async function lockBatch(
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
export async function writeEntries(
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
