import { randomBytes } from 'node:crypto';
import { canonicalJson, sm3Digest } from '@minjiang/standards';
import type { Kysely } from 'kysely';
import { hubOrganisationId } from '../../bootstrap.js';
import type { Database } from '../../db/schema.js';
import type { AuditEvent, ExchangeLeaf } from './log.js';

/** The audit/leaf-1.0 members the hub writes today (the schema has more, for exchanges). */
export interface AuditLeaf {
  v: 1;
  hub: string;
  ts: string;
  type: string;
  result: 'success' | 'failure';
  errorCode?: string;
  actor: { org: string; role: 'admin' | 'auditor' | 'operator' | 'system' };
  object?: string;
  catalog?: { object: string; version: number; change: 'Create' | 'Update' | 'Delete'; digest: string };
  toState?: string;
  /** Exchange calls, verifications and packages (exchange.md §8.6): PII-free by construction. */
  client?: string;
  provider?: string;
  service?: string;
  grant?: string;
  purpose?: string;
  issue?: string;
  user?: string;
  /** Hubs a relayed call passed through before this one, in hop order (docs/cascade-relay.md). */
  via?: string[];
  req?: { id: string; sigHash: string; bodyHash?: string };
  res?: {
    http: number;
    code: string;
    bodyHash?: string;
    records?: number;
    bytes?: number;
    fields?: string[];
    masking?: string;
  };
  subjects?: string[];
  package?: string;
  /** SM3 digest of the evidence bundle: the leaf commits to the full event without holding it. */
  evidence: string;
}

/** The full event, salted, kept beside the leaf; `sm3Digest(bundle)` is the leaf's `evidence`. */
export interface EvidenceBundle {
  salt: string;
  event: AuditEvent;
}

/** A sealed event: the leaf bytes and the evidence bytes, both JCS. */
export interface SealedEvent {
  leaf: string;
  evidence: string;
}

/** Catalog actions and the state the version is in afterwards. */
const CATALOG_STATES: Record<string, string> = {
  create: 'DRAFT',
  update: 'DRAFT',
  submit: 'SUBMITTED',
  approve: 'PUBLISHED',
  reject: 'REJECTED',
  withdraw: 'WITHDRAWN',
};

const leafTypes = new Map<string, string>();

/**
 * The leaf type: a fixed type of the standard as is (`catalog.change`), or a family
 * (`admin`, `app`) with the action in snake case (`admin.token_issue`), as the schema asks.
 */
export function leafType(event: AuditEvent): string {
  if (event.type.includes('.')) return event.type;
  const name = `${event.type}\n${event.action}`;
  let type = leafTypes.get(name);
  if (type === undefined) {
    const action = event.action
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    type = `${event.type}.${action}`.slice(0, 48);
    // The families and actions are the hub's own few dozen words; the bound is only a guard.
    if (leafTypes.size > 1_000) leafTypes.clear();
    leafTypes.set(name, type);
  }
  return type;
}

/** GB/T 39477 three roles: the administrator, the auditor, and everyone else as an operator. */
function leafActor(event: AuditEvent, hubCode: string): AuditLeaf['actor'] {
  if ('system' in event.actor) return { org: hubOrganisationId(hubCode), role: 'system' };
  const { roles, orgId } = event.actor;
  const role = roles.includes('admin') ? 'admin' : roles.includes('auditor') ? 'auditor' : 'operator';
  return { org: orgId ?? hubOrganisationId(hubCode), role };
}

function catalogChange(
  event: AuditEvent,
  hubCode: string,
  owners: ReadonlyMap<string, string>,
): Pick<AuditLeaf, 'catalog' | 'toState'> {
  const code = event.object ?? '';
  const uscc = owners.get(code);
  const { version, contentHash } = (event.detail ?? {}) as { version?: unknown; contentHash?: unknown };
  const toState = CATALOG_STATES[event.action];
  return {
    ...(uscc && typeof version === 'number' && typeof contentHash === 'string'
      ? {
          catalog: {
            // The standard's change is per version (AUD-005): every step of version 1 is its Create.
            change: version === 1 ? ('Create' as const) : ('Update' as const),
            digest: contentHash,
            object: `urn:ses:ds:${hubCode}:${uscc}:${code}`,
            version,
          },
        }
      : {}),
    ...(toState ? { toState } : {}),
  };
}

