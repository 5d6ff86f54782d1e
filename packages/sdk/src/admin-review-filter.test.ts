import { describe, expect, it } from 'vitest';
import {
  describeReviewFilter,
  matchesCode,
  matchesOrg,
  matchesUpdated,
  parseReviewFilter,
  ReviewFilterError,
} from './admin-review-filter.js';

const USCC = '11350000003591037R';
const ORG = `350000/GOV/${USCC}`;

function refusal(run: () => unknown): ReviewFilterError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReviewFilterError) return error;
    throw error;
  }
  throw new Error('no ReviewFilterError');
}

describe('parseReviewFilter', () => {
  it('defaults to what awaits the platform: submitted resources, applications at PRECHECK', () => {
    expect(parseReviewFilter('resource', [])).toEqual({ state: 'submitted' });
    expect(parseReviewFilter('application', [])).toEqual({ state: 'PRECHECK' });
    expect(parseReviewFilter('application', ['state=escalated']).state).toBe('ESCALATED');
  });

  it('reads every key, AND-ed, and says the filter back normalised', () => {
    const filter = parseReviewFilter('application', [
      `org=${ORG}`,
      `Applicant=${USCC.toLowerCase()}`,
      'code=3350010001/*',
      'q= 户籍 ',
      'updatedBefore=2026-12-01',
      'updatedAfter=2026-11-01T08:00:00Z',
    ]);
    expect(filter).toEqual({
      state: 'PRECHECK',
      org: { id: ORG },
      applicant: { uscc: USCC },
      code: { value: '3350010001/', prefix: true },
      q: '户籍',
      updatedBefore: '2026-11-30T16:00:00.000Z',
      updatedAfter: '2026-11-01T08:00:00.000Z',
    });
    expect(describeReviewFilter(filter)).toEqual({
      state: 'PRECHECK',
      org: ORG,
      applicant: USCC,
      code: '3350010001/*',
      q: '户籍',
      updatedBefore: '2026-11-30T16:00:00.000Z',
      updatedAfter: '2026-11-01T08:00:00.000Z',
    });
  });

  it('refuses a term without =, an unknown or repeated key, with where and how to fix it', () => {
    const syntax = refusal(() => parseReviewFilter('resource', ['org']));
    expect(syntax).toMatchObject({ code: 'FILTER-SYNTAX', location: '--filter #1 (org)' });
    expect(syntax.hint).toContain('updatedBefore');
    const key = refusal(() => parseReviewFilter('resource', ['state=submitted', 'owner=x'], 'en'));
    expect(key).toMatchObject({ code: 'FILTER-KEY', location: '--filter #2 (owner=x)' });
    expect(key.message).toBe('unknown filter key "owner"');
    expect(key.hint).toBe('Keys: state, org, applicant, code, q, updatedBefore, updatedAfter');
    expect(refusal(() => parseReviewFilter('resource', ['q=a', 'q=b'])).code).toBe('FILTER-REPEATED');
    expect(refusal(() => parseReviewFilter('resource', [`applicant=${USCC}`])).code).toBe('FILTER-KEY');
  });

  it('refuses values a key does not take, naming what it expects', () => {
    const state = refusal(() => parseReviewFilter('resource', ['state=draft'], 'en'));
    expect(state).toMatchObject({ code: 'FILTER-VALUE' });
    expect(state.message).toBe('filter state: "draft" is not submitted');
    expect(refusal(() => parseReviewFilter('application', ['state=APPROVED'])).message).toContain(
      'PRECHECK 或 ESCALATED',
    );
    for (const term of [
      'org=福建省公安厅',
      'org=12345',
      'code=*',
      'code=33500*10',
      'q=',
      'updatedBefore=2026-02-30',
      'updatedBefore=yesterday',
      'updatedAfter=2026-11-01T08:00:00',
    ]) {
      expect(refusal(() => parseReviewFilter('resource', [term])).code, term).toBe('FILTER-VALUE');
    }
  });
});

describe('matching listed items', () => {
  it('matches an organisation by id or by the USCC its id ends with', () => {
    expect(matchesOrg({ id: ORG }, ORG)).toBe(true);
    expect(matchesOrg({ uscc: USCC }, ORG)).toBe(true);
    expect(matchesOrg({ uscc: USCC }, `350000/GOV/${USCC.replace('R', 'X')}`)).toBe(false);
    expect(matchesOrg(undefined, 'anything')).toBe(true);
  });

  it('matches codes exactly or by prefix, and update times within the bounds', () => {
    expect(matchesCode({ value: '3350010001/', prefix: true }, '3350010001/000007')).toBe(true);
    expect(matchesCode({ value: '3350010001/000007', prefix: false }, '3350010001/0000071')).toBe(false);
    const filter = parseReviewFilter('resource', ['updatedBefore=2026-12-01', 'updatedAfter=2026-11-30']);
    expect(matchesUpdated(filter, '2026-11-30T15:59:59.999Z')).toBe(true);
    expect(matchesUpdated(filter, '2026-11-30T16:00:00.000Z')).toBe(false);
    expect(matchesUpdated(filter, '2026-11-29T15:59:59.999Z')).toBe(false);
    expect(matchesUpdated(filter, undefined)).toBe(false);
  });
});
