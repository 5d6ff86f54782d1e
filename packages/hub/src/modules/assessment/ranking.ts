/**
 * From raw figures to the report: 共享服务量 normalised against the busiest organisation, the
 * weighted total, and ranks. Pure, so the formulas are tested without a database.
 */
import type { AssessmentWeights } from '../../config.js';
import { INDICATORS, round, type OrganisationFigures } from './indicators.js';

export interface RankedOrganisation {
  rank: number;
  id: string;
  name: string;
  kind: string;
  total: number;
  indicators: OrganisationFigures;
}

/**
 * Sharing volume as 0–100: 100 × calls / the most calls any assessed organisation served
 * (min–max with 0 as the floor); 0 for everyone when nobody served a call.
 */
export function normaliseSharing(figures: OrganisationFigures[]): void {
  const most = Math.max(0, ...figures.map((entry) => entry.sharing.calls));
  for (const entry of figures)
    entry.sharing.score = most === 0 ? 0 : round((100 * entry.sharing.calls) / most, 2);
}

/** Σ weight × indicator score (each already rounded to 2 places), rounded to 2 places. */
export function totalScore(figures: OrganisationFigures, weights: AssessmentWeights): number {
  return round(
    INDICATORS.reduce((sum, key) => sum + weights[key] * figures[key].score, 0),
    2,
  );
}

/**
 * Highest total first. Equal totals (to the 2 places shown) share a rank and the next rank
 * skips (standard competition ranking: 1, 2, 2, 4); within a tie, by organisation id so the
 * order is stable from one run to the next.
 */
export function rank(entries: Omit<RankedOrganisation, 'rank'>[]): RankedOrganisation[] {
  const sorted = [...entries].sort((a, b) => b.total - a.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let previous: RankedOrganisation | undefined;
  return sorted.map((entry, index) => {
    const ranked = { ...entry, rank: previous?.total === entry.total ? previous.rank : index + 1 };
    previous = ranked;
    return ranked;
  });
}
