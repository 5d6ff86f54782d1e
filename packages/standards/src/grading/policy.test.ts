import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CatalogResource } from '../generated/types.js';
import { normalizeDocument } from '../normalize.js';
import { proposeGrade } from './engine.js';
import {
  checkGradingConflicts,
  GradingPolicyError,
  parseGradingPolicy,
  zhejiangGradingPolicy,
} from './policy.js';

const CATALOG = JSON.parse(
  readFileSync(new URL('../../../../fixtures/catalogs/fujian-province.json', import.meta.url), 'utf8'),
) as { resources: unknown[] };
const resource = (code: string) =>
  normalizeDocument<CatalogResource>(
    'catalog-resource',
    CATALOG.resources.find((raw) => (raw as { code: string }).code === code),
  );
const policy = zhejiangGradingPolicy();

function itemGrades(document: CatalogResource): Record<string, string> {
  return Object.fromEntries(proposeGrade(document).items.map((item) => [item.name, item.grade]));
}

describe('the shipped Zhejiang-style policy', () => {
  it('is valid and covers every level, strictest allowing least', () => {
    expect(policy.levels.map((level) => level.level)).toEqual([
      '核心数据',
      '重要数据',
      '一般数据4级',
      '一般数据3级',
      '一般数据2级',
      '一般数据1级',
    ]);
    expect(policy.levels.find((level) => level.level === '一般数据4级')?.openTypes).toEqual(['不予开放']);
  });

  it('accepts codes for share and open types and stores labels', () => {
    const raw = JSON.parse(
      readFileSync(new URL('../../policies/zhejiang-4-level.json', import.meta.url), 'utf8'),
    ) as { levels: { shareTypes: string[]; openTypes: string[] }[] };
    raw.levels[5] = { ...raw.levels[5], shareTypes: ['1', '2', '3'], openTypes: ['1', '2', '3'] } as never;
    expect(parseGradingPolicy(raw).levels[5]).toMatchObject({
      shareTypes: ['无条件共享', '有条件共享', '不予共享'],
      openTypes: ['无条件开放', '有条件开放', '不予开放'],
    });
  });

  it('refuses an invalid policy with coded issues in the asked language', () => {
    const laxer = structuredClone(policy);
    laxer.levels[2] = {
      ...laxer.levels[2],
      openTypes: ['无条件开放', '不予开放'],
    } as (typeof laxer.levels)[2];
    expect(() => parseGradingPolicy(laxer, 'en')).toThrow(GradingPolicyError);
    try {
      parseGradingPolicy(laxer, 'en');
    } catch (error) {
      expect((error as GradingPolicyError).issues[0]).toMatchObject({
        code: 'GRP-003',
        location: '/levels/2/openTypes',
        found: '无条件开放',
      });
      expect((error as GradingPolicyError).issues[0]?.message).toMatch(/stricter/);
    }
    expect(() => parseGradingPolicy({ name: 'x' })).toThrow(/SCH-001/);
  });
});

describe('policy conflicts', () => {
  it('finds a level-4 item in an unconditionally shared and open resource, and the under-grading', () => {
    const document = resource('3350050001/000001');
    const conflicts = checkGradingConflicts(document, policy, { items: itemGrades(document) });
    const seen = conflicts.map((c) => `${c.code} ${c.location} ${c.item ?? ''}`);
    expect(seen).toEqual([
      'GRD-102 /opening/type ',
      'GRD-105 /grading/level 法定代表人证件号码',
      'GRD-104 /items/3/openType 法定代表人',
      'GRD-103 /items/4/shareType 法定代表人证件号码',
    ]);
    const share = conflicts.find((c) => c.code === 'GRD-103');
    expect(share).toMatchObject({
      resource: '3350050001/000001',
      grade: '一般数据4级',
      found: '无条件共享',
      expected: '有条件共享、不予共享',
    });
    expect(share?.message).toBe(
      '信息项“法定代表人证件号码”定级为一般数据4级，其共享类型“无条件共享”（沿用资源设置）不在策略“zhejiang-4-level”允许的范围（有条件共享、不予共享）内',
    );
    // the item's own 不予开放 satisfies level 4, so there is no GRD-104 for it
    expect(conflicts.some((c) => c.code === 'GRD-104' && c.item === '法定代表人证件号码')).toBe(false);
  });

  it('judges the resource by a given level (a proposal), else by its declared one', () => {
    const document = resource('3350050001/000001');
    expect(checkGradingConflicts(document, policy).map((c) => c.code)).toEqual(['GRD-102']);
    const raised = checkGradingConflicts(document, policy, { grade: '一般数据4级' }, 'en');
    expect(raised.map((c) => c.code)).toEqual(['GRD-101', 'GRD-102']);
    expect(raised[0]?.message).toBe(
      'The resource is graded general data, level 4; share type "无条件共享" is not allowed by policy "zhejiang-4-level" (有条件共享、不予共享)',
    );
  });

  it('finds nothing where types and levels agree', () => {
    const population = resource('1010010001/000001');
    expect(checkGradingConflicts(population, policy, { items: itemGrades(population) })).toEqual([]);
    const penalties = resource('3350050002/000001');
    expect(checkGradingConflicts(penalties, policy, { items: itemGrades(penalties) })).toEqual([]);
  });
});
