/**
 * Quality scores (数据质量) per resource and per organisation, from what the last commit measured
 * (data_stats), the stored row count, the open problem records and the declared update cycle.
 * See the hub README, "Problem data and quality", for the formulas.
 */
import { normalizeCode } from '@minjiang/standards';
import type { Kysely, Selectable } from 'kysely';
import type { QualityWeights } from '../../config.js';
import type { Database, DataStatsTable } from '../../db/schema.js';

const DAY_MS = 86_400_000;

/** Days of each update cycle; 实时 and 不定期 have none (timely as soon as there is a commit). */
export const CYCLE_DAYS: Record<string, number | null> = {
  实时: null,
  每日: 1,
  每周: 7,
  每旬: 10,
  每月: 30,
  每季度: 91,
  每半年: 182,
  每年: 365,
  不定期: null,
};

export interface QualityFigures {
  completeness: number;
  validity: number;
  uniqueness: number;
  timeliness: number;
  score: number;
}

export interface ResourceMeasures {
  rows: number;
  openProblems: number;
  submittedRows: number;
  duplicateRows: number;
  filledCells: number;
  checkedCells: number;
  lastCommitAt: string;
  updateCycle: string;
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 1;
}

/** 1 within the cycle, falling linearly to 0 at twice the cycle. */
export function timeliness(updateCycle: string, lastCommitAt: string, now: Date): number {
  const days = CYCLE_DAYS[normalizeCode('update-cycle', updateCycle) ?? updateCycle];
  if (days === null || days === undefined) return 1;
  const age = (now.getTime() - Date.parse(lastCommitAt)) / DAY_MS;
  if (age <= days) return 1;
  return Math.max(0, 1 - (age - days) / days);
}

/** score = 100 × the weighted mean of the four figures. */
export function weightedScore(figures: Omit<QualityFigures, 'score'>, weights: QualityWeights): number {
  const names = ['completeness', 'validity', 'uniqueness', 'timeliness'] as const;
  const total = names.reduce((sum, name) => sum + weights[name], 0);
  const sum = names.reduce((acc, name) => acc + figures[name] * weights[name], 0);
  return round((100 * sum) / total, 1);
}

/** The four figures (rounded to 4 places) and the score of one resource's measures. */
export function resourceFigures(
  measures: ResourceMeasures,
  now: Date,
  weights: QualityWeights,
): QualityFigures {
  const figures = {
    completeness: round(ratio(measures.filledCells, measures.checkedCells), 4),
    validity: round(ratio(measures.rows, measures.rows + measures.openProblems), 4),
    uniqueness: round(
      measures.submittedRows > 0 ? 1 - ratio(measures.duplicateRows, measures.submittedRows) : 1,
      4,
    ),
    timeliness: round(timeliness(measures.updateCycle, measures.lastCommitAt, now), 4),
  };
  return { ...figures, score: weightedScore(figures, weights) };
}

/** The mean figures of several resources (an organisation's), score from the mean figures. */
export function meanFigures(list: QualityFigures[], weights: QualityWeights): QualityFigures {
  if (list.length === 0) return { completeness: 0, validity: 0, uniqueness: 0, timeliness: 0, score: 0 };
  const mean = (name: keyof QualityFigures) =>
    round(list.reduce((sum, f) => sum + f[name], 0) / list.length, 4);
  const figures = {
    completeness: mean('completeness'),
    validity: mean('validity'),
    uniqueness: mean('uniqueness'),
    timeliness: mean('timeliness'),
  };
  return { ...figures, score: weightedScore(figures, weights) };
}

type StatsRow = Selectable<DataStatsTable> & { update_cycle: string | null };

async function openProblems(db: Kysely<Database>, codes: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let start = 0; start < codes.length; start += 500) {
    const rows = await db
      .selectFrom('problem_records')
      .select(['resource_code', (eb) => eb.fn.countAll().as('n')])
      .where('resource_code', 'in', codes.slice(start, start + 500))
      .where('status', '=', 'open')
      .groupBy('resource_code')
      .execute();
    for (const row of rows) counts.set(row.resource_code, Number(row.n));
  }
  return counts;
}

function statsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('data_stats as s')
    .innerJoin('catalog_resources as r', 'r.code', 's.resource_code')
    .leftJoin('catalog_versions as v', (join) =>
      join.onRef('v.code', '=', 'r.code').onRef('v.version', '=', 'r.published_version'),
    )
    .selectAll('s')
    .select(['v.update_cycle']);
}

function measuresOf(stats: StatsRow, open: number): ResourceMeasures {
  return {
    rows: Number(stats.rows),
    openProblems: open,
    submittedRows: Number(stats.submitted_rows),
    duplicateRows: Number(stats.duplicate_rows),
    filledCells: Number(stats.filled_cells),
    checkedCells: Number(stats.checked_cells),
    lastCommitAt: stats.last_commit_at,
    updateCycle: stats.update_cycle ?? '不定期',
  };
}

/** `GET /quality/resources/{code}`; null when the resource does not exist. */
export async function resourceQuality(
  db: Kysely<Database>,
  code: string,
  now: Date,
  weights: QualityWeights,
) {
  const resource = await db
    .selectFrom('catalog_resources')
    .select(['code', 'org_id'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!resource) return null;
  const stats = await statsQuery(db).where('s.resource_code', '=', code).executeTakeFirst();
  const measuredAt = now.toISOString();
  const subject = { resource: code, organisation: resource.org_id };
  if (!stats)
    return {
      ...subject,
      completeness: 0,
      validity: 0,
      uniqueness: 0,
      timeliness: 0,
      score: 0,
      measuredAt,
      detail: { hasData: false },
    };
  const measures = measuresOf(stats, (await openProblems(db, [code])).get(code) ?? 0);
  return {
    ...subject,
    ...resourceFigures(measures, now, weights),
    measuredAt,
    detail: { hasData: true, lastSubmission: stats.last_submission_id, ...measures },
  };
}

/** `GET /quality/organisations/{id}`: means over the organisation's resources that have data. */
export async function organisationQuality(
  db: Kysely<Database>,
  orgId: string,
  now: Date,
  weights: QualityWeights,
) {
  const org = await db.selectFrom('organisations').select('id').where('id', '=', orgId).executeTakeFirst();
  if (!org) return null;
  const rows = await statsQuery(db).where('r.org_id', '=', orgId).orderBy('s.resource_code').execute();
  const open = await openProblems(
    db,
    rows.map((row) => row.resource_code),
  );
  const resources = rows.map((row) => ({
    resource: row.resource_code,
    ...resourceFigures(measuresOf(row, open.get(row.resource_code) ?? 0), now, weights),
  }));
  return {
    organisation: orgId,
    ...meanFigures(resources, weights),
    measuredAt: now.toISOString(),
    detail: { hasData: resources.length > 0, resources },
  };
}
