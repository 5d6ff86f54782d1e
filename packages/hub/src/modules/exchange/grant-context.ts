/**
 * The grant a call claims, checked against the call (exchange.md §8.3 step 5): active, within its
 * period, for this client, this purpose and this service. The grant row is read on every call,
 * so suspension and revocation take effect on the next one; what follows from the grant's fixed
 * terms (field names, masking plan, row filter) is compiled once and cached.
 */
import type { Selectable } from 'kysely';
import type { GrantTable } from '../../db/schema-sharing.js';
import type { HubContext } from '../../plugins/store.js';
import { parseRowFilter, publishedResource, type PublishedResource } from '../sharing/resource-terms.js';
import { SesError } from './ses-error.js';

/**
 * A grant as a call reads it: every column but the signed envelope, which only compiling the
 * terms needs (read then, once per grant) and which was a quarter of the call's read.
 */
export type GrantRow = Omit<Selectable<GrantTable>, 'envelope'>;

/** A granted field: its technical name (what clients use) and item name (how rows are stored). */
export interface GrantedField {
  field: string;
  item: string;
}

/** What the grant's fixed terms mean for every call under it. */
export interface CompiledGrant {
  resource: PublishedResource;
  /** The grant's target service, as it appears in `/ses/r1/{service}/…`. */
  service: string;
  fields: GrantedField[];
  byField: ReadonlyMap<string, GrantedField>;
  /** Key items in item order, and whether each is granted (a lookup may use only granted ones). */
  keyItems: string[];
  rowFilter: { item: string; values: string[] } | undefined;
}

/** The call's claims, from its headers. */
export interface CallClaims {
  client: string;
  grant: string;
  purpose: string;
  service: string;
}

const compiled = new Map<string, CompiledGrant>();

function technicalNames(resource: PublishedResource, items: string[]): GrantedField[] {
  return items.map((item) => {
    const index = resource.items.findIndex((candidate) => candidate.name === item);
    return { item, field: resource.items[index]?.technicalName ?? `item_${index + 1}` };
  });
}

async function compile(hub: HubContext, grant: GrantRow): Promise<CompiledGrant> {
  const cached = compiled.get(grant.id);
  if (cached) return cached;
  const resource = await publishedResource(
    hub.store.db,
    'en',
    grant.resource_code,
    Number(grant.resource_version),
  );
  const fields = technicalNames(resource, JSON.parse(grant.items) as string[]);
  const { envelope: signed } = await hub.store.reader
    .selectFrom('grants')
    .select('envelope')
    .where('id', '=', grant.id)
    .executeTakeFirstOrThrow();
  const envelope = JSON.parse(signed) as { payload: string };
  const document = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { target: string };
  const result: CompiledGrant = {
    resource,
    service: document.target,
    fields,
    byField: new Map(fields.map((field) => [field.field, field])),
    keyItems: resource.items.filter((item) => item.isKey).map((item) => item.name),
    rowFilter: grant.row_filter === null ? undefined : parseRowFilter(resource, grant.row_filter),
  };
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(grant.id, result);
  return result;
}

/** The terms of a grant compiled by an earlier call, if any (nothing is read or checked). */
export function knownTerms(grantId: string): CompiledGrant | undefined {
  return compiled.get(grantId);
}

/** The grant of a call, checked; refusals in the order of exchange.md §8.3 step 5. */
export async function checkGrant(
  hub: HubContext,
  call: { claims: CallClaims; keyGrant: string; claimedGrant: GrantRow | null },
  now: Date,
) {
  const { claims, keyGrant: appKeyGrant, claimedGrant: grant } = call;
  if (!grant) throw new SesError('HUB.GRANT_NONE', 'unknown grant');
  if (appKeyGrant !== grant.id)
    throw new SesError('HUB.GRANT_NONE', 'the signing key belongs to another grant');
  const client = claims.client;
  if (client !== grant.assignee_org && !client.startsWith(`${grant.assignee_org}/`))
    throw new SesError('HUB.GRANT_NONE', 'the client is not the grant’s assignee');
  if (grant.status === 'suspended') throw new SesError('HUB.GRANT_SUSPENDED');
  const at = now.toISOString();
  if (grant.status !== 'active' || at > grant.valid_to) throw new SesError('HUB.GRANT_EXPIRED');
  if (at < grant.valid_from) throw new SesError('HUB.GRANT_EXPIRED', `valid from ${grant.valid_from}`);
  if (claims.purpose !== grant.purpose_code) throw new SesError('HUB.PURPOSE_MISMATCH');
  const terms = await compile(hub, grant);
  if (claims.service !== terms.service && claims.service !== '')
    throw new SesError('HUB.GRANT_NONE', 'the path is not the grant’s service');
  return { grant, terms };
}

/** Granted fields for a projection (`fields=`), or all of them; refuses any other. */
export function projection(terms: CompiledGrant, asked: string | undefined): GrantedField[] {
  if (asked === undefined || asked === '') return terms.fields;
  return asked.split(',').map((name) => {
    const field = terms.byField.get(name.trim());
    if (!field) throw new SesError('HUB.FIELD_NOT_GRANTED', name.trim());
    return field;
  });
}
