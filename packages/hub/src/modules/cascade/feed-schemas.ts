/** JSON Schemas of the cascade feed and sync routes (docs/cascade-api.md). */
import { errorSchema, issueSchema } from '../../http/schemas.js';

export const feedQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: {
      type: 'string',
      maxLength: 32,
      description: 'c<seq> (change feed) or s<seq> (snapshot listing)',
    },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

/** The signed page: a DSSE envelope of application/vnd.ses.feed-page+json;v=1. */
export const feedPageEnvelope = {
  type: 'object',
  required: ['payloadType', 'payload', 'signatures'],
  properties: {
    payloadType: { type: 'string' },
    payload: { type: 'string' },
    signatures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['keyid', 'sig'],
        properties: { keyid: { type: 'string' }, sig: { type: 'string' } },
      },
    },
  },
} as const;

export const childParams = {
  type: 'object',
  required: ['hub'],
  properties: { hub: { type: 'string', pattern: '^[1-9][0-9]{5}$' } },
} as const;

export const syncBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['changes', 'full'], default: 'changes' },
    confirm: { type: 'boolean', default: false },
  },
} as const;

const counts = {
  type: 'object',
  properties: Object.fromEntries(
    ['create', 'update', 'tombstone', 'unchanged', 'stale-version-ignored'].map((kind) => [
      kind,
      { type: 'integer' },
    ]),
  ),
} as const;

const failure = {
  type: ['object', 'null'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    status: { type: 'integer' },
    issues: { type: 'array', items: issueSchema },
  },
} as const;

export const syncSummarySchema = {
  type: 'object',
  required: [
    'hub',
    'mode',
    'applied',
    'counts',
    'removals',
    'live',
    'blocked',
    'cursor',
    'head',
    'refused',
    'error',
  ],
  properties: {
    hub: { type: 'string' },
    mode: { type: 'string', enum: ['changes', 'full'] },
    applied: { type: 'boolean' },
    counts,
    removals: { type: 'integer' },
    live: { type: 'integer' },
    blocked: {
      type: ['object', 'null'],
      properties: {
        removals: { type: 'integer' },
        live: { type: 'integer' },
        share: { type: 'number' },
        maxShare: { type: 'number' },
        message: { type: 'string' },
      },
    },
    cursor: {
      type: 'object',
      properties: { previous: { type: 'integer' }, next: { type: 'integer' } },
    },
    head: { type: 'integer' },
    refused: { type: 'array', items: issueSchema },
    error: failure,
  },
} as const;

/** 409 HUB_ERR_CASCADE_BLOCKED carries the plan the admin is asked to confirm. */
export const blockedErrorSchema = {
  ...errorSchema,
  properties: { ...errorSchema.properties, summary: syncSummarySchema },
} as const;

export const entriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    origin: { type: 'string', pattern: '^[1-9][0-9]{5}$' },
    q: { type: 'string', minLength: 1, maxLength: 200 },
    status: { type: 'string', enum: ['live', 'tombstone', 'absent'] },
    cursor: { type: 'string', maxLength: 400 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  },
} as const;

export const entriesPage = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['origin', 'object', 'version', 'status', 'resourceCode', 'syncedAt'],
        properties: {
          origin: { type: 'string' },
          object: { type: 'string' },
          version: { type: 'integer' },
          status: { type: 'string', enum: ['live', 'tombstone', 'absent'] },
          digest: { type: ['string', 'null'] },
          resourceCode: { type: 'string' },
          name: { type: ['string', 'null'] },
          reason: { type: ['string', 'null'] },
          syncedAt: { type: 'string' },
          resource: { type: ['object', 'null'], additionalProperties: true },
        },
      },
    },
    next: { type: 'string' },
  },
} as const;
