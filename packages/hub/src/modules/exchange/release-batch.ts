/**
 * Group commit for audit before release: the calls waiting to be recorded are written together —
 * their nonces, their quota counts, their audit leaves — in one transaction, and each is answered
 * only after that transaction commits. One commit (one disk flush, one pass over the audit head
 * and the usage rows) then serves every call that arrived while the previous one was writing, so
 * the log's serial head no longer caps the calls a second. Nothing is released before its entry
 * is durable; a batch that fails releases nothing of it. On PostgreSQL the transaction's work is
 * two statements (release-postgres.ts); on SQLite, where a statement costs no round trip, several.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { catalogOwners } from '../audit/leaf.js';
import {
  appendAudit,
  auditUnavailable,
  sealAfter,
  type AuditContext,
  type AuditEvent,
} from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import type { CallRecord } from './release.js';
import { lockBatch, writeEntries } from './release-postgres.js';
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

const nonceKey = (nonce: { keyid: string; nonce: string }) => `${nonce.keyid}\n${nonce.nonce}`;
const usageKey = (usage: { grant_id: string; day: string }) => `${usage.grant_id}\n${usage.day}`;
const groupKey = (pending: Pending) =>
  usageKey({ grant_id: pending.record.grant.id, day: chinaDay(pending.now) });

/** The first call of each nonce in the batch; the others are replays. */
function firstOfEachNonce(batch: Pending[], outcome: Outcome): Pending[] {
  const first = new Map<string, Pending>();
  for (const pending of batch) {
    const key = nonceKey(pending.record);
    if (first.has(key)) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
    else first.set(key, pending);
  }
  return [...first.values()];
}

/** The calls whose nonce was stored now (`stored`); the others are replays of earlier calls. */
function freshOnly(
  candidates: Pending[],
  stored: { keyid: string; nonce: string }[],
  outcome: Outcome,
): Pending[] {
  const fresh = new Set(stored.map(nonceKey));
  for (const pending of candidates)
    if (!fresh.has(nonceKey(pending.record))) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
  return candidates.filter((pending) => fresh.has(nonceKey(pending.record)));
}

function nonceRows(calls: Pending[]) {
  return calls.map(({ record, now }) => ({
    keyid: record.keyid,
    nonce: record.nonce,
    expires_at: new Date(now.getTime() + NONCE_SECONDS * 1000).toISOString(),
  }));
}

/** Calls by grant and China day, in arrival order. */
function groupsOf(calls: Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  for (const pending of calls) {
    const key = groupKey(pending);
    const group = groups.get(key);
    if (group) group.push(pending);
    else groups.set(key, [pending]);
  }
  return groups;
}

/**
 * Admits calls in arrival order while each grant's daily quota lasts, from the counts `used`
 * (`grant\nday` → calls); answers the calls used per admitted call and each group's new count.
 */
function admit(groups: Map<string, Pending[]>, used: ReadonlyMap<string, number>, outcome: Outcome) {
  const admitted = new Map<Pending, number>();
  const counts = new Map<string, number>();
  for (const [key, group] of groups) {
    let count = used.get(key) ?? 0;
    for (const pending of group) {
      const { cost, grant: row } = pending.record;
      const perDay = row.per_day === null ? null : Number(row.per_day);
      if (perDay !== null && count + cost > perDay) {
        outcome.set(
          pending,
          new SesError('HUB.QUOTA_EXCEEDED', `${perDay} a day`, secondsToChinaMidnight(pending.now)),
        );
        continue;
      }
      count += cost;
      admitted.set(pending, count);
    }
    counts.set(key, count);
  }
  return { admitted, counts };
}

function split(key: string): { grant_id: string; day: string } {
  const [grant_id = '', day = ''] = key.split('\n');
  return { grant_id, day };
}

