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

/** Adds one resource to its organisation's sums (the scores summed, divided at the end). */
function addCompleteness(sum: CatalogFigures, document: string): void {
  const measured = resourceCompleteness(JSON.parse(document) as Record<string, unknown>);
  sum.resources += 1;
  sum.score += measured.completeness;
  sum.requiredFilled += measured.requiredFilled;
  sum.requiredTotal += requiredFields().length;
  sum.recommendedFilled += measured.recommendedFilled;
  sum.recommendedTotal += RECOMMENDED_FIELDS.length;
  sum.items += measured.items;
  sum.describedItems += measured.describedItems;
}

function addTimeliness(
  sum: TimelinessFigures,
  resource: PublishedResource,
  last: string | undefined,
  at: Date,
) {
  const value = last === undefined ? 0 : timeliness(resource.updateCycle, last, at);
  sum.resources += 1;
  sum.score += value;
  if (last !== undefined) sum.withData += 1;
  if (value === 1) sum.timely += 1;
}

/** The sum's score as the mean × 100, rounded. */
function mean<T extends { score: number; resources: number }>(sum: T): T {
  return { ...sum, score: round((100 * sum.score) / sum.resources, 2) };
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
  const commits = await lastCommits(db, at.toISOString());
  const catalog = new Map<string, CatalogFigures>();
  const timely = new Map<string, TimelinessFigures>();
  for (const resource of await publishedResources(db, period)) {
    if (!catalog.has(resource.org)) catalog.set(resource.org, emptyCatalog());
    if (!timely.has(resource.org))
      timely.set(resource.org, { score: 0, resources: 0, withData: 0, timely: 0 });
    addCompleteness(catalog.get(resource.org)!, resource.document);
    addTimeliness(timely.get(resource.org)!, resource, commits.get(resource.code), at);
  }
  return {
    catalog: new Map([...catalog].map(([org, sum]) => [org, mean(sum)])),
    timeliness: new Map([...timely].map(([org, sum]) => [org, mean(sum)])),
  };
}

export { emptyCatalog };
