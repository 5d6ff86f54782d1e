/**
 * Webhook registrations: who may register, see and remove which webhook, and the delivery log of
 * each. The signing secret is generated here, shown once in the registration answer, and kept
 * only sealed with the hub key (the dispatcher opens it to sign).
 */
import { randomBytes } from 'node:crypto';
import { sm3Hex, type Lang } from '@minjiang/standards';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { NotificationOutboxTable, OutboxStatus, WebhookTable } from '../../db/schema-sharing.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit } from '../audit/log.js';
import type { Caller } from '../identity/tokens.js';
import { newestFirstPage } from '../workflow/cursor.js';

type Db = Kysely<Database> | Transaction<Database>;
export type WebhookRow = Selectable<WebhookTable>;
type DeliveryRow = Selectable<NotificationOutboxTable>;

/** Everything a webhook operation needs from its request. */
export interface WebhookScope {
  hub: HubContext;
  caller: Caller;
  now: Date;
  lang: Lang;
}

export interface WebhookInput {
  url: string;
  events?: string[];
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** The last error a removed webhook's undelivered notifications keep. */
export const WEBHOOK_REMOVED = 'webhook removed';

const URL_PROBLEMS = {
  unparseable: { 'zh-CN': '不是有效的 URL', en: 'it is not a valid URL' },
  scheme: { 'zh-CN': '只支持 http 和 https', en: 'only http and https are supported' },
  credentials: {
    'zh-CN': '地址中不能包含用户名或密码（会被记录和显示）',
    en: 'it must not carry a user name or password (they would be stored and shown)',
  },
  fragment: { 'zh-CN': '片段（#…）不会被发送', en: 'a fragment (#…) is never sent' },
} as const;

/**
 * Why a URL cannot be a webhook, or undefined. Loopback and private addresses are allowed on
 * purpose: receivers often run beside the hub (and the tests' receiver does). An operator who
 * must stop the hub reaching internal services can add an allow-list here later.
 */
export function webhookUrlProblem(raw: string): keyof typeof URL_PROBLEMS | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'unparseable';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.hash !== '') return 'fragment';
  return undefined;
}

/** Admins and auditors see every organisation's webhooks. */
function privileged(caller: Caller): boolean {
  return caller.roles.includes('admin') || caller.roles.includes('auditor');
}

export function webhookView(row: WebhookRow) {
  return {
    id: row.id,
    org: row.org_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    platform: Number(row.platform) === 1,
    createdAt: row.created_at,
    ...(row.disabled_at !== null ? { disabledAt: row.disabled_at } : {}),
  };
}

function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    event: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    createdAt: row.created_at,
    ...(row.delivered_at !== null ? { deliveredAt: row.delivered_at } : {}),
  };
}

/** Audit leaves `webhook.register` / `webhook.remove`; the URL only as origin and digest (its query may hold a token). */
async function auditWebhook(
  trx: Transaction<Database>,
  scope: WebhookScope,
  action: string,
  row: WebhookRow,
) {
  const url = new URL(row.url);
  await appendAudit(
    trx,
    { hubCode: scope.hub.config.hubCode, engine: scope.hub.store.engine, now: scope.now },
    [
      {
        type: 'webhook',
        action,
        actor: { tokenId: scope.caller.tokenId, orgId: scope.caller.orgId, roles: scope.caller.roles },
        object: row.id,
        result: 'success',
        detail: {
          org: row.org_id,
          origin: url.origin,
          urlSm3: sm3Hex(row.url),
          events: row.events,
          platform: row.platform,
        },
      },
    ],
  );
}

/** Registers a webhook for the caller's organisation (a platform webhook when an admin registers it). */
export async function registerWebhook(scope: WebhookScope, input: WebhookInput) {
  const problem = webhookUrlProblem(input.url);
  if (problem) throw new HubError('HUB_ERR_WEBHOOK_URL', { reason: URL_PROBLEMS[problem][scope.lang] });
  const events = !input.events || input.events.includes('*') ? ['*'] : [...input.events].sort();
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const row: WebhookRow = {
    id: `wh_${randomBytes(12).toString('hex')}`,
    org_id: scope.caller.orgId,
    url: new URL(input.url).href,
    secret_enc: scope.hub.key.seal(secret),
    events: JSON.stringify(events),
    platform: scope.caller.roles.includes('admin') ? 1 : 0,
    created_by: scope.caller.tokenId,
    created_at: scope.now.toISOString(),
    disabled_at: null,
  };
  await scope.hub.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('webhooks').values(row).execute();
    await auditWebhook(trx, scope, 'register', row);
  });
  return { ...webhookView(row), secret };
}

/** The active webhooks the caller may see (its organisation's; every one for admins and auditors). */
export async function listWebhooks(scope: WebhookScope, query: PageQuery) {
  let select = scope.hub.store.db.selectFrom('webhooks').selectAll().where('disabled_at', 'is', null);
  if (!privileged(scope.caller)) select = select.where('org_id', '=', scope.caller.orgId);
  return newestFirstPage(select, query, webhookView);
}

/** A webhook the caller may see, or 404 (another organisation's webhook is not revealed). */
async function findWebhook(db: Db, scope: WebhookScope, id: string, forUpdate = false): Promise<WebhookRow> {
  const query = db.selectFrom('webhooks').selectAll().where('id', '=', id);
  const locked = forUpdate && scope.hub.store.engine === 'postgres' ? query.forUpdate() : query;
  const row = await locked.executeTakeFirst();
  if (!row || !(privileged(scope.caller) || row.org_id === scope.caller.orgId))
    throw new HubError('HUB_ERR_NOT_FOUND', { what: scope.lang === 'en' ? 'webhook' : 'Webhook', id });
  return row;
}

/**
 * Disables a webhook (rows are kept: its delivery log stays readable) and fails its pending
 * deliveries, so nothing more is sent to it. Removing it again answers it as it is.
 */
export async function removeWebhook(scope: WebhookScope, id: string) {
  return scope.hub.store.db.transaction().execute(async (trx) => {
    const row = await findWebhook(trx, scope, id, true);
    if (row.disabled_at !== null) return webhookView(row);
    const at = scope.now.toISOString();
    await trx.updateTable('webhooks').set({ disabled_at: at }).where('id', '=', id).execute();
    await trx
      .updateTable('notification_outbox')
      .set({ status: 'failed', last_error: WEBHOOK_REMOVED, locked_until: null })
      .where('webhook_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    const removed = { ...row, disabled_at: at };
    await auditWebhook(trx, scope, 'remove', removed);
    return webhookView(removed);
  });
}

/** The deliveries of one webhook, newest first. */
export async function listDeliveries(
  scope: WebhookScope,
  id: string,
  query: PageQuery & { status?: OutboxStatus },
) {
  const { db } = scope.hub.store;
  await findWebhook(db, scope, id);
  let select = db.selectFrom('notification_outbox').selectAll().where('webhook_id', '=', id);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  return newestFirstPage(select, query, deliveryView);
}
