// Writes the spreadsheet fixtures of fixtures/catalogs from the YAML catalogs, deterministically
// (a fixed date in the files and their zip entries): run `pnpm exec tsc -b` first, then
// `node scripts/catalog-fixtures.js`.
//   fujian-province.xlsx           the Fujian catalog in the Minjiang template
//   fujian-province.national.xlsx  the same in the national template (merged cells + extensions)
//   department-excel.xlsx          a department's catalog with only mechanically fixable mistakes
// department-excel.expected.json lists what the validator reports for the last one; it is kept
// by hand, and packages/sdk/src/catalog/formats/fixtures.test.ts checks it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { writeCatalogNationalXlsx, writeCatalogXlsx } from '../packages/sdk/dist/catalog/formats/index.js';

const catalogs = fileURLToPath(new URL('../fixtures/catalogs/', import.meta.url));
const date = new Date(Date.UTC(2025, 0, 1));

async function readYaml(name) {
  return parse(await readFile(join(catalogs, name), 'utf8'), { version: '1.2' });
}

/**
 * The draft's resources 0–4 with their deliberate rule violations repaired (they are the YAML
 * fixture's business), then the kind of mistakes typing into Excel produces, each in one cell.
 */
function departmentExcel(draft) {
  const [enterprises, individuals, penalties, complaints, inspections] = structuredClone(draft.resources);
  individuals.items = individuals.items.filter((item) => item.technicalName !== 'JYZXM2');
  penalties.sharing.condition = '仅向依法履行市场监管、信用监管职责的部门提供';
  penalties.sharing.legalBasis = '《市场监督管理行政处罚信息公示规定》';
  complaints.opening = { type: '不予开放' };
  inspections.format.category = '电子表格';
  inspections.provider.uscc = '11350100FJ01000501';
  inspections.items = [
    { name: '抽检编号', technicalName: 'CJBH', dataType: 'C', length: 32, isKey: true, required: true },
    { name: '样品名称', technicalName: 'YPMC', dataType: 'C', length: 100 },
    { name: '被抽检单位名称', technicalName: 'BCJDWMC', dataType: 'C', length: 200 },
    { name: '抽检结论', technicalName: 'CJJL', dataType: 'C', length: 10, description: '合格或不合格' },
  ];

  enterprises.code = '３３５００５０１０１／０００００２'; // full-width digits and slash
  enterprises.name = ' 福州市企业登记　基本信息 '; // spaces around, a full-width space inside
  enterprises.keywords = '企业,,登记'; // a doubled separator: an empty keyword
  individuals.sharing.type = '有条件'; // an alias of 有条件共享: accepted
  individuals.publishedAt = 44927; // 2023-01-01 as an Excel serial number in a General cell
  individuals.format.type = 'MySQL'; // the schema wants lower case
  penalties.sharing.type = 'conditional'; // the English label: accepted
  penalties.publishedAt = '2023年5月1日';
  complaints.provider.uscc = complaints.provider.uscc.toLowerCase();
  complaints.updateCycle = 'daily'; // the English label: accepted
  return {
    title: '福州市市场监督管理局政务数据资源目录（Excel 填报）',
    resources: [enterprises, individuals, penalties, complaints, inspections],
  };
}

const fujian = await readYaml('fujian-province.yaml');
await writeCatalogXlsx(join(catalogs, 'fujian-province.xlsx'), fujian, { date });
await writeCatalogNationalXlsx(join(catalogs, 'fujian-province.national.xlsx'), fujian, { date });
await writeCatalogXlsx(
  join(catalogs, 'department-excel.xlsx'),
  departmentExcel(await readYaml('department-draft.yaml')),
  {
    date,
  },
);
console.log('wrote fujian-province.xlsx, fujian-province.national.xlsx, department-excel.xlsx');
