/**
 * The release batch on SQLite (release-batch.ts): one synchronous transaction of prepared
 * statements on the writer connection, run while Kysely holds that connection for it, so no
 * other transaction is open on it and none starts before it ends. Building the batch's inserts
 * with the query builder cost more than running them.
 *
 * The replay window is checked in memory. The nonces are still written, with the audit entries,
 * to `ses_nonces` — an append-only log on SQLite (migration 015) — and read back the first time a
 * hub writes a batch after opening its database, so a restart forgets none. A unique index over
 * random nonces dirtied a random B-tree page a call, each written to the WAL at every commit: a
 * sixth of a call's CPU. The embedded hub is one process (its file is not shared with another
 * hub), so its memory sees every call (nonce-window.ts); PostgreSQL keeps the unique key
 * (release-postgres.ts).
 */
import type SQLite from 'better-sqlite3';
import type { HubContext } from '../../plugins/store.js';
import {
  auditUnavailable,
  sealAfter,
  type AuditContext,
  type AuditEvent,
  type AuditHead,
} from '../audit/log.js';
import {
  admit,
  auditContext,
  eventsOf,
  freshOnly,
  groupsOf,
  nonceKey,
  nonceRows,
  settle,
  splitUsageKey,
  type Outcome,
  type Pending,
} from './release-admission.js';
import { NonceWindow } from './nonce-window.js';

interface Statements {
  storeNonce: SQLite.Statement<[string, string, string]>;
  loadNonces: SQLite.Statement<[string], { keyid: string; nonce: string; expires_at: string }>;
  usage: SQLite.Statement<[string, string], { calls: number }>;
  setUsage: SQLite.Statement<[string, string, number]>;
  head: SQLite.Statement<[], AuditHead>;
  setHead: SQLite.Statement<[number, string]>;
  entry: SQLite.Statement<unknown[]>;
}

const prepared = new WeakMap<SQLite.Database, Statements>();

function statementsOf(sqlite: SQLite.Database): Statements {
  let statements = prepared.get(sqlite);
  if (statements) return statements;
  statements = {
    storeNonce: sqlite.prepare('insert into ses_nonces (keyid, nonce, expires_at) values (?, ?, ?)'),
    loadNonces: sqlite.prepare(
      'select keyid, nonce, expires_at from ses_nonces where expires_at > ? order by expires_at',
    ),
    usage: sqlite.prepare('select calls from grant_usage where grant_id = ? and day = ?'),
    setUsage: sqlite.prepare(
      'insert into grant_usage (grant_id, day, calls) values (?, ?, ?) ' +
        'on conflict (grant_id, day) do update set calls = excluded.calls',
    ),
    head: sqlite.prepare('select seq, chain_hash from audit_head where id = 1'),
    setHead: sqlite.prepare('update audit_head set seq = ?, chain_hash = ? where id = 1'),
    entry: sqlite.prepare(
      'insert into audit_entries (seq, time, leaf, leaf_hash, chain_hash, evidence, actor, org_id, ' +
        'action, object, result) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
  prepared.set(sqlite, statements);
  return statements;
}

const windows = new WeakMap<HubContext, NonceWindow>();

/** The hub's replay window; read from `ses_nonces` on first use. */
function windowOf(hub: HubContext, statements: Statements, at: Date): NonceWindow {
  let window = windows.get(hub);
  if (window) return window;
  window = new NonceWindow();
  for (const row of statements.loadNonces.iterate(at.toISOString()))
    window.remember(nonceKey(row), Date.parse(row.expires_at), at.getTime());
  windows.set(hub, window);
  return window;
}

/** Writes the batch on the writer connection; call it while Kysely holds that connection. */
export function writeBatchSqlite(
  sqlite: SQLite.Database,
  hub: HubContext,
  batch: Pending[],
  candidates: Pending[],
  outcome: Outcome,
): Outcome {
  const statements = statementsOf(sqlite);
  const context = auditContext(hub.config.hubCode, 'sqlite', batch);
  const window = windowOf(hub, statements, context.now);
  window.forget(context.now.getTime());
  const unseen = candidates.filter(({ record, now }) => !window.seen(nonceKey(record), now.getTime()));
  const nonces = nonceRows(unseen);
  const groups = groupsOf(freshOnly(candidates, nonces, outcome));
  const admitted = sqlite.transaction(() => {
    for (const row of nonces) statements.storeNonce.run(row.keyid, row.nonce, row.expires_at);
    const used = new Map<string, number>();
    for (const key of groups.keys()) {
      const { grant_id, day } = splitUsageKey(key);
      used.set(key, Number(statements.usage.get(grant_id, day)?.calls ?? 0));
    }
    const { admitted, counts } = admit(groups, used, outcome);
    for (const row of counts) statements.setUsage.run(row.grant_id, row.day, row.calls);
    if (admitted.size > 0) appendEntries(statements, context, eventsOf(admitted));
    return admitted;
  })();
  // Only once committed: a batch rolled back leaves its nonces unused.
  const committedAt = context.now.getTime();
  for (const row of nonces) window.remember(nonceKey(row), Date.parse(row.expires_at), committedAt);
  return settle(outcome, admitted);
}

function appendEntries(statements: Statements, context: AuditContext, events: AuditEvent[]): void {
  try {
    const head = statements.head.get();
    if (!head) throw new Error('the audit head row is missing');
    // Exchange events name no catalog resource, so they have no owners to look up.
    const sealed = sealAfter(head, context, events, new Map());
    for (const r of sealed.rows)
      statements.entry.run(
        r.seq,
        r.time,
        r.leaf,
        r.leaf_hash,
        r.chain_hash,
        r.evidence,
        r.actor,
        r.org_id ?? null,
        r.action,
        r.object ?? null,
        r.result,
      );
    statements.setHead.run(sealed.head.seq, sealed.head.chain_hash);
  } catch (error) {
    throw auditUnavailable(error);
  }
}
