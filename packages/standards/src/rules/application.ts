import { checkResidentId } from '../checks/resident-id.js';
import { checkUscc } from '../checks/uscc.js';
import type { OpenApplication, SharingApplication } from '../generated/types.js';
import type { Finding } from '../messages/message.js';
import { historyBehindState, historyOutOfOrder, historyWithoutReason } from './history.js';
import { one, blank, type Rule } from './rule.js';

interface Period {
  from: string;
  to: string;
}

function periodFinding(code: string, period: Period): Finding[] {
  return one(
    period.from > period.to && {
      code,
      location: '/period/to',
      params: { from: period.from, to: period.to },
      found: period.to,
      expected: `≥ ${period.from}`,
    },
  );
}

function usccFinding(code: string, location: string, uscc: string): Finding[] {
  const result = checkUscc(uscc);
  if (result.ok) return [];
  const reasonEn = checkUscc(uscc, { lang: 'en' }).message;
  return [{ code, location, params: { reason: result.message, reasonEn }, found: uscc }];
}

const REASONED_STATES = new Set(['REJECTED', 'ESCALATED']);
const OFFER_STATES = new Set(['OFFERED', 'ACCEPTED']);
const GRANTED_STATES = new Set(['APPROVED', 'ACTIVE', 'SUSPENDED', 'REVOKED']);

/** Rules of a sharing application (APP-0xx). */
export const sharingApplicationRules: Rule<SharingApplication>[] = [
  {
    code: 'APP-001',
    description: 'period.from ≤ period.to.',
    check: ({ period }) => periodFinding('APP-001', period),
  },
  {
    code: 'APP-002',
    description: 'A REJECTED application has a rejection reason.',
    check: ({ state, rejectionReason }) =>
      one(
        state === 'REJECTED' && blank(rejectionReason) && { code: 'APP-002', location: '/rejectionReason' },
      ),
  },
  {
    code: 'APP-003',
    description: 'OFFERED and ACCEPTED applications carry the offer.',
    check: ({ state, offer }) =>
      one(
        OFFER_STATES.has(state) &&
          offer === undefined && { code: 'APP-003', location: '/offer', params: { state } },
      ),
  },
  {
    code: 'APP-004',
    description: 'Offered items are a subset of the requested items.',
    check: ({ items, offer }) => {
      const requested = new Set<string>(items);
      return (offer?.items ?? []).flatMap((item, index) =>
        requested.has(item)
          ? []
          : [{ code: 'APP-004', location: `/offer/items/${index}`, params: { found: item }, found: item }],
      );
    },
  },
  {
    code: 'APP-005',
    description: 'A VERIFY application takes no masking requirement (or MP-NONE).',
    check: ({ mode, masking }) =>
      one(
        mode === 'VERIFY' &&
          masking !== undefined &&
          masking.profile !== 'MP-NONE' && {
            code: 'APP-005',
            location: '/masking',
            params: { found: masking.profile },
            found: masking.profile,
          },
      ),
  },
  {
    code: 'APP-006',
    description: 'REJECTED and ESCALATED history entries carry a reason.',
    check: ({ history }) => historyWithoutReason('APP-006', history, REASONED_STATES),
  },
  {
    code: 'APP-007',
    description: 'History entries are in time order.',
    check: ({ history }) => historyOutOfOrder('APP-007', history),
  },
  {
    code: 'APP-008',
    description: 'The offered period lies within the requested period.',
    check: ({ period, offer }) => {
      if (offer === undefined) return [];
      const inside = offer.period.from >= period.from && offer.period.to <= period.to;
      const found = `${offer.period.from}–${offer.period.to}`;
      const expected = `${period.from}–${period.to}`;
      return one(
        !inside && {
          code: 'APP-008',
          location: '/offer/period',
          params: { found, expected },
          found,
          expected,
        },
      );
    },
  },
  {
    code: 'APP-009',
    description: "The applicant's USCC passes the GB 32100 checks.",
    check: ({ applicant }) => usccFinding('APP-009', '/applicant/uscc', applicant.uscc),
  },
  {
    code: 'APP-010',
    description: 'APPROVED, ACTIVE, SUSPENDED and REVOKED applications name their grant.',
    check: ({ state, grant }) =>
      one(
        GRANTED_STATES.has(state) &&
          grant === undefined && { code: 'APP-010', location: '/grant', params: { state } },
      ),
  },
  {
    code: 'APP-011',
    description: 'The last history entry records the current state.',
    check: ({ state, history }) => historyBehindState('APP-011', state, history),
  },
  {
    code: 'APP-012',
    description: 'The offered mode is the requested mode or VERIFY.',
    check: ({ mode, offer }) =>
      one(
        offer !== undefined &&
          offer.mode !== mode &&
          offer.mode !== 'VERIFY' && {
            code: 'APP-012',
            location: '/offer/mode',
            params: { found: offer.mode, expected: mode },
            expected: `${mode}、VERIFY`,
            found: offer.mode,
          },
      ),
  },
];

