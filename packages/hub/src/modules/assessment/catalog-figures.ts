/**
 * 目录完整度 and 数据及时性 of each organisation: its resources registered before the period's
 * end that have a published version, read as that version (the hub keeps every version but not
 * until when each was the published one, so this is the catalog as it stands when the report
 * runs); timeliness with the quality module's formula at the end of the period, from the last
 * submission committed before it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { timeliness } from '../governance/quality.js';
import type { AssessmentPeriod } from './period.js';
import {
  RECOMMENDED_FIELDS,
  requiredFields,
  resourceCompleteness,
  round,
  type CatalogFigures,
  type TimelinessFigures,
} from './indicators.js';

interface PublishedResource {
  code: string;
  org: string;
  document: string;
  updateCycle: string;
}

async function publishedResources(
  db: Kysely<Database>,
  period: AssessmentPeriod,
): Promise<PublishedResource[]> {
  return db
    .selectFrom('catalog_resources as r')
    .innerJoin('catalog_versions as v', (join) =>
      join.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.published_version'),
    )
    .select(['r.code as code', 'r.org_id as org', 'v.document as document', 'v.update_cycle as updateCycle'])
    .where('r.created_at', '<', period.to)
    .orderBy('r.code')
    .execute();
}

/** The last commit of each resource before `before` (ISO). */
async function lastCommits(db: Kysely<Database>, before: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('data_submissions')
    .select(['resource_code', (eb) => eb.fn.max('committed_at').as('last')])
    .where('status', '=', 'committed')
    .where('committed_at', '<', before)
    .groupBy('resource_code')
    .execute();
  return new Map(rows.filter((row) => row.last !== null).map((row) => [row.resource_code, String(row.last)]));
}

function emptyCatalog(): CatalogFigures {
  return {
    score: 0,
    resources: 0,
    requiredFilled: 0,
    requiredTotal: 0,
    recommendedFilled: 0,
    recommendedTotal: 0,
    items: 0,
    describedItems: 0,
  };
}

/**
 * Both indicators per organisation id. Completeness is the mean over the resources of each
 * resource's completeness (× 100); timeliness the mean of each resource's timeliness (× 100),
 * 0 for a resource without any commit before the end. No published resource: both 0.
 */
export async function catalogFigures(
  db: Kysely<Database>,
  period: AssessmentPeriod,
  at: Date,
): Promise<{ catalog: Map<string, CatalogFigures>; timeliness: Map<string, TimelinessFigures> }> {
  const resources = await publishedResources(db, period);
  const commits = await lastCommits(db, at.toISOString());
  const sums = new Map<string, { catalog: CatalogFigures; timeliness: TimelinessFigures }>();
  for (const resource of resources) {
    const entry = sums.get(resource.org) ?? {
      catalog: emptyCatalog(),
      timeliness: { score: 0, resources: 0, withData: 0, timely: 0 },
    };
    sums.set(resource.org, entry);
    const measured = resourceCompleteness(JSON.parse(resource.document) as Record<string, unknown>);
    const c = entry.catalog;
    c.resources += 1;
    c.score += measured.completeness;
    c.requiredFilled += measured.requiredFilled;
    c.requiredTotal += requiredFields().length;
    c.recommendedFilled += measured.recommendedFilled;
    c.recommendedTotal += RECOMMENDED_FIELDS.length;
    c.items += measured.items;
    c.describedItems += measured.describedItems;
    const last = commits.get(resource.code);
    const value = last === undefined ? 0 : timeliness(resource.updateCycle, last, at);
    const t = entry.timeliness;
    t.resources += 1;
    t.score += value;
    if (last !== undefined) t.withData += 1;
    if (value === 1) t.timely += 1;
  }
  const catalog = new Map<string, CatalogFigures>();
  const timely = new Map<string, TimelinessFigures>();
  for (const [org, entry] of sums) {
    catalog.set(org, {
      ...entry.catalog,
      score: round((100 * entry.catalog.score) / entry.catalog.resources, 2),
    });
    timely.set(org, {
      ...entry.timeliness,
      score: round((100 * entry.timeliness.score) / entry.timeliness.resources, 2),
    });
  }
  return { catalog, timeliness: timely };
}

export { emptyCatalog };
