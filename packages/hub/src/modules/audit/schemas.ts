import { schemaId } from '@minjiang/standards';

/** JSON Schemas of the audit routes' queries and answers. */

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const cursor = {
  type: 'string',
  pattern: '^[0-9]{1,15}$',
  description: 'The `next` of the previous page',
} as const;

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    action: { type: 'string', maxLength: 64, description: '`<type>.<action>`, e.g. catalog.change.approve' },
    actor: { type: 'string', maxLength: 64, description: 'Token id, or system:<name>' },
    org: { type: 'string', maxLength: 64, description: "The actor's organisation id" },
    object: { type: 'string', maxLength: 200 },
    result: { type: 'string', enum: ['success', 'failure'] },
    from: { type: 'string', format: 'date-time', maxLength: 40, description: 'From this time (inclusive)' },
    to: { type: 'string', format: 'date-time', maxLength: 40, description: 'Before this time (exclusive)' },
    cursor,
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

const entrySchema = {
  type: 'object',
  required: ['seq', 'time', 'action', 'actor', 'result', 'leaf', 'event', 'leafHash', 'chainHash'],
  properties: {
    seq: { type: 'integer' },
    time: { type: 'string' },
    action: { type: 'string' },
    actor: { type: 'string' },
    org: { type: ['string', 'null'] },
    object: { type: ['string', 'null'] },
    result: { type: 'string' },
    leaf: {
      type: 'object',
      additionalProperties: true,
      description: 'The leaf (audit/leaf-1.0), parsed; its exact bytes are in the export',
    },
    event: {
      type: 'object',
      additionalProperties: true,
      description: 'The full event from the evidence bundle the leaf commits to',
    },
    leafHash: hex64,
    chainHash: hex64,
  },
} as const;

export const listAnswerSchema = {
  type: 'object',
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: entrySchema },
    next: { type: ['string', 'null'] },
  },
} as const;

export const checkpointRecordSchema = {
  type: 'object',
  required: ['checkpoint', 'chainHash', 'note'],
  properties: {
    checkpoint: { $ref: schemaId('audit-checkpoint') },
    chainHash: { ...hex64, description: 'Chain hash after `size` entries' },
    note: { type: 'string', description: 'The signed text: origin, size, base64 root, "time <seconds>"' },
  },
} as const;

export const checkpointQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { cursor, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
} as const;

export const checkpointListSchema = {
  type: 'object',
  required: ['items', 'next'],
  properties: {
    items: { type: 'array', items: checkpointRecordSchema },
    next: { type: ['string', 'null'] },
  },
} as const;

export const exportQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'integer', minimum: 1, description: 'First seq (default 1)' },
    to: { type: 'integer', minimum: 0, description: 'Last seq (default and at most the head)' },
  },
} as const;

export const exportAnswerSchema = {
  description:
    'JSON Lines (minjiang-audit-export/1): a header, the entries in seq order, then the checkpoints in the range',
  content: { 'application/x-ndjson': { schema: { type: 'string' } } },
} as const;

export const verifyAnswerSchema = {
  type: 'object',
  required: ['ok'],
  properties: {
    ok: { type: 'boolean' },
    size: { type: 'integer', description: 'Entries verified (when ok)' },
    chainHash: hex64,
    checkpoints: { type: 'integer', description: 'Checkpoints verified (when ok)' },
    seq: { type: 'integer', description: 'The first bad entry or checkpoint size (when not ok)' },
    reason: {
      type: 'string',
      enum: [
        'SEQ_GAP',
        'SEQ_ORDER',
        'LEAF_HASH_MISMATCH',
        'CHAIN_BROKEN',
        'EVIDENCE_MISMATCH',
        'INDEX_MISMATCH',
        'CHECKPOINT_SIGNATURE',
        'CHECKPOINT_MISMATCH',
        'TRUNCATED',
        'HEAD_MISMATCH',
        'KEY_MISMATCH',
        'BAD_EXPORT',
      ],
    },
    detail: { type: 'string' },
  },
} as const;
