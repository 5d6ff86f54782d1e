import { describe, expect, it } from 'vitest';
import { HubConfigError, loadConfig } from '../../config.js';
import { HubError } from '../../errors.js';
import { parseCalendar } from '../governance/calendar.js';
import {
  filled,
  resourceCompleteness,
  responseScore,
  workingDaysBetween,
  type OrganisationFigures,
} from './indicators.js';
import { judge } from './obligations.js';
import { parsePeriod } from './period.js';
import { normaliseSharing, rank, totalScore } from './ranking.js';

const CALENDAR = parseCalendar({
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03'],
  workdays: ['2025-10-11'],
});

describe('assessment periods (China time)', () => {
  it.each([
    ['2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-10-01', '2026-12-31'],
    ['2026-Q1', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z', '2026-01-01', '2026-03-31'],
    ['2026-11', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', '2026-11-01', '2026-11-30'],
    ['2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-12-01', '2026-12-31'],
    ['2026', '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026-01-01', '2026-12-31'],
  ])('reads %s as [%s, %s)', (period, from, to, firstDay, lastDay) => {
    expect(parsePeriod({ period }, 'en')).toEqual({ label: period, from, to, firstDay, lastDay });
  });

  it('reads explicit dates inclusively, leap day included', () => {
    expect(parsePeriod({ from: '2028-02-01', to: '2028-02-29' }, 'en')).toEqual({
      label: '2028-02-01..2028-02-29',
      from: '2028-01-31T16:00:00.000Z',
      to: '2028-02-29T16:00:00.000Z',
      firstDay: '2028-02-01',
      lastDay: '2028-02-29',
    });
  });

  it.each([
    [{ period: '2026-Q0' }],
    [{ period: '2026-00' }],
    [{ period: '26' }],
    [{}],
    [{ from: '2026-01-01' }],
    [{ period: '2026', to: '2026-02-01' }],
    [{ from: '2027-02-29', to: '2027-03-01' }],
    [{ from: '2026-03-01', to: '2026-02-01' }],
  ])('refuses %j with an ASM-001 issue in the caller’s language', (query) => {
    const error = (() => {
      try {
        parsePeriod(query, 'zh-CN');
      } catch (caught) {
        return caught as HubError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(HubError);
    expect(error.statusCode).toBe(400);
    const [issue] = error.details?.issues as Record<string, string>[];
    expect(issue?.code).toBe('ASM-001');
    expect(issue?.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('indicator formulas', () => {
  it('counts a field as filled unless absent or blank', () => {
    expect([undefined, null, '', '  ', [], {}].map(filled)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['x', ['a'], { a: 1 }, 0, false].map(filled)).toEqual([true, true, true, true, true]);
  });

  it('averages the required, recommended and described shares of an entry', () => {
    const entry = { code: 'x', name: 'y', keywords: ['a'], subject: '人', items: [{ description: 'd' }, {}] };
    // required 2 of 11, recommended 2 of 8, items 1 of 2 → (2/11 + 0.25 + 0.5) / 3.
    expect(resourceCompleteness(entry)).toMatchObject({
      requiredFilled: 2,
      recommendedFilled: 2,
      describedItems: 1,
    });
    expect(resourceCompleteness(entry).completeness).toBeCloseTo((2 / 11 + 0.25 + 0.5) / 3, 12);
    // Without items only the two field shares count.
    expect(resourceCompleteness({ code: 'x' }).completeness).toBeCloseTo(1 / 11 / 2, 12);
  });

  it('counts working days after the start day up to the end day, holidays out, make-up days in', () => {
    const day = (d: string, h = 2) => new Date(`2025-${d}T0${h}:00:00Z`);
    expect(workingDaysBetween(day('09-30'), day('09-30', 9), CALENDAR)).toBe(0);
    expect(workingDaysBetween(day('09-30'), day('10-06'), CALENDAR)).toBe(1); // 1–3 off, 4–5 weekend, 6 Mon
    expect(workingDaysBetween(day('10-10'), day('10-13'), CALENDAR)).toBe(2); // Sat 11 worked, Sun 12 not
    // 23:30 China time on 10 October is still the 10th there (15:30 UTC).
    expect(workingDaysBetween(day('10-09'), new Date('2025-10-10T15:30:00Z'), CALENDAR)).toBe(1);
  });

  it('scores a response 100 in time, falling linearly to 0 at twice the allowed days', () => {
    expect([0, 5, 6, 7, 9, 10, 30].map((days) => responseScore(days, 5))).toEqual([
      100, 100, 80, 60, 20, 0, 0,
    ]);
    expect(responseScore(1, 0)).toBe(0);
  });

  it('judges an episode against the workflow deadline, not just the day count', () => {
    const start = '2025-10-09T02:00:00.000Z'; // Thu; 2 working days → due Sat 11 Oct (调休) end
    const now = new Date('2025-12-01T00:00:00Z');
    const ended = (at: string, answered = true) => ({
      kind: 'application' as const,
      provider: 'p',
      start,
      end: { at, answered },
    });
    expect(judge(ended('2025-10-11T15:00:00Z'), 2, CALENDAR, now)).toEqual({
      outcome: 'onTime',
      score: 100,
      days: 2,
    });
    // Sunday 12 Oct is after the deadline though no working day passed: late, counted as 3 days.
    expect(judge(ended('2025-10-12T02:00:00Z'), 2, CALENDAR, now)).toEqual({
      outcome: 'late',
      score: 50,
      days: 2,
    });
    expect(judge(ended('2025-10-10T02:00:00Z', false), 2, CALENDAR, now).outcome).toBe('excluded');
    expect(judge(ended('2025-10-14T02:00:00Z', false), 2, CALENDAR, now)).toEqual({
      outcome: 'late',
      score: 0,
      days: null,
    });
    const open = { kind: 'demand' as const, provider: 'p', start, end: null };
    expect(judge(open, 2, CALENDAR, new Date('2025-10-10T02:00:00Z')).outcome).toBe('pending');
    expect(judge(open, 2, CALENDAR, new Date('2025-10-13T02:00:00Z'))).toEqual({
      outcome: 'late',
      score: 50,
      days: null,
    });
  });
});

function org(scores: Partial<Record<keyof OrganisationFigures, number>>, calls = 0): OrganisationFigures {
  const at = (key: keyof OrganisationFigures) => scores[key] ?? 0;
  return {
    catalog: { score: at('catalog') } as OrganisationFigures['catalog'],
    timeliness: { score: at('timeliness') } as OrganisationFigures['timeliness'],
    quality: { score: at('quality') } as OrganisationFigures['quality'],
    tickets: { score: at('tickets') } as OrganisationFigures['tickets'],
    response: { score: at('response') } as OrganisationFigures['response'],
    sharing: { score: 0, calls, grants: 0 },
  };
}

describe('totals and ranking', () => {
  const weights = loadConfig({ dataDir: '/tmp/minjiang-assessment' }, {}).assessmentWeights;

  it('normalises sharing against the busiest organisation, and to 0 when nobody served a call', () => {
    const list = [org({}, 30), org({}, 120), org({}, 0)];
    normaliseSharing(list);
    expect(list.map((entry) => entry.sharing.score)).toEqual([25, 100, 0]);
    const idle = [org({}), org({})];
    normaliseSharing(idle);
    expect(idle.map((entry) => entry.sharing.score)).toEqual([0, 0]);
  });

  it('weights the default indicators 0.2, 0.15, 0.2, 0.15, 0.15, 0.15', () => {
    // 0.2 × 80 + 0.15 × 60 + 0.2 × 90 + 0.15 × 100 + 0.15 × 50 + 0.15 × 10 = 16 + 9 + 18 + 15 + 7.5 + 1.5
    const figures = org({ catalog: 80, timeliness: 60, quality: 90, tickets: 100, response: 50 });
    figures.sharing.score = 10;
    expect(totalScore(figures, weights)).toBe(67);
  });

  it('gives equal totals one rank and skips the ranks they took (1, 2, 2, 4), by id within a tie', () => {
    const entry = (id: string, total: number) => ({
      id,
      name: id,
      kind: 'department',
      total,
      indicators: org({}),
    });
    const ranked = rank([entry('d', 50), entry('c', 70), entry('b', 70), entry('a', 90), entry('e', 10)]);
    expect(ranked.map(({ id, rank: r }) => `${r}${id}`)).toEqual(['1a', '2b', '2c', '4d', '5e']);
  });

  it('takes weights from the configuration and refuses weights that do not add up to 1', () => {
    const env = (value: string) => ({ MINJIANG_ASSESSMENT_WEIGHTS: value });
    const load = (value: string) => loadConfig({ dataDir: '/tmp/minjiang-assessment' }, env(value));
    expect((Object.values(weights) as number[]).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 12);
    const even =
      '{"catalog":0.25,"timeliness":0.05,"quality":0.2,"tickets":0.2,"response":0.15,"sharing":0.15}';
    expect(load(even).assessmentWeights.catalog).toBe(0.25);
    expect(() => load('{"catalog":0.3}')).toThrow(/add up to 1, got 1.1/);
    expect(() => load('{"catalog":-0.1,"timeliness":0.45}')).toThrow(HubConfigError);
    expect(() => load('{"speed":0}')).toThrow(/unknown member "speed"/);
  });
});
