import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileTicket,
  finding,
  governanceHub,
  NOW,
  person,
  submitRows,
  type GovernanceHub,
} from '../../../test-utils/governance.js';
import { department, ENGINES } from '../../../test-utils/hub.js';
import { loadConfig } from '../../config.js';
import { meanFigures, resourceFigures, timeliness, type ResourceMeasures } from './quality.js';

const EQUAL = { completeness: 1, validity: 1, uniqueness: 1, timeliness: 1 };
const DAY = 86_400_000;

const measures: ResourceMeasures = {
  rows: 90,
  openProblems: 10,
  submittedRows: 100,
  duplicateRows: 4,
  filledCells: 700,
  checkedCells: 800,
  lastCommitAt: '2025-09-01T00:00:00.000Z',
  updateCycle: '每周',
};

describe('quality figures', () => {
  it('computes each dimension and the weighted score exactly', () => {
    // 10 days after a weekly commit: 3 days into the second cycle → 1 − 3/7.
    const now = new Date(Date.parse(measures.lastCommitAt) + 10 * DAY);
    const figures = resourceFigures(measures, now, EQUAL);
    expect(figures).toEqual({
      completeness: 0.875,
      validity: 0.9,
      uniqueness: 0.96,
      timeliness: 0.5714,
      score: 82.7, // 100 × (0.875 + 0.9 + 0.96 + 0.5714) / 4 = 82.66
    });
    const weighted = resourceFigures(measures, now, {
      completeness: 2,
      validity: 1,
      uniqueness: 1,
      timeliness: 0,
    });
    expect(weighted.score).toBe(90.3); // 100 × (2 × 0.875 + 0.9 + 0.96) / 4 = 90.25 → 90.3 (half up)
  });

  it('scores timeliness against the update cycle, and irregular or real-time data as timely', () => {
    const at = '2025-09-01T00:00:00.000Z';
    const after = (days: number) => new Date(Date.parse(at) + days * DAY);
    expect(timeliness('每日', at, after(1))).toBe(1);
    expect(timeliness('每日', at, after(1.5))).toBe(0.5);
    expect(timeliness('每日', at, after(2))).toBe(0);
    expect(timeliness('每日', at, after(30))).toBe(0);
    expect(timeliness('每月', at, after(45))).toBe(0.5);
    expect(timeliness('每旬', at, after(15))).toBe(0.5);
    expect(timeliness('每季度', at, after(91))).toBe(1);
    expect(timeliness('每年', at, after(365 + 73))).toBeCloseTo(0.8, 10);
    expect(timeliness('不定期', at, after(1000))).toBe(1);
    expect(timeliness('实时', at, after(1000))).toBe(1);
  });

  it('takes the organisation figures as the means over its resources', () => {
    const a = { completeness: 1, validity: 0.5, uniqueness: 1, timeliness: 0, score: 62.5 };
    const b = { completeness: 0.5, validity: 1, uniqueness: 0.9, timeliness: 1, score: 85 };
    expect(meanFigures([a, b], EQUAL)).toEqual({
      completeness: 0.75,
      validity: 0.75,
      uniqueness: 0.95,
      timeliness: 0.5,
      score: 73.8, // 100 × 2.95 / 4 = 73.75
    });
    expect(meanFigures([], EQUAL).score).toBe(0);
  });

  it('reads qualityWeights from the configuration and refuses bad ones', () => {
    expect(loadConfig({ dataDir: '/tmp/x' }, {}).qualityWeights).toEqual(EQUAL);
    expect(
      loadConfig({ dataDir: '/tmp/x' }, { MINJIANG_QUALITY_WEIGHTS: '{"timeliness":2}' }).qualityWeights,
    ).toEqual({ ...EQUAL, timeliness: 2 });
    expect(() => loadConfig({ dataDir: '/tmp/x' }, { MINJIANG_QUALITY_WEIGHTS: '{"speed":1}' })).toThrow(
      /speed/,
    );
    expect(() =>
      loadConfig(
        { dataDir: '/tmp/x' },
        { MINJIANG_QUALITY_WEIGHTS: '{"completeness":0,"validity":0,"uniqueness":0,"timeliness":0}' },
      ),
    ).toThrow(/all be 0/);
    expect(
      loadConfig({ dataDir: '/tmp/x' }, { MINJIANG_PROBLEM_DEADLINE_DAYS: '10' }).problemDeadlineDays,
    ).toBe(10);
    expect(() =>
      loadConfig({ dataDir: '/tmp/x' }, { MINJIANG_HOLIDAY_CALENDAR: '/nonexistent.json' }),
    ).toThrow(/holiday calendar/);
  });
});

