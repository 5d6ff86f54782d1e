import type { ExchangeEnvelope, ExchangeError, Grant, PackageDescriptor } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import { one, type Rule } from './rule.js';

// ---------------------------------------------------------------------------------------------
// Grants (GRT)

interface ConstraintLike {
  leftOperand: string;
  operator: string;
  rightOperand: unknown;
}

/** The member part ({hub}/{class}/{USCC}) of a member or subsystem id. */
function memberOf(id: string): string {
  return id.split('/').slice(0, 3).join('/');
}

/** `urn:ses:ds:{hub}:{USCC}:{code}` → hub and USCC. */
function datasetOwner(urn: string): { hub: string; uscc: string } {
  const [, , , hub = '', uscc = ''] = urn.split(':');
  return { hub, uscc };
}

function dateTimeValue(operand: unknown): string | undefined {
  if (operand === null || typeof operand !== 'object') return undefined;
  const value = (operand as Record<string, unknown>)['@value'];
  return typeof value === 'string' ? value : undefined;
}

function eachPermission(
  grant: Grant,
  check: (constraints: ConstraintLike[], index: number) => Finding[],
): Finding[] {
  return grant.permission.flatMap((permission, index) =>
    check(permission.constraint as ConstraintLike[], index),
  );
}

const REQUIRED_OPERANDS = ['purpose', 'dateTime'] as const;

