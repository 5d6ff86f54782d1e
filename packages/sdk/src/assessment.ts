/**
 * The assessment report (考核评价) of the hub, `GET /api/v1/admin/assessment` (docs/assessment.md):
 * its types, how to ask for it, and the shape check of a period before it is sent.
 */
import type { HubClient } from './client/hub-client.js';

export const ASSESSMENT_INDICATORS = [
  'catalog',
  'timeliness',
  'quality',
  'tickets',
  'response',
  'sharing',
] as const;

export type AssessmentIndicator = (typeof ASSESSMENT_INDICATORS)[number];

export interface AssessmentFigures {
  catalog: {
    score: number;
    resources: number;
    requiredFilled: number;
    requiredTotal: number;
    recommendedFilled: number;
    recommendedTotal: number;
    items: number;
    describedItems: number;
  };
  timeliness: { score: number; resources: number; withData: number; timely: number };
  quality: {
    score: number;
    resources: number;
    completeness: number;
    validity: number;
    uniqueness: number;
    timeliness: number;
  };
  tickets: { score: number; tickets: number; onTime: number; late: number; pending: number };
  response: {
    score: number;
    applications: number;
    demands: number;
    onTime: number;
    late: number;
    pending: number;
    meanWorkingDays: number | null;
  };
  sharing: { score: number; calls: number; grants: number };
}

export interface AssessedOrganisation {
  rank: number;
  id: string;
  name: string;
  kind: string;
  total: number;
  indicators: AssessmentFigures;
}

export interface AssessmentReport {
  period: {
    label: string;
    from: string;
    to: string;
    firstDay: string;
    lastDay: string;
    timezone: 'Asia/Shanghai';
  };
  generatedAt: string;
  evaluatedAt: string;
  weights: Record<AssessmentIndicator, number>;
  organisations: AssessedOrganisation[];
  /** `sm3:<hex>`: what the hub's audit entry of this reading records. */
  digest: string;
}

/** A period by label (`2026`, `2026-Q4`, `2026-11`) or by dates (both inclusive). */
export type AssessmentQuery = ({ period: string } | { from: string; to: string }) & {
  kind?: 'city' | 'department' | 'unit';
};

const LABEL = /^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a period label has a form the hub reads (the hub checks the rest, e.g. real dates). */
export function isAssessmentPeriod(label: string): boolean {
  return LABEL.test(label);
}

/** Whether a date has the YYYY-MM-DD form. */
export function isAssessmentDate(value: string): boolean {
  return DATE.test(value);
}

/**
 * The report of a period (admin or auditor token; the hub audits every reading). `lang` asks
 * the hub for its refusals (a bad period) in that language.
 */
export async function fetchAssessment(
  client: HubClient,
  query: AssessmentQuery,
  options: { lang?: 'zh-CN' | 'en' } = {},
): Promise<AssessmentReport> {
  const { data } = await client.transport.request<AssessmentReport>({
    method: 'GET',
    path: '/api/v1/admin/assessment',
    query: { ...query },
    ...(options.lang ? { headers: { 'accept-language': options.lang } } : {}),
  });
  return data;
}
