/**
 * Query and verification calls under a grant: authenticate, check the grant, project to granted
 * fields, keep to the row filter, mask, and record the call before the answer leaves.
 */
import { applyMasking, maskingPlan, sm3Digest, type MaskingPlan } from '@minjiang/standards';
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { authenticate, type AuthenticatedCall } from './authenticate.js';
import {
  checkGrant,
  knownTerms,
  projection,
  type CompiledGrant,
  type GrantedField,
  type GrantRow,
} from './grant-context.js';
import { recordCall, secondsToChinaMidnight, takeRate, type CallRecord } from './release.js';
import type { ExchangeLeaf } from '../audit/log.js';
import type { RowProbe } from './call-context.js';
import { exactKey, findRows } from './rows.js';
import { SesError } from './ses-error.js';

/** An answer ready to send: the JSON text (hashed into the audit leaf) and its headers. */
export interface SesAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const RESERVED = new Set(['fields', 'limit', 'cursor']);
const plans = new Map<string, MaskingPlan>();

export function planOf(grant: GrantRow, terms: CompiledGrant): MaskingPlan {
  const key = `${grant.id}:${grant.masking}`;
  let plan = plans.get(key);
  if (!plan) {
    const items = terms.fields.map(({ item, field }) => {
      const source = terms.resource.items.find((candidate) => candidate.name === item);
      return { name: item, technicalName: field, check: source?.check, sensitive: source?.sensitive };
    });
    plan = maskingPlan(grant.masking, items);
    if (plans.size > 10_000) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

const recipientKeys = new Map<string, string>();

/** The recipient's pseudonym key, derived once per organisation rather than once per row. */
function recipientKeyOf(hub: HubContext, org: string): string {
  const id = `${hub.key.keyId}\n${org}`;
  let key = recipientKeys.get(id);
  if (key === undefined) recipientKeys.set(id, (key = hub.key.derive(`recipient:${org}`)));
  return key;
}

/** A stored row (item names) as the granted fields, masked by the grant's profile. */
export function release(
  hub: HubContext,
  grant: GrantRow,
  plan: MaskingPlan,
  fields: GrantedField[],
  row: Record<string, string>,
) {
  const projected: Record<string, string> = {};
  for (const { field, item } of fields) projected[field] = row[item] ?? '';
  const recipientKey = plan.needsRecipientKey ? recipientKeyOf(hub, grant.assignee_org) : undefined;
  return applyMasking(plan, projected, recipientKey ? { recipientKey } : {});
}

function rateHeaders(grant: GrantRow, used: number, now: Date): Record<string, string> {
  if (grant.per_day === null) return {};
  const perDay = Number(grant.per_day);
  const policy = [
    `"day";q=${perDay};w=86400`,
    ...(grant.per_second === null ? [] : [`"second";q=${Number(grant.per_second)};w=1`]),
  ];
  const left = Math.max(0, perDay - used);
  return {
    'ratelimit-policy': policy.join(', '),
    ratelimit: `"day";r=${left};t=${secondsToChinaMidnight(now)}`,
  };
}

/**
 * The call's audit-leaf members, written in JCS order (undefined ones are left out), as is `res`
 * by each caller: the leaf and its evidence then take the native JSON writer (audit/leaf.ts).
 */
function leafOf(
  call: AuthenticatedCall,
  grant: GrantRow,
  service: string,
  outcome: Pick<ExchangeLeaf, 'package' | 'res' | 'subjects'>,
): CallRecord['leaf'] {
  const { claims } = call;
  return {
    client: claims.client,
    grant: grant.id,
    issue: claims.issue || undefined,
    package: outcome.package,
    provider: grant.assigner_org,
    purpose: claims.purpose,
    req: { bodyHash: call.bodyHash || undefined, id: claims.requestId, sigHash: call.sigHash },
    res: outcome.res,
    // A package grant's target is a dataset, not a service: the leaf then names no service.
    service: service || undefined,
    subjects: outcome.subjects,
    user: claims.user,
    via: claims.via,
  };
}

/** Conditions `field=value` on granted fields, as item name → value. */
function conditionsOf(terms: CompiledGrant, query: Record<string, unknown>): Map<string, string> {
  const conditions = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (RESERVED.has(name)) continue;
    const field = terms.byField.get(name);
    if (!field) throw new SesError('HUB.FIELD_NOT_GRANTED', name);
    if (typeof value !== 'string') throw new SesError('CLI.BAD_REQUEST', `${name} is given more than once`);
    conditions.set(field.item, value);
  }
  return conditions;
}

function pageLimit(value: unknown): number {
  if (value === undefined) return 100;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new SesError('CLI.BAD_REQUEST', 'limit is 1–500');
  return limit;
}

/**
 * The row a point lookup asks for, when its grant's terms are known from an earlier call: read
 * with the credential, in the same statement. Anything unusual (unknown grant, a cursor, a
 * condition that will be refused) reads nothing ahead.
 */
function probeOf(request: FastifyRequest, query: Record<string, unknown>): RowProbe | undefined {
  const grant = request.headers['ses-grant'];
  const terms = typeof grant === 'string' ? knownTerms(grant) : undefined;
  if (!terms || query.cursor !== undefined) return undefined;
  let conditions: Map<string, string>;
  try {
    conditions = conditionsOf(terms, query);
  } catch {
    return undefined;
  }
  const key = exactKey(terms, conditions);
  return key === undefined ? undefined : { resource: terms.resource.code, key };
}

/** `GET /ses/r1/{service}/rows`. */
export async function queryRows(
  hub: HubContext,
  request: FastifyRequest,
  service: string,
): Promise<SesAnswer> {
  const now = hub.now();
  const query = request.query as Record<string, unknown>;
  const call = await authenticate(hub, request, undefined, service, probeOf(request, query));
  const { grant, terms } = await checkGrant(hub, call, now);
  if (grant.mode !== 'API')
    throw new SesError('HUB.GRANT_NONE', `the grant is for ${grant.mode}, not queries`);
  const fields = projection(terms, typeof query.fields === 'string' ? query.fields : undefined);
  const conditions = conditionsOf(terms, query);
  takeRate(grant, now);
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const limit = pageLimit(query.limit);
  const page = await findRows(hub, terms, conditions, { limit, cursor, probed: call.probed });
  const plan = planOf(grant, terms);
  const rows = page.rows.map((row) => release(hub, grant, plan, fields, row));
  const names = fields.map((field) => field.field);
  const meta = { grant: grant.id, fields: names, masking: grant.masking, records: rows.length };
  const body = JSON.stringify({
    code: '0',
    msg: '成功',
    requestId: call.claims.requestId,
    data: { rows },
    page: { ...(page.next ? { next: page.next } : {}), size: rows.length },
    meta,
  });
  const res = {
    bodyHash: sm3Digest(body),
    bytes: Buffer.byteLength(body),
    code: '0',
    fields: names,
    http: 200,
    masking: grant.masking,
    records: rows.length,
  };
  const used = await recordCall(
    hub,
    {
      type: 'api.call',
      keyid: call.params.keyid,
      nonce: call.params.nonce,
      grant,
      cost: 1,
      leaf: leafOf(call, grant, terms.service, { res }),
    },
    now,
  );
  return {
    status: 200,
    body,
    headers: {
      'ses-request-id': call.claims.requestId,
      'ses-masking': grant.masking,
      ...rateHeaders(grant, used, now),
    },
  };
}

export { leafOf, rateHeaders };
