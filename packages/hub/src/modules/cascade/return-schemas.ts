/** Route schemas of the return flow 回流 (docs/cascade-return.md). */

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;

export const subscriptionSchema = {
  type: 'object',
  required: ['id', 'child', 'resource', 'regionItem', 'prefix', 'items', 'masking', 'state', 'head'],
  properties: {
    id: text,
    child: text,
    resource: text,
    regionItem: { type: 'string', description: 'the catalog item (name) that selects the rows' },
    prefix: { type: 'string', description: "the region code prefix the item's value starts with" },
    items: { type: 'array', items: text, description: 'the projection: item names released' },
    masking: text,
    grant: nullableText,
    reason: nullableText,
    state: { type: 'string', enum: ['ACTIVE', 'REVOKED'] },
    head: { type: 'integer', description: "the last seq of the subscription's change log" },
    createdBy: text,
    createdAt: text,
  },
} as const;

export const copySchema = {
  type: 'object',
  required: ['subscription', 'parent', 'resource', 'state', 'cursor', 'rows', 'stateDigest', 'verification'],
  properties: {
    subscription: text,
    parent: text,
    resource: text,
    regionItem: text,
    prefix: text,
    items: { type: 'array', items: text },
    masking: text,
    state: { type: 'string', enum: ['ACTIVE', 'REVOKED'] },
    cursor: { type: 'integer' },
    rows: { type: 'integer', description: 'rows held here' },
    stateDigest: { type: 'string', description: 'stateDigest of the rows held here' },
    parentHead: { type: 'integer' },
    parentRows: { type: ['integer', 'null'] },
    parentDigest: {
      type: ['string', 'null'],
      description: "the parent's stateDigest at its head, last read",
    },
    verification: { type: 'string', enum: ['pending', 'verified', 'diverged'] },
    lastSyncAt: nullableText,
    lastError: { type: ['object', 'null'], additionalProperties: true },
  },
} as const;

export const returnListAnswer = {
  type: 'object',
  required: ['role', 'subscriptions', 'copies'],
  properties: {
    role: { type: 'string', enum: ['province', 'city'] },
    subscriptions: {
      type: 'array',
      items: subscriptionSchema,
      description: 'at a province: those it serves',
    },
    copies: { type: 'array', items: copySchema, description: 'at a city: its copies and their state' },
  },
} as const;

export const childSubscriptionsAnswer = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: subscriptionSchema } },
} as const;

export const subscribeBody = {
  type: 'object',
  required: ['child', 'resource', 'regionItem', 'prefix'],
  additionalProperties: false,
  properties: {
    child: { type: 'string', pattern: '^[1-9][0-9]{5}$' },
    resource: { type: 'string', minLength: 1, maxLength: 48 },
    regionItem: { type: 'string', minLength: 1, maxLength: 100 },
    prefix: { type: 'string', pattern: '^[0-9]{2,12}$' },
    items: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 500 },
    masking: { type: 'string', minLength: 1, maxLength: 40 },
    grant: { type: 'string', minLength: 1, maxLength: 64 },
    reason: { type: 'string', maxLength: 1000 },
  },
} as const;

export const reasonBody = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 1000 } },
} as const;

export const pullBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    full: { type: 'boolean', description: 'copy again from the start, replacing the rows held' },
  },
} as const;

const issueSchema = { type: 'object', additionalProperties: true } as const;

export const pullAnswer = {
  type: 'object',
  required: ['pulls'],
  properties: {
    pulls: {
      type: 'array',
      items: {
        type: 'object',
        required: ['subscription', 'state', 'pages', 'applied', 'cursor', 'rows', 'verification', 'error'],
        properties: {
          subscription: text,
          state: text,
          pages: { type: 'integer' },
          applied: { type: 'integer', description: 'row changes applied' },
          cursor: { type: 'integer' },
          rows: { type: 'integer' },
          verification: { type: 'string', enum: ['pending', 'verified', 'diverged'] },
          error: {
            type: ['object', 'null'],
            properties: { code: text, message: text, issues: { type: 'array', items: issueSchema } },
          },
        },
      },
    },
  },
} as const;

export const subscriptionParams = {
  type: 'object',
  required: ['subscription'],
  properties: { subscription: { type: 'string', maxLength: 40 } },
} as const;

export const rowsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cursor: {
      type: 'string',
      pattern: '^[0-9a-f]{1,64}$',
      description: 'the seq (province) or row key (city) to read after',
    },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

/** The province answers a signed row page; the city its copied rows. */
export const rowsAnswer = {
  type: 'object',
  properties: {
    payloadType: text,
    payload: text,
    signatures: {
      type: 'array',
      items: { type: 'object', properties: { keyid: text, sig: text } },
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: text, digest: text, row: { type: 'object', additionalProperties: true } },
      },
    },
    next: nullableText,
  },
} as const;

export const nudgeAnswer = {
  type: 'object',
  required: ['pulling'],
  properties: { pulling: { type: 'boolean' } },
} as const;
