import { SCHEMA_BASE_URI, schemaId } from '@minjiang/standards';
import { historyItem, nextSchema } from '../workflow/schemas.js';
import { stateErrorResponses } from '../../http/schemas.js';

/** JSON Schemas of the demand routes (docs/sharing-api.md, "Demands"). */

const dictionary = (name: string) => ({
  $ref: `${SCHEMA_BASE_URI}common/dictionary-1.0.json#/$defs/${name}`,
});

export const DEMAND_STATES = [
  'DRAFT',
  'SUBMITTED',
  'ROUTED',
  'CLAIMED',
  'FULFILLED',
  'DECLINED',
  'CLOSED',
  'WITHDRAWN',
] as const;

export const DEMAND_ACTIONS = ['submit', 'route', 'claim', 'fulfil', 'decline', 'close', 'withdraw'] as const;

/** 409s also say the current state and the actions possible from it. */
export const demandErrors = stateErrorResponses;

const orgId = { type: 'string', minLength: 1, maxLength: 64 } as const;
const reason = { type: 'string', maxLength: 2000 } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const demandQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    as: { type: 'string', enum: ['requester', 'provider'] },
    state: { type: 'string', enum: DEMAND_STATES },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    cursor: { type: 'string', maxLength: 200 },
  },
} as const;

/** The fields a requester files (standards demand-1.0, less what the hub owns). */
const filed = {
  subject: dictionary('shortText'),
  description: dictionary('longText'),
  wantedItems: {
    type: 'array',
    minItems: 1,
    maxItems: 200,
    uniqueItems: true,
    items: dictionary('name'),
  },
  purpose: dictionary('longText'),
  legalBasis: dictionary('longText'),
  scenario: dictionary('scenarioClass'),
  urgency: { type: 'string', enum: ['NORMAL', 'URGENT', 'CRITICAL'] },
  expectedProvider: orgId,
  expectedDate: dictionary('date'),
  contact: {
    type: 'object',
    required: ['name', 'phone'],
    additionalProperties: false,
    properties: { name: dictionary('name'), phone: dictionary('phone') },
  },
} as const;

export const createBody = {
  type: 'object',
  required: ['subject', 'wantedItems', 'purpose', 'scenario', 'urgency', 'contact'],
  additionalProperties: false,
  properties: { ...filed, submit: { type: 'boolean', default: true } },
} as const;

/** What every transition message may carry. */
const message = {
  messageId: { type: 'string', minLength: 1, maxLength: 64 },
  expectedState: { type: 'string', enum: DEMAND_STATES },
} as const;

const plainBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: message,
} as const;

/** Reasons are checked by the service (422 HUB_ERR_REASON_REQUIRED), not by the schema (400). */
const reasonBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { ...message, reason },
} as const;

export const TRANSITION_BODIES = {
  submit: plainBody,
  route: {
    type: 'object',
    required: ['provider'],
    additionalProperties: false,
    properties: { ...message, provider: orgId },
  },
  claim: plainBody,
  fulfil: {
    type: 'object',
    required: ['resourceCode'],
    additionalProperties: false,
    properties: { ...message, resourceCode: dictionary('resourceCode'), note: dictionary('longText') },
  },
  decline: reasonBody,
  close: plainBody,
  withdraw: reasonBody,
} as const;

const str = { type: 'string' } as const;

export const demandSchema = {
  type: 'object',
  required: [
    'id',
    'requester',
    'state',
    'subject',
    'wantedItems',
    'purpose',
    'scenario',
    'urgency',
    'contact',
    'next',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    requester: { type: 'string' },
    provider: { type: 'string' },
    state: { type: 'string', enum: DEMAND_STATES },
    subject: str,
    description: str,
    wantedItems: { type: 'array', items: str },
    purpose: str,
    legalBasis: str,
    scenario: str,
    urgency: str,
    expectedProvider: str,
    expectedDate: str,
    contact: {
      type: 'object',
      required: ['name', 'phone'],
      properties: { name: str, phone: str },
    },
    fulfilment: {
      type: 'object',
      required: ['resourceCode', 'fulfilledAt'],
      properties: {
        resourceCode: { type: 'string' },
        note: { type: 'string' },
        fulfilledAt: { type: 'string' },
      },
    },
    reason: { type: 'string' },
    deadline: { type: 'string' },
    breachedAt: { type: 'string' },
    next: nextSchema,
    history: { type: 'array', items: historyItem },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

export const demandListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: demandSchema }, next: { type: 'string' } },
} as const;

export const demandDocumentSchema = { $ref: schemaId('demand') } as const;
