/**
 * Routed applications at the hub where the consumer applied (docs/cascade-routing.md): a code
 * not in this hub's catalog goes to the hub that holds it — at the province the approved child
 * whose federated entry it is, at a city its parent — through the outbox; the application is
 * kept here with the owner's view mirrored from the events that come back.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CascadeRoutedApplicationTable } from '../../db/schema-cascade-routing.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import type { CreateApplicationInput } from '../sharing/create.js';
import { applicationNotFound, type ApplicationQuery, type ApplicationRequest } from '../sharing/records.js';
import { decodeCursor, encodeCursor } from '../workflow/cursor.js';
import { workflowId, type WorkflowScope } from '../workflow/events.js';
import { auditRouting } from './routing-audit.js';
import { deliverMessage, enqueueMessage, type Delivery } from './routing-outbox.js';

export type RoutedRow = Selectable<CascadeRoutedApplicationTable>;
type Db = Kysely<Database> | Transaction<Database>;

export const APPLICATIONS_PATH = '/api/v1/cascade/applications';

/** The path of a message about a routed application on the next hub. */
export function subjectPath(originId: string, what: 'events' | 'actions' | 'credentials'): string {
  return `${APPLICATIONS_PATH}/${encodeURIComponent(originId)}/${what}`;
}

/** What this hub holds of a routed application: the one made here, or the route it relays it on. */
export async function routingOf(db: Db, originId: string) {
  const routed = await db
    .selectFrom('cascade_routed_applications')
    .selectAll()
    .where('id', '=', originId)
    .executeTakeFirst();
  if (routed) return { routed, route: undefined };
  const route = await db
    .selectFrom('cascade_routes')
    .selectAll()
    .where('origin_id', '=', originId)
    .executeTakeFirst();
  return { routed: undefined, route };
}

/** Queues an event about a relayed application back to the hub it came from. */
export async function eventBack(
  trx: Transaction<Database>,
  route: { origin_id: string; from_hub: string },
  event: { messageId: string; [key: string]: unknown },
  now: Date,
): Promise<void> {
  const path = subjectPath(route.origin_id, 'events');
  const message = { messageId: event.messageId, kind: 'event' as const, target: route.from_hub, path };
  await enqueueMessage(trx, { ...message, body: event, subject: route.origin_id }, now);
}

/** Where an application for `code` goes from this hub, or undefined when it stays here (or nowhere). */
export async function routeFor(
  hub: HubContext,
  code: string,
): Promise<{ nextHop: string; owner: string | null } | undefined> {
  const { db } = hub.store;
  const local = await db
    .selectFrom('catalog_resources')
    .select('code')
    .where('code', '=', code)
    .executeTakeFirst();
  if (local) return undefined;
  if (hub.config.role === 'province') {
    const entry = await db
      .selectFrom('cascade_entries as e')
      .innerJoin('cascade_children as c', 'c.hub', 'e.origin')
      .select('e.origin')
      .where('e.resource_code', '=', code)
      .where('e.status', '=', 'live')
      .where('c.state', '=', 'APPROVED')
      .executeTakeFirst();
    return entry ? { nextHop: entry.origin, owner: entry.origin } : undefined;
  }
  const parentCode = hub.config.parentCode;
  if (!parentCode || !hub.config.parentUrl) return undefined;
  const parent = await db
    .selectFrom('cascade_parent')
    .select('state')
    .where('hub', '=', parentCode)
    .executeTakeFirst();
  return parent?.state === 'APPROVED' ? { nextHop: parentCode, owner: null } : undefined;
}

interface RemoteView {
  history?: unknown[];
  state?: string;
  [key: string]: unknown;
}

function remoteOf(row: RoutedRow): RemoteView | undefined {
  return row.remote === null ? undefined : (JSON.parse(row.remote) as RemoteView);
}

const NOBODY = { party: 'nobody', role: null, org: null, actions: [], deadline: null };

