/**
 * Group commit for audit before release: the calls waiting to be recorded are written together —
 * their nonces, their quota counts, their audit leaves — in one transaction, and each is answered
 * only after that transaction commits. One commit (one disk flush, one pass over the audit head
 * and the usage rows) then serves every call that arrived while the previous one was writing, so
 * the log's serial head no longer caps the calls a second. Nothing is released before its entry
 * is durable; a batch that fails releases nothing of it.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import type { CallRecord } from './release.js';
import { SesError } from './ses-error.js';

/** Seconds a nonce is remembered: twice the ±300 s window. */
const NONCE_SECONDS = 600;
/** Calls per transaction: bounds the statement size and the wait of the last call in it. */
const MAX_BATCH = 200;

interface Pending {
  record: CallRecord;
  now: Date;
  resolve: (used: number) => void;
  reject: (error: unknown) => void;
}

type Outcome = Map<Pending, number | SesError>;

const queues = new WeakMap<HubContext, Queue>();

/** Queues a call's record; resolves with the calls used today once it is committed. */
export function enqueueRecord(hub: HubContext, record: CallRecord, now: Date): Promise<number> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(hub);
    if (!queue) queues.set(hub, (queue = { pending: [], draining: false }));
    queue.pending.push({ record, now, resolve, reject });
    if (queue.draining) return;
    // Started after the event loop's I/O phase, not now: on SQLite every step of a call runs
    // synchronously, so the calls parsed in this phase would otherwise commit one by one.
    queue.draining = true;
    setImmediate(() => void drain(hub, queue));
  });
}

type Queue = { pending: Pending[]; draining: boolean };

async function drain(hub: HubContext, queue: Queue): Promise<void> {
  try {
    while (queue.pending.length > 0) await flush(hub, queue);
  } finally {
    queue.draining = false;
  }
}

/**
 * Writes the next batch. The batch is taken when the transaction has its connection, not before:
 * every call queued while it waited for the connection (behind other calls' reads on SQLite's one
 * connection, or for a pool connection) joins it, which is what makes the group.
 */
async function flush(hub: HubContext, queue: Queue): Promise<void> {
  let batch: Pending[] = [];
  let outcome: Outcome;
  try {
    outcome = await hub.store.db.transaction().execute((trx) => {
      batch = queue.pending.splice(0, MAX_BATCH);
      return writeBatch(trx, hub, batch);
    });
  } catch (error) {
    // Failed before it took its batch (no connection): the waiting calls fail rather than spin.
    if (batch.length === 0) batch = queue.pending.splice(0, MAX_BATCH);
    const failure =
      error instanceof HubError && error.code === 'HUB_ERR_AUDIT_UNAVAILABLE'
        ? new SesError('HUB.LOG_UNAVAILABLE')
        : error;
    for (const pending of batch) pending.reject(failure);
    return;
  }
  for (const pending of batch) {
    const result = outcome.get(pending);
    if (typeof result === 'number') pending.resolve(result);
    else pending.reject(result ?? new SesError('HUB.LOG_UNAVAILABLE'));
  }
}

const nonceKey = (record: CallRecord) => `${record.keyid}\n${record.nonce}`;

/** The calls whose nonce is new (the first of duplicates within the batch); the rest are replays. */
async function freshNonces(
  trx: Transaction<Database>,
  batch: Pending[],
  outcome: Outcome,
): Promise<Pending[]> {
  const first = new Map<string, Pending>();
  for (const pending of batch) {
    const key = nonceKey(pending.record);
    if (first.has(key)) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
    else first.set(key, pending);
  }
  const candidates = [...first.values()];
  const inserted = await trx
    .insertInto('ses_nonces')
    .values(
      candidates.map(({ record, now }) => ({
        keyid: record.keyid,
        nonce: record.nonce,
        expires_at: new Date(now.getTime() + NONCE_SECONDS * 1000).toISOString(),
      })),
    )
    .onConflict((oc) => oc.columns(['keyid', 'nonce']).doNothing())
    .returning(['keyid', 'nonce'])
    .execute();
  const fresh = new Set(inserted.map((row) => `${row.keyid}\n${row.nonce}`));
  for (const pending of candidates)
    if (!fresh.has(nonceKey(pending.record))) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
  return candidates.filter((pending) => fresh.has(nonceKey(pending.record)));
}

/** The day's count of a grant, locked for this transaction (created at 0 on first use). */
async function usageRow(trx: Transaction<Database>, grant: string, day: string): Promise<number> {
  const { calls } = await trx
    .insertInto('grant_usage')
    .values({ grant_id: grant, day, calls: 0 })
    .onConflict((oc) =>
      oc.columns(['grant_id', 'day']).doUpdateSet({ calls: sql<number>`grant_usage.calls` }),
    )
    .returning('calls')
    .executeTakeFirstOrThrow();
  return Number(calls);
}

/** Admits calls in arrival order while each grant's daily quota lasts; answers calls used per admitted call. */
async function takeQuota(
  trx: Transaction<Database>,
  calls: Pending[],
  outcome: Outcome,
): Promise<Map<Pending, number>> {
  const groups = new Map<string, Pending[]>();
  for (const pending of calls) {
    const key = `${pending.record.grant.id}\n${chinaDay(pending.now)}`;
    groups.set(key, [...(groups.get(key) ?? []), pending]);
  }
  const admitted = new Map<Pending, number>();
  for (const [key, group] of groups) {
    const [grant = '', day = ''] = key.split('\n');
    let used = await usageRow(trx, grant, day);
    for (const pending of group) {
      const { cost, grant: row } = pending.record;
      const perDay = row.per_day === null ? null : Number(row.per_day);
      if (perDay !== null && used + cost > perDay) {
        outcome.set(
          pending,
          new SesError('HUB.QUOTA_EXCEEDED', `${perDay} a day`, secondsToChinaMidnight(pending.now)),
        );
        continue;
      }
      used += cost;
      admitted.set(pending, used);
    }
    await trx
      .updateTable('grant_usage')
      .set({ calls: used })
      .where('grant_id', '=', grant)
      .where('day', '=', day)
      .execute();
  }
  return admitted;
}

/** Seconds until the next China midnight, when daily quotas start again. */
export function secondsToChinaMidnight(now: Date): number {
  const next = Date.parse(`${chinaDay(now)}T00:00:00+08:00`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

async function writeBatch(trx: Transaction<Database>, hub: HubContext, batch: Pending[]): Promise<Outcome> {
  const outcome: Outcome = new Map();
  if (batch.length === 0) return outcome;
  const fresh = await freshNonces(trx, batch, outcome);
  const admitted = await takeQuota(trx, fresh, outcome);
  if (admitted.size === 0) return outcome;
  const latest = batch.reduce((at, pending) => (pending.now > at ? pending.now : at), batch[0]!.now);
  const events = [...admitted.keys()].map(({ record }) => ({
    // A family and its action (`api` + `call`): the leaf type and the index read `api.call`.
    type: record.type.split('.')[0]!,
    action: record.type.split('.')[1]!,
    actor: { tokenId: record.keyid, orgId: record.grant.assignee_org, roles: ['consumer'] },
    object: record.grant.id,
    result: 'success' as const,
    exchange: record.leaf,
  }));
  await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now: latest }, events);
  for (const [pending, used] of admitted) outcome.set(pending, used);
  return outcome;
}
