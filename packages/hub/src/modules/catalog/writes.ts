import { signReceipt, type BatchReceiptItem, type Issue } from '@minjiang/standards';
import { HubError, renderHubError } from '../../errors.js';
import { etagOf, prepareEntry, validationError, type Conditions } from './entries.js';
import type { Answer } from './idempotency.js';
import { writeEntries, type Outcome, type WriteItem, type WriteScope } from './service.js';

/** Where a resource lives; its code holds a "/" and travels percent-encoded. */
export function resourcePath(code: string): string {
  return `/api/v1/catalog/resources/${encodeURIComponent(code)}`;
}

/**
 * `PUT /catalog/resources/{code}`: validate, normalise, then create, update or report unchanged;
 * answers with the new ETag and a signed receipt.
 */
export async function putResource(
  scope: WriteScope,
  pathCode: string,
  body: unknown,
  conditions: Conditions,
): Promise<Answer> {
  const prepared = prepareEntry(body, scope.lang, scope.now);
  if (!prepared.ok) throw validationError(prepared.issues);
  const { entry } = prepared;
  if (entry.code !== pathCode) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: `the code in the path (${pathCode}) differs from the code in the body (${entry.code})`,
    });
  }
  const [outcome] = await writeEntries(scope, [{ index: 0, entry, conditions }]);
  if (!outcome) throw new HubError('HUB_ERR_INTERNAL');
  if (outcome.result === 'failed') throw outcome.error;
  const { result, version, status, contentHash } = outcome;
  const { hubCode } = scope.app.hub.config;
  const receipt = signReceipt(scope.app.hub.key, {
    v: 1,
    hub: hubCode,
    code: entry.code,
    version,
    contentHash,
    status,
    time: scope.now.toISOString(),
  });
  const etag = etagOf(version, contentHash);
  return {
    status: result === 'created' ? 201 : 200,
    headers: { etag, ...(result === 'created' ? { location: resourcePath(entry.code) } : {}) },
    body: { code: entry.code, result, version, status, contentHash, etag, warnings: entry.warnings, receipt },
  };
}

/** The entries of a batch request, or a 400/413 that says what is wrong with the envelope. */
function batchEntries(body: unknown, limit: number): unknown[] {
  const entries =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? (body as { entries?: unknown }).entries
      : undefined;
  if (!Array.isArray(entries)) {
    throw new HubError('HUB_ERR_BAD_REQUEST', {
      detail: 'the body must be an object { "entries": [ ... ] }',
    });
  }
  const extra = Object.keys(body as object).filter((key) => key !== 'entries' && key !== 'conditions');
  if (extra.length > 0)
    throw new HubError('HUB_ERR_BAD_REQUEST', { detail: `unknown member ${extra.join(', ')}` });
  if (entries.length === 0) throw new HubError('HUB_ERR_BAD_REQUEST', { detail: 'entries is empty' });
  if (entries.length > limit) throw new HubError('HUB_ERR_BATCH_TOO_LARGE', { count: entries.length, limit });
  return entries;
}

const badConditions = (detail: string) => new HubError('HUB_ERR_BAD_REQUEST', { detail });

function conditionOf(code: string, raw: unknown): Conditions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw badConditions(`conditions["${code}"] must be an object { ifMatch?, ifNoneMatch? }`);
  const conditions: Conditions = {};
  for (const [name, value] of Object.entries(raw)) {
    if ((name !== 'ifMatch' && name !== 'ifNoneMatch') || typeof value !== 'string' || value.length > 200)
      throw badConditions(`conditions["${code}"].${name} must be ifMatch or ifNoneMatch, a string`);
    conditions[name] = value;
  }
  return conditions;
}

/**
 * The per-entry preconditions of a batch, `{ "<code>": { ifMatch | ifNoneMatch } }`: the batch
 * form of a PUT's If-Match / If-None-Match, so a client can send many conditional writes at once
 * and a concurrent edit fails only its own entry (412). A code that no entry carries is a 400:
 * a precondition that silently applies to nothing would hide the client's mistake.
 */