/** The routed application as the applications API shows it, marked `routed: { owner, via }`. */
export function routedView(row: RoutedRow) {
  const remote = remoteOf(row);
  const request = JSON.parse(row.request) as ApplicationRequest;
  const refusal = row.refusal === null ? undefined : (JSON.parse(row.refusal) as { message?: string });
  const status = refusal ? 'refused' : remote ? 'owner' : 'forwarding';
  return {
    resourceVersion: 0,
    provider: row.owner_hub ?? row.next_hop,
    shareType: 'CONDITIONAL',
    final: refusal !== undefined,
    next: NOBODY,
    history: [],
    ...remote,
    ...(refusal?.message ? { reason: refusal.message } : {}),
    id: row.id,
    kind: request.kind,
    resourceCode: row.resource_code,
    applicant: row.applicant_org,
    request,
    state: row.state,
    ...(row.grant_id !== null ? { grant: row.grant_id } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    routed: {
      owner: row.owner_hub,
      via: JSON.parse(row.via) as string[],
      status,
      ...(row.remote_id !== null ? { remoteId: row.remote_id } : {}),
      ...(refusal ? { refusal } : {}),
    },
  };
}

/** A routed application the caller may see (its organisation's; admins and auditors all). */
export async function findRouted(db: Db, scope: WorkflowScope, id: string): Promise<RoutedRow | undefined> {
  const row = await db
    .selectFrom('cascade_routed_applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { caller } = scope;
  const everything = caller.roles.includes('admin') || caller.roles.includes('auditor');
  if (!everything && caller.orgId !== row.applicant_org) throw applicationNotFound(id, scope.lang);
  return row;
}

type Route = { nextHop: string; owner: string | null };

/** The routed application as first stored: submitted, on its way to the next hub. */
function routedRow(scope: WorkflowScope, id: string, request: ApplicationRequest, route: Route): RoutedRow {
  const at = scope.now.toISOString();
  return {
    id,
    owner_hub: route.owner,
    next_hop: route.nextHop,
    applicant_org: scope.caller.orgId,
    created_by: scope.caller.tokenId,
    resource_code: request.resourceCode,
    request: JSON.stringify(request),
    state: 'SUBMITTED',
    remote_id: null,
    via: JSON.stringify([scope.hub.config.hubCode]),
    remote: null,
    grant_id: null,
    grant_view: null,
    refusal: null,
    event_seq: 0,
    created_at: at,
    updated_at: at,
  };
}

/** Stores the routed application and its message to the next hub, audited, in one transaction. */
async function fileRouted(
  scope: WorkflowScope,
  request: ApplicationRequest,
  route: Route,
  messageId: string,
) {
  const { hub } = scope;
  return hub.store.db.transaction().execute(async (trx) => {
    const applicant = await trx
      .selectFrom('organisations')
      .select(['id', 'name', 'uscc'])
      .where('id', '=', scope.caller.orgId)
      .executeTakeFirstOrThrow();
    const id = await workflowId(trx, scope, request.kind === 'open' ? 'oapp' : 'app');
    await trx
      .insertInto('cascade_routed_applications')
      .values(routedRow(scope, id, request, route))
      .execute();
    const via = [hub.config.hubCode];
    const body = {
      messageId,
      originId: id,
      request,
      applicant: { ...applicant, hub: hub.config.hubCode },
      via,
    };
    const message = { messageId, kind: 'application' as const, target: route.nextHop, body, subject: id };
    await enqueueMessage(trx, { ...message, path: APPLICATIONS_PATH }, scope.now);
    const detail = { messageId, resource: request.resourceCode, to: route.nextHop, owner: route.owner, via };
    await auditRouting(trx, hub, scope.now, 'forwarded', id, detail);
    return id;
  });
}

/** Files the application for routing and makes the first attempt to send it. */
export async function createRouted(scope: WorkflowScope, input: CreateApplicationInput, route: Route) {
  // A routed application is always submitted: a draft never leaves this hub.
  const request: ApplicationRequest & { submit?: boolean } = { ...input, kind: input.kind ?? 'sharing' };
  delete request.submit;
  const { hub } = scope;
  const messageId = `app-${randomUUID()}`;
  const id = await fileRouted(scope, request, route, messageId);
  const delivery = await deliverMessage(hub, messageId);
  const row = await hub.store.db
    .selectFrom('cascade_routed_applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (delivery?.outcome === 'refused')
    throw refusalError(scope, route.nextHop, delivery, row.resource_code, id);
  return routedView(row);
}

/** A hop's final refusal as the caller's error: an unknown resource stays the usual 404. */
export function refusalError(
  scope: WorkflowScope,
  hop: string,
  delivery: Extract<Delivery, { outcome: 'refused' }>,
  code: string,
  id: string,
): HubError {
  const body = delivery.answer.body as { code?: string } | null;
  if (delivery.answer.status === 404 && body?.code === 'HUB_ERR_NOT_FOUND')
    return new HubError('HUB_ERR_NOT_FOUND', {
      what: scope.lang === 'en' ? 'catalog resource' : '目录资源',
      id: code,
    });
  return new HubError(
    'HUB_ERR_CASCADE_ROUTE_REFUSED',
    { hop, status: delivery.answer.status, code: body?.code ?? '-' },
    { hop: delivery.answer.body, application: id },
  );
}

/** Routed applications of the caller's organisation (all for admins and auditors), one newest-first page. */
export async function routedPage(scope: WorkflowScope, query: ApplicationQuery) {
  const { caller } = scope;
  let select = scope.hub.store.db.selectFrom('cascade_routed_applications').selectAll();
  if (query.as === 'applicant' || !(caller.roles.includes('admin') || caller.roles.includes('auditor')))
    select = select.where('applicant_org', '=', caller.orgId);
  if (query.state !== undefined) select = select.where('state', '=', query.state);
  if (query.resource !== undefined) select = select.where('resource_code', '=', query.resource);
  if (query.cursor !== undefined) {
    const [at, id] = decodeCursor(query.cursor);
    select = select.where(sql<boolean>`(created_at < ${at} or (created_at = ${at} and id < ${id}))`);
  }
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return rows.map(routedView);
}

/**
 * Merges one page of local applications with the routed ones: both are ordered by (createdAt, id)
 * from the same cursor, so the first `limit` of the two together are the page.
 */
export function mergePages<
  L extends { createdAt: string; id: string },
  R extends { createdAt: string; id: string },
>(local: { items: L[]; next?: string }, routed: R[], limit: number): { items: (L | R)[]; next?: string } {
  const all = [...local.items, ...routed].sort((a, b) =>
    a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
  );
  const items = all.slice(0, limit);
  const last = items[items.length - 1];
  const more = all.length > limit || local.next !== undefined;
  return { items, ...(more && last ? { next: encodeCursor(last.createdAt, last.id) } : {}) };
}
