import { SCHEMA_BASE_URI } from '@minjiang/standards';
import { stateErrorSchema } from '../../http/schemas.js';
import { historyItem, nextSchema } from '../workflow/schemas.js';

/** JSON Schemas of the application and grant routes (docs/sharing-api.md). */

const dictionary = (name: string) => ({
  $ref: `${SCHEMA_BASE_URI}common/dictionary-1.0.json#/$defs/${name}`,
});

export const APPLICATION_STATES = [
  'DRAFT',
  'SUBMITTED',
  'PRECHECK',
  'PROVIDER_REVIEW',
  'OFFERED',
  'ACCEPTED',
  'APPROVED',
  'ACTIVE',
  'REJECTED',
  'ESCALATED',
  'WITHDRAWN',
  'EXPIRED',
  'REVOKED',
  'SUSPENDED',
] as const;

/** 409s also say the current state and the steps open in it. */
const workflowErrorSchema = {
  ...stateErrorSchema,
  properties: { ...stateErrorSchema.properties, items: { type: 'array', items: { type: 'string' } } },
} as const;

export function workflowErrors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, workflowErrorSchema]));
}

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const names = {
  type: 'array',
  minItems: 1,
  maxItems: 2000,
  items: { type: 'string', minLength: 1, maxLength: 100 },
} as const;
const mode = { type: 'string', enum: ['API', 'PACKAGE', 'VERIFY'] } as const;
const masking = { type: 'string', maxLength: 32, pattern: '^MP-[A-Z0-9]+(-[A-Z0-9]+)*$' } as const;
const period = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: dictionary('date'), to: dictionary('date') },
} as const;
const quota = {
  type: 'object',
  additionalProperties: false,
  properties: {
    perDay: { type: 'integer', minimum: 1, maximum: 100000000 },
    perSecond: { type: 'integer', minimum: 1, maximum: 100000 },
  },
} as const;
const rowFilter = { type: 'string', minLength: 1, maxLength: 255 } as const;
const message = {
  messageId: { type: 'string', minLength: 1, maxLength: 64 },
  expectedState: { type: 'string', enum: APPLICATION_STATES },
  reason: text,
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const credentialParams = {
  type: 'object',
  required: ['id', 'appKey'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 64 },
    appKey: { type: 'string', minLength: 1, maxLength: 40 },
  },
} as const;

const requestProperties = {
  resourceCode: dictionary('resourceCode'),
  items: names,
  purposeCode: dictionary('identifier'),
  purpose: text,
  scenario: {
    type: 'object',
    required: ['class', 'description'],
    additionalProperties: false,
    properties: { class: dictionary('scenarioClass'), description: text },
  },
  legalBasis: text,
  relatedMatter: { type: 'string', minLength: 1, maxLength: 255 },
  mode,
  period,
  expectedVolume: {
    type: 'object',
    required: ['perDay'],
    additionalProperties: false,
    properties: { perDay: { type: 'integer', minimum: 1, maximum: 100000000 } },
  },
  masking: {
    type: 'object',
    required: ['profile'],
    additionalProperties: false,
    properties: { profile: masking },
  },
  contact: {
    type: 'object',
    required: ['name', 'phone'],
    additionalProperties: false,
    properties: { name: dictionary('name'), phone: dictionary('phone') },
  },
  securityCommitment: {
    type: 'object',
    required: ['accepted', 'text'],
    additionalProperties: false,
    properties: { accepted: { const: true }, text, signedAt: dictionary('dateTime') },
  },
} as const;

const REQUIRED = [
  'resourceCode',
  'items',
  'purposeCode',
  'purpose',
  'scenario',
  'legalBasis',
  'mode',
  'period',
  'contact',
  'securityCommitment',
];

export const createBody = {
  type: 'object',
  required: REQUIRED,
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['sharing', 'open'] },
    ...requestProperties,
    submit: { type: 'boolean' },
  },
} as const;

/** Every step's body: the message fields and, by step, what it carries; unknown members refused. */
export const stepBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    ...message,
    quota,
    rowFilter,
    masking,
    items: names,
    period,
    mode,
    offerId: { type: 'string', minLength: 1, maxLength: 64 },
    offerDigest: dictionary('sm3Digest'),
  },
} as const;

const offerSchema = {
  type: 'object',
  required: ['id', 'digest', 'items', 'masking', 'quota', 'period', 'mode'],
  properties: {
    id: { type: 'string' },
    digest: { type: 'string' },
    items: { type: 'array', items: { type: 'string' } },
    masking: { type: 'string' },
    quota,
    period,
    mode,
    rowFilter: { type: 'string' },
  },
} as const;