const RESIDENT_ID_TYPES = new Set(['111', '112']);

/** Rules of an open-data application (OAP-0xx). */
export const openApplicationRules: Rule<OpenApplication>[] = [
  {
    code: 'OAP-001',
    description: 'period.from ≤ period.to.',
    check: ({ period }) => periodFinding('OAP-001', period),
  },
  {
    code: 'OAP-002',
    description: 'A REJECTED application has a rejection reason.',
    check: ({ state, rejectionReason }) =>
      one(
        state === 'REJECTED' && blank(rejectionReason) && { code: 'OAP-002', location: '/rejectionReason' },
      ),
  },
  {
    code: 'OAP-003',
    description: 'A resident identity card number (GA/T 517 111, 112) passes the GB 11643 checks.',
    check: ({ applicant }, { today }) => {
      if (applicant.certificateType === undefined || !RESIDENT_ID_TYPES.has(applicant.certificateType))
        return [];
      const now = new Date(`${today}T23:59:59+08:00`);
      const result = checkResidentId(applicant.certificateNumber, { now });
      return result.ok
        ? []
        : [
            {
              code: 'OAP-003',
              location: '/applicant/certificateNumber',
              params: {
                reason: result.message,
                reasonEn: checkResidentId(applicant.certificateNumber, { lang: 'en', now }).message,
              },
              found: applicant.certificateNumber,
            },
          ];
    },
  },
  {
    code: 'OAP-004',
    description: "An organisation applicant's USCC passes the GB 32100 checks.",
    check: ({ applicant }) =>
      applicant.kind === 'organisation' && applicant.uscc !== undefined
        ? usccFinding('OAP-004', '/applicant/uscc', applicant.uscc)
        : [],
  },
  {
    code: 'OAP-005',
    description: 'A person gives no USCC; an organisation gives no personal certificate.',
    check: ({ applicant }) => {
      const stray =
        applicant.kind === 'person'
          ? (['uscc'] as const)
          : (['certificateType', 'certificateNumber'] as const);
      return stray
        .filter((property) => applicant[property] !== undefined)
        .map((property) => ({
          code: 'OAP-005',
          location: `/applicant/${property}`,
          params: { kind: applicant.kind, property },
        }));
    },
  },
  {
    code: 'OAP-006',
    description: 'The decision is not before the submission.',
    check: ({ submittedAt, decidedAt }) =>
      one(
        submittedAt !== undefined &&
          decidedAt !== undefined &&
          Date.parse(decidedAt) < Date.parse(submittedAt) && {
            code: 'OAP-006',
            location: '/decidedAt',
            params: { found: decidedAt, expected: submittedAt },
            expected: `≥ ${submittedAt}`,
            found: decidedAt,
          },
      ),
  },
];