describe.each(ENGINES)('quality routes on %s', (engine) => {
  let hub: GovernanceHub;
  beforeAll(async () => {
    hub = await governanceHub(engine);
  });
  afterAll(async () => hub.close());

  const get = (token: string | null, url: string) => hub.call(token, { method: 'GET', url: `/api/v1${url}` });

  it('scores a resource from its last commit, its stored rows and its open problems', async () => {
    const url = `/quality/resources/${encodeURIComponent(hub.code)}`;
    expect((await get(hub.tokens.consumer, url)).json()).toMatchObject({
      score: 0,
      detail: { hasData: false },
    });
    // 4 rows: one duplicate key (rejected), 3 accepted with 7 of 8 items filled (户籍地址 is not sent).
    await submitRows(hub, [person(1), person(2), person(3), person(1)]);
    // One more open problem record from elsewhere: 3 stored, 2 open.
    await fileTicket(hub, [
      { rowNumber: 9, key: null, row: {}, findings: [finding('姓名', 'DATA-REQUIRED', '', '必填')] },
    ]);
    hub.setNow(new Date(NOW.getTime() + 1.5 * DAY)); // 每日: half a cycle late
    const answer = await get(hub.tokens.consumer, url);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      resource: hub.code,
      organisation: department('GAT').id,
      completeness: 0.875, // 21 / 24
      validity: 0.6, // 3 / (3 + 2)
      uniqueness: 0.75, // 1 − 1 / 4
      timeliness: 0.5,
      score: 68.1, // 100 × 2.725 / 4 = 68.125
      measuredAt: new Date(NOW.getTime() + 1.5 * DAY).toISOString(),
      detail: {
        hasData: true,
        rows: 3,
        openProblems: 2,
        submittedRows: 4,
        duplicateRows: 1,
        updateCycle: '每日',
      },
    });
    const org = (
      await get(hub.tokens.auditor, `/quality/organisations/${encodeURIComponent(department('GAT').id)}`)
    ).json<Record<string, unknown>>();
    expect(org).toMatchObject({
      organisation: department('GAT').id,
      completeness: 0.875,
      validity: 0.6,
      uniqueness: 0.75,
      timeliness: 0.5,
      score: 68.1,
      detail: { hasData: true, resources: [{ resource: hub.code, score: 68.1 }] },
    });
    const empty = (
      await get(hub.tokens.officer, `/quality/organisations/${encodeURIComponent(department('SCJG').id)}`)
    ).json<Record<string, unknown>>();
    expect(empty).toMatchObject({ score: 0, detail: { hasData: false, resources: [] } });
  });

  it('refuses callers without a token and answers 404 for unknown subjects', async () => {
    expect((await get(null, `/quality/resources/${encodeURIComponent(hub.code)}`)).statusCode).toBe(401);
    expect((await get(null, '/quality/organisations/x')).statusCode).toBe(401);
    expect((await get(hub.tokens.reviewer, '/quality/resources/3350010001%2F999999')).statusCode).toBe(404);
    expect((await get(hub.tokens.reviewer, '/quality/organisations/nobody')).statusCode).toBe(404);
  });
});
