import { issueSchema, AUTH_ERRORS, stateErrorResponses } from '../../http/schemas.js';

/** JSON Schemas of the grading routes (docs/grading.md). */

export const PROPOSAL_STATUSES = [
  'pending',
  'accepted',
  'rejected',
  'applied',
  'superseded',
  'stale',
] as const;

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const org = { type: 'string', minLength: 1, maxLength: 120 } as const;
/** A resource code's beginning: digits and the slash. */
const codePrefix = { type: 'string', minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z/]+$' } as const;
const level = { type: 'string' } as const;

export function gradingErrors(...statuses: number[]) {
  // A 409 also says which state the proposal is in.
  return stateErrorResponses(...AUTH_ERRORS, ...statuses);
}

const reason = {
  type: 'object',
  required: ['kind', 'rule', 'grade', 'message'],
  properties: {
    kind: { type: 'string', enum: ['item-rule', 'detector', 'resource-rule', 'item', 'default'] },
    rule: { type: 'string' },
    grade: level,
    message: { type: 'string' },
    item: { type: 'string' },
    detector: { type: 'string' },
    hits: { type: 'integer' },
    sampled: { type: 'integer' },
    hitRate: { type: 'number' },
  },
} as const;

const itemGrade = {
  type: 'object',
  required: ['name', 'grade', 'sampled', 'reasons'],
  properties: {
    name: { type: 'string' },
    grade: level,
    sampled: { type: 'integer' },
    reasons: { type: 'array', items: reason },
  },
} as const;

export const proposalSchema = {
  type: 'object',
  required: [
    'id',
    'resourceCode',
    'orgId',
    'version',
    'declared',
    'proposed',
    'change',
    'status',
    'reasons',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    resourceCode: { type: 'string' },
    resourceName: { type: 'string' },
    orgId: { type: 'string' },
    version: { type: 'integer' },
    declared: level,
    proposed: level,
    change: { type: 'string', enum: ['raise', 'lower', 'same'] },
    decided: level,
    status: { type: 'string', enum: PROPOSAL_STATUSES },
    sampledRows: { type: 'integer' },
    reasons: { type: 'array', items: reason },
    rules: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } } },
    items: { type: 'array', items: itemGrade },
    review: {
      type: 'object',
      properties: { reason: { type: 'string' }, by: { type: 'string' }, at: { type: 'string' } },
    },
    applied: {
      type: 'object',
      properties: { version: { type: 'integer' }, by: { type: 'string' }, at: { type: 'string' } },
    },
    createdBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const proposeBody = {
  type: 'object',
  additionalProperties: false,
  properties: { org, codePrefix, sample: { type: 'integer', minimum: 0, maximum: 100000 } },
} as const;

export const proposeAnswer = {
  type: 'object',
  required: ['proposals', 'summary'],
  properties: {
    proposals: { type: 'array', items: proposalSchema },
    summary: {
      type: 'object',
      properties: {
        resources: { type: 'integer' },
        raise: { type: 'integer' },
        lower: { type: 'integer' },
        same: { type: 'integer' },
        superseded: { type: 'integer' },
      },
    },
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: PROPOSAL_STATUSES },
    org,
    codePrefix,
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

export const listAnswer = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: proposalSchema }, next: { type: 'string' } },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

export const reviewBody = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: {
    decision: { type: 'string', enum: ['accept', 'reject', 'override'] },
    grade: { type: 'string', minLength: 1, maxLength: 32 },
    reason: text,
  },
} as const;

export const applyBody = {
  type: 'object',
  additionalProperties: false,
  properties: { dryRun: { type: 'boolean' } },
} as const;

export const applyAnswer = {
  type: 'object',
  required: ['dryRun', 'results', 'summary'],
  properties: {
    dryRun: { type: 'boolean' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'resourceCode', 'result', 'from', 'to'],
        properties: {
          id: { type: 'string' },
          resourceCode: { type: 'string' },
          result: { type: 'string', enum: ['applied', 'unchanged', 'would-apply', 'failed'] },
          from: level,
          to: level,
          version: { type: 'integer' },
          etag: { type: 'string' },
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } },
          },
        },
      },
    },
    summary: {
      type: 'object',
      properties: {
        applied: { type: 'integer' },
        unchanged: { type: 'integer' },
        wouldApply: { type: 'integer' },
        failed: { type: 'integer' },
      },
    },
  },
} as const;

export const conflictsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { org, codePrefix },
} as const;

export const conflictsAnswer = {
  type: 'object',
  required: ['policy', 'checked', 'resourcesWithConflicts', 'conflicts'],
  properties: {
    policy: {
      type: 'object',
      properties: { name: { type: 'string' }, title: { type: 'string' }, version: { type: 'string' } },
    },
    checked: { type: 'integer' },
    resourcesWithConflicts: { type: 'integer' },
    conflicts: {
      type: 'array',
      items: {
        ...issueSchema,
        required: [...issueSchema.required, 'resource', 'grade', 'version', 'basis'],
        properties: {
          ...issueSchema.properties,
          resource: { type: 'string' },
          item: { type: 'string' },
          grade: level,
          version: { type: 'integer' },
          basis: { type: 'string', enum: ['proposal', 'engine'] },
          proposal: { type: 'string' },
        },
      },
    },
  },
} as const;
