import { SCHEMA_BASE_URI, schemaId } from '@minjiang/standards';
import { errorSchema } from '../../http/schemas.js';

/** JSON Schemas of the governance routes (problem tickets, objections, quality scores). */

const dictionary = (name: string) => ({
  $ref: `${SCHEMA_BASE_URI}common/dictionary-1.0.json#/$defs/${name}`,
});

export const TICKET_STATUSES = ['open', 'acknowledged', 'disputed', 'corrected', 'closed'] as const;
export const PROBLEM_STATUSES = ['open', 'corrected', 'waived'] as const;

/** 409s also say the ticket's current status. */
const governanceErrorSchema = {
  ...errorSchema,
  properties: { ...errorSchema.properties, currentStatus: { type: 'string' } },
} as const;

export function governanceErrors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, governanceErrorSchema]));
}

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const limit = { type: 'integer', minimum: 1, maximum: 500, default: 100 } as const;
const cursor = { type: 'string', maxLength: 200 } as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const codeParams = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: { code: dictionary('resourceCode') },
} as const;

export const ticketQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    resource: { type: 'string', maxLength: 48 },
    status: { type: 'string', enum: TICKET_STATUSES },
    kind: { type: 'string', enum: ['submission', 'objection'] },
    limit,
    cursor,
  },
} as const;

export const problemQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status: { type: 'string', enum: PROBLEM_STATUSES }, limit, cursor },
} as const;

const historyItem = {
  type: 'object',
  required: ['action', 'from', 'to', 'actor', 'at'],
  properties: {
    action: { type: 'string' },
    from: { type: ['string', 'null'] },
    to: { type: 'string' },
    actor: {
      type: 'object',
      properties: { tokenId: { type: ['string', 'null'] }, orgId: { type: ['string', 'null'] } },
    },
    reason: { type: 'string' },
    at: { type: 'string' },
  },
} as const;

export const ticketSchema = {
  type: 'object',
  required: [
    'id',
    'resource',
    'organisation',
    'kind',
    'status',
    'deadline',
    'records',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string' },
    resource: { type: 'string' },
    organisation: { type: 'string' },
    submission: { type: 'string' },
    kind: { type: 'string', enum: ['submission', 'objection'] },
    status: { type: 'string', enum: TICKET_STATUSES },
    deadline: { type: 'string' },
    records: {
      type: 'object',
      required: ['total', 'open'],
      properties: { total: { type: 'integer' }, open: { type: 'integer' } },
    },
    reason: { type: 'string' },
    raisedBy: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    closedAt: { type: 'string' },
    escalation: {
      type: 'object',
      required: ['level', 'at'],
      properties: { level: { type: 'integer' }, at: { type: 'string' }, nextAt: { type: 'string' } },
    },
    history: { type: 'array', items: historyItem },
  },
} as const;

export const ticketListSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: ticketSchema }, next: { type: 'string' } },
} as const;

const findingSchema = {
  type: 'object',
  required: ['code', 'severity', 'row', 'message'],
  properties: {
    code: { type: 'string' },
    severity: { type: 'string', enum: ['error', 'warning'] },
    row: { type: 'integer' },
    line: { type: 'integer' },
    column: { type: 'string' },
    item: { type: 'string' },
    value: { type: 'string' },
    message: { type: 'string' },
    hint: { type: 'string' },
    fix: { type: 'string' },
    problemType: { type: 'string' },
  },
} as const;

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const problemListSchema = {
  type: 'object',
  required: ['header', 'items'],
  properties: {
    header: { type: 'array', items: { type: 'string' } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'row', 'status', 'findings'],
        properties: {
          id: { type: 'string' },
          rowNumber: { type: 'integer' },
          key: { type: 'array', items: { type: 'string' } },
          row: stringMap,
          status: { type: 'string', enum: PROBLEM_STATUSES },
          findings: { type: 'array', items: findingSchema },
          correction: stringMap,
        },
      },
    },
    next: { type: 'string' },
  },
} as const;

export const problemRecordSchema = { $ref: schemaId('problem-record') } as const;

export const disputeBody = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: { reason: text },
} as const;

export const acknowledgeBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {},
} as const;

export const resolveBody = {
  type: 'object',
  required: ['decision', 'reason'],
  additionalProperties: false,
  properties: { decision: { type: 'string', enum: ['reopen', 'close'] }, reason: text },
} as const;

export const correctionsBody = {
  type: 'object',
  required: ['corrections'],
  additionalProperties: false,
  properties: {
    corrections: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['problem', 'values'],
        additionalProperties: false,
        properties: {
          problem: { type: 'string', maxLength: 64 },
          values: {
            type: 'object',
            description:
              'Item name → new value; numbers and booleans (from spreadsheets) are taken as text, null as empty',
            additionalProperties: {
              anyOf: [
                { type: 'string', maxLength: 10_000 },
                { type: 'number' },
                { type: 'boolean' },
                { type: 'null' },
              ],
            },
          },
        },
      },
    },
  },
} as const;

export const correctionsAnswer = {
  type: 'object',
  required: ['accepted', 'rejected', 'ticket'],
  properties: {
    accepted: { type: 'array', items: { type: 'string' } },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        required: ['problem', 'findings'],
        properties: { problem: { type: 'string' }, findings: { type: 'array', items: findingSchema } },
      },
    },
    ticket: ticketSchema,
  },
} as const;

export const objectionBody = {
  type: 'object',
  required: ['key', 'items', 'reason'],
  additionalProperties: false,
  properties: {
    key: { type: 'object', minProperties: 1, additionalProperties: { type: 'string', maxLength: 500 } },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      items: { type: 'string', maxLength: 100 },
    },
    reason: text,
    problemType: dictionary('problemType'),
  },
} as const;

const figure = { type: 'number', minimum: 0, maximum: 1 } as const;
const figures = {
  completeness: figure,
  validity: figure,
  uniqueness: figure,
  timeliness: figure,
  score: { type: 'number', minimum: 0, maximum: 100 },
  measuredAt: { type: 'string' },
} as const;
const required = ['completeness', 'validity', 'uniqueness', 'timeliness', 'score', 'measuredAt'];

export const resourceQualitySchema = {
  type: 'object',
  required: ['resource', 'organisation', ...required, 'detail'],
  properties: {
    resource: { type: 'string' },
    organisation: { type: 'string' },
    ...figures,
    detail: {
      type: 'object',
      required: ['hasData'],
      properties: {
        hasData: { type: 'boolean' },
        lastSubmission: { type: 'string' },
        rows: { type: 'integer' },
        openProblems: { type: 'integer' },
        submittedRows: { type: 'integer' },
        duplicateRows: { type: 'integer' },
        filledCells: { type: 'integer' },
        checkedCells: { type: 'integer' },
        lastCommitAt: { type: 'string' },
        updateCycle: { type: 'string' },
      },
    },
  },
} as const;

export const organisationQualitySchema = {
  type: 'object',
  required: ['organisation', ...required, 'detail'],
  properties: {
    organisation: { type: 'string' },
    ...figures,
    detail: {
      type: 'object',
      required: ['hasData', 'resources'],
      properties: {
        hasData: { type: 'boolean' },
        resources: {
          type: 'array',
          items: {
            type: 'object',
            properties: { resource: { type: 'string' }, ...figures },
          },
        },
      },
    },
  },
} as const;

export const orgParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
