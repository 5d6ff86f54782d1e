import { randomUUID } from 'node:crypto';
import type { CatalogResource } from '@minjiang/standards';
import { PayloadTooLargeError } from './errors.js';
import { encodePath } from './path.js';
import type { Transport } from './transport.js';
import type {
  BatchAnswer,
  BatchItem,
  BatchSummary,
  EntryConditions,
  ReviewAction,
  TransitionAnswer,
} from './types.js';

/**
 * Entries per batch request. Well under the hub's default limit (1000) and body limit (8 MiB);
 * a hub configured lower answers 413 and the request is split (see `sendPart`).
 */
export const DEFAULT_BATCH_SIZE = 200;

export interface BatchOptions {
  /** Key of the first request; further requests of a chunked batch get `<key>.<n>`. */
  idempotencyKey?: string;
  /** Preconditions per entry, by code (hubs with per-entry batch conditions). */
  conditions?: Record<string, EntryConditions>;
  /** Entries per request (default 200). */
  batchSize?: number;
  signal?: AbortSignal;
}

/** One request of a batch as sent: its key, the hub's status, the codes it carried, its receipt. */
export interface BatchRequestRecord {
  idempotencyKey: string;
  status: number;
  codes: string[];
  receipt?: BatchAnswer['receipt'];
}

/** A whole batch, however many requests it took; `items[].index` is the position in the input. */
export interface BatchResult {
  summary: BatchSummary;
  items: BatchItem[];
  requests: BatchRequestRecord[];
}

function bodyOf(entries: CatalogResource[], conditions: BatchOptions['conditions']) {
  if (!conditions) return { entries };
  const own = entries.flatMap((entry) => {
    const condition = conditions[entry.code];
    return condition ? [[entry.code, condition] as const] : [];
  });
  return own.length > 0 ? { entries, conditions: Object.fromEntries(own) } : { entries };
}

function record(result: BatchResult, answer: BatchAnswer, offset: number, request: BatchRequestRecord) {
  for (const key of ['created', 'updated', 'unchanged', 'failed'] as const)
    result.summary[key] += answer.summary[key];
  result.items.push(...answer.items.map((item) => ({ ...item, index: item.index + offset })));
  result.requests.push(request);
}

/**
 * Sends one request of a batch. A 413 (more entries or bytes than this hub takes) splits the
 * request in two and sends the halves, so the client needs no knowledge of the hub's limits.
 */
async function sendPart(
  transport: Transport,
  entries: CatalogResource[],
  offset: number,
  key: string,
  options: BatchOptions,
  result: BatchResult,
): Promise<void> {
  try {
    const { status, data } = await transport.request<BatchAnswer>({
      method: 'POST',
      path: '/api/v1/catalog/resources:batch',
      body: bodyOf(entries, options.conditions),
      idempotencyKey: key,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const codes = entries.map((entry) => entry.code);
    record(result, data, offset, {
      idempotencyKey: key,
      status,
      codes,
      ...(data.receipt ? { receipt: data.receipt } : {}),
    });
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError) || entries.length < 2) throw error;
    const half = Math.ceil(entries.length / 2);
    await sendPart(transport, entries.slice(0, half), offset, `${key}.a`, options, result);
    await sendPart(transport, entries.slice(half), offset + half, `${key}.b`, options, result);
  }
}

/** Registers many entries through `POST /catalog/resources:batch`, in as many requests as needed. */
export async function sendBatch(
  transport: Transport,
  entries: CatalogResource[],
  options: BatchOptions = {},
): Promise<BatchResult> {
  const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const result: BatchResult = {
    summary: { created: 0, updated: 0, unchanged: 0, failed: 0 },
    items: [],
    requests: [],
  };
  const chunked = entries.length > size;
  for (let start = 0; start < entries.length; start += size) {
    const given = options.idempotencyKey;
    const key = given === undefined ? randomUUID() : chunked ? `${given}.${start / size}` : given;
    await sendPart(transport, entries.slice(start, start + size), start, key, options, result);
  }
  return result;
}

/** Options of a review transition. */
export interface ReviewOptions {
  /** The ETag last read: the transition fails with 412 if the resource changed since. */
  ifMatch?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** `POST /catalog/resources/{code}:{action}`. */
export async function sendReview(
  transport: Transport,
  code: string,
  action: ReviewAction,
  body: object,
  options: ReviewOptions,
): Promise<TransitionAnswer> {
  const { data } = await transport.request<TransitionAnswer>({
    method: 'POST',
    path: `${encodePath`/api/v1/catalog/resources/${code}`}:${action}`,
    body,
    headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return data;
}