/** AUD-001: a failure names its error code, as `HUB.<NAME>` (from `detail.code`, e.g. HUB_ERR_X). */
function errorCode(event: AuditEvent): Pick<AuditLeaf, 'errorCode'> {
  if (event.result !== 'failure') return {};
  const code = event.detail?.code;
  const name =
    typeof code === 'string'
      ? code
          .replace(/^HUB_ERR_/, '')
          .toUpperCase()
          .replace(/\W/g, '_')
      : '';
  return { errorCode: /^[A-Z][A-Z0-9_]{1,62}$/.test(name) ? `HUB.${name}` : 'HUB.FAILED' };
}

/** Salts are cut from a pool: one call for random bytes costs as much as 256 salts drawn at once. */
const SALT_BYTES = 16;
let saltPool = Buffer.alloc(0);
let saltOffset = 0;

function salt(): string {
  if (saltOffset + SALT_BYTES > saltPool.length) {
    saltPool = randomBytes(SALT_BYTES * 256);
    saltOffset = 0;
  }
  saltOffset += SALT_BYTES;
  return saltPool.toString('hex', saltOffset - SALT_BYTES, saltOffset);
}

/** Every member named, undefined where absent: a new leaf member cannot be forgotten here. */
type EveryMember<T> = { [K in keyof Required<T>]: T[K] | undefined };

/**
 * Builds an event's leaf and evidence bundle. Members are written in JCS order (undefined ones
 * are left out by the writer) so `canonicalJson` takes its native path; exchange callers build
 * `req`, `res` and the event in that order too. Out of order only costs time, never bytes.
 * `owners` maps resource codes to owner USCCs.
 */
export function sealEvent(
  event: AuditEvent,
  context: { hubCode: string; time: string; owners: ReadonlyMap<string, string> },
): SealedEvent {
  const evidence = canonicalJson({ event, salt: salt() } satisfies EvidenceBundle);
  const type = leafType(event);
  const change = type === 'catalog.change' ? catalogChange(event, context.hubCode, context.owners) : {};
  const exchange: ExchangeLeaf = event.exchange ?? {};
  const leaf: EveryMember<AuditLeaf> = {
    actor: leafActor(event, context.hubCode),
    catalog: change.catalog,
    client: exchange.client,
    errorCode: errorCode(event).errorCode,
    evidence: sm3Digest(evidence),
    grant: exchange.grant,
    hub: context.hubCode,
    issue: exchange.issue,
    object: event.object,
    package: exchange.package,
    provider: exchange.provider,
    purpose: exchange.purpose,
    req: exchange.req,
    res: exchange.res,
    result: event.result,
    service: exchange.service,
    subjects: exchange.subjects,
    toState: change.toState,
    ts: context.time,
    type,
    user: exchange.user,
    v: 1,
    via: exchange.via,
  };
  return { leaf: canonicalJson(leaf), evidence };
}

/** The owner USCC of each catalog resource the events change, read in the writer's transaction. */
export async function catalogOwners(
  trx: Kysely<Database>,
  events: readonly AuditEvent[],
): Promise<Map<string, string>> {
  const codes = [
    ...new Set(events.filter((e) => e.type === 'catalog.change' && e.object).map((e) => e.object as string)),
  ];
  const owners = new Map<string, string>();
  for (let start = 0; start < codes.length; start += 500) {
    const rows = await trx
      .selectFrom('catalog_resources')
      .innerJoin('organisations', 'organisations.id', 'catalog_resources.org_id')
      .select(['catalog_resources.code', 'organisations.uscc'])
      .where('catalog_resources.code', 'in', codes.slice(start, start + 500))
      .execute();
    for (const row of rows) owners.set(row.code, row.uscc);
  }
  return owners;
}

/** The index columns an event gives its entry; verification recomputes them from the bundle. */
export function indexColumns(event: AuditEvent) {
  return {
    actor: 'system' in event.actor ? `system:${event.actor.system}` : event.actor.tokenId,
    org_id: 'system' in event.actor ? null : event.actor.orgId,
    action: `${event.type}.${event.action}`,
    object: event.object ?? null,
    result: event.result,
  };
}
