import { checkUscc } from '../checks/uscc.js';
import type { Demand } from '../generated/types.js';
import { historyBehindState, historyOutOfOrder, historyWithoutReason } from './history.js';
import { blank, chinaDate, one, type Rule } from './rule.js';

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
    check: ({ state, history }) => historyBehindState('DEM-004', state, history),
  },
  {
    code: 'DEM-005',
    description: 'History entries are in time order, not before createdAt.',
    check: ({ createdAt, history }) => historyOutOfOrder('DEM-005', history, Date.parse(createdAt)),
  },
  {
    code: 'DEM-006',
    description: 'DECLINED and WITHDRAWN history entries carry a reason.',
    check: ({ history }) => historyWithoutReason('DEM-006', history, REASONED_STATES),
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
