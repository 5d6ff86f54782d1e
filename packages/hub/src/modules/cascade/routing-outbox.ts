/**
 * The durable outbox of hub-to-hub routing messages (docs/cascade-routing.md "Delivery"). A
 * message is written in the transaction of the change it announces, then POSTed signed with the
 * node key: at once, and again with backoff (1 s × 2^(n−1), at most 5 min) while the other hub is
 * down. Delivery is at least once; receivers apply a message id once. Messages of one subject go
 * out in order: a failed one holds back the later ones of its subject.
 */
import type { Transaction } from 'kysely';
import type { CascadeOutboxTable, OutboxKind } from '../../db/schema-cascade-routing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { signedNodeFetch } from './node-auth.js';

export interface OutboxMessage {
  messageId: string;
  kind: OutboxKind;
  target: string;
  path: string;
  body: Record<string, unknown>;
  subject: string;
}

export interface HopAnswer {
  status: number;
  body: unknown;
}

export type Delivery =
  | { outcome: 'delivered'; answer: HopAnswer }
  | { outcome: 'refused'; answer: HopAnswer }
  | { outcome: 'pending'; error: string };

/** What the sending side does with a final answer (kept apart so the outbox imports no handler). */
export type AnswerHandler = (hub: HubContext, row: CascadeOutboxTable, delivery: Delivery) => Promise<void>;

const handlers = new Map<OutboxKind, AnswerHandler>();

export function onOutboxAnswer(kind: OutboxKind, handler: AnswerHandler): void {
  handlers.set(kind, handler);
}

/** Refusals that retrying cannot change; anything else (5xx, 401 before a key is pinned, no answer) is retried. */
const FINAL_REFUSALS = new Set([400, 404, 409, 410, 413, 415, 422, 508]);
const CLAIM_MS = 60_000;
const MAX_BACKOFF_MS = 300_000;

/** The base URL of a hub this hub talks to: its parent, or an approved child. */
export async function hubAddress(hub: HubContext, code: string): Promise<string> {
  const { role, parentCode, parentUrl } = hub.config;
  if (role === 'city' && code === parentCode && parentUrl) return parentUrl.replace(/\/+$/, '');
  const child = await hub.store.db
    .selectFrom('cascade_children')
    .select(['base_url', 'state'])
    .where('hub', '=', code)
    .executeTakeFirst();
  if (!child || child.state !== 'APPROVED')
    throw new HubError('HUB_ERR_FORBIDDEN', {
      roles: `hub ${code}`,
      required: 'APPROVED child or parent hub',
    });
  return child.base_url.replace(/\/+$/, '');
}

/** Writes a message in the caller's transaction; the same message id twice is written once. */
export async function enqueueMessage(trx: Transaction<Database>, message: OutboxMessage, now: Date) {
  const at = now.toISOString();
  await trx
    .insertInto('cascade_outbox')
    .values({
      message_id: message.messageId,
      kind: message.kind,
      target: message.target,
      path: message.path,
      body: JSON.stringify(message.body),
      subject: message.subject,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      claimed_until: null,
      last_error: null,
      created_at: at,
      delivered_at: null,
    })
    .onConflict((conflict) => conflict.column('message_id').doNothing())
    .execute();
}

/** Takes the row for this process until the claim runs out; false when another holds it or it is done. */
async function claim(hub: HubContext, messageId: string, now: Date): Promise<CascadeOutboxTable | undefined> {
  const at = now.toISOString();
  const claimed = await hub.store.db
    .updateTable('cascade_outbox')
    .set({ claimed_until: new Date(now.getTime() + CLAIM_MS).toISOString() })
    .where('message_id', '=', messageId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return undefined;
  return hub.store.db
    .selectFrom('cascade_outbox')
    .selectAll()
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

async function send(hub: HubContext, row: CascadeOutboxTable): Promise<Delivery> {
  try {
    const url = `${await hubAddress(hub, row.target)}${row.path}`;
    const answer = await signedNodeFetch(hub, url, { method: 'POST', body: JSON.parse(row.body) as unknown });
    if (answer.status < 300) return { outcome: 'delivered', answer };
    if (FINAL_REFUSALS.has(answer.status)) return { outcome: 'refused', answer };
    const code = (answer.body as { code?: string } | null)?.code ?? '-';
    return { outcome: 'pending', error: `${answer.status} ${code}` };
  } catch (error) {
    return { outcome: 'pending', error: (error as Error).message };
  }
}

async function record(hub: HubContext, row: CascadeOutboxTable, delivery: Delivery, now: Date) {
  const attempts = Number(row.attempts) + 1;
  const done = delivery.outcome !== 'pending';
  const wait = Math.min(1000 * 2 ** (attempts - 1), MAX_BACKOFF_MS);
  await hub.store.db
    .updateTable('cascade_outbox')
    .set({
      status: done ? delivery.outcome : 'pending',
      attempts,
      claimed_until: null,
      next_attempt_at: done ? row.next_attempt_at : new Date(now.getTime() + wait).toISOString(),
      last_error: delivery.outcome === 'pending' ? delivery.error.slice(0, 500) : null,
      delivered_at: done ? now.toISOString() : null,
    })
    .where('message_id', '=', row.message_id)
    .execute();
}

/** One attempt at one message now (whatever its backoff); undefined when it is not pending or claimed elsewhere. */
export async function deliverMessage(hub: HubContext, messageId: string): Promise<Delivery | undefined> {
  const row = await claim(hub, messageId, hub.now());
  if (!row) return undefined;
  const delivery = await send(hub, row);
  if (delivery.outcome !== 'pending') await handlers.get(row.kind)?.(hub, row, delivery);
  await record(hub, row, delivery, hub.now());
  return delivery;
}

/** Delivers every due message, oldest first; a subject whose message failed waits for the next round. */
export async function deliverDue(
  hub: HubContext,
): Promise<{ delivered: number; refused: number; pending: number }> {
  const result = { delivered: 0, refused: 0, pending: 0 };
  const rows = await hub.store.db
    .selectFrom('cascade_outbox')
    .select(['message_id', 'subject', 'next_attempt_at'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('message_id')
    .limit(200)
    .execute();
  const held = new Set<string>();
  const now = hub.now().toISOString();
  for (const row of rows) {
    if (held.has(row.subject)) continue;
    if (row.next_attempt_at > now) {
      held.add(row.subject);
      continue;
    }
    const delivery = await deliverMessage(hub, row.message_id);
    if (!delivery || delivery.outcome === 'pending') held.add(row.subject);
    result[delivery?.outcome ?? 'pending'] += 1;
  }
  return result;
}

const rounds = new WeakMap<HubContext, Promise<unknown>>();

/** Runs a delivery round after the current one (one at a time per hub process). */
export function kickDelivery(
  hub: HubContext,
  log: { error: (o: object, m: string) => void },
): Promise<unknown> {
  const previous = rounds.get(hub) ?? Promise.resolve();
  const next = previous
    .then(() => deliverDue(hub))
    .catch((error: unknown) => log.error({ err: error }, 'cascade routing delivery failed'));
  rounds.set(hub, next);
  return next;
}

/** Waits for the delivery rounds this process started (tests, shutdown). */
export async function deliveriesSettled(hub: HubContext): Promise<void> {
  await rounds.get(hub);
}