/** A routed application (made here for another hub's resource; docs/cascade-routing.md). */
const routedSchema = {
  type: 'object',
  required: ['owner', 'via', 'status'],
  properties: {
    owner: { type: ['string', 'null'], description: 'the hub that owns the resource, once known' },
    via: { type: 'array', items: { type: 'string' }, description: 'hub codes passed, this hub first' },
    status: { type: 'string', enum: ['forwarding', 'owner', 'refused'] },
    remoteId: { type: 'string', description: "the owner hub's application id" },
    pending: { type: 'array', items: { type: 'string' }, description: 'steps queued for the owner hub' },
    refusal: {
      type: 'object',
      properties: { status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export const applicationSchema = {
  type: 'object',
  required: [
    'id',
    'kind',
    'resourceCode',
    'resourceVersion',
    'provider',
    'applicant',
    'shareType',
    'state',
    'request',
    'final',
    'next',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['sharing', 'open'] },
    resourceCode: { type: 'string' },
    resourceVersion: { type: 'integer' },
    provider: { type: 'string' },
    applicant: { type: 'string' },
    shareType: { type: 'string', enum: ['UNCONDITIONAL', 'CONDITIONAL', 'NONE'] },
    state: { type: 'string', enum: APPLICATION_STATES },
    request: { type: 'object', properties: { kind: { type: 'string' }, ...requestProperties } },
    offer: offerSchema,
    grant: { type: 'string' },
    reason: { type: 'string' },
    final: { type: 'boolean' },
    deadline: { type: 'string' },
    breachedAt: { type: 'string' },
    next: nextSchema,
    history: { type: 'array', items: historyItem },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    routed: routedSchema,
  },
} as const;

export const applicationListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: applicationSchema }, next: { type: 'string' } },
} as const;

export const applicationQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    as: { type: 'string', enum: ['applicant', 'provider'] },
    state: { type: 'string', enum: APPLICATION_STATES },
    resource: { type: 'string', maxLength: 48 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

export const documentSchema = { $ref: `${SCHEMA_BASE_URI}application/sharing-application-1.0.json` } as const;

export const grantSchema = {
  type: 'object',
  required: [
    'id',
    'application',
    'status',
    'assigner',
    'assignee',
    'resourceCode',
    'resourceVersion',
    'mode',
    'items',
    'purposeCode',
    'masking',
    'quota',
    'validFrom',
    'validTo',
    'issuedAt',
    'envelope',
    'document',
  ],
  properties: {
    signer: {
      type: 'object',
      description: "a routed grant: the owner hub's node key that signed it, as the province vouches for it",
      properties: { hub: { type: 'string' }, keyId: { type: 'string' }, publicKey: { type: 'string' } },
    },
    id: { type: 'string' },
    application: { type: 'string' },
    status: { type: 'string', enum: ['active', 'suspended', 'revoked', 'expired'] },
    assigner: { type: 'string' },
    assignee: { type: 'string' },
    resourceCode: { type: 'string' },
    resourceVersion: { type: 'integer' },
    mode,
    items: { type: 'array', items: { type: 'string' } },
    purposeCode: { type: 'string' },
    masking: { type: 'string' },
    rowFilter: { type: 'string' },
    quota,
    validFrom: { type: 'string' },
    validTo: { type: 'string' },
    issuedAt: { type: 'string' },
    envelope: {
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
    },
    // The signed document as issued (exchange/grant-1.0); serialised as is, since the
    // serializer cannot compile that schema's tuple @context and free-typed operands.
    document: { type: 'object', additionalProperties: true, description: 'exchange/grant-1.0' },
  },
} as const;

export const issueCredentialBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { rotate: { type: 'boolean' }, publicKey: { type: 'string', maxLength: 200 } },
} as const;

const credentialSchema = {
  type: 'object',
  required: ['appKey', 'status', 'createdAt'],
  properties: {
    appKey: { type: 'string' },
    status: { type: 'string', enum: ['active', 'revoked'] },
    createdAt: { type: 'string' },
    revokedAt: { type: 'string' },
  },
} as const;

export const credentialListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: credentialSchema } },
} as const;
export const revokedCredentialSchema = credentialSchema;

export const issuedCredentialSchema = {
  type: 'object',
  required: ['appKey', 'alg', 'grant', 'createdAt'],
  properties: {
    alg: { type: 'string', enum: ['hmac-sm3', 'sm2-sm3'] },
    appKey: { type: 'string' },
    secret: { type: 'string' },
    grant: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const ids = { type: 'array', items: { type: 'string' } } as const;
export const sweepSchema = {
  type: 'object',
  required: ['applications', 'demands', 'tickets', 'deliveries'],
  properties: {
    applications: {
      type: 'object',
      required: ['escalated', 'expired', 'breached'],
      properties: { escalated: ids, expired: ids, breached: ids },
    },
    demands: { type: 'object', required: ['breached'], properties: { breached: ids } },
    tickets: {
      type: 'object',
      required: ['escalated', 'reescalated'],
      properties: { escalated: ids, reescalated: ids },
    },
    deliveries: {
      type: 'object',
      required: ['sent', 'failed', 'retried'],
      properties: { sent: { type: 'integer' }, failed: { type: 'integer' }, retried: { type: 'integer' } },
    },
  },
} as const;
