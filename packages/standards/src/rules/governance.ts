import { checkUscc } from '../checks/uscc.js';
import type { Correction, ProblemRecord } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import { blank, chinaDate, one, type Rule } from './rule.js';

function usccFinding(code: string, location: string, uscc: string): Finding[] {
  const result = checkUscc(uscc);
  if (result.ok) return [];
  const reasonEn = checkUscc(uscc, { lang: 'en' }).message;
  return [{ code, location, params: { reason: result.message, reasonEn }, found: uscc }];
}

/** Rules of a problem-data record (PRB-0xx). */
export const problemRecordRules: Rule<ProblemRecord>[] = [
  {
    code: 'PRB-001',
    description: 'The deadline is after foundAt.',
    check: ({ deadline, foundAt }) =>
      one(
        Date.parse(deadline) <= Date.parse(foundAt) && {
          code: 'PRB-001',
          location: '/deadline',
          params: { found: deadline, expected: foundAt },
          expected: `> ${foundAt}`,
          found: deadline,
        },
      ),
  },
  {
    code: 'PRB-002',
    description: 'A NOT_FIXED record has an opinion with the reason.',
    check: ({ state, opinion }) =>
      one(state === 'NOT_FIXED' && blank(opinion) && { code: 'PRB-002', location: '/opinion' }),
  },
  {
    code: 'PRB-003',
    description: 'A CLOSED record is no longer marked as disputed.',
    check: ({ state, disputed }) =>
      one(state === 'CLOSED' && disputed === true && { code: 'PRB-003', location: '/disputed' }),
  },
  {
    code: 'PRB-004',
    description: "The responsible department's USCC passes the GB 32100 checks.",
    check: ({ responsibleOrg }) => usccFinding('PRB-004', '/responsibleOrg/uscc', responsibleOrg.uscc),
  },
  {
    code: 'PRB-005',
    description: 'foundAt is not in the future (China time).',
    check: ({ foundAt }, { today }) =>
      one(
        chinaDate(new Date(foundAt)) > today && {
          code: 'PRB-005',
          location: '/foundAt',
          params: { found: foundAt },
          found: foundAt,
        },
      ),
  },
];

const REASONED_ACTIONS = new Set(['NO_FIX', 'DISPUTE']);

/** Rules of a correction (COR-0xx). */
export const correctionRules: Rule<Correction>[] = [
  {
    code: 'COR-001',
    description: 'NO_FIX and DISPUTE give a reason.',
    check: ({ action, reason }) =>
      one(
        REASONED_ACTIONS.has(action) &&
          blank(reason) && { code: 'COR-001', location: '/reason', params: { action } },
      ),
  },
  {
    code: 'COR-002',
    description: 'FIX has at least one change.',
    check: ({ action, changes }) =>
      one(action === 'FIX' && (changes ?? []).length === 0 && { code: 'COR-002', location: '/changes' }),
  },
  {
    code: 'COR-003',
    description: 'NO_FIX and DISPUTE make no changes.',
    check: ({ action, changes }) =>
      one(
        REASONED_ACTIONS.has(action) &&
          (changes ?? []).length > 0 && { code: 'COR-003', location: '/changes', params: { action } },
      ),
  },
  {
    code: 'COR-004',
    description: 'A change changes the value.',
    check: ({ changes }) =>
      (changes ?? []).flatMap((change, index) =>
        change.from === change.to
          ? [{ code: 'COR-004', location: `/changes/${index}/to`, params: { item: change.item } }]
          : [],
      ),
  },
  {
    code: 'COR-005',
    description: 'Each item is changed once.',
    check: ({ changes }) => {
      const seen = new Set<string>();
      return (changes ?? []).flatMap((change, index) => {
        if (!seen.has(change.item)) {
          seen.add(change.item);
          return [];
        }
        return [
          {
            code: 'COR-005',
            location: `/changes/${index}/item`,
            params: { found: change.item },
            found: change.item,
          },
        ];
      });
    },
  },
  {
    code: 'COR-006',
    description: "The correcting department's USCC passes the GB 32100 checks.",
    check: ({ correctedBy }) => usccFinding('COR-006', '/correctedBy/uscc', correctedBy.uscc),
  },
];
