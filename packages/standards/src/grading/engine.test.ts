import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CatalogResource } from '../generated/types.js';
import { normalizeDocument } from '../normalize.js';
import { gradeItem, proposeGrade } from './engine.js';
import { checkGradingRules, defaultGradingRules, GradingRulesError, type GradingRuleSet } from './rules.js';

const CATALOG = JSON.parse(
  readFileSync(new URL('../../../../fixtures/catalogs/fujian-province.json', import.meta.url), 'utf8'),
) as { resources: unknown[] };
const resources = CATALOG.resources.map((raw) => normalizeDocument<CatalogResource>('catalog-resource', raw));
const byCode = (code: string) => resources.find((resource) => resource.code === code) as CatalogResource;

type Item = NonNullable<CatalogResource['items']>[number];
const item = (fields: Partial<Item>): Item => ({ name: '备注', dataType: 'C', ...fields }) as Item;

describe('item rules', () => {
  it('match on a name keyword, a technical name, a value check or a code table', () => {
    expect(gradeItem(item({ name: '申请人身份证号' })).grade).toBe('一般数据4级');
    expect(gradeItem(item({ name: '编号', technicalName: 'gmsfhm' })).grade).toBe('一般数据4级');
    expect(gradeItem(item({ name: '编号', check: 'residentId' })).reasons[0]?.rule).toBe(
      'ITEM-IDENTITY-NUMBER',
    );
    expect(gradeItem(item({ name: '代码', codeTable: 'gbt3304-ethnicity' })).grade).toBe('一般数据3级');
    expect(gradeItem(item({ name: '代码', codeTable: 'gbt2261-1-gender' })).grade).toBe('一般数据2级');
  });

  it('honour data types, the sensitive flag and vetoes', () => {
    expect(gradeItem(item({ name: '附件', dataType: 'G' })).reasons[0]?.rule).toBe('ITEM-BINARY');
    expect(gradeItem(item({ name: '附件', dataType: 'M' })).grade).toBe('一般数据1级');
    expect(gradeItem(item({ name: '持证主体', sensitive: true })).reasons[0]?.rule).toBe(
      'ITEM-MARKED-SENSITIVE',
    );
    expect(gradeItem(item({ name: '咨询电话' })).grade).toBe('一般数据1级');
    expect(gradeItem(item({ name: '联系电话' })).grade).toBe('一般数据3级');
    expect(gradeItem(item({ name: '经营者名称' })).grade).toBe('一般数据1级');
  });

  it('take the highest of every matching rule and keep all their reasons, strictest first', () => {
    const graded = gradeItem(item({ name: '法定代表人证件号码', sensitive: true }));
    expect(graded.grade).toBe('一般数据4级');
    expect(graded.reasons.map((reason) => reason.rule)).toEqual([
      'ITEM-IDENTITY-NUMBER',
      'ITEM-MARKED-SENSITIVE',
      'ITEM-LEGAL-REPRESENTATIVE',
    ]);
  });

  it('give the default level, saying so, when nothing matches', () => {
    const graded = gradeItem(item({ name: '处罚内容', dataType: 'M' }), [], defaultGradingRules(), 'en');
    expect(graded).toMatchObject({ grade: '一般数据1级', reasons: [{ kind: 'default', rule: 'DEFAULT' }] });
    expect(graded.reasons[0]?.message).toMatch(/default/);
  });
});

describe('detectors over a sample', () => {
  const phones = ['13800138000', '13900139001', '18912345678', '15000000001', '0591-8765432'];

  it('raise an innocently named item when the hit rate reaches the threshold, with the rate as evidence', () => {
    const graded = gradeItem(item({ name: '备注' }), phones);
    expect(graded.grade).toBe('一般数据3级');
    expect(graded.sampled).toBe(5);
    expect(graded.reasons[0]).toMatchObject({
      kind: 'detector',
      rule: 'VALUES-MOBILE',
      detector: 'mobile',
      hits: 4,
      sampled: 5,
      hitRate: 0.8,
    });
    expect(graded.reasons[0]?.message).toBe('抽样值中 4/5 为手机号码');
  });

  it('stay quiet below the threshold or below the minimum sample', () => {
    expect(gradeItem(item({ name: '备注' }), [...phones.slice(0, 2), '无', '无', '无']).grade).toBe(
      '一般数据1级',
    );
    expect(gradeItem(item({ name: '备注' }), phones.slice(0, 4)).grade).toBe('一般数据1级');
  });

  it('detect resident IDs, bank cards, names and addresses', () => {
    const ids = [
      '11010519491231002X',
      '34052419800101001X',
      '360426199101010071',
      '11010519491231002X',
      '34052419800101001X',
    ];
    expect(gradeItem(item({ name: 'col1' }), ids).reasons[0]?.rule).toBe('VALUES-RESIDENT-ID');
    const cards = [
      '6222021234567890128',
      '4111111111111111',
      '6222021234567890128',
      '4111111111111111',
      '5500000000000004',
    ];
    expect(gradeItem(item({ name: 'col2' }), cards).reasons[0]?.rule).toBe('VALUES-BANK-CARD');
    const names = ['林雅婷', '陈伟', '李建华', '杨雅婷', '欧阳娜娜'];
    expect(gradeItem(item({ name: 'col3' }), names).reasons[0]?.rule).toBe('VALUES-PERSON-NAME');
    const addresses = Array.from({ length: 5 }, (_, n) => `福州市鼓楼区华林路${n + 1}号`);
    expect(gradeItem(item({ name: 'col4' }), addresses).grade).toBe('一般数据2级');
  });
});

