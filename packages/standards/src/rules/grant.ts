import type { Grant } from '../generated/types.js';
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
