import { SCHEMA_BASE_URI, schemaId } from '@minjiang/standards';
import { errorSchema, issueSchema } from '../../http/schemas.js';

/** JSON Schemas of the catalog routes; the entry itself is the standard's, referenced by `$id`. */

const dictionary = (name: string) => ({
  $ref: `${SCHEMA_BASE_URI}common/dictionary-1.0.json#/$defs/${name}`,
});

export const CATALOG_STATUSES = [
  'draft',
  'submitted',
  'published',
  'rejected',
  'withdrawn',
  'superseded',
] as const;

/** Errors of the catalog routes also say the state a 409 or 412 found. */
export const catalogErrorSchema = {
  ...errorSchema,
  properties: { ...errorSchema.properties, currentStatus: { type: 'string' } },
} as const;

export function catalogErrors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, catalogErrorSchema]));
}

export const codeParams = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: { code: dictionary('resourceCode') },
} as const;

export const hashSchema = dictionary('sm3Digest');
const hash = hashSchema;
const version = { type: 'integer', minimum: 1 } as const;
const status = { type: 'string', enum: CATALOG_STATUSES } as const;
const signature = {
  type: 'object',
  required: ['keyId', 'algorithm', 'value'],
  properties: {
    keyId: { type: 'string' },
    algorithm: { type: 'string', const: 'sm2-sm3' },
    value: { type: 'string', description: 'DER signature in hex over the JCS form of payload' },
  },
} as const;

export const receiptSchema = {
  type: 'object',
  description: 'Signed by the hub key (GET /api/v1/hub/key); verify offline with verifyReceipt.',
  required: ['payload', 'signature'],
  properties: {
    payload: {
      type: 'object',
      required: ['v', 'hub', 'code', 'version', 'contentHash', 'status', 'time'],
      properties: {
        v: { type: 'integer', const: 1 },
        hub: { type: 'string' },
        code: { type: 'string' },
        version,
        contentHash: hash,
        status,
        time: { type: 'string', format: 'date-time' },
      },
    },
    signature,
  },
} as const;

const result = { type: 'string', enum: ['created', 'updated', 'unchanged'] } as const;

export const batchReceiptSchema = {
  type: 'object',
  description: 'One signature over every accepted entry of the batch.',
  required: ['payload', 'signature'],
  properties: {
    payload: {
      type: 'object',
      required: ['v', 'hub', 'time', 'items'],
      properties: {
        v: { type: 'integer', const: 1 },
        hub: { type: 'string' },
        time: { type: 'string', format: 'date-time' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['code', 'version', 'contentHash', 'status', 'result'],
            properties: { code: { type: 'string' }, version, contentHash: hash, status, result },
          },
        },
      },
    },
    signature,
  },
} as const;

export const writeAnswerSchema = {
  type: 'object',
  required: ['code', 'result', 'version', 'status', 'contentHash', 'etag', 'receipt'],
  properties: {
    code: { type: 'string' },
    result,
    version,
    status,
    contentHash: hash,
    etag: { type: 'string' },
    warnings: { type: 'array', items: issueSchema },
    receipt: receiptSchema,
  },
} as const;

export const batchBody = {
  type: 'object',
  required: ['entries'],
  additionalProperties: false,
  properties: {
    entries: { type: 'array', minItems: 1, items: { $ref: schemaId('catalog-resource') } },
    conditions: {
      type: 'object',
      description:
        'Preconditions per entry, keyed by resource code: ifMatch (the ETag last read) or ifNoneMatch "*" (create only), as a PUT takes them in headers; an entry whose precondition fails fails alone with 412',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          ifMatch: { type: 'string', maxLength: 200 },
          ifNoneMatch: { type: 'string', maxLength: 200 },
        },
      },
    },
  },
  'x-validated-by': 'standards',
} as const;

export const batchAnswerSchema = {
  type: 'object',
  required: ['summary', 'items'],
  properties: {
    summary: {
      type: 'object',
      required: ['created', 'updated', 'unchanged', 'failed'],
      properties: Object.fromEntries(
        ['created', 'updated', 'unchanged', 'failed'].map((k) => [k, { type: 'integer' }]),
      ),
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'result'],
        properties: {
          index: { type: 'integer' },
          code: { type: 'string' },
          result: { type: 'string', enum: ['created', 'updated', 'unchanged', 'failed'] },
          version,
          status,
          contentHash: hash,
          etag: { type: 'string' },
          error: {
            type: 'object',
            required: ['code', 'status', 'message'],
            properties: {
              code: { type: 'string' },
              status: { type: 'integer' },
              message: { type: 'string' },
              hint: { type: 'string' },
              issues: { type: 'array', items: issueSchema },
            },
          },
        },
      },
    },
    receipt: batchReceiptSchema,
  },
} as const;

export const transitionAnswerSchema = {
  type: 'object',
  required: ['code', 'action', 'version', 'status', 'contentHash', 'etag', 'receipt'],
  properties: {
    code: { type: 'string' },
    action: { type: 'string', enum: ['submit', 'approve', 'reject', 'withdraw'] },
    version,
    status,
    contentHash: hash,
    etag: { type: 'string' },
    receipt: receiptSchema,
  },
} as const;

const reason = { type: 'string', minLength: 1, maxLength: 1000 } as const;

export const emptyBody = { type: ['object', 'null'], additionalProperties: false, properties: {} } as const;
export const rejectBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason },
} as const;
export const withdrawBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason, version },
} as const;
