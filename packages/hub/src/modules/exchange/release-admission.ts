/**
 * Which calls of a release batch are answered (release-batch.ts), decided the same way on both
 * engines from what the engine's statements read: the first call of each nonce, if the nonce is
 * new; then, per grant and China day in arrival order, while the daily quota lasts. Pure.
 */
import { NONCE_MEMORY_SECONDS } from '@minjiang/standards';
import type { AuditContext, AuditEvent } from '../audit/log.js';
import { chinaDay } from '../governance/calendar.js';
import type { CallRecord } from './release.js';
import { SesError } from './ses-error.js';

/** A call waiting for its batch. */
export interface Pending {
  record: CallRecord;
  now: Date;
  resolve: (used: number) => void;
  reject: (error: unknown) => void;
}

/** Each call's calls-used-today, or its refusal. */
export type Outcome = Map<Pending, number | SesError>;

export interface NonceRow {
  keyid: string;
  nonce: string;
  expires_at: string;
}

export interface UsageRow {
  grant_id: string;
  day: string;
  calls: number;
}

export const nonceKey = (nonce: { keyid: string; nonce: string }) => `${nonce.keyid}\n${nonce.nonce}`;
export const usageKey = (usage: { grant_id: string; day: string }) => `${usage.grant_id}\n${usage.day}`;
const groupKey = (pending: Pending) =>
  usageKey({ grant_id: pending.record.grant.id, day: chinaDay(pending.now) });

export function splitUsageKey(key: string): { grant_id: string; day: string } {
  const [grant_id = '', day = ''] = key.split('\n');
  return { grant_id, day };
}

/** The first call of each nonce in the batch; the others are replays. */
export function firstOfEachNonce(batch: Pending[], outcome: Outcome): Pending[] {
  const first = new Map<string, Pending>();
  for (const pending of batch) {
    const key = nonceKey(pending.record);
    if (first.has(key)) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
    else first.set(key, pending);
  }
  return [...first.values()];
}

/** The calls whose nonce was stored now (`stored`); the others are replays of earlier calls. */
export function freshOnly(
  candidates: Pending[],
  stored: { keyid: string; nonce: string }[],
  outcome: Outcome,
): Pending[] {
  const fresh = new Set(stored.map(nonceKey));
  for (const pending of candidates)
    if (!fresh.has(nonceKey(pending.record))) outcome.set(pending, new SesError('CLI.NONCE_REPLAY'));
  return candidates.filter((pending) => fresh.has(nonceKey(pending.record)));
}

export function nonceRows(calls: Pending[]): NonceRow[] {
  return calls.map(({ record, now }) => ({
    keyid: record.keyid,
    nonce: record.nonce,
    expires_at: new Date(now.getTime() + NONCE_MEMORY_SECONDS * 1000).toISOString(),
  }));
}

/** Calls by grant and China day (`grant\nday`), in arrival order. */
export function groupsOf(calls: Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  for (const pending of calls) {
    const key = groupKey(pending);
    const group = groups.get(key);
    if (group) group.push(pending);
    else groups.set(key, [pending]);
  }
  return groups;
}

/**
 * Admits calls in arrival order while each grant's daily quota lasts, from the counts `used`
 * (`grant\nday` → calls); answers the calls used per admitted call and each group's new count.
 */
export function admit(
  groups: Map<string, Pending[]>,
  used: ReadonlyMap<string, number>,
  outcome: Outcome,
): { admitted: Map<Pending, number>; counts: UsageRow[] } {
  const admitted = new Map<Pending, number>();
  const counts: UsageRow[] = [];
  for (const [key, group] of groups) {
    let count = used.get(key) ?? 0;
    for (const pending of group) {
      const { cost, grant: row } = pending.record;
      const perDay = row.per_day === null ? null : Number(row.per_day);
      if (perDay !== null && count + cost > perDay) {
        outcome.set(
          pending,
          new SesError('HUB.QUOTA_EXCEEDED', `${perDay} a day`, secondsToChinaMidnight(pending.now)),
        );
        continue;
      }
      count += cost;
      admitted.set(pending, count);
    }
    counts.push({ ...splitUsageKey(key), calls: count });
  }
  return { admitted, counts };
}

/** Seconds until the next China midnight, when daily quotas start again. */
export function secondsToChinaMidnight(now: Date): number {
  const next = Date.parse(`${chinaDay(now)}T00:00:00+08:00`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/** The audit events of the admitted calls, in arrival order. */
export function eventsOf(admitted: Map<Pending, number>): AuditEvent[] {
  // Members in JCS order, as the leaf's (calls.ts): the evidence takes the native JSON writer.
  return [...admitted.keys()].map(({ record }) => {
    // A family and its action (`api` + `call`): the leaf type and the index read `api.call`.
    const [type = '', action = ''] = record.type.split('.');
    return {
      action,
      actor: { orgId: record.grant.assignee_org, roles: ['consumer'], tokenId: record.keyid },
      exchange: record.leaf,
      object: record.grant.id,
      result: 'success' as const,
      type,
    };
  });
}

/** Sealed at the batch's latest call time. */
export function auditContext(
  hubCode: string,
  engine: AuditContext['engine'],
  batch: Pending[],
): AuditContext {
  const latest = batch.reduce((at, pending) => (pending.now > at ? pending.now : at), batch[0]!.now);
  return { hubCode, engine, now: latest };
}

/** The batch's outcome once its transaction has committed: every admitted call its count. */
export function settle(outcome: Outcome, admitted: Map<Pending, number>): Outcome {
  for (const [pending, calls] of admitted) outcome.set(pending, calls);
  return outcome;
}
