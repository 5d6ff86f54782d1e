/**
 * Audit before release (exchange.md §8.6): the nonce, the quota count and the audit leaf of a
 * call are written in one transaction that commits before any data is sent. A replayed nonce,
 * a used-up quota or a log that cannot be written rolls it all back, and the caller gets the
 * refusal instead of the data.
 */
import { sql } from 'kysely';
import { HubError } from '../../errors.js';
import type { HubContext } from '../../plugins/store.js';
import { appendAudit, type ExchangeLeaf } from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import type { GrantRow } from './grant-context.js';
import { SesError } from './ses-error.js';

/** Seconds a nonce is remembered: twice the ±300 s window. */
const NONCE_SECONDS = 600;

export interface CallRecord {
  type: 'api.call' | 'verify.call' | 'pkg.build' | 'pkg.download' | 'pkg.receipt';
  keyid: string;
  nonce: string;
  grant: GrantRow;
  /** Calls counted against the daily quota (subjects for a verification). */
  cost: number;
  leaf: ExchangeLeaf;
}

/** Seconds until the next China midnight, when daily quotas start again. */
export function secondsToChinaMidnight(now: Date): number {
  const next = Date.parse(`${chinaDay(now)}T00:00:00+08:00`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** Writes the call's nonce, quota count and audit leaf; answers the calls used today. */
export async function recordCall(hub: HubContext, record: CallRecord, now: Date): Promise<number> {
  try {
    return await hub.store.db.transaction().execute(async (trx) => {
      const expires = new Date(now.getTime() + NONCE_SECONDS * 1000).toISOString();
      const inserted = await trx
        .insertInto('ses_nonces')
        .values({ keyid: record.keyid, nonce: record.nonce, expires_at: expires })
        .onConflict((oc) => oc.columns(['keyid', 'nonce']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new SesError('CLI.NONCE_REPLAY');
      const { calls } = await trx
        .insertInto('grant_usage')
        .values({ grant_id: record.grant.id, day: chinaDay(now), calls: record.cost })
        .onConflict((oc) =>
          oc
            .columns(['grant_id', 'day'])
            .doUpdateSet({ calls: sql<number>`grant_usage.calls + ${record.cost}` }),
        )
        .returning('calls')
        .executeTakeFirstOrThrow();
      const perDay = record.grant.per_day;
      if (perDay !== null && Number(calls) > Number(perDay))
        throw new SesError('HUB.QUOTA_EXCEEDED', `${perDay} a day`, secondsToChinaMidnight(now));
      await appendAudit(trx, { hubCode: hub.config.hubCode, engine: hub.store.engine, now }, [
        {
          // A family and its action (`api` + `call`): the leaf type and the index read `api.call`.
          type: record.type.split('.')[0]!,
          action: record.type.split('.')[1]!,
          actor: { tokenId: record.keyid, orgId: record.grant.assignee_org, roles: ['consumer'] },
          object: record.grant.id,
          result: 'success',
          exchange: record.leaf,
        },
      ]);
      return Number(calls);
    });
  } catch (error) {
    if (error instanceof HubError && error.code === 'HUB_ERR_AUDIT_UNAVAILABLE')
      throw new SesError('HUB.LOG_UNAVAILABLE');
    throw error;
  }
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
