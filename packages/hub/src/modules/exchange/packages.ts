/**
 * File packages under PACKAGE grants (exchange.md §8.8): the hub builds an `ses-bag` of the
 * granted, masked rows within the row filter, signs it, keeps it for download by the grant's
 * recipient, and records every build, download and receipt before anything leaves.
 */
import { buildPackage, sm3Digest, type MaskingPlanEntry, type PackageField } from '@minjiang/standards';
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { chinaDay } from '../governance/calendar.js';
import { takeNumbers } from '../governance/problems.js';
import { authenticate, type AuthenticatedCall } from './authenticate.js';
import { leafOf, planOf, rateHeaders, release, type SesAnswer } from './calls.js';
import { checkGrant, type CompiledGrant, type GrantRow } from './grant-context.js';
import { recordCall, takeRate } from './release.js';
import { findRows } from './rows.js';
import { SesError } from './ses-error.js';

/** Days a built package stays downloadable. */
const KEEP_DAYS = 7;

async function* grantedRows(hub: HubContext, grant: GrantRow, terms: CompiledGrant) {
  const plan = planOf(grant, terms);
  let cursor: string | undefined;
  do {
    const page = await findRows(hub, terms, new Map(), { limit: 500, cursor });
    for (const row of page.rows) {
      const masked = release(hub, grant, plan, terms.fields, row);
      yield terms.fields.map(({ field }) => masked[field] ?? '');
    }
    cursor = page.next;
  } while (cursor !== undefined);
}

const DESCRIBED = new Set(['keep-first-1', 'keep-6-4', 'keep-1-1', 'keep-3-4', 'keep-4-2', 'keep-4-4']);

/** A field's `ses:pii` / `ses:masking` in the package descriptor's vocabulary, where one fits. */
function piiOf(entry: MaskingPlanEntry | undefined): Partial<PackageField> {
  if (!entry?.type || entry.type === 'sensitive' || entry.rule.kind === 'none') return {};
  const { rule } = entry;
  if (rule.kind === 'pseudonym') return { 'ses:pii': 'pseudonym', 'ses:pseudonymKey': 'recipient' };
  const pii = { 'ses:pii': entry.type };
  if (rule.kind === 'keep') {
    const name = rule.front === 1 && rule.end === 0 ? 'keep-first-1' : `keep-${rule.front}-${rule.end}`;
    return DESCRIBED.has(name) ? { ...pii, 'ses:masking': name } : pii;
  }
  if (rule.kind === 'address')
    return { ...pii, 'ses:masking': rule.upTo === 'county' ? 'generalise-county' : 'generalise-town' };
  if (rule.kind === 'email') return { ...pii, 'ses:masking': 'email-first-1' };
  if (rule.kind === 'drop') return { ...pii, 'ses:masking': 'drop' };
  return pii;
}

function tableOf(grant: GrantRow, terms: CompiledGrant) {
  const plan = planOf(grant, terms);
  const fields: PackageField[] = terms.fields.map(({ field, item }) => {
    const entry = plan.entries.find((candidate) => candidate.key === field);
    return {
      name: field,
      type: 'string',
      title: item,
      ...piiOf(entry),
      ...(entry?.pattern ? { constraints: { pattern: entry.pattern } } : {}),
    };
  });
  return {
    name: `r${terms.resource.code.replace('/', '-').toLowerCase()}`,
    title: terms.resource.name,
    fields,
  };
}

async function packageGrant(hub: HubContext, request: FastifyRequest, body: Buffer | undefined) {
  const now = hub.now();
  const call = await authenticate(hub, request, body, '');
  const checked = await checkGrant(hub, call, now);
  if (checked.grant.mode !== 'PACKAGE')
    throw new SesError('HUB.GRANT_NONE', `the grant is for ${checked.grant.mode}, not packages`);
  return { now, call, ...checked };
}

function record(
  call: AuthenticatedCall,
  grant: GrantRow,
  type: 'pkg.build' | 'pkg.download' | 'pkg.receipt',
  id: string,
  res: { http: number; bodyHash?: string; records?: number; bytes?: number },
) {
  const { http, bodyHash, records, bytes } = res;
  const leaf = leafOf(call, grant, '', {
    package: id,
    res: { bodyHash, bytes, code: '0', http, masking: grant.masking, records },
  });
  return {
    type,
    keyid: call.params.keyid,
    nonce: call.params.nonce,
    grant,
    cost: 1,
    leaf,
  };
}