/** The day's count of a grant, locked for this transaction (created at 0 on first use). */
async function usageRow(trx: Transaction<Database>, key: string): Promise<number> {
  const { calls } = await trx
    .insertInto('grant_usage')
    .values({ ...split(key), calls: 0 })
    .onConflict((oc) =>
      oc.columns(['grant_id', 'day']).doUpdateSet({ calls: sql<number>`grant_usage.calls` }),
    )
    .returning('calls')
    .executeTakeFirstOrThrow();
  return Number(calls);
}

/** Seconds until the next China midnight, when daily quotas start again. */
export function secondsToChinaMidnight(now: Date): number {
  const next = Date.parse(`${chinaDay(now)}T00:00:00+08:00`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

function eventsOf(admitted: Map<Pending, number>): AuditEvent[] {
  return [...admitted.keys()].map(({ record }) => ({
    // A family and its action (`api` + `call`): the leaf type and the index read `api.call`.
    type: record.type.split('.')[0]!,
    action: record.type.split('.')[1]!,
    actor: { tokenId: record.keyid, orgId: record.grant.assignee_org, roles: ['consumer'] },
    object: record.grant.id,
    result: 'success' as const,
    exchange: record.leaf,
  }));
}

function auditContext(hub: HubContext, batch: Pending[]): AuditContext {
  const latest = batch.reduce((at, pending) => (pending.now > at ? pending.now : at), batch[0]!.now);
  return { hubCode: hub.config.hubCode, engine: hub.store.engine, now: latest };
}

async function writeBatch(trx: Transaction<Database>, hub: HubContext, batch: Pending[]): Promise<Outcome> {
  const outcome: Outcome = new Map();
  if (batch.length === 0) return outcome;
  const candidates = firstOfEachNonce(batch, outcome);
  if (hub.store.engine === 'postgres') return writeBatchPostgres(trx, hub, batch, candidates, outcome);
  const inserted = await trx
    .insertInto('ses_nonces')
    .values(nonceRows(candidates))
    .onConflict((oc) => oc.columns(['keyid', 'nonce']).doNothing())
    .returning(['keyid', 'nonce'])
    .execute();
  const fresh = freshOnly(candidates, inserted, outcome);
  const groups = groupsOf(fresh);
  const used = new Map<string, number>();
  for (const key of groups.keys()) used.set(key, await usageRow(trx, key));
  const { admitted, counts } = admit(groups, used, outcome);
  for (const [key, calls] of counts) {
    const { grant_id, day } = split(key);
    await trx
      .updateTable('grant_usage')
      .set({ calls })
      .where('grant_id', '=', grant_id)
      .where('day', '=', day)
      .execute();
  }
  if (admitted.size === 0) return outcome;
  await appendAudit(trx, auditContext(hub, batch), eventsOf(admitted));
  for (const [pending, calls] of admitted) outcome.set(pending, calls);
  return outcome;
}

/** The same in two statements (release-postgres.ts): nonces, usage and head; then entries, usage, head. */
async function writeBatchPostgres(
  trx: Transaction<Database>,
  hub: HubContext,
  batch: Pending[],
  candidates: Pending[],
  outcome: Outcome,
): Promise<Outcome> {
  const groups = [...groupsOf(candidates).keys()].map(split);
  const locked = await lockBatch(trx, nonceRows(candidates), groups);
  const { admitted, counts } = admit(
    groupsOf(freshOnly(candidates, locked.fresh, outcome)),
    new Map(locked.used.map((row) => [usageKey(row), row.calls])),
    outcome,
  );
  if (admitted.size === 0) return outcome;
  if (!locked.head) throw auditUnavailable(new Error('the audit head row is missing'));
  const events = eventsOf(admitted);
  const sealed = sealAfter(locked.head, auditContext(hub, batch), events, await catalogOwners(trx, events));
  const usage = [...counts].map(([key, calls]) => ({ ...split(key), calls }));
  try {
    await writeEntries(trx, sealed.rows, usage, sealed.head);
  } catch (error) {
    throw auditUnavailable(error);
  }
  for (const [pending, calls] of admitted) outcome.set(pending, calls);
  return outcome;
}
