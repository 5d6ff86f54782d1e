/** JSON Schemas of the submission and stored-row routes (docs/data-api.md). */
import { SCHEMA_BASE_URI } from '@minjiang/standards';
import { errorSchema } from '../../http/schemas.js';

const resourceCode = { $ref: `${SCHEMA_BASE_URI}common/dictionary-1.0.json#/$defs/resourceCode` };
const mode = { type: 'string', enum: ['incremental', 'full', 'delete'] } as const;
const count = { type: 'integer', minimum: 0 } as const;

/** A 409 of an incomplete commit says which chunk numbers are missing or extra. */
const submissionErrorSchema = {
  ...errorSchema,
  properties: {
    ...errorSchema.properties,
    missing: { type: 'array', items: { type: 'integer' } },
    extra: { type: 'array', items: { type: 'integer' } },
  },
} as const;

export function submissionErrors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, submissionErrorSchema]));
}

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^sub_[0-9a-f]{20}$' } },
} as const;

export const chunkParams = {
  type: 'object',
  required: ['id', 'seq'],
  additionalProperties: false,
  properties: { ...idParams.properties, seq: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
} as const;

export const chunkHeaders = {
  type: 'object',
  required: ['x-minjiang-sm3', 'x-minjiang-rows'],
  properties: {
    'x-minjiang-sm3': { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    'x-minjiang-rows': { type: 'integer', minimum: 0, maximum: 10_000_000 },
  },
} as const;

export const createBody = {
  type: 'object',
  required: ['resource', 'header'],
  additionalProperties: false,
  properties: {
    resource: resourceCode,
    mode,
    header: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 200 } },
    fileName: { type: 'string', maxLength: 255 },
    rows: count,
    chunkRows: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  },
} as const;

export const commitBody = {
  type: 'object',
  required: ['chunks'],
  additionalProperties: false,
  properties: { chunks: { type: 'integer', minimum: 0, maximum: 1_000_000 }, rows: count },
} as const;

export const emptyBody = {
  anyOf: [{ type: 'object', additionalProperties: false, maxProperties: 0 }, { type: 'null' }],
} as const;

const receipt = {
  type: 'object',
  required: ['payload', 'signature'],
  description: 'Signed by the hub key (GET /api/v1/hub/key); verify offline with verifyReceipt.',
  properties: {
    payload: {
      type: 'object',
      required: [
        'v',
        'kind',
        'hub',
        'time',
        'submission',
        'resource',
        'resourceVersion',
        'mode',
        'rows',
        'accepted',
        'rejected',
        'deleted',
        'chunksDigest',
      ],
      properties: {
        v: { type: 'integer', const: 1 },
        kind: { type: 'string', const: 'data.commit' },
        hub: { type: 'string' },
        time: { type: 'string' },
        submission: { type: 'string' },
        resource: { type: 'string' },
        resourceVersion: { type: 'integer' },
        mode,
        rows: count,
        accepted: count,
        rejected: count,
        deleted: count,
        chunksDigest: { type: 'string' },
      },
    },
    signature: {
      type: 'object',
      required: ['keyId', 'algorithm', 'value'],
      properties: { keyId: { type: 'string' }, algorithm: { type: 'string' }, value: { type: 'string' } },
    },
  },
} as const;

export const commitResultSchema = {
  type: 'object',
  required: [
    'submission',
    'resource',
    'mode',
    'rows',
    'accepted',
    'rejected',
    'inserted',
    'updated',
    'unchanged',
    'deleted',
    'missing',
    'committedAt',
    'chunksDigest',
    'receipt',
  ],
  properties: {
    submission: { type: 'string' },
    resource: { type: 'string' },
    mode,
    rows: count,
    accepted: count,
    rejected: count,
    inserted: count,
    updated: count,
    unchanged: count,
    deleted: count,
    missing: count,
    ticket: { type: 'string', description: 'The problem ticket of the rejected rows' },
    committedAt: { type: 'string' },
    chunksDigest: { type: 'string' },
    receipt,
  },
} as const;

export const submissionSchema = {
  type: 'object',
  required: [
    'id',
    'resource',
    'resourceVersion',
    'organisation',
    'mode',
    'status',
    'header',
    'chunks',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    resource: { type: 'string' },
    resourceVersion: { type: 'integer' },
    organisation: { type: 'string' },
    mode,
    status: { type: 'string', enum: ['open', 'committed', 'cancelled'] },
    header: { type: 'array', items: { type: 'string' } },
    fileName: { type: 'string' },
    declaredRows: count,
    chunkRows: { type: 'integer' },
    chunks: {
      type: 'object',
      required: ['count', 'rows', 'bytes', 'seqs'],
      properties: { count, rows: count, bytes: count, seqs: { type: 'array', items: { type: 'integer' } } },
    },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    committedAt: { type: 'string' },
    result: commitResultSchema,
  },
} as const;

export const chunkAnswerSchema = {
  type: 'object',
  required: ['seq', 'rows', 'sm3', 'stored'],
  properties: { seq: { type: 'integer' }, rows: count, sm3: { type: 'string' }, stored: { type: 'boolean' } },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    resource: resourceCode,
    status: { type: 'string', enum: ['open', 'committed', 'cancelled'] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { type: 'string', maxLength: 4000 },
  },
} as const;

export const submissionListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: submissionSchema }, next: { type: 'string' } },
} as const;

export const rowsPageSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'row', 'flagged', 'updatedAt'],
        properties: {
          key: { type: 'array', items: { type: 'string' } },
          row: { type: 'object', additionalProperties: { type: 'string' } },
          flagged: { type: 'boolean' },
          updatedAt: { type: 'string' },
        },
      },
    },
    next: { type: 'string' },
  },
} as const;

export const statsSchema = {
  type: 'object',
  required: ['resource', 'rows', 'flagged', 'digest'],
  properties: { resource: { type: 'string' }, rows: count, flagged: count, digest: { type: 'string' } },
} as const;

export { resourceCode };