/** `POST /ses/r1/packages`: builds and keeps the package; answers where to download it. */
export async function createPackage(
  hub: HubContext,
  request: FastifyRequest,
  body: Buffer | undefined,
): Promise<SesAnswer> {
  const { now, call, grant, terms } = await packageGrant(hub, request, body);
  takeRate(grant, now);
  const year = chinaDay(now).slice(0, 4);
  const n = await hub.store.db.transaction().execute((trx) => takeNumbers(trx, `pkg:${year}`, 1));
  const id = `urn:ses:pkg:${hub.config.hubCode}:${year}:${n}`;
  const expires = new Date(now.getTime() + KEEP_DAYS * 86_400_000);
  const built = await buildPackage({
    id,
    grant: grant.id,
    recipient: grant.assignee_org,
    dataset: `urn:ses:ds:${grant.assigner_org.slice(0, 6)}:${terms.resource.providerUscc}:${terms.resource.code}`,
    masking: grant.masking,
    sourceOrganisation: terms.resource.providerName,
    created: now,
    expires,
    table: tableOf(grant, terms),
    rows: grantedRows(hub, grant, terms),
    signers: [hub.key],
  });
  const data = {
    id,
    digest: built.digest,
    bytes: built.bytes,
    rows: built.rows,
    expiresAt: expires.toISOString(),
    download: `/ses/r1/packages/${id}`,
  };
  const text = JSON.stringify({
    code: '0',
    msg: '成功',
    requestId: call.claims.requestId,
    data,
    meta: { grant: grant.id, masking: grant.masking, records: built.rows },
  });
  await hub.store.db
    .insertInto('ses_packages')
    .values({
      id,
      grant_id: grant.id,
      recipient: grant.assignee_org,
      body: built.zip,
      signature: JSON.stringify(built.signature),
      digest: built.digest,
      bytes: built.bytes,
      rows: built.rows,
      status: 'built',
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
      completed_at: null,
    })
    .execute();
  const recorded = record(call, grant, 'pkg.build', id, {
    http: 201,
    bodyHash: built.digest,
    records: built.rows,
    bytes: built.bytes,
  });
  // Unrecorded, the package must not stay behind for a later download.
  const used = await recordCall(hub, recorded, now).catch(async (error: unknown) => {
    await hub.store.db.deleteFrom('ses_packages').where('id', '=', id).execute();
    throw error;
  });
  return {
    status: 201,
    body: text,
    headers: {
      'ses-request-id': call.claims.requestId,
      'ses-masking': grant.masking,
      ...rateHeaders(grant, used, now),
    },
  };
}

async function ownPackage(hub: HubContext, grant: GrantRow, id: string, now: Date) {
  const row = await hub.store.db
    .selectFrom('ses_packages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.grant_id !== grant.id)
    throw new SesError('HUB.GRANT_NONE', 'no such package under this grant');
  if (row.expires_at < now.toISOString()) throw new SesError('HUB.GRANT_EXPIRED', 'the package has expired');
  return row;
}

/** `GET /ses/r1/packages/{id}`: the zip, to the grant's recipient, recorded before it is sent. */
export async function downloadPackage(hub: HubContext, request: FastifyRequest, id: string) {
  const { now, call, grant } = await packageGrant(hub, request, undefined);
  takeRate(grant, now);
  const row = await ownPackage(hub, grant, id, now);
  const body = Buffer.from(row.body);
  await recordCall(
    hub,
    record(call, grant, 'pkg.download', id, {
      http: 200,
      bodyHash: sm3Digest(body),
      records: Number(row.rows),
      bytes: body.length,
    }),
    now,
  );
  if (row.status === 'built')
    await hub.store.db
      .updateTable('ses_packages')
      .set({ status: 'downloaded' })
      .where('id', '=', id)
      .execute();
  return {
    body,
    signature: row.signature,
    requestId: call.claims.requestId,
    fileName: `${id.replace(/:/g, '_')}.ses.zip`,
  };
}

/** `POST /ses/r1/packages/{id}/receipt` `{ digest }`: the recipient confirms what it received. */
export async function receivePackage(
  hub: HubContext,
  request: FastifyRequest,
  id: string,
  body: Buffer | undefined,
): Promise<SesAnswer> {
  const { now, call, grant } = await packageGrant(hub, request, body);
  const row = await ownPackage(hub, grant, id, now);
  let digest: unknown;
  try {
    digest = (JSON.parse(body?.toString('utf8') ?? '') as { digest?: unknown }).digest;
  } catch {
    throw new SesError('CLI.BAD_REQUEST', 'the body is { "digest": "sm3:…" }');
  }
  if (digest !== row.digest)
    throw new SesError('CLI.BAD_REQUEST', `the digest is not the package's (${row.digest})`);
  await recordCall(hub, record(call, grant, 'pkg.receipt', id, { http: 200 }), now);
  await hub.store.db
    .updateTable('ses_packages')
    .set({ status: 'completed', completed_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  const text = JSON.stringify({
    code: '0',
    msg: '成功',
    requestId: call.claims.requestId,
    data: { id, status: 'completed' },
  });
  return { status: 200, body: text, headers: { 'ses-request-id': call.claims.requestId } };
}