/** Rules of a grant (GRT-0xx). */
export const grantRules: Rule<Grant>[] = [
  {
    code: 'GRT-001',
    description: 'The dateTime (lteq) constraint ends after ses:issued.',
    check: (grant) =>
      eachPermission(grant, (constraints, p) =>
        constraints.flatMap((constraint, c) => {
          const value = dateTimeValue(constraint.rightOperand);
          if (constraint.leftOperand !== 'dateTime' || constraint.operator !== 'lteq' || value === undefined)
            return [];
          if (Date.parse(value) > Date.parse(grant['ses:issued'])) return [];
          return [
            {
              code: 'GRT-001',
              location: `/permission/${p}/constraint/${c}/rightOperand/@value`,
              params: { found: value, expected: grant['ses:issued'] },
              expected: `> ${grant['ses:issued']}`,
              found: value,
            },
          ];
        }),
      ),
  },
  {
    code: 'GRT-002',
    description: 'Every permission constrains purpose and dateTime.',
    check: (grant) =>
      eachPermission(grant, (constraints, p) => {
        const present = new Set(constraints.map((constraint) => constraint.leftOperand));
        const missing = REQUIRED_OPERANDS.filter((operand) => !present.has(operand));
        return missing.length === 0
          ? []
          : [
              {
                code: 'GRT-002',
                location: `/permission/${p}/constraint`,
                params: { missing: missing.join('、') },
              },
            ];
      }),
  },
  {
    code: 'GRT-003',
    description: 'VERIFY grants permit ses:verify; API and PACKAGE grants permit read.',
    check: (grant) => {
      const mode = grant['ses:mode'];
      const expected = mode === 'VERIFY' ? 'ses:verify' : 'read';
      return grant.permission.flatMap((permission, p) =>
        permission.action === expected
          ? []
          : [
              {
                code: 'GRT-003',
                location: `/permission/${p}/action`,
                params: { mode, expected, found: permission.action },
                expected,
                found: permission.action,
              },
            ],
      );
    },
  },
  {
    code: 'GRT-004',
    description:
      'A left operand is constrained at most once per operator and permission (a dateTime window has one gteq and one lteq).',
    check: (grant) =>
      eachPermission(grant, (constraints, p) => {
        const seen = new Set<string>();
        return constraints.flatMap((constraint, c) => {
          const key = `${constraint.leftOperand} ${constraint.operator}`;
          if (!seen.has(key)) {
            seen.add(key);
            return [];
          }
          return [
            {
              code: 'GRT-004',
              location: `/permission/${p}/constraint/${c}/leftOperand`,
              params: { found: key },
              found: key,
            },
          ];
        });
      }),
  },
  {
    code: 'GRT-005',
    description: 'The assigner owns ses:dataset (same hub and USCC).',
    check: (grant) => {
      const [hub, , uscc] = grant.assigner.split('/');
      const owner = datasetOwner(grant['ses:dataset']);
      return one(
        (hub !== owner.hub || uscc !== owner.uscc) && {
          code: 'GRT-005',
          location: '/assigner',
          params: { found: grant.assigner, expected: grant['ses:dataset'] },
          found: grant.assigner,
        },
      );
    },
  },
  {
    code: 'GRT-006',
    description: 'The target is a service of the assigner, or the granted dataset itself.',
    check: (grant) => {
      const { target } = grant;
      const ok = target.startsWith('urn:')
        ? target === grant['ses:dataset']
        : memberOf(target) === memberOf(grant.assigner);
      return one(!ok && { code: 'GRT-006', location: '/target', params: { found: target }, found: target });
    },
  },
  {
    code: 'GRT-007',
    description: 'The assignee is another member than the assigner.',
    check: (grant) => {
      const member = memberOf(grant.assignee);
      return one(
        member === memberOf(grant.assigner) && {
          code: 'GRT-007',
          location: '/assignee',
          params: { found: member },
          found: member,
        },
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Envelopes and errors (EXC)

/** HTTP statuses of the CLI. and HUB. error codes (exchange.md §8.3). */
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
  'HUB.LOG_UNAVAILABLE': [503],
  'HUB.CONF_EXPIRED': [503],
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

type Resource = PackageDescriptor['resources'][number];
type Field = Resource['schema']['fields'][number];

/** A resource's paths with their JSON Pointers. */
function pathsOf(resource: Resource, index: number): { path: string; location: string }[] {
  const { path } = resource as { path: unknown };
  if (typeof path === 'string') return [{ path, location: `/resources/${index}/path` }];
  if (!Array.isArray(path)) return [];
  return path.flatMap((part: unknown, j) =>
    typeof part === 'string' ? [{ path: part, location: `/resources/${index}/path/${j}` }] : [],
  );
}

function eachField(
  descriptor: PackageDescriptor,
  check: (field: Field, location: string, fields: Field[]) => Finding | false,
): Finding[] {
  return descriptor.resources.flatMap((resource, r) =>
    resource.schema.fields.flatMap((field, f) => {
      const finding = check(field, `/resources/${r}/schema/fields/${f}`, resource.schema.fields);
      return finding ? [finding] : [];
    }),
  );
}

/** Rules of a package descriptor (PKG-0xx). */
export const packageRules: Rule<PackageDescriptor>[] = [
  {
    code: 'PKG-001',
    description: 'Resource names are unique.',
    check: ({ resources }) => {
      const seen = new Set<string>();
      return resources.flatMap((resource, r) => {
        if (!seen.has(resource.name)) {
          seen.add(resource.name);
          return [];
        }
        return [
          {
            code: 'PKG-001',
            location: `/resources/${r}/name`,
            params: { found: resource.name },
            found: resource.name,
          },
        ];
      });
    },
  },
  {
    code: 'PKG-002',
    description: 'No path is used twice in the package.',
    check: ({ resources }) => {
      const seen = new Set<string>();
      return resources
        .flatMap((resource, r) => pathsOf(resource, r))
        .flatMap(({ path, location }) => {
          if (!seen.has(path)) {
            seen.add(path);
            return [];
          }
          return [{ code: 'PKG-002', location, params: { found: path }, found: path }];
        });
    },
  },
  {
    code: 'PKG-003',
    description: 'Payload paths lie under data/.',
    check: ({ resources }) =>
      resources
        .flatMap((resource, r) => pathsOf(resource, r))
        .filter(({ path }) => !path.startsWith('data/'))
        .map(({ path, location }) => ({ code: 'PKG-003', location, params: { found: path }, found: path })),
  },
  {
    code: 'PKG-004',
    description: 'primaryKey names fields of the resource.',
    check: ({ resources }) =>
      resources.flatMap((resource, r) => {
        const names = new Set(resource.schema.fields.map((field) => field.name));
        return (resource.schema.primaryKey ?? []).flatMap((key, k) =>
          names.has(key)
            ? []
            : [
                {
                  code: 'PKG-004',
                  location: `/resources/${r}/schema/primaryKey/${k}`,
                  params: { found: key },
                  found: key,
                },
              ],
        );
      }),
  },
  {
    code: 'PKG-005',
    description: 'Field names are unique within a resource.',
    check: (descriptor) =>
      eachField(descriptor, (field, location, fields) => {
        const first = fields.findIndex((other) => other.name === field.name);
        return (
          fields[first] !== field && {
            code: 'PKG-005',
            location: `${location}/name`,
            params: { found: field.name },
            found: field.name,
          }
        );
      }),
  },
  {
    code: 'PKG-006',
    description: 'Personal-information fields name their masking rule unless the profile is MP-NONE.',
    check: (descriptor) =>
      descriptor['ses:masking'] === 'MP-NONE'
        ? []
        : eachField(descriptor, (field, location) => {
            const pii = field['ses:pii'];
            return (
              pii !== undefined &&
              pii !== 'pseudonym' &&
              field['ses:masking'] === undefined && {
                code: 'PKG-006',
                location: `${location}/ses:masking`,
                params: { field: field.name, pii },
              }
            );
          }),
  },
];
