/** JSON Schemas the workflows share: who acts next, and one history entry. */

/** Who must act next, with which steps, by when (docs/sharing-api.md). */
export const nextSchema = {
  type: 'object',
  required: ['party', 'role', 'org', 'actions', 'deadline'],
  properties: {
    party: { type: 'string', enum: ['applicant', 'platform', 'provider', 'requester', 'nobody'] },
    role: { type: ['string', 'null'], enum: ['officer', 'reviewer', 'admin', null] },
    org: { type: ['string', 'null'] },
    actions: { type: 'array', items: { type: 'string' } },
    deadline: { type: ['string', 'null'] },
  },
} as const;

/** One transition of an application or a demand. */
export const historyItem = {
  type: 'object',
  required: ['seq', 'action', 'from', 'to', 'actor', 'at'],
  properties: {
    seq: { type: 'integer' },
    action: { type: 'string' },
    from: { type: ['string', 'null'] },
    to: { type: 'string' },
    actor: {
      type: 'object',
      properties: {
        org: { type: ['string', 'null'] },
        token: { type: 'string' },
        system: { type: 'string' },
      },
    },
    reason: { type: 'string' },
    detail: { type: 'object', additionalProperties: true },
    at: { type: 'string' },
  },
} as const;
