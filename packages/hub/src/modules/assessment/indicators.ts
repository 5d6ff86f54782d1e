/**
 * The six assessment indicators (docs/assessment.md), their raw figures per organisation, and
 * the pure parts of their formulas: catalog completeness per resource, the score of one
 * response against its deadline, working days between two instants, rounding.
 */
import { schemaDocument } from '@minjiang/standards';
import { chinaDay, isWorkingDay, type WorkingCalendar } from '../governance/calendar.js';

/** In the order of the config's weights, the answer and the report's sheets. */
export const INDICATORS = ['catalog', 'timeliness', 'quality', 'tickets', 'response', 'sharing'] as const;

export type IndicatorKey = (typeof INDICATORS)[number];

/** 目录完整度: the organisation's published resources, field and item counts summed over them. */
export interface CatalogFigures {
  score: number;
  resources: number;
  requiredFilled: number;
  requiredTotal: number;
  recommendedFilled: number;
  recommendedTotal: number;
  items: number;
  describedItems: number;
}

/** 数据及时性: the same resources, against their declared update cycle at the period's end. */
export interface TimelinessFigures {
  score: number;
  resources: number;
  /** Resources with a committed submission before the end. */
  withData: number;
  /** Resources updated within their cycle (timeliness 1). */
  timely: number;
}

/** 数据质量: the quality module's organisation score and its four mean figures (0–1). */
export interface QualityFigures {
  score: number;
  resources: number;
  completeness: number;
  validity: number;
  uniqueness: number;
  timeliness: number;
}

/** 问题数据按期办结: tickets opened in the period. */
export interface TicketFigures {
  score: number;
  tickets: number;
  onTime: number;
  late: number;
  pending: number;
}

/** 申请与需求响应: the provider's answers to applications and demands that reached it in the period. */
export interface ResponseFigures {
  score: number;
  applications: number;
  demands: number;
  onTime: number;
  late: number;
  pending: number;
  /** Mean working days to an answer, over the answered ones (null when none was answered). */
  meanWorkingDays: number | null;
}

/** 共享服务量: calls its grants served in the period. */
export interface SharingFigures {
  score: number;
  calls: number;
  grants: number;
}

export interface OrganisationFigures {
  catalog: CatalogFigures;
  timeliness: TimelinessFigures;
  quality: QualityFigures;
  tickets: TicketFigures;
  response: ResponseFigures;
  sharing: SharingFigures;
}

export function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

/**
 * Optional fields of the catalog standard that a complete entry fills (the 2017 guide's
 * optional core metadata and the platforms' common extensions); the required ones are read
 * from the resource schema itself, so they cannot drift from it.
 */
export const RECOMMENDED_FIELDS = [
  'subject',
  'keywords',
  'relatedMatters',
  'system',
  'scenario',
  'spatialScope',
  'timeRange',
  'syncMode',
] as const;

let required: readonly string[] | undefined;

export function requiredFields(): readonly string[] {
  required ??= (schemaDocument('catalog-resource').required as string[] | undefined) ?? [];
  return required;
}

/** Filled: present and not blank (an empty string, array or object is not filled). */
export function filled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export interface ResourceCompleteness {
  requiredFilled: number;
  recommendedFilled: number;
  items: number;
  describedItems: number;
  /** 0–1: the mean of the required share, the recommended share and (with items) the described share. */
  completeness: number;
}

/** How complete one catalog entry is. */
export function resourceCompleteness(document: Record<string, unknown>): ResourceCompleteness {
  const fields = requiredFields();
  const requiredFilled = fields.filter((name) => filled(document[name])).length;
  const recommendedFilled = RECOMMENDED_FIELDS.filter((name) => filled(document[name])).length;
  const list = Array.isArray(document.items) ? (document.items as Record<string, unknown>[]) : [];
  const describedItems = list.filter((item) => filled(item.description)).length;
  const parts = [requiredFilled / fields.length, recommendedFilled / RECOMMENDED_FIELDS.length];
  if (list.length > 0) parts.push(describedItems / list.length);
  const completeness = parts.reduce((sum, part) => sum + part, 0) / parts.length;
  return { requiredFilled, recommendedFilled, items: list.length, describedItems, completeness };
}

/**
 * Working days from one instant to a later one: the working days after the China day of
 * `start`, up to and including the China day of `end` (same day 0, the next working day 1), so
 * an answer on the day a deadline of n working days falls due took n.
 */
export function workingDaysBetween(start: Date, end: Date, calendar: WorkingCalendar): number {
  const last = chinaDay(end);
  let day = chinaDay(start);
  let count = 0;
  while (day < last) {
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    if (isWorkingDay(day, calendar)) count += 1;
  }
  return count;
}

/** 100 within `allowed` working days, falling linearly to 0 at twice as many. */
export function responseScore(days: number, allowed: number): number {
  if (days <= allowed) return 100;
  if (allowed === 0) return 0;
  return Math.max(0, (100 * (2 * allowed - days)) / allowed);
}
