/**
 * 共享服务量: the calls an organisation's grants served in the period (as provider, the grant's
 * assigner), from the daily usage counts the exchange keeps per grant and China day — the same
 * counts its quotas use, so a 核验 call counts each subject verified.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AssessmentPeriod } from './period.js';
import type { SharingFigures } from './indicators.js';

export async function sharingFigures(
  db: Kysely<Database>,
  period: AssessmentPeriod,
): Promise<Map<string, SharingFigures>> {
  const rows = await db
    .selectFrom('grant_usage as u')
    .innerJoin('grants as g', 'g.id', 'u.grant_id')
    .select(['g.assigner_org as org', 'u.grant_id as grant', 'u.calls as calls'])
    .where('u.day', '>=', period.firstDay)
    .where('u.day', '<=', period.lastDay)
    .where('u.calls', '>', 0)
    .execute();
  const figures = new Map<string, SharingFigures & { used: Set<string> }>();
  for (const row of rows) {
    const entry = figures.get(row.org) ?? { score: 0, calls: 0, grants: 0, used: new Set<string>() };
    figures.set(row.org, entry);
    entry.calls += Number(row.calls);
    entry.used.add(row.grant);
  }
  return new Map([...figures].map(([org, { used, ...entry }]) => [org, { ...entry, grants: used.size }]));
}
