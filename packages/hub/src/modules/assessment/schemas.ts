/** JSON Schemas of the assessment route (docs/assessment.md). */

const count = { type: 'integer', minimum: 0 } as const;
const score = { type: 'number', minimum: 0, maximum: 100 } as const;
const share = { type: 'number', minimum: 0, maximum: 1 } as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 } as const;

export const assessmentQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: { type: 'string', minLength: 1, maxLength: 32 },
    from: { type: 'string', minLength: 1, maxLength: 32 },
    to: { type: 'string', minLength: 1, maxLength: 32 },
    kind: { type: 'string', enum: ['city', 'department', 'unit'] },
  },
} as const;

function figures(properties: Record<string, object>) {
  return {
    type: 'object',
    required: ['score', ...Object.keys(properties)],
    properties: { score, ...properties },
  } as const;
}

const indicators = {
  type: 'object',
  required: ['catalog', 'timeliness', 'quality', 'tickets', 'response', 'sharing'],
  properties: {
    catalog: figures({
      resources: count,
      requiredFilled: count,
      requiredTotal: count,
      recommendedFilled: count,
      recommendedTotal: count,
      items: count,
      describedItems: count,
    }),
    timeliness: figures({ resources: count, withData: count, timely: count }),
    quality: figures({
      resources: count,
      completeness: share,
      validity: share,
      uniqueness: share,
      timeliness: share,
    }),
    tickets: figures({ tickets: count, onTime: count, late: count, pending: count }),
    response: figures({
      applications: count,
      demands: count,
      onTime: count,
      late: count,
      pending: count,
      meanWorkingDays: { type: ['number', 'null'], minimum: 0 },
    }),
    sharing: figures({ calls: count, grants: count }),
  },
} as const;

const weight = { type: 'number', minimum: 0, maximum: 1 } as const;

export const assessmentReportSchema = {
  type: 'object',
  required: ['period', 'generatedAt', 'evaluatedAt', 'weights', 'organisations', 'digest'],
  properties: {
    period: {
      type: 'object',
      required: ['label', 'from', 'to', 'firstDay', 'lastDay', 'timezone'],
      properties: {
        label: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        firstDay: date,
        lastDay: date,
        timezone: { type: 'string', const: 'Asia/Shanghai' },
      },
    },
    generatedAt: { type: 'string' },
    evaluatedAt: { type: 'string' },
    weights: {
      type: 'object',
      required: ['catalog', 'timeliness', 'quality', 'tickets', 'response', 'sharing'],
      properties: {
        catalog: weight,
        timeliness: weight,
        quality: weight,
        tickets: weight,
        response: weight,
        sharing: weight,
      },
    },
    organisations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rank', 'id', 'name', 'kind', 'total', 'indicators'],
        properties: {
          rank: { type: 'integer', minimum: 1 },
          id: { type: 'string' },
          name: { type: 'string' },
          kind: { type: 'string' },
          total: score,
          indicators,
        },
      },
    },
    digest: { type: 'string' },
  },
} as const;
