import { checkUscc } from '../checks/uscc.js';
import type { Demand } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import { chinaDate, type Rule } from './rule.js';

function one(finding: Finding | false): Finding[] {
  return finding ? [finding] : [];
}

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

const REASONED_STATES = new Set(['DECLINED', 'WITHDRAWN']);
const FULFILLED_STATES = new Set(['FULFILLED', 'CLOSED']);

/** Rules of a data demand (DEM-0xx). */
export const demandRules: Rule<Demand>[] = [
  {
    code: 'DEM-001',
    description: 'A FULFILLED demand has a fulfilment.',
    check: ({ state, fulfilment }) =>
      one(state === 'FULFILLED' && fulfilment === undefined && { code: 'DEM-001', location: '/fulfilment' }),
  },
  {
    code: 'DEM-002',
    description: 'A DECLINED demand has a reason.',
    check: ({ state, declineReason }) =>
      one(state === 'DECLINED' && blank(declineReason) && { code: 'DEM-002', location: '/declineReason' }),
  },
  {
    code: 'DEM-003',
    description: 'Only FULFILLED or CLOSED demands have a fulfilment.',
    check: ({ state, fulfilment }) =>
      one(
        fulfilment !== undefined &&
          !FULFILLED_STATES.has(state) && {
            code: 'DEM-003',
            location: '/fulfilment',
            params: { state },
            found: state,
          },
      ),
  },
  {
    code: 'DEM-004',
    description: 'The last history entry records the current state.',
    check: ({ state, history }) => {
      const last = history.length - 1;
      const entry = history[last];
      return one(
        entry !== undefined &&
          entry.state !== state && {
            code: 'DEM-004',
            location: `/history/${last}/state`,
            params: { found: entry.state, expected: state },
            expected: state,
            found: entry.state,
          },
      );
    },
  },
  {
    code: 'DEM-005',
    description: 'History entries are in time order, not before createdAt.',
    check: ({ createdAt, history }) => {
      let previous = Date.parse(createdAt);
      return history.flatMap((entry, index) => {
        const time = Date.parse(entry.time);
        const late = time < previous;
        previous = Math.max(previous, time);
        return late
          ? [
              {
                code: 'DEM-005',
                location: `/history/${index}/time`,
                params: { found: entry.time },
                found: entry.time,
              },
            ]
          : [];
      });
    },
  },
  {
    code: 'DEM-006',
    description: 'DECLINED and WITHDRAWN history entries carry a reason.',
    check: ({ history }) =>
      history.flatMap((entry, index) =>
        REASONED_STATES.has(entry.state) && blank(entry.reason)
          ? [{ code: 'DEM-006', location: `/history/${index}/reason`, params: { state: entry.state } }]
          : [],
      ),
  },
  {
    code: 'DEM-007',
    description: 'The expected date is not before the creation date (China time).',
    check: ({ expectedDate, createdAt }) => {
      if (expectedDate === undefined) return [];
      const created = chinaDate(new Date(createdAt));
      return one(
        expectedDate < created && {
          code: 'DEM-007',
          location: '/expectedDate',
          params: { found: expectedDate, expected: created },
          expected: `≥ ${created}`,
          found: expectedDate,
        },
      );
    },
  },
  {
    code: 'DEM-008',
    description: "The requester's USCC passes the GB 32100 checks.",
    check: ({ requester }) => {
      const result = checkUscc(requester.uscc);
      return result.ok
        ? []
        : [
            {
              code: 'DEM-008',
              location: '/requester/uscc',
              params: { reason: result.message, reasonEn: checkUscc(requester.uscc, { lang: 'en' }).message },
              found: requester.uscc,
            },
          ];
    },
  },
  {
    code: 'DEM-009',
    description: 'The expected provider is not the requester.',
    check: ({ requester, expectedProvider }) =>
      one(
        expectedProvider !== undefined &&
          expectedProvider.uscc === requester.uscc && { code: 'DEM-009', location: '/expectedProvider/uscc' },
      ),
  },
];
