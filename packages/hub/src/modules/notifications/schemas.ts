import { errorResponses } from '../../http/schemas.js';

/** JSON Schemas of the webhook routes (docs/sharing-api.md, "Webhooks"). */

/** The events a webhook can ask for: `<subject kind>.<notification type>`, or `*` for all. */
export const WEBHOOK_EVENTS = [
  'application.action_needed',
  'application.decision',
  'application.sla_breach',
  'demand.action_needed',
  'demand.decision',
  'demand.sla_breach',
  'ticket.sla_breach',
] as const;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

export const webhookErrors = errorResponses;

const limit = { type: 'integer', minimum: 1, maximum: 500, default: 100 } as const;
const cursor = { type: 'string', maxLength: 200 } as const;

export const webhookIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 40 } },
} as const;

export const webhookBody = {
  type: 'object',
  required: ['url'],
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 8, maxLength: 2000 },
    events: {
      type: 'array',
      minItems: 1,
      maxItems: WEBHOOK_EVENTS.length + 1,
      uniqueItems: true,
      items: { type: 'string', enum: ['*', ...WEBHOOK_EVENTS] },
    },
  },
} as const;

export const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit, cursor },
} as const;

export const deliveryQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: DELIVERY_STATUSES }, limit, cursor },
} as const;

const webhookProperties = {
  id: { type: 'string' },
  org: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'array', items: { type: 'string' } },
  platform: { type: 'boolean' },
  createdAt: { type: 'string' },
  disabledAt: { type: 'string' },
} as const;

/** A webhook as lists show it: never its secret. */
export const webhookSchema = {
  type: 'object',
  required: ['id', 'org', 'url', 'events', 'platform', 'createdAt'],
  properties: webhookProperties,
} as const;

/** The answer to a registration: the only time the secret is shown. */
export const registeredSchema = {
  type: 'object',
  required: [...webhookSchema.required, 'secret'],
  properties: { ...webhookProperties, secret: { type: 'string' } },
} as const;

export const webhookListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: webhookSchema }, next: { type: 'string' } },
} as const;

export const deliverySchema = {
  type: 'object',
  required: ['id', 'event', 'status', 'attempts', 'nextAttemptAt', 'createdAt'],
  properties: {
    id: { type: 'string' },
    event: { type: 'string' },
    status: { type: 'string', enum: DELIVERY_STATUSES },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string' },
    lastError: { type: 'string' },
    createdAt: { type: 'string' },
    deliveredAt: { type: 'string' },
  },
} as const;

export const deliveryListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: deliverySchema }, next: { type: 'string' } },
} as const;
