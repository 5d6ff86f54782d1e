/**
 * Verification-only calls (核验, exchange.md §8.3): the consumer sends values, the hub answers
 * MATCH / MISMATCH / NOT_FOUND per subject and per field — never a value. The audit leaf keeps
 * the subjects as HMAC-SM3 pseudonyms under a hub-held key.
 */
import { createHmac } from 'node:crypto';
import { sm3Digest } from '@minjiang/standards';
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../../plugins/store.js';
import { authenticate } from './authenticate.js';
import { leafOf, rateHeaders, type SesAnswer } from './calls.js';
import { checkGrant, type CompiledGrant } from './grant-context.js';
import { recordCall, takeRate } from './release.js';
import { findRows } from './rows.js';
import { SesError } from './ses-error.js';

const MAX_SUBJECTS = 100;

type Subject = Record<string, unknown> & { ref: string };
type Verdict = 'MATCH' | 'MISMATCH' | 'NOT_FOUND';

function subjectsOf(body: Buffer | undefined): Subject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') ?? '');
  } catch {
    throw new SesError('CLI.BAD_REQUEST', 'the body is not JSON');
  }
  const subjects = (parsed as { subjects?: unknown } | null)?.subjects;
  if (!Array.isArray(subjects) || subjects.length === 0 || subjects.length > MAX_SUBJECTS)
    throw new SesError('CLI.BAD_REQUEST', `subjects: 1–${MAX_SUBJECTS} objects`);
  return subjects.map((subject: unknown, index) => {
    const ref = (subject as { ref?: unknown } | null)?.ref;
    if (typeof subject !== 'object' || subject === null || typeof ref !== 'string')
      throw new SesError('CLI.BAD_REQUEST', `subjects[${index}] needs a string ref`);
    return subject as Subject;
  });
}

/** The subject's values as item name → value; every field granted, every key item given. */
function valuesOf(terms: CompiledGrant, subject: Subject): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(subject)) {
    if (name === 'ref') continue;
    const field = terms.byField.get(name);
    if (!field) throw new SesError('HUB.FIELD_NOT_GRANTED', name);
    if (typeof value !== 'string') throw new SesError('CLI.BAD_REQUEST', `${name} must be a string`);
    values.set(field.item, value.trim());
  }
  if (terms.keyItems.length === 0 || !terms.keyItems.every((item) => values.has(item)))
    throw new SesError('CLI.BAD_REQUEST', `each subject gives the key items: ${terms.keyItems.join(', ')}`);
  return values;
}

function same(stored: string | undefined, given: string): boolean {
  return (stored ?? '').trim().toUpperCase() === given.toUpperCase();
}

async function judge(hub: HubContext, terms: CompiledGrant, values: Map<string, string>) {
  const keys = new Map(terms.keyItems.map((item) => [item, values.get(item) ?? '']));
  const [row] = (await findRows(hub, terms, keys, { limit: 1 })).rows;
  const fields: Record<string, 'MATCH' | 'MISMATCH' | 'NOT_VERIFIED'> = {};
  for (const [item, value] of values) {
    const field = terms.fields.find((candidate) => candidate.item === item)!.field;
    fields[field] = row ? (same(row[item], value) ? 'MATCH' : 'MISMATCH') : 'NOT_VERIFIED';
  }
  const verdict: Verdict = !row
    ? 'NOT_FOUND'
    : Object.values(fields).every((v) => v === 'MATCH')
      ? 'MATCH'
      : 'MISMATCH';
  return { verdict, fields };
}

/** `hmac-sm3:<b64>` of "field:value" for each key value: who was checked, without the values. */
function pseudonyms(hub: HubContext, terms: CompiledGrant, all: Map<string, string>[]): string[] {
  const key = hub.key.derive('subjects');
  const names = new Set<string>();
  for (const values of all)
    for (const item of terms.keyItems) {
      const field = terms.fields.find((candidate) => candidate.item === item)?.field ?? item;
      names.add(
        `hmac-sm3:${createHmac('sm3', key)
          .update(`${field}:${values.get(item) ?? ''}`)
          .digest('base64')}`,
      );
    }
  return [...names].slice(0, 1000);
}

/** `POST /ses/r1/{service}/verify`. */
export async function verifySubjects(
  hub: HubContext,
  request: FastifyRequest,
  body: Buffer | undefined,
  service: string,
): Promise<SesAnswer> {
  const now = hub.now();
  const call = await authenticate(hub, request, body, service);
  const { grant, terms } = await checkGrant(hub, call, now);
  if (grant.mode !== 'VERIFY')
    throw new SesError('HUB.GRANT_NONE', `the grant is for ${grant.mode}, not verification`);
  const subjects = subjectsOf(body);
  const values = subjects.map((subject) => valuesOf(terms, subject));
  takeRate(grant, now);
  const results = [];
  for (const [index, subject] of subjects.entries())
    results.push({ ref: subject.ref, ...(await judge(hub, terms, values[index]!)) });
  const text = JSON.stringify({
    code: '0',
    msg: '成功',
    requestId: call.claims.requestId,
    data: { results },
    meta: { grant: grant.id, records: results.length },
  });
  const res = {
    bodyHash: sm3Digest(text),
    bytes: Buffer.byteLength(text),
    code: '0',
    http: 200,
    records: results.length,
  };
  const leaf = leafOf(call, grant, terms.service, { res, subjects: pseudonyms(hub, terms, values) });
  const used = await recordCall(
    hub,
    {
      type: 'verify.call',
      keyid: call.params.keyid,
      nonce: call.params.nonce,
      grant,
      cost: subjects.length,
      leaf,
    },
    now,
  );
  return {
    status: 200,
    body: text,
    headers: { 'ses-request-id': call.claims.requestId, ...rateHeaders(grant, used, now) },
  };
}
