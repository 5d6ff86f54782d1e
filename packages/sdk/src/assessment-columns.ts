/**
 * What the report files show of an assessment, in which order, under which headings (zh-CN
 * by default, English on request), with which number format and column width. One sheet per
 * indicator with its raw figures, and the summary (汇总) with every score.
 */
import type { AssessedOrganisation, AssessmentIndicator } from './assessment.js';

export type ReportLang = 'zh-CN' | 'en';

type Label = Record<ReportLang, string>;

/** Excel number formats: a score, a count, a share shown as a percentage. */
export const FORMATS = { score: '0.00', count: '0', share: '0.0%', text: '@' } as const;

export interface ReportColumn {
  label: Label;
  format: keyof typeof FORMATS;
  width: number;
  value(org: AssessedOrganisation): string | number | null;
}

const text = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

/** The columns every sheet starts with: who, and where it ranks. */
export const LEAD: ReportColumn[] = [
  { label: text('排名', 'Rank'), format: 'count', width: 7, value: (org) => org.rank },
  { label: text('机构名称', 'Organisation'), format: 'text', width: 30, value: (org) => org.name },
  { label: text('机构标识', 'Organisation id'), format: 'text', width: 36, value: (org) => org.id },
];

export const INDICATOR_NAMES: Record<AssessmentIndicator, Label> = {
  catalog: text('目录完整度', 'Catalog completeness'),
  timeliness: text('数据及时性', 'Data timeliness'),
  quality: text('数据质量', 'Data quality'),
  tickets: text('问题数据按期办结', 'Tickets closed on time'),
  response: text('申请与需求响应', 'Response to applications and demands'),
  sharing: text('共享服务量', 'Sharing volume'),
};

export const SUMMARY_NAME = text('汇总', 'Summary');
export const TOTAL = text('总分', 'Total');
export const SCORE = text('得分', 'Score');

function figure<K extends AssessmentIndicator>(
  indicator: K,
  name: string,
  label: Label,
  format: ReportColumn['format'] = 'count',
  width = 12,
): ReportColumn {
  return {
    label,
    format,
    width,
    value: (org) => (org.indicators[indicator] as unknown as Record<string, number | null>)[name] ?? null,
  };
}

/** The raw figures of each indicator, after its score. */
export const RAW: Record<AssessmentIndicator, ReportColumn[]> = {
  catalog: [
    figure('catalog', 'resources', text('资源数', 'Resources')),
    figure('catalog', 'requiredFilled', text('必填项已填', 'Required filled')),
    figure('catalog', 'requiredTotal', text('必填项总数', 'Required fields')),
    figure('catalog', 'recommendedFilled', text('推荐项已填', 'Recommended filled')),
    figure('catalog', 'recommendedTotal', text('推荐项总数', 'Recommended fields')),
    figure('catalog', 'items', text('信息项数', 'Items')),
    figure('catalog', 'describedItems', text('有说明的信息项', 'Items described'), 'count', 14),
  ],
  timeliness: [
    figure('timeliness', 'resources', text('资源数', 'Resources')),
    figure('timeliness', 'withData', text('有汇聚数据', 'With data')),
    figure('timeliness', 'timely', text('按周期更新', 'Updated in cycle')),
  ],
  quality: [
    figure('quality', 'resources', text('有数据的资源', 'Resources with data'), 'count', 14),
    figure('quality', 'completeness', text('完整性', 'Completeness'), 'share'),
    figure('quality', 'validity', text('有效性', 'Validity'), 'share'),
    figure('quality', 'uniqueness', text('唯一性', 'Uniqueness'), 'share'),
    figure('quality', 'timeliness', text('及时性', 'Timeliness'), 'share'),
  ],
  tickets: [
    figure('tickets', 'tickets', text('工单数', 'Tickets')),
    figure('tickets', 'onTime', text('按期办结', 'Closed on time')),
    figure('tickets', 'late', text('逾期', 'Late')),
    figure('tickets', 'pending', text('未到期', 'Not yet due')),
  ],
  response: [
    figure('response', 'applications', text('共享申请', 'Applications')),
    figure('response', 'demands', text('数据需求', 'Demands')),
    figure('response', 'onTime', text('按期答复', 'Answered on time')),
    figure('response', 'late', text('逾期', 'Late')),
    figure('response', 'pending', text('未到期', 'Not yet due')),
    figure('response', 'meanWorkingDays', text('平均答复工作日', 'Mean working days'), 'score', 14),
  ],
  sharing: [
    figure('sharing', 'calls', text('服务调用次数', 'Calls served'), 'count', 14),
    figure('sharing', 'grants', text('有调用的授权', 'Grants used'), 'count', 14),
  ],
};

/** The score column of an indicator, headed by its name (and weight, in the summary). */
export function scoreColumn(indicator: AssessmentIndicator, label: Label): ReportColumn {
  return { label, format: 'score', width: 14, value: (org) => org.indicators[indicator].score };
}

export const TOTAL_COLUMN: ReportColumn = {
  label: TOTAL,
  format: 'score',
  width: 10,
  value: (org) => org.total,
};
