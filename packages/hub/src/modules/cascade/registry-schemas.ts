import { AUTH_ERRORS, errorSchema } from '../../http/schemas.js';

/** JSON Schemas of the registry routes (docs/cascade-api.md "Registration and approval"). */

const STATES = ['PENDING', 'APPROVED', 'REJECTED', 'REVOKED'] as const;
const hubCode = { type: 'string', pattern: '^[1-9][0-9]{5}$' } as const;
const nullableText = { type: ['string', 'null'] } as const;

/** A refusal relayed from the parent keeps the parent's answer under `parent`. */
const registryErrorSchema = {
  ...errorSchema,
  properties: {
    ...errorSchema.properties,
    parent: {},
    currentState: { type: 'string' },
    allowed: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function registryErrors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, registryErrorSchema]));
}

export function adminRegistryErrors(...statuses: number[]) {
  return registryErrors(...AUTH_ERRORS, ...statuses);
}

export const nodeKeySchema = {
  type: 'object',
  required: ['hub', 'keyId', 'publicKey'],
  properties: { hub: { type: 'string' }, keyId: { type: 'string' }, publicKey: { type: 'string' } },
} as const;

/**
 * The registration envelope is checked by `verifyRegistration` (422 with FED-3xx issues), not
 * here, so a malformed one is explained with the standard's codes rather than a bare 400.
 */
export const registrationBody = { type: 'object' } as const;

export const registrationAnswer = {
  type: 'object',
  required: ['hub', 'state', 'parent'],
  properties: { hub: { type: 'string' }, state: { type: 'string', enum: STATES }, parent: nodeKeySchema },
} as const;

const childProperties = {
  hub: { type: 'string' },
  name: { type: 'string' },
  region: { type: 'string' },
  baseUrl: { type: 'string' },
  keyId: { type: 'string' },
  publicKey: { type: 'string' },
  state: { type: 'string', enum: STATES },
  reason: nullableText,
  registeredAt: { type: 'string' },
  decidedAt: nullableText,
  decidedBy: nullableText,
} as const;

export const childSchema = {
  type: 'object',
  required: Object.keys(childProperties),
  properties: childProperties,
} as const;

/** A decision's answer also carries the province's node key, which the city pins. */
export const decisionAnswer = {
  type: 'object',
  required: [...Object.keys(childProperties), 'parent'],
  properties: { ...childProperties, parent: nodeKeySchema },
} as const;

/** The sync figures of a child (null before its first sync). */
const syncProperties = {
  cursor: { type: ['integer', 'null'] },
  head: { type: ['integer', 'null'] },
  lastSyncAt: nullableText,
  lastError: {},
  blocked: {},
} as const;

/** A child's registration with its sync figures; to the child itself also the parent's key. */
export const childStatusAnswer = {
  type: 'object',
  required: [...Object.keys(childProperties), ...Object.keys(syncProperties)],
  properties: { ...childProperties, ...syncProperties, parent: nodeKeySchema },
} as const;

export const childListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: STATES },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: hubCode,
  },
} as const;

export const childListAnswer = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: childSchema }, next: { type: 'string' } },
} as const;

export const childParams = {
  type: 'object',
  required: ['hub'],
  properties: { hub: hubCode },
} as const;

/** No body at all is an approval without remarks. */
export const decisionBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 2000 } },
} as const;

export const parentRegisterBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'baseUrl'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    region: hubCode,
    baseUrl: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const;

const parentProperties = {
  hub: { type: 'string' },
  baseUrl: { type: 'string' },
  state: { type: 'string', enum: STATES },
  reason: nullableText,
  keyId: nullableText,
  publicKey: nullableText,
  registeredAt: { type: 'string' },
  updatedAt: { type: 'string' },
} as const;

export const parentSchema = {
  type: 'object',
  required: Object.keys(parentProperties),
  properties: parentProperties,
} as const;

export const parentQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { refresh: { type: 'boolean', default: true } },
} as const;

/** A city's view of its parent, and what the parent said when asked just now. */
export const parentStatusAnswer = {
  type: 'object',
  required: ['parent'],
  properties: {
    parent: parentSchema,
    remote: { type: 'object', additionalProperties: true },
  },
} as const;
