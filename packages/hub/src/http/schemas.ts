/** JSON Schemas of the hub's own HTTP shapes (the standards' documents are referenced by $id). */

export const issueSchema = {
  type: 'object',
  required: ['code', 'severity', 'location', 'message'],
  properties: {
    code: { type: 'string' },
    severity: { type: 'string', enum: ['error', 'warning'] },
    location: { type: 'string' },
    message: { type: 'string' },
    hint: { type: 'string' },
    expected: { type: 'string' },
    found: { type: 'string' },
  },
} as const;

/** Every error answer: a stable code, a message in the caller's language, a hint, the request id. */
export const errorSchema = {
  type: 'object',
  required: ['code', 'message', 'requestId'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    hint: { type: 'string' },
    requestId: { type: 'string' },
    issues: { type: 'array', items: issueSchema },
    currentVersion: { type: 'integer' },
    etag: { type: 'string' },
  },
} as const;

/** An error of a workflow step: a 409 also says the current state and the steps open in it. */
export const stateErrorSchema = {
  ...errorSchema,
  properties: {
    ...errorSchema.properties,
    currentState: { type: 'string' },
    allowed: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Error responses of workflow routes. */
export function stateErrorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, stateErrorSchema]));
}

/** Responses every authenticated route can give besides its own. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorSchema]));
}

/** The error statuses of any route that needs a token. */
export const AUTH_ERRORS = [401, 403] as const;