function batchConditions(body: unknown, entries: unknown[]): Map<string, Conditions> {
  const raw = (body as { conditions?: unknown }).conditions;
  const found = new Map<string, Conditions>();
  if (raw === undefined) return found;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw badConditions('conditions must be an object keyed by resource code');
  const codes = new Set(entries.map((entry) => (entry as { code?: unknown } | null)?.code));
  for (const [code, value] of Object.entries(raw)) {
    if (!codes.has(code)) throw badConditions(`conditions names ${code}, which no entry has`);
    found.set(code, conditionOf(code, value));
  }
  return found;
}

/** Validates every entry; the bad ones and the repeated codes fail on their own. */
function prepareBatch(
  scope: WriteScope,
  entries: unknown[],
  conditions: Map<string, Conditions>,
): { items: WriteItem[]; failed: Outcome[] } {
  const items: WriteItem[] = [];
  const failed: Outcome[] = [];
  const first = new Map<string, number>();
  entries.forEach((raw, index) => {
    const prepared = prepareEntry(raw, scope.lang, scope.now);
    if (!prepared.ok) {
      failed.push({ index, code: prepared.code, result: 'failed', error: validationError(prepared.issues) });
      return;
    }
    const { code } = prepared.entry;
    const earlier = first.get(code);
    if (earlier !== undefined) {
      const detail = `${code} already appears at index ${earlier} of this batch`;
      failed.push({ index, code, result: 'failed', error: new HubError('HUB_ERR_CONFLICT', { detail }) });
      return;
    }
    first.set(code, index);
    const condition = conditions.get(code);
    items.push({ index, entry: prepared.entry, ...(condition ? { conditions: condition } : {}) });
  });
  return { items, failed };
}

function itemAnswer(scope: WriteScope, outcome: Outcome) {
  if (outcome.result !== 'failed') {
    return { ...outcome, etag: etagOf(outcome.version, outcome.contentHash) };
  }
  const { error } = outcome;
  const { message, hint } = renderHubError(error.code, error.params, scope.lang);
  const issues = error.details?.issues as Issue[] | undefined;
  return {
    index: outcome.index,
    ...(outcome.code !== null ? { code: outcome.code } : {}),
    result: 'failed' as const,
    error: { code: error.code, status: error.statusCode, message, hint, ...(issues ? { issues } : {}) },
  };
}

/**
 * `POST /catalog/resources:batch`: every entry is judged and written on its own terms (a bad
 * one, or one whose precondition fails, never blocks or half-writes the others); 200 when all
 * were accepted, 207 otherwise. One signed receipt lists every accepted entry.
 */
export async function applyBatch(scope: WriteScope, body: unknown): Promise<Answer> {
  const entries = batchEntries(body, scope.app.hub.config.batchLimit);
  const { items, failed } = prepareBatch(scope, entries, batchConditions(body, entries));
  const written = await writeEntries(scope, items);
  const outcomes = [...failed, ...written].sort((a, b) => a.index - b.index);
  const summary = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const accepted: BatchReceiptItem[] = [];
  for (const outcome of outcomes) {
    summary[outcome.result] += 1;
    if (outcome.result !== 'failed') {
      const { code, version, contentHash, status, result } = outcome;
      accepted.push({ code, version, contentHash, status, result });
    }
  }
  const receipt =
    accepted.length > 0
      ? signReceipt(scope.app.hub.key, {
          v: 1,
          hub: scope.app.hub.config.hubCode,
          time: scope.now.toISOString(),
          items: accepted,
        })
      : undefined;
  return {
    status: summary.failed === 0 ? 200 : 207,
    body: { summary, items: outcomes.map((o) => itemAnswer(scope, o)), ...(receipt ? { receipt } : {}) },
  };
}
