/**
 * Delivers the notification outbox: each due row is claimed with a conditional UPDATE, POSTed
 * signed to its webhook, and then marked delivered, rescheduled with back-off, or failed.
 *
 * Several hub processes may dispatch at once. A claim sets `locked_until` only where the row is
 * still pending, due and unclaimed; the database applies one such UPDATE at a time (a row lock on
 * PostgreSQL, which re-checks the condition after waiting; the single writer on SQLite), so exactly
 * one dispatcher wins each row. Delivery is at least once: a process that dies after sending but
 * before recording it leaves the claim to expire and the row is sent again; receivers deduplicate
 * on `Minjiang-Delivery`.
 */
import { signWebhook } from '@minjiang/standards';
import type { Selectable } from 'kysely';
import type { NotificationOutboxTable } from '../../db/schema-sharing.js';
import type { HubContext } from '../../plugins/store.js';
import { WEBHOOK_REMOVED } from './webhooks.js';

export interface DispatchOptions {
  fetch?: typeof fetch;
  /** Rows looked at in this round (default 100). */
  limit?: number;
  /** How long a receiver may take to answer (default 10 s). */
  timeoutMs?: number;
}

export interface DispatchResult {
  sent: number;
  failed: number;
  retried: number;
}

type OutboxRow = Selectable<NotificationOutboxTable>;
type Outcome = keyof DispatchResult | 'skipped';

export const MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 3_600_000;
/** Receivers answered in parallel per round: one slow receiver does not hold up the others. */
const PARALLEL = 8;
const ERROR_LENGTH = 500;

/** Wait before the next attempt, after `attempts` failed ones: 5 s, 10 s, 20 s … at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1) * BASE_DELAY_MS, MAX_DELAY_MS);
}

/** Sends every due delivery once (up to `limit`) and says what became of them. */
export async function dispatchDue(
  hub: HubContext,
  now: Date,
  options: { fetch?: typeof fetch; limit?: number; timeoutMs?: number } = {},
): Promise<{ sent: number; failed: number; retried: number }> {
  const at = now.toISOString();
  const due = await hub.store.db
    .selectFrom('notification_outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(options.limit ?? 100)
    .execute();
  const queue = due.map((row) => row.id);
  const result: DispatchResult = { sent: 0, failed: 0, retried: 0 };
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const outcome = await dispatchOne(hub, now, id, options);
      if (outcome !== 'skipped') result[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  return result;
}

/** Claims a row for this dispatcher until `lease`, only if it is still pending, due and unclaimed. */
async function claim(hub: HubContext, id: string, at: string, lease: string): Promise<OutboxRow | undefined> {
  return hub.store.db
    .updateTable('notification_outbox')
    .set({ locked_until: lease })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', at)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at)]))
    .returningAll()
    .executeTakeFirst();
}

/** A secret sealed under another hub key (a restored backup) cannot sign: the row fails, the round goes on. */
const UNREADABLE_SECRET = 'the webhook secret cannot be opened with this hub key';

function openSecret(hub: HubContext, sealed: string): string | undefined {
  try {
    return hub.key.open(sealed);
  } catch {
    return undefined;
  }
}

/**
 * Claims one row (or skips it when another dispatcher has it), sends it and records the answer.
 * The claim lasts past the receiver's timeout, so it cannot expire while the request is open.
 */
async function dispatchOne(
  hub: HubContext,
  now: Date,
  id: string,
  options: DispatchOptions,
): Promise<Outcome> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + (options.timeoutMs ?? 10_000) + 60_000).toISOString();
  const claimed = await claim(hub, id, at, lease);
  if (!claimed) return 'skipped';
  const hook = await hub.store.db
    .selectFrom('webhooks')
    .select(['url', 'secret_enc', 'disabled_at'])
    .where('id', '=', claimed.webhook_id)
    .executeTakeFirst();
  if (!hook || hook.disabled_at !== null)
    return finish(hub, claimed, lease, { status: 'failed', error: WEBHOOK_REMOVED });
  const secret = openSecret(hub, hook.secret_enc);
  if (secret === undefined)
    return finish(hub, claimed, lease, { status: 'failed', error: UNREADABLE_SECRET });
  const error = await send(hub, claimed, { url: hook.url, secret }, now, options);
  if (error === undefined) return finish(hub, claimed, lease, { status: 'delivered', at });
  const attempts = Number(claimed.attempts) + 1;
  if (attempts >= MAX_ATTEMPTS) return finish(hub, claimed, lease, { status: 'failed', error, attempts });
  const next = new Date(now.getTime() + retryDelayMs(attempts)).toISOString();
  return finish(hub, claimed, lease, { status: 'pending', error, attempts, next });
}

/** POSTs the stored body, signed; undefined on a 2xx answer, else what went wrong (never the secret). */
async function send(
  hub: HubContext,
  row: OutboxRow,
  target: { url: string; secret: string },
  now: Date,
  options: DispatchOptions,
): Promise<string | undefined> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    const response = await doFetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `minjiang-hub/${hub.config.hubCode}`,
        'minjiang-event': row.event_type,
        'minjiang-delivery': row.id,
        'minjiang-signature': signWebhook(target.secret, row.payload, Math.floor(now.getTime() / 1000)),
      },
      body: row.payload,
      // A redirect is not followed: it would send the payload somewhere nobody registered.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is not wanted; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300 ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    return describe(error, timeoutMs).slice(0, ERROR_LENGTH);
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

type Settlement =
  | { status: 'delivered'; at: string }
  | { status: 'failed'; error: string; attempts?: number }
  | { status: 'pending'; error: string; attempts: number; next: string };

/**
 * Records what became of a claimed row, only while the claim is still this dispatcher's (a
 * removal in the meantime has already failed the row, and wins).
 */
async function finish(
  hub: HubContext,
  row: OutboxRow,
  lease: string,
  settlement: Settlement,
): Promise<Outcome> {
  const changes =
    settlement.status === 'delivered'
      ? { status: 'delivered' as const, delivered_at: settlement.at, attempts: Number(row.attempts) + 1 }
      : settlement.status === 'failed'
        ? {
            status: 'failed' as const,
            last_error: settlement.error,
            attempts: settlement.attempts ?? Number(row.attempts),
          }
        : { last_error: settlement.error, attempts: settlement.attempts, next_attempt_at: settlement.next };
  const updated = await hub.store.db
    .updateTable('notification_outbox')
    .set({ ...changes, locked_until: null })
    .where('id', '=', row.id)
    .where('status', '=', 'pending')
    .where('locked_until', '=', lease)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return 'skipped';
  return settlement.status === 'delivered' ? 'sent' : settlement.status === 'failed' ? 'failed' : 'retried';
}
