import type { ExchangeEnvelope, ExchangeError } from '../generated/types.js';
import { one, type Rule } from './rule.js';

export const EXCHANGE_ERROR_STATUS: Readonly<Record<string, readonly number[]>> = {
  'CLI.BAD_REQUEST': [400],
  'CLI.DIGEST_MISMATCH': [400],
  'CLI.SIG_INVALID': [401],
  'CLI.KEY_UNKNOWN': [401],
  'CLI.TIMESTAMP_SKEW': [401],
  'CLI.NONCE_REPLAY': [401],
  'HUB.GRANT_NONE': [403],
  'HUB.GRANT_EXPIRED': [403],
  'HUB.GRANT_SUSPENDED': [403],
  'HUB.PURPOSE_MISMATCH': [403],
  'HUB.FIELD_NOT_GRANTED': [403],
  'HUB.QUOTA_EXCEEDED': [429],
  'HUB.RATE_LIMITED': [429],
  'HUB.PROVIDER_UNREACHABLE': [502, 504],
  'HUB.PROVIDER_TIMEOUT': [502, 504],
  'HUB.ROUTE_LOOP': [508],
  'HUB.ROUTE_REFUSED': [403],
  'HUB.UPSTREAM_UNAVAILABLE': [502],
  'HUB.UPSTREAM_TIMEOUT': [504],
  'HUB.LOG_UNAVAILABLE': [503],
  'HUB.CONF_EXPIRED': [503],
  'HUB.INTERNAL': [500],
};

const RETRY_STATUSES = new Set([429, 503]);
const SUCCESS_ONLY = ['data', 'page', 'meta'] as const;
const ERROR_ONLY = ['hint', 'retryAfter'] as const;

/** Rules of a response envelope (EXC-001–003, EXC-008). */
export const envelopeRules: Rule<ExchangeEnvelope>[] = [
  {
    code: 'EXC-001',
    description: 'A success envelope (code "0") has no error fields.',
    check: (envelope) =>
      envelope.code !== '0'
        ? []
        : ERROR_ONLY.filter((property) => envelope[property] !== undefined).map((property) => ({
            code: 'EXC-001',
            location: `/${property}`,
            params: { property },
          })),
  },
  {
    code: 'EXC-002',
    description: 'An error envelope has no data, page or meta.',
    check: (envelope) =>
      envelope.code === '0'
        ? []
        : SUCCESS_ONLY.filter((property) => envelope[property] !== undefined).map((property) => ({
            code: 'EXC-002',
            location: `/${property}`,
            params: { property, found: envelope.code },
          })),
  },
  {
    code: 'EXC-003',
    description: 'meta.records does not exceed page.size.',
    check: ({ page, meta }) =>
      one(
        page !== undefined &&
          meta !== undefined &&
          meta.records > page.size && {
            code: 'EXC-003',
            location: '/meta/records',
            params: { found: meta.records, expected: page.size },
            expected: `≤ ${page.size}`,
            found: String(meta.records),
          },
      ),
  },
  {
    code: 'EXC-008',
    description: 'CLI. and HUB. codes are those of exchange.md §8.3.',
    check: ({ code }) =>
      one(
        (code.startsWith('CLI.') || code.startsWith('HUB.')) &&
          EXCHANGE_ERROR_STATUS[code] === undefined && {
            code: 'EXC-008',
            location: '/code',
            params: { found: code },
            found: code,
          },
      ),
  },
];

/** Rules of an error body (EXC-004–007). */
export const errorRules: Rule<ExchangeError>[] = [
  {
    code: 'EXC-004',
    description: "origin is the code's prefix.",
    check: ({ code, origin }) => {
      const prefix = code.split('.')[0] ?? '';
      return one(
        prefix !== origin && {
          code: 'EXC-004',
          location: '/origin',
          params: { found: origin, expected: prefix },
          expected: prefix,
          found: origin,
        },
      );
    },
  },
  {
    code: 'EXC-005',
    description: 'The HTTP status is the one §8.3 gives the code.',
    check: ({ code, httpStatus }) => {
      const allowed = EXCHANGE_ERROR_STATUS[code];
      if (allowed === undefined || allowed.includes(httpStatus)) return [];
      const expected = allowed.join('/');
      return [
        {
          code: 'EXC-005',
          location: '/httpStatus',
          params: { code, expected, found: httpStatus },
          expected,
          found: String(httpStatus),
        },
      ];
    },
  },
  {
    code: 'EXC-006',
    description: 'HUB.QUOTA_EXCEEDED and HUB.RATE_LIMITED carry retryAfter.',
    check: ({ code, httpStatus, retryAfter }) =>
      one(
        httpStatus === 429 &&
          retryAfter === undefined && { code: 'EXC-006', location: '/retryAfter', params: { code } },
      ),
  },
  {
    code: 'EXC-007',
    description: 'retryAfter only accompanies 429 and 503.',
    check: ({ code, httpStatus, retryAfter }) =>
      one(
        retryAfter !== undefined &&
          !RETRY_STATUSES.has(httpStatus) && {
            code: 'EXC-007',
            location: '/retryAfter',
            params: { code, status: httpStatus },
          },
      ),
  },
];

// ---------------------------------------------------------------------------------------------
// Package descriptors (PKG)
