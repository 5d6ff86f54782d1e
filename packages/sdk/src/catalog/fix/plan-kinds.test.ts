import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCatalogFile, type CatalogFile } from '../catalog-file.js';
import { validateCatalog } from '../validate-catalog.js';
import { applyCatalogFixes } from './apply.js';
import { planCatalogFixes } from './plan.js';
import type { CatalogFix } from './types.js';

const catalogs = fileURLToPath(new URL('../../../../../fixtures/catalogs/', import.meta.url));
const now = new Date('2026-01-01T00:00:00+08:00');
// Resource 0 of the department draft is valid; each case spoils a copy of it.
const draft = await readCatalogFile(join(catalogs, 'department-draft.yaml'));

function valid(): Record<string, unknown> {
  return structuredClone(draft.resources[0]) as Record<string, unknown>;
}

type Mutation = (resource: Record<string, unknown>) => void;
type Expected = [pointer: string, from: unknown, to: unknown, kind: CatalogFix['kind']];

/** One case per mistake: what is spoilt, and the fixes expected (a `to` of undefined is a removal). */
const CASES: [string, Mutation, Expected[]][] = [
  [
    'full-width digits, letters and slash in codes',
    (r) =>
      Object.assign(r, {
        code: '３３５００５０１０１／０００００２',
        provider: {
          name: '福州市市场监督管理局',
          uscc: '１１３５０１００ＦＪ０１０００５０１',
          regionCode: '３５０１００',
        },
      }),
    [
      ['/code', '３３５００５０１０１／０００００２', '3350050101/000002', 'full-width'],
      ['/provider/uscc', '１１３５０１００ＦＪ０１０００５０１', '11350100FJ01000501', 'full-width'],
      ['/provider/regionCode', '３５０１００', '350100', 'full-width'],
    ],
  ],
  [
    'full-width in a technical name, a format type, a date and a length (two steps)',
    (r) => {
      Object.assign(r, {
        publishedAt: '２０２２－０３－１８',
        format: { category: '数据库', type: 'ｍｙｓｑｌ' },
      });
      Object.assign((r.items as Record<string, unknown>[])[1] as object, {
        technicalName: 'ＱＹＭＣ',
        length: '２００',
      });
    },
    [
      ['/format/type', 'ｍｙｓｑｌ', 'mysql', 'full-width'],
      ['/items/1/technicalName', 'ＱＹＭＣ', 'QYMC', 'full-width'],
      ['/items/1/length', '２００', '200', 'full-width'],
      ['/items/1/length', '200', 200, 'number'],
      ['/publishedAt', '２０２２－０３－１８', '2022-03-18', 'full-width'],
    ],
  ],
  [
    'no full-width folding in Chinese prose',
    (r) =>
      Object.assign(r, {
        name: '福州市企业登记基本信息（试行）',
        summary: '企业登记信息，含名称、类型（１０类）。',
      }),
    [],
  ],
  [
    'stray whitespace: trimmed, removed from codes, blank optional fields removed',
    (r) => {
      Object.assign(r, {
        code: ' 3350050101/ 000002',
        summary: '福州市登记的企业信息。\n',
        subUnit: '  ',
        keywords: [' 企业登记 ', '市场  主体'],
      });
      Object.assign((r.items as Record<string, unknown>[])[0] as object, {
        description: null,
        technicalName: 'TYSHXYDM ',
      });
    },
    [
      ['/code', ' 3350050101/ 000002', '3350050101/000002', 'whitespace'],
      ['/subUnit', '  ', undefined, 'whitespace'],
      ['/summary', '福州市登记的企业信息。\n', '福州市登记的企业信息。', 'whitespace'],
      ['/keywords/0', ' 企业登记 ', '企业登记', 'whitespace'],
      ['/keywords/1', '市场  主体', '市场 主体', 'whitespace'],
      ['/items/0/technicalName', 'TYSHXYDM ', 'TYSHXYDM', 'whitespace'],
      ['/items/0/description', null, undefined, 'whitespace'],
    ],
  ],
  [
    'code-table values written as codes, aliases, English labels',
    (r) => {
      Object.assign(r, {
        resourceClass: 3,
        updateCycle: '每天',
        opening: { type: 'not open' },
        grading: { level: '一般数据２级' },
      });
      Object.assign(r.sharing as object, { methodTypes: ['api', '库表'] });
      Object.assign((r.items as Record<string, unknown>[])[2] as object, { dataType: '数值型' });
    },
    [
      ['/resourceClass', 3, '部门信息资源', 'canonical-label'],
      ['/items/2/dataType', '数值型', 'N', 'canonical-label'],
      ['/sharing/methodTypes/0', 'api', '接口', 'canonical-label'],
      ['/sharing/methodTypes/1', '库表', '数据库', 'canonical-label'],
      ['/opening/type', 'not open', '不予开放', 'canonical-label'],
      ['/updateCycle', '每天', '每日', 'canonical-label'],
      ['/grading/level', '一般数据２级', '一般数据2级', 'full-width'],
    ],
  ],
  [
    'letter case of codes, code-table names and data types; technical names keep theirs',
    (r) => {
      (r.provider as Record<string, unknown>).uscc = '11350100fj01000501';
      Object.assign((r.items as Record<string, unknown>[])[0] as object, {
        dataType: 'c',
        codeTable: 'GB2260',
        technicalName: 'tyshxydm',
      });
    },
    [
      ['/provider/uscc', '11350100fj01000501', '11350100FJ01000501', 'letter-case'],
      ['/items/0/dataType', 'c', 'C', 'letter-case'],
      ['/items/0/codeTable', 'GB2260', 'gb2260', 'letter-case'],
    ],
  ],
  [
    'dates in Chinese, dotted and compact forms',
    (r) =>
      Object.assign(r, { publishedAt: '2022.3.18', timeRange: { from: '2020年1月1日', to: '20211231' } }),
    [
      ['/publishedAt', '2022.3.18', '2022-03-18', 'date'],
      ['/timeRange/from', '2020年1月1日', '2020-01-01', 'date'],
      ['/timeRange/to', '20211231', '2021-12-31', 'date'],
    ],
  ],
  [
    'doubled separators and duplicates in lists',
    (r) => {
      Object.assign(r, {
        keywords: ['企业登记', '', '市场主体', ' ', '企业登记'],
        relatedResources: ['3350050101/000003', '3350050101/ 000003'],
      });
      Object.assign(r.sharing as object, { methodTypes: ['接口', 'API', '数据库'] });
    },
    [
      ['/keywords/1', '', undefined, 'separator'],
      ['/keywords/3', ' ', undefined, 'separator'],
      ['/keywords/4', '企业登记', undefined, 'separator'],
      ['/sharing/methodTypes/1', 'API', '接口', 'canonical-label'],
      ['/sharing/methodTypes/1', '接口', undefined, 'separator'],
      ['/relatedResources/1', '3350050101/ 000003', '3350050101/000003', 'whitespace'],
      ['/relatedResources/1', '3350050101/000003', undefined, 'separator'],
    ],
  ],
  [
    'numbers and yes/no typed as text; a region code typed as a number',
    (r) => {
      Object.assign(r.provider as object, { regionCode: 350100 });
      Object.assign((r.items as Record<string, unknown>[])[0] as object, {
        length: '18',
        isKey: '是',
        required: 'Y',
      });
      Object.assign((r.items as Record<string, unknown>[])[2] as object, { precision: '2', sensitive: '否' });
      Object.assign(r, { statistics: { records: '120000', storageGB: '1.5' } });
    },
    [
      ['/provider/regionCode', 350100, '350100', 'number'],
      ['/items/0/length', '18', 18, 'number'],
      ['/items/0/isKey', '是', true, 'number'],
      ['/items/0/required', 'Y', true, 'number'],
      ['/items/2/precision', '2', 2, 'number'],
      ['/items/2/sensitive', '否', false, 'number'],
      ['/statistics/records', '120000', 120000, 'number'],
      ['/statistics/storageGB', '1.5', 1.5, 'number'],
    ],
  ],
];

describe('each kind of mistake, in a hand-made catalog', () => {
  it.each(CASES)('%s', (_title, mutate, expected) => {
    const resource = valid();
    mutate(resource);
    const catalog: CatalogFile = { resources: [resource] };
    const fixes = planCatalogFixes(catalog);
    expect(
      fixes.map(({ pointer, op, from, to, kind }) => ({
        pointer,
        op,
        from,
        ...(op === 'replace' ? { to } : {}),
        kind,
      })),
    ).toEqual(
      expected.map(([pointer, from, to, kind]) => ({
        pointer: `/resources/0${pointer}`,
        ...(to === undefined ? { op: 'remove', from } : { op: 'replace', from, to }),
        kind,
      })),
    );
    const fixed = applyCatalogFixes(catalog, fixes);
    expect(validateCatalog(fixed, { now }).summary).toMatchObject({ errors: 0, warnings: 0 });
    expect(planCatalogFixes(fixed)).toEqual([]);
  });
});