describe('resource proposals (就高从严)', () => {
  it('take the highest item level and name the items that decide it', () => {
    const proposal = proposeGrade(byCode('3350050001/000001'));
    expect(proposal).toMatchObject({ declared: '一般数据2级', grade: '一般数据4级', change: 'raise' });
    expect(proposal.reasons).toEqual([
      expect.objectContaining({ kind: 'item', item: '法定代表人证件号码', rule: 'ITEM-IDENTITY-NUMBER' }),
    ]);
    expect(proposal.items.find((i) => i.name === '企业名称')?.grade).toBe('一般数据1级');
  });

  it('apply resource rules only when their item floor is met', () => {
    expect(proposeGrade(byCode('1010010001/000001'))).toMatchObject({
      grade: '重要数据',
      change: 'same',
      reasons: [expect.objectContaining({ kind: 'resource-rule', rule: 'RESOURCE-POPULATION-BASE' })],
    });
    const withoutIds = { ...byCode('1010010001/000001') };
    withoutIds.items = withoutIds.items?.filter((i) => i.check !== 'residentId');
    expect(proposeGrade(withoutIds).grade).toBe('一般数据3级');
  });

  it('propose a lower level too, for a reviewer to judge', () => {
    expect(proposeGrade(byCode('3350040001/000001'))).toMatchObject({
      declared: '重要数据',
      grade: '一般数据4级',
      change: 'lower',
    });
  });

  it('give one default reason for a resource where nothing matched', () => {
    expect(proposeGrade(byCode('3350050002/000001'), { lang: 'en' }).reasons).toEqual([
      expect.objectContaining({ kind: 'default', rule: 'DEFAULT', grade: '一般数据1级' }),
    ]);
  });

  it('use the values sampled per item', () => {
    const resource = byCode('3350140001/000001');
    const samples = { 签发部门: ['13800138000', '13900139001', '18912345678', '15000000001', '13800138001'] };
    expect(proposeGrade(resource).grade).toBe('一般数据1级');
    expect(proposeGrade(resource, { samples })).toMatchObject({
      grade: '一般数据3级',
      reasons: [expect.objectContaining({ item: '签发部门', rule: 'VALUES-MOBILE' })],
    });
  });
});

describe('rule sets are data', () => {
  it('a custom rule set replaces the shipped one', () => {
    const rules: GradingRuleSet = {
      ...defaultGradingRules(),
      name: 'strict',
      defaultGrade: '一般数据2级',
      itemRules: [
        {
          id: 'X-PENALTY',
          grade: '一般数据3级',
          reason: { zh: '处罚', en: 'penalty' },
          match: { names: ['处罚'] },
        },
      ],
    };
    const proposal = proposeGrade(byCode('3350050002/000001'), { rules });
    expect(proposal).toMatchObject({ grade: '一般数据3级', rules: { name: 'strict' } });
  });

  it('refuse a rule set with unknown levels, detectors, duplicate ids or bad thresholds, naming each', () => {
    const base = defaultGradingRules();
    const broken = {
      ...base,
      defaultGrade: '很低',
      itemRules: [...base.itemRules, { ...base.itemRules[0], grade: '一般数据9级' }],
      detectorRules: [{ ...base.detectorRules[0], detector: 'email', threshold: 2 }],
    };
    expect(() => checkGradingRules(broken)).toThrow(GradingRulesError);
    try {
      checkGradingRules(broken);
    } catch (error) {
      const problems = (error as GradingRulesError).problems.join('\n');
      expect(problems).toContain('defaultGrade');
      expect(problems).toContain('duplicate rule id');
      expect(problems).toContain('一般数据9级');
      expect(problems).toContain('unknown detector "email"');
      expect(problems).toContain('threshold');
    }
    expect(() => checkGradingRules({})).toThrow(/arrays/);
  });
});
