/**
 * Audit before release (exchange.md §8.6): the nonce, the quota count and the audit leaf of a
 * call are written in a transaction that commits before any data is sent. A replayed nonce,
 * a used-up quota or a log that cannot be written rolls it all back, and the caller gets the
 * refusal instead of the data.
 */
import type { HubContext } from '../../plugins/store.js';
import type { ExchangeLeaf } from '../audit/log.js';
import type { GrantRow } from './grant-context.js';
import { enqueueRecord, secondsToChinaMidnight } from './release-batch.js';

export { secondsToChinaMidnight };
import { SesError } from './ses-error.js';

export interface CallRecord {
  type: 'api.call' | 'verify.call' | 'pkg.build' | 'pkg.download' | 'pkg.receipt';
  keyid: string;
  nonce: string;
  grant: GrantRow;
  /** Calls counted against the daily quota (subjects for a verification). */
  cost: number;
  leaf: ExchangeLeaf;
}

/**
 * Writes the call's nonce, quota count and audit leaf — with the other calls waiting, in one
 * transaction (release-batch.ts) — and answers the calls used today once it is committed.
 */
export function recordCall(hub: HubContext, record: CallRecord, now: Date): Promise<number> {
  return enqueueRecord(hub, record, now);
}

/** Forgets nonces past their window (the scheduler calls it). */
export async function purgeNonces(hub: HubContext, now: Date): Promise<number> {
  const result = await hub.store.db
    .deleteFrom('ses_nonces')
    .where('expires_at', '<', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Per-second rate per grant, in this process (a token bucket refilled continuously). */
const buckets = new Map<string, { tokens: number; at: number }>();

export function takeRate(grant: GrantRow, now: Date): void {
  const rate = grant.per_second === null ? null : Number(grant.per_second);
  if (rate === null) return;
  const at = now.getTime();
  const bucket = buckets.get(grant.id) ?? { tokens: rate, at };
  bucket.tokens = Math.min(rate, bucket.tokens + ((at - bucket.at) / 1000) * rate);
  bucket.at = at;
  if (bucket.tokens < 1) {
    buckets.set(grant.id, bucket);
    throw new SesError('HUB.RATE_LIMITED', `${rate} a second`, 1);
  }
  bucket.tokens -= 1;
  buckets.set(grant.id, bucket);
}
